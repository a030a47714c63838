/**
 * A rate whose denominator is 0 (复议纠错率 in a year without 行政复议) has no value, and that is
 * not missing data: nothing happened. The report's text and 指标汇总 say 分母为0; so do `tally
 * explain`, `tally verify` and `tally district`. Three towns of one pack (written as files, as a
 * town writes its own), each run and exported through the CLI as the office does, then
 * consolidated as the district does:
 * - 甲镇: no 行政复议 at all (复议纠错 0 ÷ 行政复议 0);
 * - 乙镇: 6 行政复议, one corrected (16.7%);
 * - 丙镇: a 行政复议 received in 2020 and corrected in 2021 (复议纠错 1 ÷ 行政复议 0: the
 *   numerator counts by 结案日期, the denominator by 收案日期);
 * - 丁镇: no tally; it sends its report workbook (甲镇's, as 甲镇's run wrote it).
 */
import { randomBytes } from 'node:crypto';
import { copyFile, cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDistrict, type DistrictRunResult } from '../pipeline/district/run-district.ts';
import { townMailText } from '../pipeline/district/district-mails.ts';
import { DISTRICT_SHEETS, TOTAL_LABEL } from '../reports/district/write-district-workbook.ts';
import { runCli, type CliResult } from './support/cli.ts';

const root = join(tmpdir(), `tally-zero-denominator-${randomBytes(4).toString('hex')}`);
const pack = join(root, 'pack');
const RATE = 'cases.correction_rate';

const TEMPLATE = `# 复议纠错率：行政复议为 0 时写“未发生行政复议”
{town}{year}年度法治政府建设年度情况报告

{year}年我镇{{cases.reconsiderations?未发生行政复议:办理行政复议{}，被复议机关纠错{{cases.corrected}}，复议纠错率{{cases.correction_rate}}}}；行政诉讼{{cases.lawsuits}}。
`;

const PACK: Record<string, string> = {
  'pack.json': JSON.stringify({
    title: '{town}{year}年度法治政府建设年度情况报告',
    sections: [{ id: '一', name: '主要举措' }],
    indicators: [
      { code: 'cases.reconsiderations', sections: ['一'], name: '行政复议', unit: '件', written: 'exact', ledgers: ['cases'] },
      { code: 'cases.corrected', sections: ['一'], name: '复议纠错', unit: '件', written: 'exact', ledgers: ['cases'] },
      { code: 'cases.lawsuits', sections: ['一'], name: '行政诉讼', unit: '件', written: 'exact', ledgers: ['cases'] },
    ],
    derived: [{ code: RATE, name: '复议纠错率', numerator: 'cases.corrected', denominator: 'cases.reconsiderations' }],
  }),
  'ledgers.json': JSON.stringify({
    ledgers: [
      {
        id: 'cases',
        name: '行政复议应诉案件台账',
        key: 'case_no',
        period: ['received_on'],
        fields: [
          { id: 'case_no', header: '案号', type: 'key', required: true },
          { id: 'kind', header: '案件类别', type: 'enum', required: true, values: ['行政复议', '行政诉讼'] },
          { id: 'received_on', header: '收案日期', type: 'date', required: true },
          { id: 'closed_on', header: '结案日期', type: 'date' },
          { id: 'corrected', header: '是否纠错', type: 'bool' },
        ],
      },
    ],
  }),
  'template.txt': TEMPLATE,
  'indicators/cases.reconsiderations.sql': casesSql("kind is distinct from '行政复议'", '类别不是行政复议', 'received_on'),
  // Corrected in the year: a case received last year and corrected this year counts this year.
  'indicators/cases.corrected.sql': casesSql("kind is distinct from '行政复议' or not coalesce(corrected, false)", '不是被纠错的行政复议', 'closed_on'),
  'indicators/cases.lawsuits.sql': casesSql("kind is distinct from '行政诉讼'", '类别不是行政诉讼', 'received_on'),
};

function casesSql(leftOut: string, reason: string, date: string): string {
  return `with judged as (
  select *, case when ${leftOut} then '${reason}' when ${date} is null or year(${date}) <> $year then '不在年度内' end as reason from cases
)
select 'cases' as ledger, department, file, file_version_id, file_version, sheet, row_no,
       reason is null as counted, 1 as amount, reason,
       [{'field': '案件类别', 'value': kind, 'cell': kind__cell}] as cells
from judged
`;
}

