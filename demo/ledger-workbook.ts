/**
 * A small builder for ledger workbooks and CSV files laid out the way department clerks make
 * them: a merged title, a 填报单位/填报日期 row, a one- or two-level header, a 栏次 or 单位 row,
 * a 合计 row at the top or the bottom, notes after the data. The demo inbox is written with it,
 * and tests use it to plant one mistake at a known cell ({@link layoutOf} says where).
 *
 * @example
 * const spec: SheetSpec = {
 *   name: 'Sheet1',
 *   title: '安定镇2020年度法律援助台账',
 *   header: ['案件编号', '受理日期'],
 *   rows: [['兴法援〔2020〕第001号', new Date(Date.UTC(2020, 2, 5))]],
 * };
 * await writeLedgerWorkbook('/tmp/a.xlsx', [spec]);
 * layoutOf(spec).rowOfData(0); // 3: title in row 1, header in row 2
 */
import { writeFile } from 'node:fs/promises';
import type ExcelJS from 'exceljs';
import { Workbook } from '../reports/exceljs-workbook.ts';
import iconv from 'iconv-lite';
import { shareStyles } from '../reports/share-styles.ts';
import { writeXlsxFile } from '../reports/xlsx-file.ts';

export type CellInput =
  | string
  | number
  | boolean
  | Date
  | null
  | { formula: string; result?: string | number | boolean | { error: string } }
  /** An error value typed into the cell, e.g. `#DIV/0!`. */
  | { error: string }
  /** Runs of rich text. */
  | { richText: string[] };

/** A plain header label, or a group: two-level merged header over its children. */
export type HeaderInput = string | { group: string; children: string[] };

export interface SheetSpec {
  name: string;
  /** Row 1, merged across all columns, bold, bigger font. */
  title?: string;
  /** Rows under the title, e.g. `[['填报单位：安定镇综合执法队', null, null, '填报日期：2021年1月8日']]`. */
  preamble?: CellInput[][];
  /**
   * If any entry is a group there are two header rows: plain entries merged vertically over
   * both, each group merged horizontally over its children.
   */
  header: HeaderInput[];
  /** A 栏次 row 1, 2, 3 … just under the header. */
  columnNumbers?: boolean;
  /** Or a 单位 row such as `['', '', '单位：件']`. */
  unitRow?: CellInput[];
  /** Data rows; `null` entries are empty cells; an empty array is a blank row inside the data. */
  rows: CellInput[][];
  /** A 合计 row, e.g. `['合计', null, null, 1236]`. */
  total?: { position: 'top' | 'bottom'; cells: CellInput[] };
  /** Rows after the data, each merged across the columns: `注：…`, `填报人：张三  审核人：李四`. */
  notes?: string[];
  /** Extra merged ranges in A1 notation (e.g. a date merged over several data rows). */
  merges?: string[];
  /** 1-based sheet row numbers to hide. */
  hiddenRows?: number[];
  /** 1-based column numbers to hide. */
  hiddenColumns?: number[];
  /** Column (1-based) → numFmt, e.g. `yyyy"年"m"月"d"日"` for Date cells. */
  numberFormats?: Record<number, string>;
  state?: 'visible' | 'hidden';
}

export interface SheetLayout {
  /** The sheet rows holding the header (one, or two for a grouped header). */
  headerRows: number[];
  /** Sheet row of `rows[0]`. */
  firstDataRow: number;
  /** Sheet row of `rows[i]` (blank rows count: they occupy a row). */
  rowOfData: (i: number) => number;
  /** 1-based column of a leaf header label (a plain entry or a group's child). */
  columnOf: (header: string) => number;
  /** Sheet row of the 合计 row, if any. */
  totalRow: number | null;
  /** Sheet rows of the notes. */
  noteRows: number[];
  /** Number of columns (leaf headers). */
  columnCount: number;
}

