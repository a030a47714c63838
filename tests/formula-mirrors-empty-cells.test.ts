/**
 * A formula that mirrors an empty cell (`='收案登记'!E3` where E3 is empty gives 0;
 * `=IF('收案登记'!E4="","",'收案登记'!E4)` gives "") shows the clerk nothing a yes/no or a
 * listed value could be read from: in a 是/否 column (负责人出庭) or a listed one (结果) it is an
 * empty cell, never 否 and never a cell.enum of “0”. A 0 or 否 typed in stays 否, and a formula
 * mirroring 是 or 否 reads as what it shows.
 *
 * The workbooks are written by XlsxWriter (each formula given its result, with calculation set
 * to manual, as Excel saves a workbook it calculated: no fullCalcOnLoad asking for the results
 * to be made again) and by exceljs (formula with result), read by tally's reader.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeLedgerWorkbook, type CellInput } from '../demo/ledger-workbook.ts';
import { extractSheet, type SheetExtraction } from '../sheets/extract-sheet.ts';
import { loadLedgerCatalog } from '../sheets/ledger-catalog.ts';
import { readFile } from '../sheets/read-file.ts';
import { PYTHON, pythonWith } from './support/python.ts';

const catalog = loadLedgerCatalog(join(import.meta.dirname, '..', 'packs', 'anding-2020', 'ledgers.json'));
const dir = join(import.meta.dirname, '.tmp', `formula-mirrors-empty-cells-${randomBytes(4).toString('hex')}`);
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
      // Nothing to say of them: no cell.enum of “0”, no cell.type, no formula without a result.
      expect(x.findings.map((f) => `${f.code} ${f.cell ?? ''}`)).toEqual([]);
    });
  }
});