const HEADER = '案号,案件类别,收案日期,结案日期,是否纠错';
const TOWNS: Readonly<Record<string, readonly string[]>> = {
  甲镇: ['诉1,行政诉讼,2021-03-01,,', '诉2,行政诉讼,2021-06-01,,'],
  乙镇: [1, 2, 3, 4, 5, 6].map((i) => `复${i},行政复议,2021-0${i}-05,2021-0${i + 1}-20,${i === 3 ? '是' : '否'}`),
  丙镇: ['复1,行政复议,2020-11-20,2021-01-15,是', '诉1,行政诉讼,2021-04-01,,'],
};

const configOf = (town: string) => join(root, town, 'town.json');
const outOf = (town: string) => join(root, town, 'out');
const districtInbox = join(root, 'district-inbox');
const runs = new Map<string, CliResult>();

async function runTown(town: string, rows: readonly string[]): Promise<void> {
  await mkdir(join(root, town, 'inbox', 'sifa'), { recursive: true });
  await writeFile(
    configOf(town),
    JSON.stringify({
      town,
      district: '大兴区',
      year: 2021,
      pack: '../pack',
      coordinator: { name: `${town}司法所`, email: 'sf@town.example.gov.cn' },
      mail: { from: 'tally <tally@town.example.gov.cn>' },
      departments: [{ code: 'sifa', name: '司法所', email: 'sf@town.example.gov.cn', owes: ['cases'] }],
    }),
  );
  await writeFile(join(root, town, 'inbox', 'sifa', '复议应诉.csv'), `${[HEADER, ...rows].join('\n')}\n`);
  const run = await runCli(['run', '--config', configOf(town), '--inbox', join(root, town, 'inbox'), '--out', outOf(town)]);
  runs.set(town, run);
  const exported = await runCli(['export', '--parquet', join(districtInbox, town), '--config', configOf(town), '--out', outOf(town)]);
  runs.set(`${town} export`, exported);
}

/** 各街镇指标 of a district workbook: each row's cells by 指标编码, keyed by its second column. */
async function townsSheet(path: string): Promise<Map<string, Map<string, unknown>>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const sheet = wb.getWorksheet(DISTRICT_SHEETS.towns);
  const codes = ((sheet?.getRow(2).values as unknown[]) ?? []).slice(1).map(String);
  const out = new Map<string, Map<string, unknown>>();
  sheet?.eachRow((row, n) => {
    if (n <= 2) return;
    const values = (row.values as unknown[]).slice(1);
    out.set(String(values[1]), new Map(codes.map((c, i) => [c, values[i] ?? null])));
  });
  return out;
}

const explain = (town: string, code: string) => runCli(['explain', code, '--config', configOf(town), '--out', outOf(town)]);

async function verifyDraft(town: string, name: string, paragraphs: readonly string[]): Promise<CliResult> {
  const path = join(root, town, name);
  await writeFile(path, `${town}2021年度法治政府建设年度情况报告\n\n${paragraphs.join('\n\n')}\n`);
  return runCli(['verify', path, '--config', configOf(town), '--out', outOf(town)]);
}

beforeAll(async () => {
  for (const [name, content] of Object.entries(PACK)) {
    await mkdir(join(pack, name, '..'), { recursive: true });
    await writeFile(join(pack, name), content);
  }
  // One town at a time: the machine has two cores.
  for (const [town, rows] of Object.entries(TOWNS)) await runTown(town, rows);
  // 丁镇 runs no tally: it sends a report workbook, here the one 甲镇's run wrote.
  await mkdir(join(districtInbox, '丁镇'), { recursive: true });
  await copyFile(join(outOf('甲镇'), 'report-2021.xlsx'), join(districtInbox, '丁镇', 'report-2021.xlsx'));
}, 300_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the towns’ runs', () => {
  it('run and export', () => {
    for (const [what, r] of runs) expect(r.code, `${what}: ${r.stderr}${r.stdout}`).toBe(0);
  });
});

