/**
 * The exceljs path of a marked copy (see mark-up-workbook.ts): what the package patcher cannot
 * handle safely, an .xls or an .ods (written as an .xlsx of what tally read: exceljs writes neither) and a
 * CSV (an .xlsx copy of its text). The workbook is loaded whole, marked, written back. In a module
 * of its own so that exceljs loads only when a copy takes this path.
 */
import type ExcelJS from 'exceljs';
import { Workbook } from '../exceljs-workbook.ts';
import { writeXlsxFile } from '../xlsx-file.ts';
import type { Finding, Level } from '../../pipeline/kernel/findings/findings.ts';
import { readCsv } from '../../sheets/csv-reader.ts';
import { DEFAULT_LIMITS } from '../../sheets/raw-sheet.ts';
import { SNIFF_BYTES, sniffFormat } from '../../sheets/sniff-format.ts';
import { fullNote, MARK_FILLS, MAX_CELLS_PER_FINDING, NOTES_HEADERS, NOTES_SHEET, NOTES_WIDTHS, notesRow, omittedLine, worst } from './marks.ts';
import type { MarkUpInput, MarkUpResult } from './mark-up-workbook.ts';

/** `zip`: the bytes are a zip package (an .xlsx the patcher could not take). */
export async function markUpWithExceljs(input: MarkUpInput, bytes: Buffer, zip: boolean): Promise<MarkUpResult> {
  // An .xls becomes an .xlsx of what tally read (exceljs writes no BIFF); a CSV, a sheet of its text.
  // An .ods (a zip too) is copied as an .xls is: an .xlsx of what tally read.
  const workbook: { book: ExcelJS.Workbook; csvSheet?: ExcelJS.Worksheet } = zip
    ? { book: isOds(bytes) ? await odsWorkbook(input.source) : await loadXlsx(input.source) }
    : isOle(bytes)
      ? { book: await (await import('../../sheets/xls/xls-as-workbook.ts')).xlsAsWorkbook(input.source) }
      : csvWorkbook(bytes, stemOf(input.fileName));

  const csvSheet = workbook.csvSheet;
  const sheetOf = (name: string | null) => (name === null ? undefined : (workbook.book.getWorksheet(name) ?? (name === stemOf(input.fileName) ? csvSheet : undefined)));
  const marks = new Map<string, { cell: ExcelJS.Cell; findings: Finding[]; notes: Finding[] }>();
  const unplaced: Finding[] = [];
  for (const f of input.findings) {
    const sheet = sheetOf(f.sheet);
    const cells = sheet === undefined ? [] : cellsOf(sheet, f.cell);
    if (sheet === undefined || cells.length === 0) {
      unplaced.push(f);
      continue;
    }
    cells.forEach((cell, n) => {
      const target = cell.isMerged ? cell.master : cell;
      const key = `${sheet.id}!${target.address}`;
      const mark = marks.get(key) ?? { cell: target, findings: [], notes: [] };
      if (!mark.findings.includes(f)) mark.findings.push(f);
      // A finding about a whole row or range is explained once, on its first cell.
      if (n === 0 && !mark.notes.includes(f)) mark.notes.push(f);
      marks.set(key, mark);
    });
  }

  for (const { cell, findings, notes } of marks.values()) {
    const level: Level = worst(findings);
    // A new style object: exceljs shares one style object among the cells of a style, so setting
    // `cell.fill` would colour every cell that looks like this one.
    cell.style = { ...cell.style, fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: MARK_FILLS[level] } } };
    if (notes.length > 0) cell.note = noteFor(notes, existingNote(cell));
  }

  const omitted = input.omitted ?? 0;
  if (unplaced.length > 0 || omitted > 0) addNotesSheet(workbook.book, unplaced, omitted, input.findings.length);
  await writeXlsxFile(workbook.book, input.target);
  return { cells: marks.size, listed: unplaced.length };
}

function noteFor(findings: readonly Finding[], before: string | null): ExcelJS.Comment {
  return { texts: [{ text: clean(fullNote(findings, before)) }] } as ExcelJS.Comment;
}

function existingNote(cell: ExcelJS.Cell): string | null {
  const note = cell.note as ExcelJS.Comment | string | undefined;
  if (note === undefined || note === null) return null;
  if (typeof note === 'string') return note;
  return (note.texts ?? []).map((t) => t.text).join('') || null;
}