/** 1-based column number to letters: 1 → A, 28 → AB. */
export function columnLetter(column: number): string {
  let n = column;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** A1 address from a 1-based column and row. */
export function a1(column: number, row: number): string {
  return `${columnLetter(column)}${row}`;
}

function leafHeaders(header: HeaderInput[]): string[] {
  return header.flatMap((h) => (typeof h === 'string' ? [h] : h.children));
}

/** Where everything of a sheet lands, so a test can compute the address of a planted cell. */
export function layoutOf(spec: SheetSpec): SheetLayout {
  let row = 1;
  if (spec.title !== undefined) row += 1;
  row += spec.preamble?.length ?? 0;
  const twoLevels = spec.header.some((h) => typeof h !== 'string');
  const headerRows = twoLevels ? [row, row + 1] : [row];
  row += headerRows.length;
  if (spec.columnNumbers) row += 1;
  if (spec.unitRow) row += 1;
  let totalRow: number | null = null;
  if (spec.total?.position === 'top') totalRow = row++;
  const firstDataRow = row;
  row += spec.rows.length;
  if (spec.total?.position === 'bottom') totalRow = row++;
  const noteRows = (spec.notes ?? []).map((_, i) => row + i);
  const leaves = leafHeaders(spec.header);
  // Labels compared without line breaks and spaces, so `columnOf('法制审核日期')` finds `法制审核\n日期`.
  const fold = (s: string) => s.replace(/\s+/g, '');
  return {
    headerRows,
    firstDataRow,
    rowOfData: (i) => {
      if (i < 0 || i >= spec.rows.length) throw new RangeError(`no data row ${i} in sheet ${spec.name}`);
      return firstDataRow + i;
    },
    columnOf: (header) => {
      let i = leaves.indexOf(header);
      if (i < 0) i = leaves.findIndex((l) => fold(l) === fold(header));
      if (i < 0) throw new Error(`no column ${header} in sheet ${spec.name}`);
      return i + 1;
    },
    totalRow,
    noteRows,
    columnCount: leaves.length,
  };
}

const ERROR_VALUES = ['#N/A', '#REF!', '#NAME?', '#DIV/0!', '#NULL!', '#VALUE!', '#NUM!'] as const;
type ErrorText = (typeof ERROR_VALUES)[number];

function errorValue(error: string): { error: ErrorText } {
  const found = ERROR_VALUES.find((e) => e === error);
  if (!found) throw new Error(`not an Excel error value: ${error}`);
  return { error: found };
}

function toCellValue(input: CellInput | undefined): ExcelJS.CellValue {
  if (input === undefined || input === null) return null;
  if (typeof input !== 'object' || input instanceof Date) return input;
  if ('formula' in input) {
    const r = input.result;
    const result = r !== null && typeof r === 'object' ? errorValue(r.error) : r;
    return result === undefined ? { formula: input.formula } : { formula: input.formula, result };
  }
  if ('error' in input) return errorValue(input.error);
  return { richText: input.richText.map((text) => ({ text })) };
}

/** Display width of a value, counting CJK characters double. */
function displayWidth(input: CellInput | undefined): number {
  if (input === undefined || input === null) return 0;
  let text: string;
  if (input instanceof Date) text = '2020年12月31日';
  else if (typeof input === 'object') {
    if ('richText' in input) text = input.richText.join('');
    else if ('formula' in input) text = String(typeof input.result === 'object' ? input.result.error : (input.result ?? ''));
    else text = input.error;
  } else text = String(input);
  const longestLine = text.split('\n').reduce((m, l) => Math.max(m, l.length + (l.match(/[^\x00-\xff]/g)?.length ?? 0)), 0);
  return longestLine;
}

const THIN: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};
const FONT = 'SimSun';
/** Fonts and alignments, one object each for all their cells: styles are told apart once per object (reports/share-styles.ts). */
const FONT_10: Partial<ExcelJS.Font> = { name: FONT, size: 10 };
const FONT_11: Partial<ExcelJS.Font> = { name: FONT, size: 11 };
const FONT_11_BOLD: Partial<ExcelJS.Font> = { name: FONT, size: 11, bold: true };
const FONT_16_BOLD: Partial<ExcelJS.Font> = { name: FONT, size: 16, bold: true };
const CENTRED: Partial<ExcelJS.Alignment> = { horizontal: 'center', vertical: 'middle' };
const CENTRED_WRAPPED: Partial<ExcelJS.Alignment> = { horizontal: 'center', vertical: 'middle', wrapText: true };
const NOTE_ALIGNMENT: Partial<ExcelJS.Alignment> = { horizontal: 'left', vertical: 'middle', wrapText: true };

