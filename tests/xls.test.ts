/**
 * Legacy `.xls` (BIFF8): real files written by real writers — LibreOffice headless (skipped,
 * saying so, where it is not installed) and SheetJS's BIFF8 writer (test fixtures only) — read
 * cell for cell as tally reads the same workbook saved as `.xlsx`; the demo inbox saved as
 * `.xls` gives the same figures and findings; encrypted, damaged and too-old files are refused
 * with a message saying what to do.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile as readBytes, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import ExcelJS from 'exceljs';
import XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoInbox, type DemoManifest } from '../demo/demo-inbox.ts';
import { loadConfig } from '../pipeline/kernel/config/config.ts';
import type { Finding } from '../pipeline/kernel/findings/findings.ts';
import { runPipeline, type RunSummary } from '../pipeline/run.ts';
import { DEFAULT_LIMITS, UnreadableFileError, type RawSheet, type ReadLimits } from '../sheets/raw-sheet.ts';
import { readFile } from '../sheets/read-file.ts';
import { readCompoundFile } from '../sheets/xls/compound-file.ts';
import { xlsAsWorkbook } from '../sheets/xls/xls-as-workbook.ts';
import { MESSAGE_OLE_NOT_WORKBOOK, MESSAGE_XLS_ENCRYPTED, MESSAGE_XLS_TOO_OLD } from '../sheets/xls/xls-reader.ts';
import { MESSAGE_CORRUPT } from '../sheets/xlsx-reader.ts';
import { compoundFile } from './bad-input/containers.ts';
import { NO_SOFFICE_REASON, SOFFICE, convertToXls } from './support/libreoffice.ts';

const dir = join('tests', '.tmp', `xls-${randomBytes(4).toString('hex')}`);

async function readAll(path: string, limits: ReadLimits = DEFAULT_LIMITS): Promise<RawSheet[]> {
  const out: RawSheet[] = [];
  for await (const s of readFile(path, limits)) out.push(s);
  return out;
}

async function unreadableMessage(path: string): Promise<string> {
  try {
    await readAll(path);
  } catch (e) {
    if (e instanceof UnreadableFileError) return e.message;
    throw e;
  }
  throw new Error(`${path} was read`);
}

/** Every cell of a workbook as `sheet!A1 → value`, and each sheet's name, visibility, merges, truncation. */
function flatten(sheets: readonly RawSheet[]): { cells: Map<string, string>; sheets: string[] } {
  const cells = new Map<string, string>();
  for (const s of sheets) {
    for (const r of s.rows) {
      r.cells.forEach((c, i) => {
        if (c === undefined) return;
        const v = c.value instanceof Date ? `date ${c.value.toISOString()}` : `${typeof c.value} ${JSON.stringify(c.value)}`;
        cells.set(`${s.name}!${XLSX.utils.encode_col(i)}${r.rowNumber}`, `${v}${c.error === undefined ? '' : ` error ${c.error}`}${c.formula === true ? ' formula' : ''}${r.hidden ? ' (row hidden)' : ''}`);
      });
    }
  }
  return {
    cells,
    sheets: sheets.map((s) => `${s.name} hidden=${s.hidden} merges=${[...s.merges].sort().join(',')} truncated=${JSON.stringify(s.truncated ?? null)}`),
  };
}

/** Differences between the two readings, cell by cell (empty when they agree). */
function differences(xlsx: readonly RawSheet[], xls: readonly RawSheet[]): string[] {
  const a = flatten(xlsx);
  const b = flatten(xls);
  const out: string[] = [];
  if (a.sheets.join('\n') !== b.sheets.join('\n')) out.push(`sheets: ${a.sheets.join(' | ')} ≠ ${b.sheets.join(' | ')}`);
  for (const k of new Set([...a.cells.keys(), ...b.cells.keys()])) {
    if (a.cells.get(k) !== b.cells.get(k)) out.push(`${k}: xlsx ${a.cells.get(k) ?? '(none)'} ≠ xls ${b.cells.get(k) ?? '(none)'}`);
  }
  return out;
}