/** The cells a finding points at: an A1 address, a row (`7`: its used cells), or a range (`A1:F1`). */
function cellsOf(sheet: ExcelJS.Worksheet, where: string | null): ExcelJS.Cell[] {
  if (where === null) return [];
  const a1 = where.trim().toUpperCase();
  if (/^[A-Z]{1,3}[1-9]\d*$/.test(a1)) return [sheet.getCell(a1)];
  if (/^[1-9]\d*$/.test(a1)) {
    const row = sheet.getRow(Number(a1));
    const used: ExcelJS.Cell[] = [];
    row.eachCell({ includeEmpty: false }, (cell) => {
      if (used.length < MAX_CELLS_PER_FINDING) used.push(cell);
    });
    // A row with nothing in it (it was blank, or the finding names a row the copy lacks): its first cell.
    return used.length > 0 ? used : [row.getCell(1)];
  }
  const range = /^([A-Z]{1,3})([1-9]\d*):([A-Z]{1,3})([1-9]\d*)$/.exec(a1);
  if (range === null) return [];
  const [, c1 = 'A', r1 = '1', c2 = 'A', r2 = '1'] = range;
  const cells: ExcelJS.Cell[] = [];
  for (let r = Math.min(Number(r1), Number(r2)); r <= Math.max(Number(r1), Number(r2)); r++) {
    for (let c = Math.min(column(c1), column(c2)); c <= Math.max(column(c1), column(c2)); c++) {
      if (cells.length < MAX_CELLS_PER_FINDING) cells.push(sheet.getCell(r, c));
    }
  }
  return cells;
}

function column(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

function addNotesSheet(workbook: ExcelJS.Workbook, findings: readonly Finding[], omitted: number, marked: number): void {
  let name = NOTES_SHEET;
  for (let i = 2; workbook.getWorksheet(name) !== undefined; i++) name = `${NOTES_SHEET}${i}`;
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }] });
  // First in the workbook: exceljs orders sheets by `orderNo` (untyped) when it writes.
  const ordered = (s: ExcelJS.Worksheet) => s as ExcelJS.Worksheet & { orderNo: number };
  ordered(sheet).orderNo = workbook.worksheets.reduce((m, s) => Math.min(m, ordered(s).orderNo), Infinity) - 1;
  const header = sheet.addRow([...NOTES_HEADERS]);
  header.font = { name: '宋体', size: 11, bold: true };
  findings.forEach((f, n) => {
    const row = sheet.addRow(notesRow(f, n).map((v) => (typeof v === 'string' ? clean(v) : v)));
    row.getCell(2).style = { fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: MARK_FILLS[f.level] } } };
    row.alignment = { vertical: 'top', wrapText: true };
  });
  if (omitted > 0) {
    const more = omittedLine(marked, omitted);
    sheet.addRow(['', '', '', '', '', more]).font = { name: '宋体', size: 11, bold: true, color: { argb: 'FF9C0006' } };
  }
  NOTES_WIDTHS.forEach((w, i) => (sheet.getColumn(i + 1).width = w));
}

async function loadXlsx(path: string): Promise<ExcelJS.Workbook> {
  const workbook = new Workbook();
  await workbook.xlsx.readFile(path);
  return workbook;
}

/**
 * A CSV as a workbook of one sheet named after the file, decoded as the pipeline reads it (BOM,
 * UTF-8, else GB18030), each record on the row number the findings use. Every cell is a string
 * cell, except plain numbers (no leading zero), which are numbers.
 */
function csvWorkbook(bytes: Buffer, sheetName: string): { book: ExcelJS.Workbook; csvSheet: ExcelJS.Worksheet } {
  const raw = readCsv(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), sheetName);
  const workbook = new Workbook();
  workbook.creator = 'tally';
  const sheet = workbook.addWorksheet(safeSheetName(sheetName));
  const widths: number[] = [];
  for (const row of raw.rows) {
    row.cells.forEach((c, i) => {
      if (c === undefined || c.value === null) return;
      const text = String(c.value);
      sheet.getCell(row.rowNumber, i + 1).value = /^-?(0|[1-9]\d{0,14})(\.\d+)?$/.test(text) ? Number(text) : clean(text);
      widths[i] = Math.max(widths[i] ?? 0, [...text].reduce((w, ch) => w + ((ch.codePointAt(0) ?? 0) > 0x2e7f ? 2 : 1), 0));
    });
  }
  widths.forEach((w, i) => (sheet.getColumn(i + 1).width = Math.min(50, Math.max(8, w + 2))));
  return { book: workbook, csvSheet: sheet };
}

/** Excel's sheet names: at most 31 characters, none of `\ / ? * [ ] :`. */
function safeSheetName(name: string): string {
  return name.replace(/[\\/?*[\]:]/g, '_').slice(0, 31) || 'Sheet1';
}

function stemOf(name: string): string {
  return name.replace(/\.[^./]*$/, '');
}

/** An OpenDocument spreadsheet, as the read stage tells one. */
function isOds(bytes: Buffer): boolean {
  return sniffFormat(bytes.subarray(0, SNIFF_BYTES), '') === 'ods';
}

async function odsWorkbook(path: string): Promise<ExcelJS.Workbook> {
  const { xlsAsWorkbook } = await import('../../sheets/xls/xls-as-workbook.ts');
  const { streamOds } = await import('../../sheets/ods/ods-reader.ts');
  return xlsAsWorkbook(path, DEFAULT_LIMITS, streamOds);
}

/** An OLE2 compound file: a legacy .xls (or a WPS .et saved as one). */
function isOle(bytes: Buffer): boolean {
  return bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
}

/** XML-illegal control characters dropped, nothing else changed. */
function clean(text: string): string {
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
}
