/**
 * A formula that mirrors an empty cell (`='收案登记'!E3` where E3 is empty gives 0;
 * `=IF('收案登记'!E4="","",'收案登记'!E4)` gives "") shows the clerk nothing a yes/no or a
 * listed value could be read from: in a 是/否 column (负责人出庭) or a listed one (结果) it is an
 * empty cell, never 否 and never a cell.enum of “0”. A 0 or 否 typed in stays 否, and a formula
 * mirroring 是 or 否 reads as what it shows.
 *
 * The same holds in a workbook on the 1904 date system (Excel for Mac's old default): there a
 * formula's 0 in a date format shows 1904/1/1, its calendar's day 0, and mirrors an empty cell
 * as 1900/1/0 does in the 1900 calendar.
 *
 * The workbooks are written by XlsxWriter (each formula given its result, with calculation set
 * to manual, as Excel saves a workbook it calculated: no fullCalcOnLoad asking for the results
 * to be made again) and by exceljs (formula with result), read by tally's reader.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeLedgerWorkbook, type CellInput } from '../demo/ledger-workbook.ts';
import { extractSheet, type SheetExtraction } from '../sheets/extract-sheet.ts';
import { loadLedgerCatalog } from '../sheets/ledger-catalog.ts';
import { readFile } from '../sheets/read-file.ts';
import { NO_SOFFICE_REASON, SOFFICE, convertToXls } from './support/libreoffice.ts';
import { PYTHON, pythonWith } from './support/python.ts';
import { queryDatabase } from './support/query-database.ts';
import { useScenarios } from './support/scenario.ts';

const catalog = loadLedgerCatalog(join(import.meta.dirname, '..', 'packs', 'anding-2020', 'ledgers.json'));
const dir = join(import.meta.dirname, '.tmp', `formula-mirrors-empty-cells-${randomBytes(4).toString('hex')}`);
const scenarios = useScenarios({ outputs: false });
const hasPython = pythonWith(['xlsxwriter'], 'formulas mirroring empty cells written by XlsxWriter');

beforeAll(async () => {
  await mkdir(dir, { recursive: true });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const LITIGATION_HEADER = ['案号', '案件类别', '收案日期', '申请人/原告', '负责人出庭', '出庭负责人', '结果'];

/**
 * 行政复议应诉案件台账 rows 2–7 whose 负责人出庭 (E) and 结果 (G) are each `[formula, result]`
 * or a value typed in: row 2 mirrors empty cells (0), row 3 mirrors them through IF (""), row 4
 * has a 0 typed in 负责人出庭, row 5 否 typed, rows 6 and 7 mirror 是 and 否 (and 维持, 驳回).
 */
const MIRRORS: readonly { readonly appeared: CellInput | readonly [string, string | number]; readonly outcome: CellInput | readonly [string, string | number] }[] = [
  { appeared: ["'收案登记'!E2", 0], outcome: ["'收案登记'!G2", 0] },
  { appeared: [`IF('收案登记'!E3="","",'收案登记'!E3)`, ''], outcome: [`IF('收案登记'!G3="","",'收案登记'!G3)`, ''] },
  { appeared: 0, outcome: '维持' },
  { appeared: '否', outcome: '驳回' },
  { appeared: ["'收案登记'!E6", '是'], outcome: ["'收案登记'!G6", '维持'] },
  { appeared: ["'收案登记'!E7", '否'], outcome: ["'收案登记'!G7", '驳回'] },
];

function rowOf(i: number): (CellInput | readonly [string, string | number])[] {
  const m = MIRRORS[i];
  if (m === undefined) throw new Error(`no row ${i}`);
  return [`安复〔2020〕${i + 1}号`, '行政诉讼', new Date(Date.UTC(2020, i + 1, 3)), `原告${i + 1}`, m.appeared, i === 4 ? '王镇长' : null, m.outcome];
}