describe('tally explain of a rate whose denominator is 0', () => {
  it('says the denominator, by name and with its value 0, is 0, so the rate has no value: not 0%, not 无法计算', async () => {
    const r = await explain('甲镇', RATE);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`${RATE} 复议纠错率（2021年度）：分母为0（行政复议为0，不计算复议纠错率）`);
    expect(r.stdout).toContain('行政复议（cases.reconsiderations）：0件');
    expect(lines.at(-1)).toBe('分母为0：“行政复议”为0件，“复议纠错率”没有数值（不是0%）。报告中写明没有行政复议即可，不写这一比率。');
    expect(r.stdout).not.toMatch(/0%，|NaN|Infinity|无法计算|无法统计|缺报/);
  });

  it('says so too when the numerator is not 0 (a case of last year corrected this year)', async () => {
    const r = await explain('丙镇', '复议纠错率');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(`${RATE} 复议纠错率（2021年度）：分母为0（行政复议为0，不计算复议纠错率）`);
    expect(r.stdout).toContain('复议纠错（cases.corrected）：1件');
    expect(r.stdout).toContain('分母为0：“行政复议”为0件，“复议纠错率”没有数值（不是0%）。');
  });

  it('still computes the rate where there were cases', async () => {
    const r = await explain('乙镇', RATE);
    expect(r.stdout.split('\n')[0]).toBe(`${RATE} 复议纠错率（2021年度）：16.7%，报告写作“16.7%”`);
    expect(r.stdout).toContain('计算：1 ÷ 6 × 100% = 16.7%');
  });
});

describe('tally verify of a draft that gives a rate whose denominator is 0', () => {
  let r: CliResult;
  beforeAll(async () => {
    r = await verifyDraft('甲镇', '草稿-纠错率.txt', [
      '2021年我镇办理行政复议0件，被复议机关纠错0件，复议纠错率为0。',
      '全年纠错率0%。',
      '复议纠错率为—。',
      '复议纠错率：无。',
    ]);
  });

  it('finds a rate of 0 or 0% an error: the rate cannot be computed, the sentence should say there were no 行政复议', () => {
    expect(r.code, r.stderr).toBe(0);
    const errors = r.stdout.split('\n').filter((l) => l.includes('[错误] narrative.figure_mismatch'));
    expect(errors).toEqual([
      '  [错误] narrative.figure_mismatch 第2段：草稿第2段“复议纠错率为0”写0，但“行政复议”为0件，“复议纠错率”分母为0，没有数值（不是0%）。请不写这一比率，改写为没有行政复议（如“未发生行政复议”）；逐行明细：tally explain cases.correction_rate。',
      '  [错误] narrative.figure_mismatch 第3段：草稿第3段“全年纠错率0%”写0%，但“行政复议”为0件，“复议纠错率”分母为0，没有数值（不是0%）。请不写这一比率，改写为没有行政复议（如“未发生行政复议”）；逐行明细：tally explain cases.correction_rate。',
    ]);
    expect(r.stdout).not.toMatch(/为null|台账缺少必填列|无法统计/);
  });

  it('warns of a rate written as —/无: not wrong, but the sentence should say there were no 行政复议 instead', () => {
    const warnings = r.stdout.split('\n').filter((l) => l.includes('[警告] narrative.unmatched_figure'));
    expect(warnings).toEqual([
      '  [警告] narrative.unmatched_figure 第4段：草稿第4段“复议纠错率为—”：“行政复议”为0件，“复议纠错率”分母为0，没有数值。建议不写这一比率，改写为没有行政复议（如“未发生行政复议”）。',
      '  [警告] narrative.unmatched_figure 第5段：草稿第5段“复议纠错率：无”：“行政复议”为0件，“复议纠错率”分母为0，没有数值。建议不写这一比率，改写为没有行政复议（如“未发生行政复议”）。',
    ]);
    expect(r.stdout).toContain('问题：错误 2 个，警告 2 个');
    // The table names the rate and how the report writes it.
    expect(r.stdout).toMatch(/0%\s+复议纠错率\s+分母为0（行政复议为0，不计算复议纠错率）\s+不一致/);
  });

  it('finds the report tally wrote for the town (未发生行政复议) consistent, and does not miss the rate in it', async () => {
    const v = await runCli(['verify', join(outOf('甲镇'), 'report-2021.docx'), '--config', configOf('甲镇'), '--out', outOf('甲镇')]);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toMatch(/未发生行政复议\s+行政复议\s+0\s+未发生行政复议\s+一致/);
    expect(v.stdout).toContain('问题：错误 0 个，警告 0 个');
    expect(v.stdout).not.toMatch(/草稿中没有找到的指标：.*复议纠错率/);
  });

  it('still finds a wrong rate where there were cases', async () => {
    const v = await verifyDraft('乙镇', '草稿.txt', ['2021年我镇办理行政复议6件，被复议机关纠错1件，复议纠错率20%；行政诉讼0件。']);
    expect(v.stdout).toContain('写20%，但各台账合计“复议纠错率”为16.7，报告应写作“16.7%”');
  });
});

