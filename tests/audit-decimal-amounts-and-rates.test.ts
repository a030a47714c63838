/**
 * A town's 2021 pack (written as files, as 魏善庄镇's was) with what the 2020 pack never had: an
 * amount in 万元 with decimals (标的额 1879.2万元, which adds up in binary to 1879.1999999999998),
 * a rate whose name starts with another figure's name (复议纠错率 after 复议纠错), and a figure shown
 * in 指标汇总 only (tableOnly). `tally run`, `tally explain` and `tally verify` run through the CLI
 * on real .docx drafts, as the office runs them.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { narrativeDocument } from '../reports/write-report-docx.ts';
import type { DerivedDef } from '../reports/report-catalog.ts';
import { derivedValues } from '../pipeline/stages/5-rollup/derived-figures.ts';
import { runCli, type CliResult } from './support/cli.ts';

const root = join(tmpdir(), `tally-decimal-amounts-${randomBytes(4).toString('hex')}`);
const pack = join(root, 'pack');
const config = join(root, 'town.json');
const out = join(root, 'out');

/** Ten contracts whose 标的额 add up to 1879.2 (in JavaScript and DuckDB alike: 1879.1999999999998). */
const AMOUNTS = [120.5, 88.3, 356.7, 45.9, 210.1, 99.9, 512.3, 77.7, 66.6, 301.2];

const TITLE = '新港镇2021年度法治政府建设年度情况报告';
const TEMPLATE = `# 新港镇 2021
${TITLE}

二是落实法律顾问制度，全年审核合同{{reviews.contracts}}，涉及标的额{{reviews.amount}}。

2021年我镇办理行政复议{{cases.reconsiderations}}，被复议机关纠错{{cases.corrected}}，复议纠错率{{cases.correction_rate}}。
`;

const FILES: Record<string, string> = {
  'pack.json': JSON.stringify({
    title: '{town}{year}年度法治政府建设年度情况报告',
    sections: [{ id: '一', name: '主要举措' }],
    indicators: [
      { code: 'reviews.contracts', sections: ['一'], name: '审核合同', unit: '份', written: 'exact', ledgers: ['reviews'] },
      { code: 'reviews.amount', sections: ['一'], name: '审核合同标的额', unit: '万元', written: 'exact', ledgers: ['reviews'] },
      { code: 'cases.reconsiderations', sections: ['一'], name: '行政复议', unit: '件', written: 'exact', ledgers: ['cases'] },
      { code: 'cases.corrected', sections: ['一'], name: '复议纠错', unit: '件', written: 'exact', ledgers: ['cases'] },
      { code: 'cases.lawsuits', sections: ['一'], name: '行政诉讼', unit: '件', written: 'exact', ledgers: ['cases'] },
    ],
    derived: [{ code: 'cases.correction_rate', name: '复议纠错率', numerator: 'cases.corrected', denominator: 'cases.reconsiderations' }],
    tableOnly: ['cases.lawsuits'],
  }),
  'ledgers.json': JSON.stringify({
    ledgers: [
      {
        id: 'reviews',
        name: '合法性审查台账',
        period: ['reviewed_on'],
        fields: [
          { id: 'reviewed_on', header: '审查日期', type: 'date', required: true },
          { id: 'kind', header: '审查类别', type: 'enum', required: true, values: ['合同', '法律意见'] },
          { id: 'title', header: '事项名称', type: 'text' },
          { id: 'value_wan', header: '标的额(万元)', type: 'number', min: 0 },
        ],
      },
      {
        id: 'cases',
        name: '行政复议应诉案件台账',
        key: 'case_no',
        period: ['received_on'],
        fields: [
          { id: 'case_no', header: '案号', type: 'key', required: true },
          { id: 'kind', header: '案件类别', type: 'enum', required: true, values: ['行政复议', '行政诉讼'] },
          { id: 'received_on', header: '收案日期', type: 'date', required: true },
          { id: 'corrected', header: '是否纠错', type: 'bool' },
        ],
      },
    ],
  }),
  'template.txt': TEMPLATE,
  'indicators/reviews.contracts.sql': reviewsSql('1'),
  'indicators/reviews.amount.sql': reviewsSql('coalesce(value_wan, 0)'),
  'indicators/cases.reconsiderations.sql': casesSql("kind is distinct from '行政复议'", '类别不是行政复议'),
  'indicators/cases.corrected.sql': casesSql("kind is distinct from '行政复议' or not coalesce(corrected, false)", '不是被纠错的行政复议'),
  'indicators/cases.lawsuits.sql': casesSql("kind is distinct from '行政诉讼'", '类别不是行政诉讼'),
};

