/**
 * Amounts merged down over several rows (30 人次 for a joint consultation day of two villages, one
 * 罚款金额 for two parties, one 标的额 for two contracts): one amount for the group, counted once
 * at the range's top row with a cell.merged_amount warning at the range, where a date, a category
 * or a yes/no merged down stays each row's own. Real workbooks written by openpyxl, XlsxWriter
 * and exceljs, a legacy .xls made from one by LibreOffice, read through tally's reader and checked
 * against openpyxl's reading of the merged ranges; and a whole run on a DuckDB file.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readFile as readText, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeLedgerWorkbook, type SheetSpec } from '../demo/ledger-workbook.ts';
import { extractSheet, type SheetExtraction } from '../sheets/extract-sheet.ts';
import { loadLedgerCatalog, type LedgerCatalog } from '../sheets/ledger-catalog.ts';
import { readFile } from '../sheets/read-file.ts';
import { NO_SOFFICE_REASON, SOFFICE, convertToXls } from './support/libreoffice.ts';
import { PYTHON, pythonWith } from './support/python.ts';
import { queryDatabase } from './support/query-database.ts';
import { useScenarios } from './support/scenario.ts';

const catalog = loadLedgerCatalog(join(import.meta.dirname, '..', 'packs', 'anding-2020', 'ledgers.json'));
const dir = join(import.meta.dirname, '.tmp', `merged-amounts-${randomBytes(4).toString('hex')}`);
const scenarios = useScenarios({ outputs: false });
const hasPython = pythonWith(['openpyxl', 'xlsxwriter'], 'merged amounts written by openpyxl and XlsxWriter');

beforeAll(async () => {
  await mkdir(dir, { recursive: true });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const D = (y: number, m: number, d: number): Date => new Date(Date.UTC(y, m - 1, d));

/**
 * A 公共法律服务台账 as a clerk keeps it (openpyxl): one 日期 and one 服务类别 merged down over the
 * three rows of a day, 30 人次 of a joint consultation day merged over its two villages (D6:D7),
 * 9 人次 of a legal-aid day merged over three (D9:D11), and a 合计 of 74 that counts each once.
 * 法律咨询 is 10 + 12 + 8 + 30 = 60 人次, 法律援助咨询 5 + 9 = 14.
 *
 * Rows: 1 title, 2 header, data 3–11, 合计 12.
 */
const LEGAL_SERVICE_VISITS_MERGED_OVER_VILLAGES = `
import openpyxl, datetime, sys
D = datetime.date
wb = openpyxl.Workbook(); ws = wb.active; ws.title = '服务'
ws.append(['安定镇2020年公共法律服务台账'])
ws.merge_cells('A1:D1')
ws.append(['日期', '村居', '服务类别', '人次'])
for row in [
    (D(2020, 3, 5), '前安定村', '法律咨询', 10), (None, '后安定村', None, 12), (None, '安定村', None, 8),
    (D(2020, 4, 9), '前安定村', '法律咨询', 30), (D(2020, 4, 9), '后安定村', '法律咨询', None),
    (D(2020, 5, 1), '安定村', '法律援助咨询', 5),
    (D(2020, 6, 1), '东庄村', '法律援助咨询', 9), (D(2020, 6, 1), '西庄村', '法律援助咨询', None), (D(2020, 6, 1), '南庄村', '法律援助咨询', None),
]:
    ws.append(list(row))
    ws.cell(ws.max_row, 1).number_format = 'yyyy-mm-dd'
ws.append(['合计', None, None, 74])
for ref in ['A3:A5', 'C3:C5', 'D6:D7', 'D9:D11']:
    ws.merge_cells(ref)
wb.save(sys.argv[1])
`;

/**
 * XlsxWriter's merge_range (the value in the top-left cell, the others blank but formatted): a
 * publicity sheet whose 参与人数 120 is merged over the two activities of one 宪法宣传日 (E2:E3), and
 * a penalty sheet whose 罚款金额 5000 and 是否重大执法决定 否 are merged over the two parties of one
 * decision (I2:I3, F2:F3).
 */