/** The ledger as XlsxWriter writes it, each formula with its result; argv: the path, then the rows as JSON. */
const XLSXWRITER = String.raw`
import sys, json, datetime, xlsxwriter
path, header, rows = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
wb = xlsxwriter.Workbook(path)
# As Excel saves a workbook it calculated (its results stored, not to be made again on opening).
wb.set_calc_mode('manual')
date = wb.add_format({'num_format': 'yyyy-mm-dd'})
ws = wb.add_worksheet('应诉台账')
reg = wb.add_worksheet('收案登记'); reg.hide()
ws.write_row(0, 0, header)
reg.write_row(0, 0, header)
for r, row in enumerate(rows, start=1):
    for c, v in enumerate(row):
        if isinstance(v, list): ws.write_formula(r, c, '=' + v[0], None, v[1])
        elif isinstance(v, str) and v.startswith('date:'): ws.write_datetime(r, c, datetime.datetime.fromisoformat(v[5:]), date)
        elif v is not None: ws.write(r, c, v)
wb.close()
`;

function writeWithXlsxWriter(path: string): void {
  const rows = MIRRORS.map((_, i) => rowOf(i).map((v) => (v instanceof Date ? `date:${v.toISOString().slice(0, 10)}` : v)));
  execFileSync(PYTHON, ['-c', XLSXWRITER, path, JSON.stringify(LITIGATION_HEADER), JSON.stringify(rows)]);
}

async function writeWithExceljs(path: string): Promise<void> {
  const cell = (v: CellInput | readonly [string, string | number]): CellInput =>
    Array.isArray(v) ? { formula: v[0] as string, result: v[1] as string | number } : (v as CellInput);
  await writeLedgerWorkbook(path, [
    { name: '应诉台账', header: LITIGATION_HEADER, rows: MIRRORS.map((_, i) => rowOf(i).map(cell)) },
    { name: '收案登记', header: LITIGATION_HEADER, rows: [], state: 'hidden' },
  ]);
}

async function extractPath(path: string): Promise<SheetExtraction[]> {
  const out: SheetExtraction[] = [];
  for await (const sheet of readFile(path)) out.push(extractSheet(sheet, catalog, { year: 2020, department: 'justice', file: basename(path) }));
  return out;
}

const column = (x: SheetExtraction, id: string) => x.rows.map((r) => r.values[id] ?? null);

describe('a formula mirroring an empty cell in a 是/否 or a listed column', () => {
  const writers: readonly [string, (path: string) => Promise<void> | void, boolean][] = [
    ['XlsxWriter', writeWithXlsxWriter, hasPython],
    ['exceljs', writeWithExceljs, true],
  ];
  for (const [writer, write, can] of writers) {
    it.runIf(can)(`is empty, never 否 or “0” not listed; a 0 or 否 typed in stays 否 (${writer})`, async () => {
      const path = join(dir, `litigation-formulas-mirror-empty-cells-${writer}.xlsx`);
      await write(path);
      const [x] = await extractPath(path);
      if (x === undefined) throw new Error('no sheet');
      expect(x.ledger?.id).toBe('litigation');
      expect(x.rows.map((r) => r.rowNumber)).toEqual([2, 3, 4, 5, 6, 7]);
      expect(column(x, 'leader_appeared')).toEqual([null, null, false, false, true, false]);
      expect(column(x, 'outcome')).toEqual([null, null, '维持', '驳回', '维持', '驳回']);
      // Nothing to say of the mirrored 0s: no cell.enum of “0”, no cell.type. XlsxWriter writes the
      // IF's empty result of row 3 as an empty <v> without t="str", which is also what a writer
      // that never calculated leaves: said as such (sheet-scanner.ts), never read as an empty
      // result that could leave a figure short in silence. exceljs writes it as Excel does.
      const uncalculated = writer === 'XlsxWriter' ? ['cell.formula_error E3', 'cell.formula_error G3'] : [];
      expect(x.findings.map((f) => `${f.code} ${f.cell ?? ''}`)).toEqual(uncalculated);
    });
  }
});

