/**
 * The promise "a new report needs no code": a third pack written as files alone (JSON, SQL, a
 * template) in a temporary folder outside tally, a configuration pointing at it, an inbox of
 * CSV files, and `tally run` through the CLI. Its figures, derived ones included, come out in
 * 指标汇总 and in the text.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from './support/cli.ts';

const root = join(tmpdir(), `tally-third-pack-${randomBytes(4).toString('hex')}`);
const pack = join(root, 'xinqiao-2024');

const FILES: Record<string, string> = {
  'pack.json': JSON.stringify({
    title: '{town}{year}年信访接待工作情况',
    sections: [{ id: '一', name: '接待情况' }],
    indicators: [
      { code: 'visits.consultations', sections: ['一'], name: '接待法律咨询', unit: '批次', written: 'exact', ledgers: ['visits'] },
      { code: 'visits.complaints', sections: ['一'], name: '受理投诉', unit: '批次', written: 'exact', ledgers: ['visits'] },
      { code: 'visits.people', sections: ['一'], name: '接待群众', unit: '人次', written: 'approx', ledgers: ['visits'] },
    ],
    derived: [
      { code: 'visits.total', name: '接待来访', unit: '批次', sum: ['visits.consultations', 'visits.complaints'] },
      { code: 'visits.complaint_share', name: '投诉占比', numerator: 'visits.complaints', denominator: 'visits.total' },
    ],
    bounds: [{ figure: 'visits.complaints', atMost: 'visits.total', message: '投诉不能多于来访' }],
    checks: [{ code: 'visits.no_people', level: '警告', message: '人数为空：请补填接待人数。' }],
  }),
  'ledgers.json': JSON.stringify({
    ledgers: [
      {
        id: 'visits',
        name: '来访接待台账',
        period: ['visited_on'],
        fields: [
          { id: 'visited_on', header: '接待日期', type: 'date', required: true },
          { id: 'kind', header: '类别', type: 'enum', required: true, values: ['咨询', '投诉'], valueAliases: { 法律咨询: '咨询' } },
          { id: 'people', header: '人数', type: 'integer', min: 0 },
        ],
      },
    ],
  }),
  'template.txt': '# 第三个报告包\n新桥街道2024年信访接待工作情况\n\n全年接待来访{{visits.total}}，其中法律咨询{{visits.consultations}}，投诉{{visits.complaints}}（占{{visits.complaint_share}}），共接待群众{{visits.people}}。\n',
  'indicators/visits.consultations.sql': kindSql('咨询'),
  'indicators/visits.complaints.sql': kindSql('投诉'),
  'indicators/visits.people.sql': `with judged as (
  select *, case when visited_on is null then '日期为空' when year(visited_on) <> $year then '不在年度内' end as reason from visits
)
select 'visits' as ledger, department, file, file_version_id, file_version, sheet, row_no,
       reason is null as counted, coalesce(people, 0) as amount, reason,
       [{'field': '人数', 'value': cast(people as varchar), 'cell': people__cell}] as cells
from judged
`,
  'checks/visits.no_people.sql': "select department, file, sheet, people__cell as cell, 'visits' as ledger from visits where people is null\n",
};

function kindSql(kind: string): string {
  return `with judged as (
  select *, case when kind is distinct from '${kind}' then '类别不是${kind}' when year(visited_on) <> $year then '不在年度内' end as reason from visits
)
select 'visits' as ledger, department, file, file_version_id, file_version, sheet, row_no,
       reason is null as counted, 1 as amount, reason,
       [{'field': '类别', 'value': kind, 'cell': kind__cell}] as cells
from judged
`;
}

let result: CliResult;
const figures = new Map<string, unknown[]>();
let text = '';
const codes: string[] = [];

beforeAll(async () => {
  for (const [name, content] of Object.entries(FILES)) {
    await mkdir(join(pack, name, '..'), { recursive: true });
    await writeFile(join(pack, name), content);
  }
  await writeFile(
    join(root, 'xinqiao.json'),
    JSON.stringify({
      town: '新桥街道',
      year: 2024,
      pack: './xinqiao-2024',
      coordinator: { name: '新桥街道信访办', email: 'xf@xinqiao.example.gov.cn' },
      mail: { from: 'tally <tally@xinqiao.example.gov.cn>' },
      departments: [
        { code: 'xinfang', name: '信访办', email: 'xf@xinqiao.example.gov.cn', owes: ['visits'] },
        { code: 'sifa', name: '司法所', email: 'sf@xinqiao.example.gov.cn', owes: ['visits'] },
      ],
    }),
  );
  await mkdir(join(root, 'inbox', 'xinfang'), { recursive: true });
  await mkdir(join(root, 'inbox', 'sifa'), { recursive: true });
  // 信访办: 3 咨询 (one written 法律咨询), 2 投诉, one row of 2023; 司法所: 1 咨询 with no 人数.
  await writeFile(join(root, 'inbox', 'xinfang', '来访登记.csv'), '接待日期,类别,人数\n2024-01-05,咨询,40\n2024/3/8,法律咨询,35\n2024年5月6日,投诉,12\n2024-07-01,投诉,20\n2024-09-09,咨询,50\n2023-12-30,咨询,9\n');
  await writeFile(join(root, 'inbox', 'sifa', '接待.csv'), '接待日期,类别,人数\n2024-10-10,咨询,\n');
  result = await runCli(['run', '--config', join(root, 'xinqiao.json'), '--inbox', join(root, 'inbox'), '--out', join(root, 'out')]);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(join(root, 'out', 'report-2024.xlsx'));
  workbook.getWorksheet('指标汇总')?.eachRow((row, n) => {
    const values = (row.values as unknown[]).slice(1);
    if (n > 1) figures.set(String(values[1]), values);
  });
  workbook.getWorksheet('报告正文')?.eachRow((row) => (text += `${String(row.getCell(1).value)}\n`));
  workbook.getWorksheet('问题清单')?.eachRow((row, n) => {
    if (n > 1) codes.push(String(row.getCell(3).value));
  });
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('a third pack made of files alone, outside tally', () => {
  it('runs with tally run', () => {
    expect(result.code, result.stderr + result.stdout).toBe(0);
  });

  it('fills its figures from its own ledger and SQL', () => {
    expect(figures.get('visits.consultations')?.[4]).toBe(4);
    expect(figures.get('visits.complaints')?.[4]).toBe(2);
    expect(figures.get('visits.people')?.[4]).toBe(157);
    expect(figures.get('visits.people')?.[6]).toBe('150余人次');
  });

  it('derives a sum and a share declared in pack.json', () => {
    expect(figures.get('visits.total')?.slice(4, 7)).toEqual([6, '批次', '6批次']);
    expect(figures.get('visits.complaint_share')?.slice(4, 7)).toEqual([33.3, '%', '33.3%']);
  });

  it('writes its own narrative and raises its own check', () => {
    expect(text).toContain('全年接待来访6批次，其中法律咨询4批次，投诉2批次（占33.3%），共接待群众150余人次。');
    expect(codes).toContain('visits.no_people');
    expect(codes).toContain('cell.out_of_period');
  });
});