function addSheet(workbook: ExcelJS.Workbook, spec: SheetSpec): void {
  const ws = workbook.addWorksheet(spec.name, { state: spec.state ?? 'visible' });
  // A sheet left as Excel made it (`Sheet2`): nothing on it.
  if (spec.header.length === 0 && spec.rows.length === 0 && spec.title === undefined) return;
  const layout = layoutOf(spec);
  const cols = layout.columnCount;
  const leaves = leafHeaders(spec.header);
  const lastCol = columnLetter(cols);
  const put = (row: number, values: readonly (CellInput | undefined)[], style?: (cell: ExcelJS.Cell, col: number) => void) => {
    values.forEach((v, i) => {
      const cell = ws.getCell(row, i + 1);
      cell.value = toCellValue(v);
      style?.(cell, i + 1);
    });
  };
  const numFmtFor = (col: number, v: CellInput | undefined): string | undefined => {
    const fmt = spec.numberFormats?.[col];
    if (fmt !== undefined && v !== null && v !== undefined) return fmt;
    return v instanceof Date ? 'yyyy-mm-dd' : undefined;
  };
  const bordered = (cell: ExcelJS.Cell) => {
    cell.border = THIN;
    cell.font = FONT_11;
  };

  let row = 1;
  if (spec.title !== undefined) {
    const cell = ws.getCell(1, 1);
    cell.value = spec.title;
    cell.font = FONT_16_BOLD;
    cell.alignment = CENTRED;
    if (cols > 1) ws.mergeCells(`A1:${lastCol}1`);
    ws.getRow(1).height = 30;
    row = 2;
  }
  for (const pre of spec.preamble ?? []) {
    put(row, pre, (cell) => (cell.font = FONT_11));
    row += 1;
  }

  // Header: one row, or two with groups merged across and plain labels merged down.
  const [top, second] = layout.headerRows;
  if (top === undefined) throw new Error('unreachable: a sheet has a header row');
  const headerStyle = (cell: ExcelJS.Cell) => {
    cell.border = THIN;
    cell.font = FONT_11_BOLD;
    cell.alignment = CENTRED_WRAPPED;
  };
  let col = 1;
  for (const h of spec.header) {
    if (typeof h === 'string') {
      const cell = ws.getCell(top, col);
      cell.value = h;
      headerStyle(cell);
      if (second !== undefined) {
        headerStyle(ws.getCell(second, col));
        ws.mergeCells(top, col, second, col);
      }
      col += 1;
    } else {
      if (second === undefined) throw new Error('unreachable: a group implies two header rows');
      const cell = ws.getCell(top, col);
      cell.value = h.group;
      headerStyle(cell);
      h.children.forEach((child, i) => {
        const c = ws.getCell(second, col + i);
        c.value = child;
        headerStyle(c);
        if (i > 0) headerStyle(ws.getCell(top, col + i));
      });
      if (h.children.length > 1) ws.mergeCells(top, col, top, col + h.children.length - 1);
      col += h.children.length;
    }
  }
  const headerHeight = Math.max(...leaves.map((l) => l.split('\n').length), 1);
  for (const r of layout.headerRows) ws.getRow(r).height = Math.max(20, headerHeight * 16);
  row = (second ?? top) + 1;

  if (spec.columnNumbers) {
    put(row, leaves.map((_, i) => i + 1), (cell) => {
      headerStyle(cell);
      cell.font = FONT_10;
    });
    row += 1;
  }
  if (spec.unitRow) {
    put(row, spec.unitRow, (cell) => (cell.font = FONT_10));
    row += 1;
  }

  const dataStyle = (values: readonly (CellInput | undefined)[]) => (cell: ExcelJS.Cell, c: number) => {
    bordered(cell);
    const fmt = numFmtFor(c, values[c - 1]);
    if (fmt !== undefined) cell.numFmt = fmt;
  };
  if (spec.total && layout.totalRow !== null) {
    const cells = spec.total.cells;
    put(layout.totalRow, cells, (cell, c) => {
      dataStyle(cells)(cell, c);
      cell.font = FONT_11_BOLD;
    });
  }
  spec.rows.forEach((values, i) => put(layout.rowOfData(i), values, dataStyle(values)));

  for (const [i, note] of (spec.notes ?? []).entries()) {
    const r = layout.noteRows[i];
    if (r === undefined) continue;
    const cell = ws.getCell(r, 1);
    cell.value = note;
    cell.font = FONT_10;
    cell.alignment = NOTE_ALIGNMENT;
    if (cols > 1) ws.mergeCells(`A${r}:${lastCol}${r}`);
  }
  for (const range of spec.merges ?? []) ws.mergeCells(range);
  for (const r of spec.hiddenRows ?? []) ws.getRow(r).hidden = true;

  // Widths: fit the longest header line or value, CJK counted double, within reason.
  for (let c = 1; c <= cols; c++) {
    let width = displayWidth(leaves[c - 1]);
    for (const values of spec.rows) width = Math.max(width, displayWidth(values[c - 1]));
    const column = ws.getColumn(c);
    column.width = Math.min(40, Math.max(8, width + 2));
    if (spec.hiddenColumns?.includes(c)) column.hidden = true;
  }
  ws.views = [{ state: 'frozen', ySplit: (second ?? top), xSplit: 0 }];
}