const PUBLICITY_AND_PENALTY_MERGED = `
import xlsxwriter, datetime, sys
wb = xlsxwriter.Workbook(sys.argv[1])
date = wb.add_format({'num_format': 'yyyy-mm-dd'})
plain = wb.add_format({})
ws = wb.add_worksheet('普法宣传')
ws.write_row(0, 0, ['日期', '活动名称', '宣传主题', '形式', '参与人数'])
ws.write_datetime(1, 0, datetime.datetime(2020, 12, 4), date); ws.write_row(1, 1, ['宪法宣传日进村', '宪法', '摆摊'])
ws.write_datetime(2, 0, datetime.datetime(2020, 12, 4), date); ws.write_row(2, 1, ['宪法宣传日进校园', '宪法', '讲座'])
ws.merge_range(1, 4, 2, 4, 120, plain)
ws.write_datetime(3, 0, datetime.datetime(2020, 3, 15), date); ws.write_row(3, 1, ['消费者权益日宣传', '消法', '摆摊', 40])
ws = wb.add_worksheet('行政处罚')
ws.write_row(0, 0, ['案件编号', '立案日期', '当事人', '案由', '法制审核日期', '是否重大执法决定', '集体讨论日期', '决定日期', '罚款金额(元)'])
for r, (no, party) in enumerate([('AD-2020-001', '张三'), ('AD-2020-002', '李四')], start=1):
    ws.write(r, 0, no); ws.write_datetime(r, 1, datetime.datetime(2020, 5, 6), date); ws.write_row(r, 2, [party, '占道经营'])
    ws.write_datetime(r, 4, datetime.datetime(2020, 5, 8), date); ws.write_datetime(r, 7, datetime.datetime(2020, 5, 10), date)
ws.merge_range(1, 5, 2, 5, '否', plain)
ws.merge_range(1, 8, 2, 8, 5000, plain)
wb.close()
`;

/** exceljs: one 标的额 (80 万元) of a framework contract merged over its two contracts, 合同 merged too. */
const CONTRACTS_AMOUNT_MERGED: SheetSpec = {
  name: '合法性审查',
  header: ['审查类别', '事项名称', '标的额(万元)', '审查日期'],
  rows: [
    ['合同', '村道硬化工程合同（一标段）', 80, D(2020, 6, 8)],
    [null, '村道硬化工程合同（二标段）', null, D(2020, 6, 9)],
    ['合同', '办公用品采购合同', 3, D(2020, 7, 1)],
  ],
  merges: ['A2:A3', 'C2:C3'],
};

/**
 * The openpyxl workbook of {@link LEGAL_SERVICE_VISITS_MERGED_OVER_VILLAGES} and the .xls
 * LibreOffice makes of it, made once for the tests that read both (a conversion takes seconds).
 */
let legacy: { xlsx: string; xls: string } | undefined;
function legalServiceXlsxAndXls(): { xlsx: string; xls: string } {
  if (legacy === undefined) {
    const xlsx = writeWithPython('legal-service-visits-merged-over-villages-lo.xlsx', LEGAL_SERVICE_VISITS_MERGED_OVER_VILLAGES);
    convertToXls([xlsx], dir);
    legacy = { xlsx, xls: xlsx.replace(/\.xlsx$/, '.xls') };
  }
  return legacy;
}

function writeWithPython(file: string, script: string): string {
  const path = join(dir, file);
  execFileSync(PYTHON, ['-c', script, path]);
  return path;
}

async function extractPath(path: string, department = 'justice', ledgers: LedgerCatalog = catalog): Promise<SheetExtraction[]> {
  const out: SheetExtraction[] = [];
  for await (const sheet of readFile(path)) out.push(extractSheet(sheet, ledgers, { year: 2020, department, file: basename(path) }));
  return out;
}

/** tally's reader's merged ranges of each sheet, sorted. */
async function tallyMerges(path: string): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for await (const sheet of readFile(path)) out[sheet.name] = [...sheet.merges].sort();
  return out;
}