function reviewsSql(amount: string): string {
  return `with judged as (
  select *, case when kind is distinct from '合同' then '审查类别不是合同' when reviewed_on is null then '审查日期为空' when year(reviewed_on) <> $year then '不在年度内' end as reason from reviews
)
select 'reviews' as ledger, department, file, file_version_id, file_version, sheet, row_no,
       reason is null as counted, ${amount} as amount, reason,
       [{'field': '标的额(万元)', 'value': cast(value_wan as varchar), 'cell': value_wan__cell}] as cells
from judged
`;
}

function casesSql(leftOut: string, reason: string): string {
  return `with judged as (
  select *, case when ${leftOut} then '${reason}' when year(received_on) <> $year then '不在年度内' end as reason from cases
)
select 'cases' as ledger, department, file, file_version_id, file_version, sheet, row_no,
       reason is null as counted, 1 as amount, reason,
       [{'field': '案件类别', 'value': kind, 'cell': kind__cell}] as cells
from judged
`;
}

let run: CliResult;
const summary = new Map<string, unknown[]>();
const problems: unknown[][] = [];

/** A draft as the office writes it in Word: the rendered text with the given sentences changed. */
async function draft(name: string, contracts: string, rate: string): Promise<string> {
  const text = [
    TITLE,
    `二是落实法律顾问制度，全年审核合同10份，涉及标的额${contracts}。`,
    `2021年我镇办理行政复议6件，被复议机关纠错1件，${rate}。`,
  ].join('\n');
  const path = join(root, name);
  await writeFile(path, await narrativeDocument(TITLE, text.split('\n').slice(1).join('\n')));
  return path;
}