const DAY = 86_400_000;

/** A tally cell's value in SheetJS's terms: a Date back to its serial, as the file stores it. */
function serialOf(d: Date, date1904: boolean): number {
  if (date1904) return (d.getTime() - Date.UTC(1904, 0, 1)) / DAY;
  const serial = (d.getTime() - Date.UTC(1899, 11, 30)) / DAY;
  return serial <= 60 ? serial - 1 : serial;
}

/**
 * The same `.xls` read by an independent reader, SheetJS (test-only: it must not read
 * department files), in the terms of {@link flatten} — dates as serials on both sides.
 */
async function independentDifferences(path: string, ours: readonly RawSheet[]): Promise<string[]> {
  const wb = XLSX.read(await readBytes(path), { cellFormula: true, cellDates: false });
  const date1904 = wb.Workbook?.WBProps?.date1904 === true;
  const theirs = new Map<string, string>();
  const sheets: string[] = [];
  wb.SheetNames.forEach((name, i) => {
    const ws = wb.Sheets[name];
    if (ws === undefined) return;
    sheets.push(`${name} hidden=${(wb.Workbook?.Sheets?.[i]?.Hidden ?? 0) !== 0} merges=${(ws['!merges'] ?? []).map((m) => XLSX.utils.encode_range(m)).sort().join(',')}`);
    for (const [a1, c] of Object.entries(ws)) {
      if (a1.startsWith('!')) continue;
      const cell = c as XLSX.CellObject;
      const row = XLSX.utils.decode_cell(a1).r;
      const hidden = ws['!rows']?.[row]?.hidden === true;
      const value = cell.t === 'e' ? `error ${cell.w}` : `${typeof cell.v} ${JSON.stringify(cell.v)}`;
      if (cell.t === 'z' || (cell.t === 's' && cell.v === '' && cell.f === undefined)) continue;
      theirs.set(`${name}!${a1}`, `${value}${cell.f === undefined ? '' : ' formula'}${hidden ? ' (row hidden)' : ''}`);
    }
  });
  const mine = new Map<string, string>();
  for (const s of ours) {
    for (const r of s.rows) {
      r.cells.forEach((c, i) => {
        if (c === undefined) return;
        const v = c.error !== undefined ? `error ${c.error}` : c.value instanceof Date ? `number ${serialOf(c.value, date1904)}` : `${typeof c.value} ${JSON.stringify(c.value)}`;
        mine.set(`${s.name}!${XLSX.utils.encode_col(i)}${r.rowNumber}`, `${v}${c.formula === true ? ' formula' : ''}${r.hidden ? ' (row hidden)' : ''}`);
      });
    }
  }
  const out: string[] = [];
  const ourSheets = ours.map((s) => `${s.name} hidden=${s.hidden} merges=${[...s.merges].sort().join(',')}`);
  if (ourSheets.join('\n') !== sheets.join('\n')) out.push(`sheets: ${ourSheets.join(' | ')} ≠ SheetJS ${sheets.join(' | ')}`);
  for (const k of new Set([...mine.keys(), ...theirs.keys()])) {
    if (mine.get(k) !== theirs.get(k)) out.push(`${k}: tally ${mine.get(k) ?? '(none)'} ≠ SheetJS ${theirs.get(k) ?? '(none)'}`);
  }
  return out;
}

/**
 * What LibreOffice changes when it saves an .xlsx as .xls — in the file it writes, as the
 * independent reader confirms — and so the only differences allowed between the two readings:
 * it has no boolean or error constants in BIFF (it writes `=TRUE()`, `=FALSE()`, `=NA()`), it
 * drops a cell of empty text, it writes no cached text for a text formula it did not
 * recalculate (the result becomes 0), and it computes a formula saved without a result.
 */