describe('tally district with towns whose rate has a denominator of 0', () => {
  let result: DistrictRunResult;
  let sheet: Map<string, Map<string, unknown>>;
  beforeAll(async () => {
    result = await runDistrict({ inbox: districtInbox, out: join(root, 'district-out'), year: 2021, district: '大兴区', docx: false, mail: false });
    sheet = await townsSheet(result.workbook);
  });

  it('shows each such town’s rate as 分母为0, from its export and from its report workbook, never 0, 缺报 or blank', () => {
    expect(sheet.get('甲镇')?.get(RATE)).toBe('分母为0');
    expect(sheet.get('丙镇')?.get(RATE)).toBe('分母为0');
    expect(sheet.get('丁镇')?.get(RATE)).toBe('分母为0');
    expect(sheet.get('乙镇')?.get(RATE)).toBe(16.7);
  });

  it('shows it so on the district’s page too', async () => {
    const html = await readFile(result.page, 'utf8');
    expect(html).toMatch(/<td data-code="cases\.correction_rate" class="absent">分母为0<\/td>/);
  });

  it('keeps the district’s rate to the towns that had cases: Σ纠错 ÷ Σ复议 = 1 ÷ 6, not 丙镇’s correction on top', () => {
    expect(sheet.get(TOTAL_LABEL)?.get(RATE)).toBe(16.7);
    expect(sheet.get('计入街镇数')?.get(RATE)).toBe('1/4');
    expect(result.data.totals.get(RATE)?.value).toBe(16.7);
  });

  it('does not count it as a figure the town lacks, in 报送情况 or in the town’s mail', async () => {
    const town = result.data.towns.find((t) => t.town === '甲镇');
    if (town === undefined) throw new Error('no 甲镇 in the district');
    const mail = townMailText(result.data, town).text;
    expect(mail).toContain('复议纠错率（%）：分母为0；全区 16.7');
    expect(mail).not.toContain('缺报（台账未报齐）');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(result.workbook);
    const submissions = wb.getWorksheet(DISTRICT_SHEETS.submissions.name);
    const lackingCol = DISTRICT_SHEETS.submissions.headers.indexOf('缺报指标数') + 1;
    const rows = new Map<string, unknown>();
    submissions?.eachRow((row, n) => n > 1 && rows.set(String(row.getCell(2).value), row.getCell(lackingCol).value));
    expect(rows.get('甲镇')).toBe(0);
  });

  it('shows the district’s rate as 分母为0 when no town had a case', async () => {
    const inbox = join(root, 'district-inbox-none');
    for (const town of ['甲镇', '丙镇', '丁镇']) await cp(join(districtInbox, town), join(inbox, town), { recursive: true });
    const none = await runDistrict({ inbox, out: join(root, 'district-out-none'), year: 2021, district: '大兴区', docx: false, mail: false });
    const s = await townsSheet(none.workbook);
    expect(s.get(TOTAL_LABEL)?.get(RATE)).toBe('分母为0');
    expect(s.get('计入街镇数')?.get(RATE)).toBe('0/3');
    const html = await readFile(none.page, 'utf8');
    expect(html).toContain('<th data-code="cases.correction_rate">分母为0</th>');
  });

  it('reads 分母为0 from a report workbook’s 报告表述 when no town gives the rate’s parts', async () => {
    const inbox = join(root, 'district-inbox-workbook');
    await cp(join(districtInbox, '丁镇'), join(inbox, '丁镇'), { recursive: true });
    const only = await runDistrict({ inbox, out: join(root, 'district-out-workbook'), year: 2021, district: '大兴区', docx: false, mail: false });
    const s = await townsSheet(only.workbook);
    expect(only.data.figures.find((f) => f.code === RATE)?.kind).toBe('rate-without-parts');
    expect(s.get('丁镇')?.get(RATE)).toBe('分母为0');
    expect(s.get(TOTAL_LABEL)?.get(RATE)).toBe('分母为0');
  });
});