describe('a formula mirroring an empty cell in a text column', () => {
  it('is empty, never the text “0”: 出庭负责人 copied from an empty cell names nobody, so 负责人出庭 = 是 still lacks one', async () => {
    const path = join(dir, 'litigation-leader-name-mirrors-empty-cell.xlsx');
    await writeLedgerWorkbook(path, [
      {
        name: '应诉台账',
        header: LITIGATION_HEADER,
        rows: [
          ['安复〔2020〕1号', '行政诉讼', new Date(Date.UTC(2020, 1, 3)), { formula: "'收案登记'!D2", result: 0 }, '是', { formula: "'收案登记'!F2", result: 0 }, '维持'],
          ['安复〔2020〕2号', '行政诉讼', new Date(Date.UTC(2020, 2, 3)), '原告2', '是', { formula: "'收案登记'!F3", result: '王镇长' }, '维持'],
          ['安复〔2020〕3号', '行政诉讼', new Date(Date.UTC(2020, 3, 3)), '原告3', '否', 0, '驳回'],
        ],
      },
      { name: '收案登记', header: LITIGATION_HEADER, rows: [], state: 'hidden' },
    ]);
    const [x] = await extractPath(path);
    if (x === undefined) throw new Error('no sheet');
    expect(column(x, 'leader_name')).toEqual([null, '王镇长', '0']);
    expect(column(x, 'claimant')).toEqual([null, '原告2', '原告3']);
  });
});

// ---- The 1904 date system

/**
 * 行政复议应诉案件台账 in a 1904-calendar workbook whose 结案日期 (G, date format) is a formula
 * copying 收案登记's: G2 mirrors an empty cell (result 0, shown 1904/1/1), G3 mirrors
 * 2020-05-20; G4 is 2020-06-01 typed in. argv: the path.
 */
const LITIGATION_1904_XLSXWRITER = String.raw`
import sys, datetime, xlsxwriter
wb = xlsxwriter.Workbook(sys.argv[1], {'date_1904': True})
wb.set_calc_mode('manual')
date = wb.add_format({'num_format': 'yyyy-mm-dd'})
ws = wb.add_worksheet('应诉台账')
reg = wb.add_worksheet('收案登记'); reg.hide()
ws.write_row(0, 0, ['案号', '案件类别', '收案日期', '申请人/原告', '负责人出庭', '出庭负责人', '结案日期'])
serial = lambda d: (d - datetime.date(1904, 1, 1)).days
for r in range(1, 4):
    ws.write_row(r, 0, ['安复〔2020〕%d号' % r, '行政复议'])
    ws.write_datetime(r, 2, datetime.datetime(2020, r + 1, 3), date)
    ws.write(r, 3, '申请人%d' % r)
ws.write_formula(1, 6, "='收案登记'!G2", date, 0)
reg.write_datetime(2, 6, datetime.datetime(2020, 5, 20), date)
ws.write_formula(2, 6, "='收案登记'!G3", date, serial(datetime.date(2020, 5, 20)))
ws.write_datetime(3, 6, datetime.datetime(2020, 6, 1), date)
wb.close()
`;

/** {@link LITIGATION_1904_XLSXWRITER}, written by exceljs. */
async function litigation1904WithExceljs(path: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  wb.properties.date1904 = true;
  const ws = wb.addWorksheet('应诉台账');
  const reg = wb.addWorksheet('收案登记', { state: 'hidden' });
  ws.addRow(['案号', '案件类别', '收案日期', '申请人/原告', '负责人出庭', '出庭负责人', '结案日期']);
  for (let r = 1; r <= 3; r++) ws.addRow([`安复〔2020〕${r}号`, '行政复议', new Date(Date.UTC(2020, r, 3)), `申请人${r}`]);
  const serial = (d: Date) => (d.getTime() - Date.UTC(1904, 0, 1)) / 86_400_000;
  reg.getCell('G3').value = new Date(Date.UTC(2020, 4, 20));
  ws.getCell('G2').value = { formula: "'收案登记'!G2", result: 0 };
  ws.getCell('G3').value = { formula: "'收案登记'!G3", result: serial(new Date(Date.UTC(2020, 4, 20))) };
  ws.getCell('G4').value = new Date(Date.UTC(2020, 5, 1));
  for (const a of ['C2', 'C3', 'C4', 'G2', 'G3', 'G4']) ws.getCell(a).numFmt = 'yyyy-mm-dd';
  await wb.xlsx.writeFile(path);
}

/** Whether the workbook at `path` says it counts from 1904, as openpyxl reads it. */
function openpyxlSays1904(path: string): boolean {
  const script = 'import sys, openpyxl\nfrom openpyxl.utils.datetime import CALENDAR_MAC_1904\nprint(openpyxl.load_workbook(sys.argv[1]).epoch == CALENDAR_MAC_1904)';
  return execFileSync(PYTHON, ['-c', script, path], { encoding: 'utf8' }).trim() === 'True';
}