/**
 * Writes an .xlsx with one worksheet per spec (exceljs Workbook, not streaming). Dates are
 * written as Excel date serials: pass UTC-midnight Dates (`new Date(Date.UTC(2020, 2, 5))`).
 */
export async function writeLedgerWorkbook(path: string, sheets: SheetSpec[]): Promise<void> {
  const workbook = new Workbook();
  // Fixed document properties, so the same specs give the same workbook metadata.
  const stamp = new Date(Date.UTC(2021, 0, 8, 1, 0, 0));
  workbook.creator = '安定镇';
  workbook.lastModifiedBy = '安定镇';
  workbook.created = stamp;
  workbook.modified = stamp;
  for (const spec of sheets) addSheet(workbook, spec);
  shareStyles(workbook);
  await writeXlsxFile(workbook, path);
}

/** One CSV field, quoted when it holds the delimiter, a quote, a line break or edge spaces. */
function csvField(value: string | number, delimiter: string): string {
  const s = String(value);
  const needsQuotes = s.includes(delimiter) || /["\r\n]/.test(s) || /^\s|\s$/.test(s);
  return needsQuotes ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Writes a CSV as Excel saves it: CRLF line ends; UTF-8 (default), UTF-8 with a BOM, or
 * GB18030 (what Excel on a Chinese Windows calls "CSV" — GBK is its subset).
 */
export async function writeCsv(
  path: string,
  rows: (string | number)[][],
  opts: { encoding?: 'utf-8' | 'utf-8-bom' | 'gb18030'; delimiter?: string } = {},
): Promise<void> {
  const delimiter = opts.delimiter ?? ',';
  const text = rows.map((r) => r.map((v) => csvField(v, delimiter)).join(delimiter)).join('\r\n') + '\r\n';
  const encoding = opts.encoding ?? 'utf-8';
  const bytes =
    encoding === 'gb18030'
      ? iconv.encode(text, 'gb18030')
      : Buffer.from(encoding === 'utf-8-bom' ? `\ufeff${text}` : text, 'utf8');
  await writeFile(path, bytes);
}
