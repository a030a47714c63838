/**
 * A sheet's cells with merged ranges resolved: every cell of a merged range reads as its
 * top-left cell, and knows how wide the range is (a banner merged across the table is a title,
 * a note or a section line, never data).
 */
import { parseAddress, type RawCell, type RawSheet } from './raw-sheet.ts';

export interface GridCell extends RawCell {
  /** Columns spanned by the merged range this cell belongs to (1 when not merged). */
  readonly span: number;
  /** True for a cell that is not the top-left of its merged range. */
  readonly copied: boolean;
}

export interface SheetGrid {
  readonly name: string;
  /** Row numbers that hold at least one cell, ascending. */
  readonly rowNumbers: readonly number[];
  readonly columnCount: number;
  cell(row: number, column: number): GridCell | undefined;
  isHidden(row: number): boolean;
}

export function buildGrid(sheet: RawSheet): SheetGrid {
  const rows = new Map<number, { hidden: boolean; cells: (GridCell | undefined)[] }>();
  let columnCount = 0;
  for (const r of sheet.rows) {
    const cells = r.cells.map((c) => (c === undefined ? undefined : { ...c, span: 1, copied: false }));
    rows.set(r.rowNumber, { hidden: r.hidden, cells });
    columnCount = Math.max(columnCount, cells.length);
  }
  for (const range of sheet.merges) {
    const [a, b] = range.split(':');
    if (a === undefined || b === undefined) continue;
    let from: { column: number; row: number };
    let to: { column: number; row: number };
    try {
      from = parseAddress(a);
      to = parseAddress(b);
    } catch {
      continue; // a malformed merge reference is ignored: the cells stay as stored
    }
    // Guard against absurd ranges (A1:XFD1048576) in hostile files.
    if ((to.row - from.row + 1) * (to.column - from.column + 1) > 1_000_000) continue;
    const master = rows.get(from.row)?.cells[from.column];
    const span = to.column - from.column + 1;
    for (let r = from.row; r <= to.row; r++) {
      let row = rows.get(r);
      if (row === undefined) {
        row = { hidden: false, cells: [] };
        rows.set(r, row);
      }
      for (let c = from.column; c <= to.column; c++) {
        const isMaster = r === from.row && c === from.column;
        const base = isMaster ? master : undefined;
        row.cells[c] = master === undefined && base === undefined
          ? { value: null, span, copied: !isMaster }
          : { ...(master as RawCell), span, copied: !isMaster };
        columnCount = Math.max(columnCount, c + 1);
      }
    }
  }
  const rowNumbers = [...rows.keys()].sort((x, y) => x - y);
  return {
    name: sheet.name,
    rowNumbers,
    columnCount,
    cell: (row, column) => rows.get(row)?.cells[column],
    isHidden: (row) => rows.get(row)?.hidden ?? false,
  };
}

/** True when a cell holds something (a value or an error). */
export function hasContent(cell: RawCell | undefined): boolean {
  if (cell === undefined) return false;
  if (cell.error !== undefined) return true;
  const v = cell.value;
  if (v === null) return false;
  if (typeof v === 'string') return v.trim().replace(/[\u3000\u00a0]/g, '') !== '';
  return true;
}

/**
 * A formula cell saved without its calculated value: no cached result and no error (files
 * written by other software, or by Excel with calculation set to manual). Not an empty result:
 * a formula giving "" has the value ''.
 */
export function isUncachedFormula(cell: RawCell | undefined): boolean {
  return cell !== undefined && cell.formula === true && cell.value === null && cell.error === undefined;
}

/**
 * The grid seen through a column filter: cells of other columns read as empty. For reading one
 * of two ledgers laid side by side on a sheet without the other's cells.
 */
export function keepColumns(grid: SheetGrid, keep: (column: number) => boolean): SheetGrid {
  return {
    name: grid.name,
    rowNumbers: grid.rowNumbers,
    columnCount: grid.columnCount,
    cell: (row, column) => (keep(column) ? grid.cell(row, column) : undefined),
    isHidden: (row) => grid.isHidden(row),
  };
}
