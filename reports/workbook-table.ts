/**
 * One sheet of a report workbook as a table: a bold, filled, frozen header with a filter, text
 * cells written as inert strings, status and level cells coloured, columns as wide as their text
 * (CJK counted double). Shared by the report, 溯源 and the verify workbook.
 */
import type ExcelJS from 'exceljs';

export const FONT: Partial<ExcelJS.Font> = { name: '宋体', size: 11 };
const HEADER_FILL = 'FFDDEBF7';
/** Fills for status and level cells: red-ish for errors, yellow for warnings, grey for 缺报. */
const STATUS_FILLS: Readonly<Record<string, string>> = {
  有错误: 'FFFFC7CE',
  错误: 'FFFFC7CE',
  有警告: 'FFFFEB9C',
  警告: 'FFFFEB9C',
  缺报: 'FFD9D9D9',
};
/**
 * The styles' parts, one object each for all the cells that use it (exceljs keeps a reference):
 * the workbook's styles are told apart once per object, not once per cell (share-styles.ts).
 */
const HEADER_FONT: Partial<ExcelJS.Font> = { ...FONT, bold: true };
const HEADER_FILL_PATTERN: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: HEADER_FILL } };
const HEADER_ALIGNMENT: Partial<ExcelJS.Alignment> = { vertical: 'middle', horizontal: 'center' };
const CELL_ALIGNMENT: Partial<ExcelJS.Alignment> = { vertical: 'top', wrapText: true };
const STATUS_FILL_PATTERNS: ReadonlyMap<string, ExcelJS.Fill> = new Map(
  Object.entries(STATUS_FILLS).map(([status, argb]) => [status, { type: 'pattern', pattern: 'solid', fgColor: { argb } }]),
);
const MIN_WIDTH = 6;
const MAX_WIDTH = 50;

export type Value = string | number | null;

export interface TableSpec {
  readonly name: string;
  readonly headers: readonly string[];
  readonly rows: readonly (readonly Value[])[];
  /** 0-based columns whose cells are coloured by STATUS_FILLS. */
  readonly statusColumns: readonly number[];
  /** Excel number formats by 0-based column (e.g. a percentage). */
  readonly numberFormats?: Readonly<Record<number, string>>;
}

export function addTable(workbook: ExcelJS.Workbook, spec: TableSpec): void {
  const sheet = workbook.addWorksheet(spec.name, {
    views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }],
  });
  const widths = spec.headers.map((h) => displayWidth(h));

  const header = sheet.addRow([...spec.headers]);
  header.eachCell((cell) => {
    cell.font = HEADER_FONT;
    cell.fill = HEADER_FILL_PATTERN;
    cell.alignment = HEADER_ALIGNMENT;
  });

  for (const values of spec.rows) {
    const row = sheet.addRow(values.map(cellValue));
    values.forEach((value, col) => {
      const cell = row.getCell(col + 1);
      cell.font = FONT;
      cell.alignment = CELL_ALIGNMENT;
      const fill = typeof value === 'string' && spec.statusColumns.includes(col) ? STATUS_FILL_PATTERNS.get(value) : undefined;
      if (fill !== undefined) cell.fill = fill;
      const format = spec.numberFormats?.[col];
      if (format !== undefined && typeof value === 'number') cell.numFmt = format;
      if (value !== null) widths[col] = Math.max(widths[col] ?? 0, format !== undefined ? 8 : displayWidth(String(value)));
    });
  }

  widths.forEach((w, col) => {
    sheet.getColumn(col + 1).width = Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, w + 2));
  });
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: spec.headers.length } };
}

/** Text as an inert string cell: XML-illegal control characters dropped, nothing else changed. */
export function cellValue(value: Value): Value {
  if (typeof value !== 'string') return value;
  return value.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
}

/** Column width in Excel units: CJK and full-width characters count double; longest line wins. */
export function displayWidth(text: string): number {
  let widest = 0;
  for (const line of text.split(/\r?\n/)) {
    let width = 0;
    for (const ch of line) width += isWide(ch.codePointAt(0) ?? 0) ? 2 : 1;
    widest = Math.max(widest, width);
  }
  return widest;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

