/**
 * Year over year (issue 4, point 4): last year's figures from the database or from last year's
 * report workbook (`--previous`), 上年数值 and 同比 in 指标汇总, the `indicator.yoy_change` 警告
 * beyond the threshold, and the derived 出庭率.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeLedgerWorkbook } from '../demo/ledger-workbook.ts';
import { loadConfig } from '../pipeline/kernel/config/config.ts';
import { runPipeline, type RunSummary } from '../pipeline/run.ts';
import { formatChange, yoyChange, yoyFindings } from '../pipeline/stages/5-rollup/yoy.ts';
import { ratePercent, wordPercent } from '../pipeline/stages/5-rollup/derived-figures.ts';
import { runCli } from './support/cli.ts';
import { writeTownConfig } from './support/town-config.ts';

const ROOT = resolve(import.meta.dirname, '..');
const root = join(ROOT, 'tests', '.tmp', `yoy-${randomBytes(4).toString('hex')}`);
const inbox = join(root, 'inbox');
const configFile = join(root, 'config.json');
const HEADER = ['案号', '案件类别', '收案日期', '负责人出庭', '出庭负责人'];

/** `lawsuits` cases of which `appearances` with the leader in court, and `reconsiderations`, all received in `year`. */
function cases(year: number, lawsuits: number, appearances: number, reconsiderations: number): (string | Date)[][] {
  const rows: (string | Date)[][] = [];
  for (let i = 0; i < lawsuits; i++) {
    const leader = i < appearances;
    rows.push([`（${year}）京0115行初${i + 1}号`, '行政诉讼', new Date(Date.UTC(year, i % 12, 3)), leader ? '是' : '否', leader ? '王镇长' : '']);
  }
  for (let i = 0; i < reconsiderations; i++) rows.push([`京兴复〔${year}〕${i + 1}号`, '行政复议', new Date(Date.UTC(year, i % 12, 9)), '否', '']);
  return rows;
}

type Row = ExcelJS.CellValue[];
async function indicatorRows(path: string): Promise<Map<string, Row>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const rows = new Map<string, Row>();
  workbook.getWorksheet('指标汇总')!.eachRow((row, n) => {
    if (n > 1) rows.set(String(row.getCell(2).value), (row.values as Row).slice(1));
  });
  return rows;
}

const COLUMN = { value: 4, previous: 9, change: 10, status: 8 } as const;
let run2020: RunSummary;
let rows2020: Map<string, Row>;

beforeAll(async () => {
  await mkdir(join(inbox, 'justice'), { recursive: true });
  await writeTownConfig(
    configFile,
    {
      departments: [{ code: 'justice', name: '司法所', email: 'justice@anding.example.gov.cn', owes: ['litigation'] }],
    },
  );
  // One ledger over two years: 2019 has 10 lawsuits (4 with the leader in court) and 5
  // reconsiderations; 2020 has 30 lawsuits (15) and 5.
  await writeLedgerWorkbook(join(inbox, 'justice', '应诉台账.xlsx'), [{ name: '应诉', header: HEADER, rows: [...cases(2019, 10, 4, 5), ...cases(2020, 30, 15, 5)] }]);
  const db = join(root, 'tally.duckdb');
  const base = { inbox, dbPath: db, now: () => new Date(Date.UTC(2021, 0, 10, 2)) };
  await runPipeline({ ...base, config: loadConfig(configFile, { year: 2019 }), out: join(root, 'out-2019') });
  run2020 = await runPipeline({ ...base, config: loadConfig(configFile), out: join(root, 'out-2020'), now: () => new Date(Date.UTC(2021, 0, 11, 2)) });
  rows2020 = await indicatorRows(join(root, 'out-2020', 'report-2020.xlsx'));
}, 180_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('a 2020 run on a database that holds 2019', () => {
  it('writes 上年数值 and 同比 after the contract columns of 指标汇总', () => {
    const lawsuits = rows2020.get('litigation.lawsuits')!;
    expect(lawsuits[COLUMN.value]).toBe(30);
    expect(lawsuits[COLUMN.previous]).toBe(10);
    expect(lawsuits[COLUMN.change]).toBe(2);
    const same = rows2020.get('litigation.reconsiderations')!;
    expect([same[COLUMN.value], same[COLUMN.previous], same[COLUMN.change]]).toEqual([5, 5, 0]);
    // A ledger nobody owes here counts 0 both years: 0 → 0 is no change (and no warning).
    const zero = rows2020.get('service.aid_cases')!;
    expect([zero[COLUMN.value], zero[COLUMN.previous], zero[COLUMN.change]]).toEqual([0, 0, 0]);
    expect(run2020.report.previousYear).toEqual({ year: 2019, source: '数据库（2019年度最近一次运行）' });
  });

  it('formats 同比 as a signed percentage', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(root, 'out-2020', 'report-2020.xlsx'));
    const sheet = workbook.getWorksheet('指标汇总')!;
    expect(sheet.getRow(1).getCell(10).value).toBe('上年数值');
    expect(sheet.getRow(1).getCell(11).value).toBe('同比');
    expect(sheet.getCell('K10').numFmt).toBe('+0.0%;-0.0%;0.0%');
  });

  it('warns (indicator.yoy_change) about each figure that moved more than ±50%, and only those', () => {
    const yoy = run2020.report.findings.filter((f) => f.code === 'indicator.yoy_change');
    expect(yoy.map((f) => f.actual).sort()).toEqual(['15次（同比+275%）', '30件（同比+200%）', '35件（同比+133.3%）']);
    const lawsuits = yoy.find((f) => f.actual === '30件（同比+200%）')!;
    expect(lawsuits.level).toBe('警告');
    expect(lawsuits.ledger).toBe('litigation');
    expect(lawsuits.message).toBe('“行政诉讼”2020年为30件，上年为10件（同比+200%），变动超过±50%。请核对台账是否漏报、重报，或统计口径是否有变。');
    expect(lawsuits.expected).toBe('上年10件的±50%以内（5–15）');
  });

  it('shows the derived 出庭率 after the 20 figures, as the report writes rates, with last year’s', () => {
    const rate = rows2020.get('litigation.appearance_rate')!;
    expect(rate.slice(0, 9)).toEqual([21, 'litigation.appearance_rate', '一(三)、三(三)', '出庭率', 50, '%', '50%', '派生：负责人出庭 ÷ 行政诉讼', '有警告']);
    expect([rate[COLUMN.previous], rate[COLUMN.change]]).toEqual([40, 0.25]);
    expect(run2020.report.indicators).toHaveLength(20);
  });
});