interface PyMerge {
  readonly ref: string;
  readonly top: number;
  readonly bottom: number;
  readonly left: number;
  readonly right: number;
  /** The top-left cell's value, a date as YYYY-MM-DD. */
  readonly value: string | number | boolean | null;
}

/** openpyxl's reading of each sheet's merged ranges and their top-left values. */
function openpyxlMerges(path: string): Record<string, PyMerge[]> {
  const script = `
import openpyxl, datetime, json, sys
wb = openpyxl.load_workbook(sys.argv[1])
out = {}
for ws in wb.worksheets:
    ms = []
    for m in ws.merged_cells.ranges:
        v = ws.cell(m.min_row, m.min_col).value
        if isinstance(v, datetime.datetime): v = v.date().isoformat()
        elif isinstance(v, datetime.date): v = v.isoformat()
        ms.append({'ref': m.coord, 'top': m.min_row, 'bottom': m.max_row, 'left': m.min_col, 'right': m.max_col, 'value': v})
    out[ws.title] = ms
print(json.dumps(out, ensure_ascii=False))
`;
  return JSON.parse(execFileSync(PYTHON, ['-c', script, path], { encoding: 'utf8' })) as Record<string, PyMerge[]>;
}

/**
 * Checks a sheet's extraction against openpyxl's merged ranges over its data rows: in a column
 * of amounts (number, integer) the top row holds openpyxl's value and the rows under it nothing,
 * with one cell.merged_amount at the range; in any other column every row holds the top row's
 * value. Returns the ranges checked, by kind.
 */
function agreesWithOpenpyxl(x: SheetExtraction, merges: readonly PyMerge[]): { amounts: string[]; copied: string[] } {
  const header = x.header;
  if (header === null) throw new Error(`${x.sheet}: no header`);
  const lastHeaderRow = Math.max(...header.rows);
  const byRow = new Map(x.rows.map((r) => [r.rowNumber, r]));
  const amounts: string[] = [];
  const copied: string[] = [];
  for (const m of merges) {
    if (m.top <= lastHeaderRow || m.bottom === m.top) continue;
    const column = header.columns.find((c) => c.column === m.left - 1);
    if (column === undefined) continue;
    const id = column.field.id;
    const value = (row: number) => byRow.get(row)?.values[id] ?? null;
    const rest = Array.from({ length: m.bottom - m.top }, (_, i) => value(m.top + 1 + i));
    if (column.field.type === 'number' || column.field.type === 'integer') {
      expect(value(m.top), `${x.sheet}!${m.ref}`).toBe(m.value);
      expect(rest, `${x.sheet}!${m.ref}`).toEqual(rest.map(() => null));
      expect(x.findings.filter((f) => f.code === 'cell.merged_amount' && f.cell === m.ref)).toHaveLength(1);
      amounts.push(m.ref);
    } else {
      const top = value(m.top);
      expect(top, `${x.sheet}!${m.ref}`).not.toBeNull();
      if (typeof top === 'string') expect(top, `${x.sheet}!${m.ref}`).toBe(m.value);
      expect(rest, `${x.sheet}!${m.ref}`).toEqual(rest.map(() => top));
      copied.push(m.ref);
    }
  }
  expect(x.findings.filter((f) => f.code === 'cell.merged_amount').map((f) => f.cell)).toEqual(amounts);
  return { amounts, copied };
}

const findingsOf = (x: SheetExtraction) => x.findings.map((f) => ({ code: f.code, level: f.level, cell: f.cell ?? null }));
const column = (x: SheetExtraction, id: string) => x.rows.map((r) => r.values[id] ?? null);