const LIBREOFFICE_REWRITES = [
  /^台账!D\d+: xlsx (boolean (true|false)) ≠ xls \1 formula$/,
  /^台账!I3: xlsx object null error #N\/A ≠ xls object null error #N\/A formula$/,
  /^台账!B6: xlsx string "" ≠ xls \(none\)$/,
  /^台账!H4: xlsx string "事前公示x" formula ≠ xls number 0 formula$/,
  /^台账!J[45]: xlsx object null formula ≠ xls string "(事前公示x|长{3000})" formula$/,
];

/** A workbook of every construct a ledger uses, written by exceljs (the project's writer). */
async function everyConstructWorkbook(path: string, opts: { date1904?: boolean } = {}): Promise<void> {
  const wb = new ExcelJS.Workbook();
  if (opts.date1904 === true) wb.properties.date1904 = true;
  const ws = wb.addWorksheet('台账');
  ws.mergeCells('A1:F1');
  ws.getCell('A1').value = '2020年行政执法公示台账';
  ws.addRow(['公示日期', '公示类别', '数量', '是否', '备注', '时间']);
  const day = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));
  const rows: ExcelJS.CellValue[][] = [
    [day(2020, 3, 5), '事前公示', 12, true, '𡒄村 emoji 😀', 0.5],
    [day(2020, 12, 31), '事后公示', -3.25, false, '  前后有空格  ', 0.75],
    [day(1900, 1, 1), '行\n内换行', 1e15, true, 'a'.repeat(300), 0.1 + 0.2],
    [day(1904, 1, 2), '', 123456789, false, '中'.repeat(5000), 1 / 3],
  ];
  for (const r of rows) ws.addRow(r);
  for (let r = 3; r <= 6; r++) {
    ws.getCell(`A${r}`).numFmt = r % 2 === 0 ? 'yyyy"年"m"月"d"日"' : 'yyyy-mm-dd';
    ws.getCell(`F${r}`).numFmt = r === 3 ? 'hh:mm' : '0.00';
  }
  ws.getCell('G3').value = day(2020, 6, 1);
  ws.getCell('G3').numFmt = 'yyyy-mm-dd hh:mm:ss';
  ws.getCell('G4').value = 43895.5;
  ws.getCell('G4').numFmt = 'm/d/yy h:mm';
  ws.getCell('G5').value = 43895;
  ws.getCell('G5').numFmt = '0%';
  ws.getCell('H3').value = { formula: 'C3*2', result: 24 };
  ws.getCell('H4').value = { formula: 'B3&"x"', result: '事前公示x' };
  ws.getCell('H5').value = { formula: 'C3>1', result: true };
  ws.getCell('H6').value = { formula: '1/0', result: { error: '#DIV/0!' } };
  ws.getCell('I3').value = { error: '#N/A' };
  ws.getCell('I4').value = { formula: 'A3+1', result: 43896 };
  ws.getCell('I4').numFmt = 'yyyy-mm-dd';
  ws.getCell('I5').value = { formula: 'NA()', result: { error: '#N/A' } };
  ws.getCell('I6').value = { formula: 'B6&""', result: '' };
  // Formulas saved without a result (as some programs do): LibreOffice computes them on saving.
  ws.getCell('J4').value = { formula: 'B3&"x"' } as ExcelJS.CellFormulaValue;
  ws.getCell('J5').value = { formula: 'REPT("长",3000)' } as ExcelJS.CellFormulaValue;
  ws.mergeCells('A8:A10');
  ws.getCell('A8').value = '合并的日期';
  ws.getRow(7).getCell(2).value = '隐藏的行';
  ws.getRow(7).hidden = true;
  // Enough distinct text that the shared strings run over several CONTINUE records.
  const big = wb.addWorksheet('长表');
  for (let r = 1; r <= 3000; r++) big.addRow([`第${r}行 ${'文字'.repeat(r % 17)}`, r, r * 1.5, r % 7 === 0 ? `重复` : `独一${r}`]);
  const hidden = wb.addWorksheet('隐藏表', { state: 'hidden' });
  hidden.addRow(['选项', '事前公示']);
  wb.addWorksheet('空表');
  await wb.xlsx.writeFile(path);
}

