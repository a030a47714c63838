/**
 * One style object for all the cells that look alike, before exceljs writes a workbook.
 *
 * exceljs gives every cell its own style object (a copy of its row's and column's), and when it
 * writes, it turns each cell's style into XML (font, border, fill, alignment) to find its index,
 * unless it has seen that very object before (a WeakMap). A report workbook of ~5,000 styled
 * cells spent ~0.3 s there, a demo ledger ~40 ms. Cells whose styles are equal are given one
 * shared object here, so exceljs renders each distinct style once. The file is the same: the
 * same styles, found in the same order, at the same indexes.
 *
 * The cell's kind is part of the key: a style without a number format is written as `General`
 * for a number and as a date format for a date, and exceljs remembers the index of the first
 * cell it saw with an object.
 *
 * Call it last, just before writing: a shared object must not be changed through one cell
 * (`cell.font = …` changes the cell's style object in place).
 */
import type ExcelJS from 'exceljs';

// exceljs's ValueType numbers (doc/enums.js): not imported, so this module does not load exceljs.
const NULL = 0;
const NUMBER = 2;
const DATE = 4;
const FORMULA = 6;

/** How exceljs picks the number format of a style that has none (styles-xform addStyleModel). */
function formatKind(cell: ExcelJS.Cell): 'N' | 'D' | '-' {
  const type = cell.type as number;
  if (type === FORMULA) {
    const result: unknown = cell.result;
    if (result === null || result === undefined || typeof result === 'number') return 'N';
    return result instanceof Date ? 'D' : '-';
  }
  if (type === NULL || type === NUMBER) return 'N';
  return type === DATE ? 'D' : '-';
}

export function shareStyles(workbook: ExcelJS.Workbook): void {
  const shared = new Map<string, Partial<ExcelJS.Style>>();
  // Each part of a style (a font, a border…) is often one object shared by many cells: its text
  // is made once.
  const texts = new WeakMap<object, string>();
  const text = (part: unknown): string => {
    if (part === undefined) return '';
    if (part === null || typeof part !== 'object') return JSON.stringify(part);
    let t = texts.get(part);
    if (t === undefined) texts.set(part, (t = JSON.stringify(part)));
    return t;
  };
  workbook.eachSheet((sheet) => {
    sheet.eachRow({ includeEmpty: true }, (row) => {
      for (const cell of cellsOf(row)) {
        const style = cell.style as Partial<ExcelJS.Style> | undefined;
        if (style === undefined || style === null) continue;
        // What exceljs writes of a style (styles-xform addStyleModel), and nothing else.
        const key = [formatKind(cell), text(style.numFmt), text(style.font), text(style.border), text(style.fill), text(style.alignment), text(style.protection)].join('\u0000');
        const same = shared.get(key);
        if (same === undefined) shared.set(key, style);
        else if (same !== style) cell.style = same;
      }
    });
  });
}

/**
 * The cells a row holds, empty ones included (a bordered empty cell is written too), without
 * making new ones: `eachCell({ includeEmpty: true })` creates a cell in every gap, which would
 * change the row's span in the file. exceljs keeps them in `_cells`, a sparse array.
 */
function cellsOf(row: ExcelJS.Row): ExcelJS.Cell[] {
  const cells = (row as unknown as { readonly _cells?: unknown })._cells;
  if (!Array.isArray(cells)) {
    // Another exceljs: the cells with a value only.
    const found: ExcelJS.Cell[] = [];
    row.eachCell((cell) => found.push(cell));
    return found;
  }
  return (cells as (ExcelJS.Cell | undefined)[]).filter((c): c is ExcelJS.Cell => c !== undefined && c !== null);
}