beforeAll(async () => {
  for (const [name, content] of Object.entries(FILES)) {
    await mkdir(join(pack, name, '..'), { recursive: true });
    await writeFile(join(pack, name), content);
  }
  await writeFile(
    config,
    JSON.stringify({
      town: '新港镇',
      year: 2021,
      pack: './pack',
      coordinator: { name: '新港镇司法所', email: 'sf@xingang.example.gov.cn' },
      mail: { from: 'tally <tally@xingang.example.gov.cn>' },
      departments: [
        { code: 'guwen', name: '法律顾问', email: 'gw@xingang.example.gov.cn', owes: ['reviews'] },
        { code: 'sifa', name: '司法所', email: 'sf@xingang.example.gov.cn', owes: ['cases'] },
      ],
    }),
  );
  await mkdir(join(root, 'inbox', 'guwen'), { recursive: true });
  await mkdir(join(root, 'inbox', 'sifa'), { recursive: true });
  const contracts = AMOUNTS.map((a, i) => `2021-0${(i % 9) + 1}-1${i % 10},合同,合同${i + 1},${a}`);
  // A legal opinion (not a contract, no amount) and one whose 审查日期 cannot be read.
  const reviews = ['审查日期,审查类别,事项名称,标的额(万元)', ...contracts, '2021-06-01,法律意见,意见1,', '2021-13-40,法律意见,意见2,'];
  await writeFile(join(root, 'inbox', 'guwen', '合法性审查台账.csv'), `${reviews.join('\n')}\n`);
  const cases = ['案号,案件类别,收案日期,是否纠错'];
  for (let i = 1; i <= 6; i++) cases.push(`复${i},行政复议,2021-0${i}-05,${i === 3 ? '是' : '否'}`);
  cases.push('诉1,行政诉讼,2021-07-01,', '诉2,行政诉讼,2021-08-01,');
  await writeFile(join(root, 'inbox', 'sifa', '复议应诉.csv'), `${cases.join('\n')}\n`);

  run = await runCli(['run', '--config', config, '--inbox', join(root, 'inbox'), '--out', out]);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(join(out, 'report-2021.xlsx'));
  workbook.getWorksheet('指标汇总')?.eachRow((row, n) => {
    const values = (row.values as unknown[]).slice(1);
    if (n > 1) summary.set(String(values[1]), values);
  });
  workbook.getWorksheet('问题清单')?.eachRow((row, n) => {
    if (n > 1) problems.push((row.values as unknown[]).slice(1));
  });
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('a 2021 pack with an amount in 万元 and a rate named after a count', () => {
  it('runs with tally run', () => {
    expect(run.code, run.stderr + run.stdout).toBe(0);
  });

  it('shows the decimal amounts added up as the cells hold them in 指标汇总, not 1879.1999999999998', () => {
    expect(summary.get('reviews.amount')?.slice(4, 7)).toEqual([1879.2, '万元', '1879.2万元']);
    expect(summary.get('cases.correction_rate')?.slice(4, 7)).toEqual([16.7, '%', '16.7%']);
  });

  it('asks for a date of the reporting year where one cannot be read (2021-03-05 in a 2021 run)', () => {
    const bad = problems.find((p) => p[2] === 'cell.type');
    expect(bad?.[7]).toContain('请填写日期（如 2021-03-05）');
    expect(bad?.[7]).not.toContain('2020');
  });
});

describe('tally explain', () => {
  it('adds up the decimal amounts of the counted rows as the figure is', async () => {
    const r = await runCli(['explain', 'reviews.amount', '--config', config, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('1879.2万元，报告写作“1879.2万元”');
    expect(r.stdout).toContain('计入 10 行，数量合计 1879.2；');
    expect(r.stdout).toContain('核对：计入各行数量相加 1879.2 = 指标数值 1879.2');
    expect(r.stdout).not.toMatch(/1879\.19999/);
  });

  it('explains a derived rate by its formula and its parts, each with its value and its own explain command', async () => {
    for (const wanted of ['cases.correction_rate', '复议纠错率']) {
      const r = await runCli(['explain', wanted, '--config', config, '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      const lines = r.stdout.split('\n');
      expect(lines[0]).toBe('cases.correction_rate 复议纠错率（2021年度）：16.7%，报告写作“16.7%”');
      expect(r.stdout).toContain('复议纠错 ÷ 行政复议 × 100%');
      expect(r.stdout).toContain(`复议纠错（cases.corrected）：1件　逐行明细：tally explain cases.corrected --config ${config} --out ${out}`);
      expect(r.stdout).toContain('行政复议（cases.reconsiderations）：6件');
      expect(r.stdout).toContain('计算：1 ÷ 6 × 100% = 16.7%');
    }
  });

  it('lists the derived figures among the codes it knows when asked for one it does not', async () => {
    const r = await runCli(['explain', '没有这个指标', '--config', config, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr + r.stdout).toContain('cases.correction_rate  复议纠错率');
  });
});

describe('tally verify on a Word draft', () => {
  it('finds a decimal amount and a rate written as the ledgers say consistent, and misses no figure that is in the table only', async () => {
    const path = await draft('草稿-一致.docx', '1879.2万元', '复议纠错率16.7%');
    const r = await runCli(['verify', path, '--config', config, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/1879\.2万元\s+审核合同标的额\s+1879\.2\s+1879\.2万元\s+一致/);
    expect(r.stdout).toMatch(/16\.7%\s+复议纠错率\s+16\.7\s+16\.7%\s+一致/);
    expect(r.stdout).toContain('问题：错误 0 个，警告 0 个');
    // 行政诉讼 is tableOnly: not in the text by design, so not "missing" from the draft.
    expect(r.stdout).not.toContain('草稿中没有找到的指标');
  });

  it('finds a wrong decimal amount and a wrong rate written short (纠错率达到20%) as errors', async () => {
    const path = await draft('草稿-有误.docx', '1890.5万元', '纠错率达到20%');
    const r = await runCli(['verify', path, '--config', config, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('问题：错误 2 个，警告 0 个');
    expect(r.stdout).toContain('写1890.5万元，但各台账合计“审核合同标的额”为1879.2，报告应写作“1879.2万元”');
    expect(r.stdout).toContain('写20%，但各台账合计“复议纠错率”为16.7，报告应写作“16.7%”');
    expect(r.stdout).not.toMatch(/1879\.19999/);
  });
});

describe('a derived sum of decimal amounts', () => {
  it('is added up at cell precision, as the figures it adds are', () => {
    const total: DerivedDef = { code: 'x.total', name: '合计金额', sections: null, unit: '万元', written: 'exact', form: { kind: 'sum', of: ['x.a', 'x.b'] } };
    const values = derivedValues([total], new Map([['x.a', 1200.1], ['x.b', 2056.2]]));
    expect(1200.1 + 2056.2).not.toBe(3256.3);
    expect(values.get('x.total')).toBe(3256.3);
    expect(derivedValues([total], new Map([['x.a', 1200.1], ['x.b', null]])).get('x.total')).toBeNull();
  });
});