beforeAll(async () => {
  await mkdir(dir, { recursive: true });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(SOFFICE === undefined)(`.xls saved by LibreOffice${SOFFICE === undefined ? ` (skipped: ${NO_SOFFICE_REASON})` : ''}`, () => {
  const lo = join(dir, 'lo');
  beforeAll(async () => {
    await mkdir(lo, { recursive: true });
    await everyConstructWorkbook(join(lo, 'every.xlsx'));
    await everyConstructWorkbook(join(lo, 'every1904.xlsx'), { date1904: true });
    convertToXls([join(lo, 'every.xlsx'), join(lo, 'every1904.xlsx')], lo);
  }, 180_000);

  it('reads every cell, sheet, merge and hidden flag as an independent reader (SheetJS) reads the .xls', async () => {
    for (const name of ['every.xls', 'every1904.xls']) {
      const xls = await readAll(join(lo, name));
      expect(await independentDifferences(join(lo, name), xls)).toEqual([]);
    }
  });

  it('reads every cell as tally reads the .xlsx it was saved from, but for what LibreOffice rewrites', async () => {
    const xlsx = await readAll(join(lo, 'every.xlsx'));
    const xls = await readAll(join(lo, 'every.xls'));
    const unexplained = differences(xlsx, xls).filter((d) => !LIBREOFFICE_REWRITES.some((re) => re.test(d)));
    expect(unexplained).toEqual([]);
    expect(flatten(xls).cells.size).toBeGreaterThan(12_000);
  });

  it('reads dates, formula results and error values as Excel shows them', async () => {
    const [sheet, , hidden, empty] = await readAll(join(lo, 'every.xls'));
    const cell = (a1: string) => {
      const { r, c } = XLSX.utils.decode_cell(a1);
      return sheet?.rows.find((row) => row.rowNumber === r + 1)?.cells[c];
    };
    expect(cell('A3')).toEqual({ value: new Date('2020-03-05T00:00:00Z') });
    expect(cell('A4')).toEqual({ value: new Date('2020-12-31T00:00:00Z') });
    expect(cell('G3')).toEqual({ value: new Date('2020-06-01T00:00:00Z') });
    expect(cell('G4')).toEqual({ value: new Date('2020-03-05T12:00:00Z') });
    // A time of day alone and a percentage stay numbers, as in xlsx.
    expect(cell('F3')).toEqual({ value: 0.5 });
    expect(cell('G5')).toEqual({ value: 43895 });
    expect(cell('H3')).toEqual({ value: 24, formula: true });
    // Text results of formulas come in STRING records, a long one over CONTINUE records.
    expect(cell('J4')).toEqual({ value: '事前公示x', formula: true });
    expect(cell('J5')).toEqual({ value: '长'.repeat(3000), formula: true });
    expect(cell('I6')).toEqual({ value: '', formula: true });
    expect(cell('H5')).toEqual({ value: true, formula: true });
    expect(cell('H6')).toEqual({ value: null, error: '#DIV/0!', formula: true });
    // A typed #N/A: LibreOffice writes it as =NA().
    expect(cell('I3')).toEqual({ value: null, error: '#N/A', formula: true });
    expect(cell('I4')).toEqual({ value: new Date('2020-03-06T00:00:00Z'), formula: true });
    expect(cell('E3')).toEqual({ value: '𡒄村 emoji 😀' });
    expect(cell('E6')).toEqual({ value: '中'.repeat(5000) });
    expect(sheet?.merges).toEqual(expect.arrayContaining(['A1:F1', 'A8:A10']));
    expect(sheet?.rows.find((r) => r.rowNumber === 7)?.hidden).toBe(true);
    expect([hidden?.name, hidden?.hidden, empty?.name, empty?.rows]).toEqual(['隐藏表', true, '空表', []]);
  });

  it('reads a workbook of the 1904 date system', async () => {
    const xlsx = await readAll(join(lo, 'every1904.xlsx'));
    const xls = await readAll(join(lo, 'every1904.xls'));
    expect(differences(xlsx, xls).filter((d) => !LIBREOFFICE_REWRITES.some((re) => re.test(d)))).toEqual([]);
    expect(xls[0]?.rows.find((r) => r.rowNumber === 3)?.cells[0]).toEqual({ value: new Date('2020-03-05T00:00:00Z') });
  });

  it('counts what the row and column limits leave out as for the .xlsx', async () => {
    const limits = { ...DEFAULT_LIMITS, maxRowsPerSheet: 100, maxColumns: 3 };
    const xlsx = await readAll(join(lo, 'every.xlsx'), limits);
    const xls = await readAll(join(lo, 'every.xls'), limits);
    expect(differences(xlsx, xls).filter((d) => !LIBREOFFICE_REWRITES.some((re) => re.test(d)))).toEqual([]);
    expect(xls[1]?.truncated).toEqual({ rows: { limit: 100, count: 2900, first: 101 }, columns: { limit: 3, cells: 100, first: 'D1' } });
  });

  it('makes an .xlsx (for the marked-up copy) that reads as the .xls does, but for formulas kept as their results', async () => {
    const book = await xlsAsWorkbook(join(lo, 'every.xls'));
    await book.xlsx.writeFile(join(lo, 'every-copy.xlsx'));
    const asValues = (d: string) => d.replaceAll(' formula', '');
    const diff = differences(await readAll(join(lo, 'every.xls')), await readAll(join(lo, 'every-copy.xlsx'))).map(asValues);
    expect(diff.filter((d) => { const [, a, b] = /: xlsx (.*) ≠ xls (.*)$/.exec(d) ?? []; return a !== b; })).toEqual([]);
  });

  it('refuses a damaged .xls (cut in half) as damaged', async () => {
    const bytes = await readBytes(join(lo, 'every.xls'));
    await writeFile(join(lo, 'half.xls'), bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect(await unreadableMessage(join(lo, 'half.xls'))).toBe(MESSAGE_CORRUPT);
  });
});

describe('.xls written by SheetJS (BIFF8 writer)', () => {
  const sj = join(dir, 'sheetjs');
  const book = () => {
    const ws = XLSX.utils.aoa_to_sheet(
      [
        ['执法公示台账'],
        ['公示日期', '公示类别', '数量', '是否'],
        [new Date(Date.UTC(2020, 2, 5)), '事前公示', 1.5, true],
        [new Date(Date.UTC(2020, 11, 31)), '事后公示', 42, false],
        [43895, '𡒄村', -7, true],
      ],
      { cellDates: true, dateNF: 'yyyy-mm-dd' },
    );
    ws['!merges'] = [XLSX.utils.decode_range('A1:D1')];
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, '台账');
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['选项'], ['事前公示']]), '隐藏表');
    wb.Workbook = { Sheets: [{ Hidden: 0 }, { Hidden: 1 }] };
    return wb;
  };
  beforeAll(async () => {
    await mkdir(sj, { recursive: true });
    XLSX.writeFile(book(), join(sj, 'book.xls'), { bookType: 'biff8' });
    XLSX.writeFile(book(), join(sj, 'book.xlsx'), { bookType: 'xlsx' });
    // WPS saves its .et in the same BIFF8 format.
    await copyFile(join(sj, 'book.xls'), join(sj, 'book.et'));
  });

  it('reads every cell as tally reads the same workbook written as .xlsx', async () => {
    const xls = await readAll(join(sj, 'book.xls'));
    expect(differences(await readAll(join(sj, 'book.xlsx')), xls)).toEqual([]);
    expect(xls.map((s) => [s.name, s.hidden, s.merges])).toEqual([['台账', false, ['A1:D1']], ['隐藏表', true, []]]);
    expect(xls[0]?.rows[2]?.cells).toEqual([{ value: new Date('2020-03-05T00:00:00Z') }, { value: '事前公示' }, { value: 1.5 }, { value: true }]);
  });

  it('makes an .xlsx (for the marked-up copy) that reads as the .xls does', async () => {
    const book = await xlsAsWorkbook(join(sj, 'book.xls'));
    await book.xlsx.writeFile(join(sj, 'copy.xlsx'));
    expect(differences(await readAll(join(sj, 'book.xls')), await readAll(join(sj, 'copy.xlsx')))).toEqual([]);
  });

  it('reads an .et in the BIFF8 format by its content, not its name', async () => {
    expect(differences(await readAll(join(sj, 'book.xls')), await readAll(join(sj, 'book.et')))).toEqual([]);
  });

  it('refuses an encrypted .xls (FILEPASS) with a message saying how to remove the password', async () => {
    const workbook = readCompoundFile(await readBytes(join(sj, 'book.xls'))).stream('Workbook');
    if (workbook === undefined) throw new Error('no Workbook stream');
    const bofLength = 4 + ((workbook[2] ?? 0) | ((workbook[3] ?? 0) << 8));
    // FILEPASS right after the BOF, as Excel writes it: RC4 CryptoAPI (the rest is not read).
    const filepass = Buffer.from([0x2f, 0x00, 0x06, 0x00, 0x01, 0x00, 0x02, 0x00, 0x02, 0x00]);
    // (At least 4,096 bytes: the test container keeps its streams out of the mini stream.)
    const encrypted = Buffer.concat([workbook.subarray(0, bofLength), filepass, workbook.subarray(bofLength), Buffer.alloc(4096)]);
    await writeFile(join(sj, 'encrypted.xls'), compoundFile([{ name: 'Workbook', data: encrypted }]));
    expect(await unreadableMessage(join(sj, 'encrypted.xls'))).toBe(MESSAGE_XLS_ENCRYPTED);
    expect(MESSAGE_XLS_ENCRYPTED).toContain('加密');
  });

  it('refuses Excel 95 (BIFF5), a Word document and a looping sector chain, each with its own message', async () => {
    const biff5 = Buffer.concat([Buffer.from([0x09, 0x08, 0x08, 0x00, 0x00, 0x05, 0x05, 0x00, 0, 0, 0, 0]), Buffer.alloc(4096)]);
    await writeFile(join(sj, 'excel95.xls'), compoundFile([{ name: 'Book', data: biff5 }]));
    expect(await unreadableMessage(join(sj, 'excel95.xls'))).toBe(MESSAGE_XLS_TOO_OLD);
    await writeFile(join(sj, 'word.xls'), compoundFile([{ name: 'WordDocument', data: Buffer.alloc(4096) }]));
    expect(await unreadableMessage(join(sj, 'word.xls'))).toBe(MESSAGE_OLE_NOT_WORKBOOK);
    // The Workbook stream's chain points back at itself: refused at once, never a hang.
    const looping = compoundFile([{ name: 'Workbook', data: Buffer.alloc(5000) }]);
    looping.writeUInt32LE(2, 512 + 2 * 4);
    await writeFile(join(sj, 'loop.xls'), looping);
    expect(await unreadableMessage(join(sj, 'loop.xls'))).toBe(MESSAGE_CORRUPT);
  });
});