describe.skipIf(!hasPython)('an amount merged down over several rows', () => {
  it('counts 人次 once, at the range’s top row, with one warning per range; the merged 日期 and 服务类别 stay on every row (openpyxl)', async () => {
    const path = writeWithPython('legal-service-visits-merged-over-villages.xlsx', LEGAL_SERVICE_VISITS_MERGED_OVER_VILLAGES);
    const [x] = await extractPath(path);
    if (x === undefined) throw new Error('no sheet');
    expect(x.ledger?.id).toBe('legal_service');
    expect(x.rows.map((r) => r.rowNumber)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(column(x, 'visits')).toEqual([10, 12, 8, 30, null, 5, 9, null, null]);
    expect(column(x, 'served_on').slice(0, 3)).toEqual(['2020-03-05', '2020-03-05', '2020-03-05']);
    expect(column(x, 'category').slice(0, 3)).toEqual(['法律咨询', '法律咨询', '法律咨询']);
    // 74 stated, 74 in the rows: no total to dispute; no 人次 under a merge is a missing one.
    expect(x.totals).toEqual([{ field: 'visits', stated: 74, cell: 'D12' }]);
    expect(column(x, 'visits').reduce<number>((s, v) => s + (typeof v === 'number' ? v : 0), 0)).toBe(74);
    expect(findingsOf(x)).toEqual([
      { code: 'cell.merged_amount', level: '警告', cell: 'D6:D7' },
      { code: 'cell.merged_amount', level: '警告', cell: 'D9:D11' },
    ]);
    expect(x.findings[0]?.actual).toBe('30');
    expect(x.findings[0]?.message).toBe(
      '“人次”的 30 合并了 D6:D7 共 2 行（第 6–7 行），统计时只计一次（计在第 6 行），不按每行各 30 计。' +
        '如果 30 是这 2 行合起来的数，无需修改；如果每一行各有 30，请取消合并，在每一行分别填写。',
    );
    expect(x.findings[1]?.message).toContain('合并了 D9:D11 共 3 行（第 9–11 行）');
    // openpyxl sees the same ranges tally's reader does, and the values agree with them.
    const py = openpyxlMerges(path);
    expect((await tallyMerges(path))['服务']).toEqual((py['服务'] ?? []).map((m) => m.ref).sort());
    expect(agreesWithOpenpyxl(x, py['服务'] ?? [])).toEqual({ amounts: ['D6:D7', 'D9:D11'], copied: ['A3:A5', 'C3:C5'] });
  });

  it('counts 参与人数 and 罚款金额 merged by XlsxWriter’s merge_range once, and copies a merged 是否重大执法决定 to both cases', async () => {
    const path = writeWithPython('publicity-and-penalty-merged.xlsx', PUBLICITY_AND_PENALTY_MERGED);
    const [publicity, penalty] = await extractPath(path, 'enforcement');
    if (publicity === undefined || penalty === undefined) throw new Error('two sheets expected');
    expect(publicity.ledger?.id).toBe('publicity');
    expect(column(publicity, 'participants')).toEqual([120, null, 40]);
    expect(findingsOf(publicity)).toEqual([{ code: 'cell.merged_amount', level: '警告', cell: 'E2:E3' }]);
    expect(penalty.ledger?.id).toBe('penalty');
    expect(column(penalty, 'fine')).toEqual([5000, null]);
    expect(column(penalty, 'major')).toEqual([false, false]);
    expect(findingsOf(penalty)).toEqual([{ code: 'cell.merged_amount', level: '警告', cell: 'I2:I3' }]);
    const py = openpyxlMerges(path);
    expect(agreesWithOpenpyxl(publicity, py['普法宣传'] ?? [])).toEqual({ amounts: ['E2:E3'], copied: [] });
    expect(agreesWithOpenpyxl(penalty, py['行政处罚'] ?? [])).toEqual({ amounts: ['I2:I3'], copied: ['F2:F3'] });
  });

  it('counts a 标的额 merged by exceljs once, and copies the merged 审查类别', async () => {
    const path = join(dir, 'contracts-amount-merged.xlsx');
    await writeLedgerWorkbook(path, [CONTRACTS_AMOUNT_MERGED]);
    const [x] = await extractPath(path, 'counsel');
    if (x === undefined) throw new Error('no sheet');
    expect(x.ledger?.id).toBe('legality_review');
    expect(column(x, 'amount')).toEqual([80, null, 3]);
    expect(column(x, 'category')).toEqual(['合同', '合同', '合同']);
    expect(findingsOf(x)).toEqual([{ code: 'cell.merged_amount', level: '警告', cell: 'C2:C3' }]);
    expect(agreesWithOpenpyxl(x, openpyxlMerges(path)['合法性审查'] ?? [])).toEqual({ amounts: ['C2:C3'], copied: ['A2:A3'] });
  });

  it('says nothing of a zero merged down (counted once or for each row, it adds nothing), and reads no 人次 under it as missing', async () => {
    const path = join(dir, 'legal-service-zero-merged.xlsx');
    await writeLedgerWorkbook(path, [
      {
        name: '服务',
        header: ['日期', '村居', '服务类别', '人次'],
        rows: [
          [D(2020, 3, 5), '前安定村', '法律咨询', 0],
          [D(2020, 3, 5), '后安定村', '法律咨询', null],
        ],
        merges: ['D2:D3'],
      },
    ]);
    const [x] = await extractPath(path);
    if (x === undefined) throw new Error('no sheet');
    expect(column(x, 'visits')).toEqual([0, null]);
    expect(findingsOf(x)).toEqual([]);
  });

  it.skipIf(SOFFICE === undefined)(
    `reads the same from a legacy .xls made by LibreOffice${SOFFICE === undefined ? ` (skipped: ${NO_SOFFICE_REASON})` : ''}`,
    async () => {
      const { xlsx: source, xls } = legalServiceXlsxAndXls();
      const [x] = await extractPath(xls);
      if (x === undefined) throw new Error('no sheet');
      expect(column(x, 'visits')).toEqual([10, 12, 8, 30, null, 5, 9, null, null]);
      expect(findingsOf(x)).toEqual([
        { code: 'cell.merged_amount', level: '警告', cell: 'D6:D7' },
        { code: 'cell.merged_amount', level: '警告', cell: 'D9:D11' },
      ]);
      // The .xls holds the ranges openpyxl reads in the workbook it was made from.
      const py = openpyxlMerges(source);
      expect((await tallyMerges(xls))['服务']).toEqual((py['服务'] ?? []).map((m) => m.ref).sort());
      expect(agreesWithOpenpyxl(x, py['服务'] ?? [])).toEqual({ amounts: ['D6:D7', 'D9:D11'], copied: ['A3:A5', 'C3:C5'] });
    },
    180_000,
  );
});

describe.skipIf(!hasPython)('a whole run', () => {
  it.skipIf(SOFFICE === undefined)(
    `counts 法律咨询 as 60 人次 in the .xlsx and 60 in its .xls (120 in all), warns at each merged range, and finds no 人次 missing and no 合计 wrong${SOFFICE === undefined ? ` (skipped: ${NO_SOFFICE_REASON})` : ''}`,
    async () => {
      const { xlsx, xls } = legalServiceXlsxAndXls();
      const run = await scenarios.run('legal-service-visits-merged-over-villages', {
        roster: [
          { code: 'justice', owes: ['legal_service'] },
          { code: 'village', owes: ['legal_service'] },
        ],
        files: {
          'justice/公共法律服务台账.xlsx': { write: async (path) => copyFile(xlsx, path) },
          'village/公共法律服务台账.xls': { write: async (path) => copyFile(xls, path) },
        },
      });
      expect(run.findings.map((f) => `${f.code} ${f.level} ${f.file ?? ''} ${f.sheet ?? ''} ${f.cell ?? ''} ${f.actual ?? ''}`)).toEqual([
        'cell.merged_amount 警告 justice/公共法律服务台账.xlsx 服务 D6:D7 30',
        'cell.merged_amount 警告 justice/公共法律服务台账.xlsx 服务 D9:D11 9',
        'cell.merged_amount 警告 village/公共法律服务台账.xls 服务 D6:D7 30',
        'cell.merged_amount 警告 village/公共法律服务台账.xls 服务 D9:D11 9',
      ]);
      expect(run.findingsOf('cell.required')).toEqual([]);
      expect(run.findingsOf('sheet.total_mismatch')).toEqual([]);
      const consultations = run.indicator('service.consultations');
      expect(consultations.value).toBe(120);
      expect(consultations.status).toBe('有警告');
      expect(run.indicator('service.aid_consultations').value).toBe(28);
      const rows = await queryDatabase(
        join(run.dir, 'tally.duckdb'),
        `select file, row_no, cast(visits as integer) as visits from ledger_legal_service where current order by file, row_no`,
      );
      const visitsOf = (file: string) => rows.filter((r) => r['file'] === file).map((r) => [r['row_no'], r['visits']]);
      const expected = [[3, 10], [4, 12], [5, 8], [6, 30], [7, null], [8, 5], [9, 9], [10, null], [11, null]];
      expect(visitsOf('justice/公共法律服务台账.xlsx')).toEqual(expected);
      expect(visitsOf('village/公共法律服务台账.xls')).toEqual(expected);
    },
    240_000,
  );
});

// ---- An amount merged across two amount columns

/**
 * The demo pack's 行政处罚案件台账 with a second amount after 罚款金额(元): 没收金额(元), as a town
 * whose report counts what was confiscated would define it (no shipped ledger has two amount
 * columns side by side).
 */
async function penaltyWithConfiscation(): Promise<LedgerCatalog> {
  const pack = join(import.meta.dirname, '..', 'packs', 'anding-2020', 'ledgers.json');
  const json = JSON.parse(await readText(pack, 'utf8')) as { ledgers: { id: string; fields: { id: string }[] }[] };
  const penalty = json.ledgers.find((l) => l.id === 'penalty');
  if (penalty === undefined) throw new Error('no penalty ledger');
  penalty.fields.push({ id: 'confiscated', header: '没收金额(元)', type: 'number' } as { id: string });
  const path = join(dir, 'ledgers-penalty-with-confiscation.json');
  await writeFile(path, JSON.stringify(json));
  return loadLedgerCatalog(path);
}

/**
 * 行政处罚 with 罚款金额(元) (I) and 没收金额(元) (J), then 备注 (K, no field): 5000 merged across
 * I2:J2 (one amount over both columns), 200 and 300 apart in row 3, 1000 merged over I4:J5 (two
 * parties of one decision, and both columns), and 没收金额 600 merged across into 备注 (J6:K6).
 * Rows: header 1, data 2–6.
 */
const PENALTY_AMOUNT_MERGED_ACROSS = `
import openpyxl, datetime, sys
wb = openpyxl.Workbook(); ws = wb.active; ws.title = '行政处罚'
ws.append(['案件编号', '立案日期', '当事人', '案由', '法制审核日期', '是否重大执法决定', '集体讨论日期', '决定日期', '罚款金额(元)', '没收金额(元)', '备注'])
for i, (fine, confiscated) in enumerate([(5000, None), (200, 300), (1000, None), (None, None), (None, 600)]):
    ws.append(['AD-2020-%03d' % (i + 1), datetime.date(2020, 5, 6), '当事人%d' % (i + 1), '占道经营', datetime.date(2020, 5, 8), '否', None, datetime.date(2020, 5, 10), fine, confiscated, None])
    for c in (2, 5, 8): ws.cell(ws.max_row, c).number_format = 'yyyy-mm-dd'
for ref in ['I2:J2', 'I4:J5', 'J6:K6']:
    ws.merge_cells(ref)
wb.save(sys.argv[1])
`;

const PENALTY_AMOUNT_MERGED_ACROSS_EXCELJS: SheetSpec = {
  name: '行政处罚',
  header: ['案件编号', '立案日期', '当事人', '案由', '法制审核日期', '是否重大执法决定', '集体讨论日期', '决定日期', '罚款金额(元)', '没收金额(元)', '备注'],
  rows: [
    [5000, null],
    [200, 300],
    [1000, null],
    [null, null],
    [null, 600],
  ].map(([fine, confiscated], i) => [`AD-2020-00${i + 1}`, D(2020, 5, 6), `当事人${i + 1}`, '占道经营', D(2020, 5, 8), '否', null, D(2020, 5, 10), fine ?? null, confiscated ?? null, null]),
  merges: ['I2:J2', 'I4:J5', 'J6:K6'],
};

describe('an amount merged across two amount columns (罚款金额 over 罚款金额 | 没收金额)', () => {
  const expectCountedOnce = (x: SheetExtraction | undefined) => {
    if (x === undefined) throw new Error('no sheet');
    expect(x.ledger?.id).toBe('penalty');
    expect(x.rows.map((r) => r.rowNumber)).toEqual([2, 3, 4, 5, 6]);
    // The amount is the top-left cell's column's: 罚款金额. 没收金额 under it reads empty.
    expect(column(x, 'fine')).toEqual([5000, 200, 1000, null, null]);
    expect(column(x, 'confiscated')).toEqual([null, 300, null, null, 600]);
    // Merged across into 备注, which is no column of the ledger: counted once already, nothing to say.
    expect(findingsOf(x)).toEqual([
      { code: 'cell.merged_amount', level: '警告', cell: 'I2:J2' },
      { code: 'cell.merged_amount', level: '警告', cell: 'I4:J5' },
    ]);
    expect(x.findings[0]?.actual).toBe('5000');
    expect(x.findings[0]?.message).toBe(
      '“罚款金额(元)”的 5000 合并了 I2:J2，跨“罚款金额(元)”和“没收金额(元)”两栏，统计时只计一次，计在“罚款金额(元)”（I2），“没收金额(元)”按空计，不按每栏各 5000 计。' +
        '如果 5000 只是“罚款金额(元)”，请取消合并，另填“没收金额(元)”；如果每一栏各有 5000，请取消合并，在每一栏分别填写。',
    );
    expect(x.findings[1]?.message).toBe(
      '“罚款金额(元)”的 1000 合并了 I4:J5 共 2 行（第 4–5 行），跨“罚款金额(元)”和“没收金额(元)”两栏，统计时只计一次，计在第 4 行的“罚款金额(元)”（I4），不按每行、每栏各 1000 计。' +
        '如果 1000 是这 2 行合起来的“罚款金额(元)”，请取消合并，另填“没收金额(元)”；如果每一行、每一栏各有 1000，请取消合并，分别填写。',
    );
  };

  it.runIf(hasPython)('counts it once, in the top-left cell’s column, with cell.merged_amount at the range (openpyxl)', async () => {
    const path = writeWithPython('penalty-amount-merged-across.xlsx', PENALTY_AMOUNT_MERGED_ACROSS);
    const [x] = await extractPath(path, 'enforcement', await penaltyWithConfiscation());
    expectCountedOnce(x);
    expect((await tallyMerges(path))['行政处罚']).toEqual(['I2:J2', 'I4:J5', 'J6:K6']);
  });

  it('counts it once, in the top-left cell’s column, with cell.merged_amount at the range (exceljs)', async () => {
    const path = join(dir, 'penalty-amount-merged-across-exceljs.xlsx');
    await writeLedgerWorkbook(path, [PENALTY_AMOUNT_MERGED_ACROSS_EXCELJS]);
    const [x] = await extractPath(path, 'enforcement', await penaltyWithConfiscation());
    expectCountedOnce(x);
  });

  it.runIf(hasPython && SOFFICE !== undefined)(
    `counts it once in the legacy .xls LibreOffice makes of it${SOFFICE === undefined ? ` (skipped: ${NO_SOFFICE_REASON})` : ''}`,
    async () => {
      const xlsx = writeWithPython('penalty-amount-merged-across-lo.xlsx', PENALTY_AMOUNT_MERGED_ACROSS);
      convertToXls([xlsx], dir);
      const xls = xlsx.replace(/\.xlsx$/, '.xls');
      const [x] = await extractPath(xls, 'enforcement', await penaltyWithConfiscation());
      expectCountedOnce(x);
      expect((await tallyMerges(xls))['行政处罚']).toEqual(['I2:J2', 'I4:J5', 'J6:K6']);
    },
    180_000,
  );
});