describe('tally run --previous last year’s report workbook', () => {
  const previousFile = join(root, 'report-2019-published.xlsx');
  const out = join(root, 'out-cli');

  beforeAll(async () => {
    // Laid out as tally writes it, with other columns around the two it reads.
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('指标汇总');
    sheet.addRow(['序号', '指标编码', '板块', '指标名称', '数值', '单位']);
    sheet.addRow([1, 'litigation.lawsuits', '一(三)', '行政诉讼', 29, '件']);
    sheet.addRow([2, 'litigation.leader_appearances', '一(三)', '负责人出庭', 5, '次']);
    sheet.addRow([3, 'litigation.reconsiderations', '一(三)', '行政复议', null, '件']);
    await workbook.xlsx.writeFile(previousFile);
  });

  it('compares with the workbook’s figures, and keeps them for the runs after', async () => {
    const args = ['run', '--config', configFile, '--inbox', inbox, '--out', out, '--db', join(root, 'cli.duckdb')];
    const first = await runCli([...args, '--previous', previousFile]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('上年数值：2019年度，来自report-2019-published.xlsx');
    let rows = await indicatorRows(join(out, 'report-2020.xlsx'));
    expect(rows.get('litigation.lawsuits')?.slice(COLUMN.value, COLUMN.change + 1)).toEqual([30, '件', '30件', '司法所·行政复议应诉案件台账', '有警告', 29, 1 / 29]);
    expect(rows.get('litigation.reconsiderations')?.[COLUMN.previous]).toBeUndefined();
    expect(rows.get('litigation.appearance_rate')?.[COLUMN.previous]).toBe(17.2);

    const again = await runCli(args);
    expect(again.code, again.stderr).toBe(0);
    rows = await indicatorRows(join(out, 'report-2020.xlsx'));
    expect(rows.get('litigation.lawsuits')?.[COLUMN.previous]).toBe(29);
    expect(rows.get('litigation.leader_appearances')?.[COLUMN.previous]).toBe(5);
  }, 180_000);

  it('exits 2 when the file is not a report workbook', async () => {
    const bad = join(root, 'not-a-report.xlsx');
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Sheet1').addRow(['随便什么']);
    await workbook.xlsx.writeFile(bad);
    const r = await runCli(['run', '--config', configFile, '--inbox', inbox, '--out', join(root, 'out-bad'), '--previous', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('没有“指标汇总”工作表');
  }, 60_000);
});

describe('the year-over-year rule', () => {
  const defs = () => loadConfig(configFile).report.indicators;
  const previous = { year: 2019, source: 't', values: new Map<string, number | null>([['litigation.lawsuits', 20], ['litigation.reconsiderations', 0], ['litigation.total', 4]]) };
  const values = new Map<string, number | null>([['litigation.lawsuits', 30], ['litigation.reconsiderations', 2], ['litigation.total', 6]]);

  it('flags a change beyond the configured share, and a figure that was 0 last year', () => {
    // +50% exactly is not beyond ±50%.
    expect(yoyFindings(defs(), values, previous, 0.5).map((f) => f.actual)).toEqual(['2件（上年为0）']);
    expect(yoyFindings(defs(), values, previous, 0.4).map((f) => f.actual).sort()).toEqual(['2件（上年为0）', '30件（同比+50%）', '6件（同比+50%）']);
    expect(yoyFindings(defs(), values, null, 0.5)).toEqual([]);
  });

  it('computes and writes changes and rates', () => {
    expect(yoyChange(30, 10)).toBe(2);
    expect(yoyChange(0, 0)).toBe(0);
    expect(yoyChange(3, 0)).toBeNull();
    expect(yoyChange(null, 3)).toBeNull();
    expect(formatChange(-0.5)).toBe('-50%');
    expect(formatChange(1 / 3)).toBe('+33.3%');
    expect(wordPercent(ratePercent(2, 3))).toBe('66.7%');
    expect(ratePercent(1, 0)).toBeNull();
  });

  it('takes the threshold from the configuration (yoyThreshold, default 0.5)', async () => {
    const file = join(root, 'threshold.json');
    const json = JSON.parse((await import('node:fs')).readFileSync(configFile, 'utf8')) as Record<string, unknown>;
    await writeFile(file, JSON.stringify({ ...json, yoyThreshold: 3 }));
    expect(loadConfig(file).yoyThreshold).toBe(3);
    expect(loadConfig(configFile).yoyThreshold).toBe(0.5);
  });
});