/** Where a finding points, as one comparable string (as tests/demo-figures.test.ts). */
const place = (f: { code: string } & Pick<Finding, 'department' | 'file' | 'sheet' | 'cell'>) =>
  `${f.code} ${f.department ?? '-'} ${f.file ?? '-'} ${f.sheet ?? '-'} ${f.cell ?? '-'}`;

describe.skipIf(SOFFICE === undefined)(`the demo inbox saved as .xls by LibreOffice${SOFFICE === undefined ? ` (skipped: ${NO_SOFFICE_REASON})` : ''}`, () => {
  const root = join(dir, 'demo');
  let manifest: DemoManifest;
  let xlsxRun: RunSummary;
  let xlsRun: RunSummary;

  beforeAll(async () => {
    manifest = await generateDemoInbox(join(root, 'xlsx'));
    // The same inbox with every workbook saved as .xls (the CSV stays a CSV).
    for (const dept of await readdir(join(root, 'xlsx'))) {
      const from = join(root, 'xlsx', dept);
      const to = join(root, 'xls', dept);
      await mkdir(to, { recursive: true });
      const files = await readdir(from);
      convertToXls(files.filter((f) => f.endsWith('.xlsx')).map((f) => join(from, f)), to);
      for (const f of files.filter((f) => !f.endsWith('.xlsx'))) await copyFile(join(from, f), join(to, f));
    }
    const run = (inbox: string) =>
      runPipeline({
        config: loadConfig(),
        inbox: join(root, inbox),
        out: join(root, `out-${inbox}`),
        dbPath: join(root, `${inbox}.duckdb`),
        now: () => new Date('2021-03-01T02:00:00Z'),
      });
    xlsxRun = await run('xlsx');
    xlsRun = await run('xls');
  }, 240_000);

  it('reads every file, the workbooks as .xls', async () => {
    const names = (await readdir(join(root, 'xls'), { recursive: true })).filter((f) => f.includes('.'));
    expect(names.filter((f) => f.endsWith('.xls'))).toHaveLength(manifest.files.filter((f) => f.endsWith('.xlsx')).length);
    expect(xlsRun.filesSeen).toBe(manifest.files.length);
    expect(xlsRun.filesRead).toBe(manifest.files.length);
  });

  it('gives the same 20 figures, worded the same', () => {
    const figures = (s: RunSummary) => s.report.indicators.map((i) => [i.code, i.value, i.wording]);
    expect(figures(xlsRun)).toEqual(figures(xlsxRun));
    expect(Object.fromEntries(xlsRun.report.indicators.map((i) => [i.code, i.value]))).toEqual(manifest.expected);
    expect(xlsRun.indicatorsFilled).toBe(20);
  });

  it('gives the same findings at the same cells, with the same messages', () => {
    const asXls = (f: Finding) => ({ ...f, file: f.file?.replace(/\.xlsx$/, '.xls') ?? null });
    const lines = (fs: readonly Finding[]) => fs.map((f) => `${place(f)} ${f.level} ${f.message.replaceAll('.xlsx', '.xls')}`).sort();
    expect(lines(xlsRun.report.findings)).toEqual(lines(xlsxRun.report.findings.map(asXls)));
    const planted = manifest.planted.map((p) => place({ ...p, file: `${p.department}/${p.file.replace(/\.xlsx$/, '.xls')}` }));
    expect(xlsRun.report.findings.map(place).sort()).toEqual(expect.arrayContaining(planted));
    expect(basename(xlsRun.report.findings.find((f) => f.file?.endsWith('.xls'))?.file ?? '')).toMatch(/\.xls$/);
  });

  it('marks the findings on an .xlsx copy of each .xls, as on the copies of the .xlsx files', async () => {
    const names = (m: RunSummary['marked']) => (m?.files ?? []).map((f) => `${f.department}/${f.name}`).sort();
    expect(xlsRun.marked?.skipped).toEqual([]);
    expect(names(xlsRun.marked)).toEqual(names(xlsxRun.marked));
    const copy = xlsRun.marked?.files.find((f) => f.file.endsWith('.xls'));
    expect(copy?.name).toMatch(/[^s]\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(copy?.path ?? '');
    const filled: string[] = [];
    book.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => {
      const fill = cell.fill as { fgColor?: { argb?: string } } | undefined;
      if (fill?.fgColor?.argb === 'FFFFC7CE') filled.push(cell.address);
    })));
    expect(filled.length).toBeGreaterThan(0);
  });
});