describe('a 1904-calendar workbook’s formula mirroring an empty date cell', () => {
  const expectClosedDates = (x: SheetExtraction | undefined) => {
    if (x === undefined) throw new Error('no sheet');
    expect(x.ledger?.id).toBe('litigation');
    // G2 mirrors nothing: empty, as 1900/1/0 is in a 1900 workbook, not a date of 1904.
    expect(column(x, 'closed_on')).toEqual([null, '2020-05-20', '2020-06-01']);
    expect(column(x, 'received_on')).toEqual(['2020-02-03', '2020-03-03', '2020-04-03']);
    expect(x.findings.map((f) => `${f.code} ${f.cell ?? ''} ${f.actual ?? ''}`)).toEqual([]);
  };

  it.runIf(hasPython && pythonWith(['openpyxl'], 'the 1904 flag as openpyxl reads it'))('is an empty cell (XlsxWriter)', async () => {
    const path = join(dir, 'litigation-1904-formula-mirrors-empty-date-xlsxwriter.xlsx');
    execFileSync(PYTHON, ['-c', LITIGATION_1904_XLSXWRITER, path]);
    expect(openpyxlSays1904(path)).toBe(true);
    expectClosedDates((await extractPath(path))[0]);
  });

  it('is an empty cell (exceljs)', async () => {
    const path = join(dir, 'litigation-1904-formula-mirrors-empty-date-exceljs.xlsx');
    await litigation1904WithExceljs(path);
    expectClosedDates((await extractPath(path))[0]);
  });

  it.runIf(hasPython && SOFFICE !== undefined)(
    `is an empty cell in the legacy .xls LibreOffice makes of it${SOFFICE === undefined ? ` (skipped: ${NO_SOFFICE_REASON})` : ''}`,
    async () => {
      const path = join(dir, 'litigation-1904-formula-mirrors-empty-date-lo.xlsx');
      execFileSync(PYTHON, ['-c', LITIGATION_1904_XLSXWRITER, path]);
      convertToXls([path], dir);
      expectClosedDates((await extractPath(path.replace(/\.xlsx$/, '.xls')))[0]);
    },
    180_000,
  );
});

describe('the whole pipeline, on a real DuckDB file', () => {
  it('stores no 结案日期 for a 1904 workbook’s formula mirroring an empty cell, no 负责人出庭 for one mirroring an empty 是/否, and says nothing of them', async () => {
    const run = await scenarios.run('formulas-mirror-empty-cells-1900-and-1904', {
      roster: [
        { code: 'justice', owes: ['litigation'] },
        { code: 'counsel', owes: ['litigation'] },
      ],
      files: {
        'justice/应诉台账.xlsx': { write: writeWithExceljs },
        'counsel/应诉台账.xlsx': { write: litigation1904WithExceljs },
      },
    });
    expect(run.findings.filter((f) => f.code.startsWith('cell.')).map((f) => `${f.code} ${f.department ?? ''} ${f.cell ?? ''}`)).toEqual([]);
    const rows = await queryDatabase(
      join(run.dir, 'tally.duckdb'),
      `select department, row_no, leader_appeared, outcome, cast(closed_on as varchar) as closed_on from ledger_litigation where current order by department, row_no`,
    );
    expect(rows.map((r) => [r['department'], r['row_no'], r['leader_appeared'], r['outcome'], r['closed_on']])).toEqual([
      ['counsel', 2, null, null, null],
      ['counsel', 3, null, null, '2020-05-20'],
      ['counsel', 4, null, null, '2020-06-01'],
      ['justice', 2, null, null, null],
      ['justice', 3, null, null, null],
      ['justice', 4, false, '维持', null],
      ['justice', 5, false, '驳回', null],
      ['justice', 6, true, '维持', null],
      ['justice', 7, false, '驳回', null],
    ]);
    // 负责人出庭 of 行政诉讼 in the year: the one 是 (row 6), whatever the mirrored cells.
    expect(run.indicator('litigation.leader_appearances').value).toBe(1);
  }, 120_000);
});
