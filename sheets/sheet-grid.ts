/**
 * A sheet's cells with merged ranges resolved: every cell of a merged range reads as its
 * top-left cell, and knows how wide the range is (a banner merged across the table is a title,
 * a note or a section line, never data). `RowWindow` is the implementation.
 */
import type { RawCell } from './raw-sheet.ts';

export interface GridCell extends RawCell {
  /** Columns spanned by the merged range this cell belongs to (absent: 1, not merged). */
  readonly span?: number;
  /** True for a cell that is not the top-left of its merged range. */
  readonly copied?: boolean;
  /** Rows spanned by the merged range this cell belongs to, when more than one (absent: 1). */
  readonly rows?: number;
  /**
   * The row of that range's top-left cell, when it spans more than one row: a cell of a later
   * row holds the value copied down (an amount merged down is counted at this row only).
   */
  readonly top?: number;
  /**
   * The column (0-based) of that range's top-left cell, when it spans more than one column: a
   * cell to its right holds the value copied across (an amount merged across two amount columns
   * is counted in this column only).
   */
  readonly left?: number;
}

export interface SheetGrid {
  readonly name: string;
  /** Row numbers that hold at least one cell, ascending. */
  readonly rowNumbers: readonly number[];
  readonly columnCount: number;
  cell(row: number, column: number): GridCell | undefined;
  isHidden(row: number): boolean;
}

const NOT_WHITESPACE = /\S/;

/** True when a cell holds something (a value or an error). */
export function hasContent(cell: RawCell | undefined): boolean {
  if (cell === undefined) return false;
  if (cell.error !== undefined) return true;
  const v = cell.value;
  if (v === null) return false;
  // Anything but whitespace (U+3000 and NBSP included, as `\s` and `trim` mean it) is content;
  // the test stops at the first such character, usually the first.
  if (typeof v === 'string') {
    // A first character that is plainly not whitespace (printable ASCII, a CJK ideograph), as
    // nearly every cell's is, answers without calling the regular expression.
    const c = v.charCodeAt(0);
    if ((c > 0x20 && c < 0x7f) || (c >= 0x4e00 && c <= 0x9fff)) return true;
    return NOT_WHITESPACE.test(v);
  }
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

/** A cell a row's content is made of: its own (not copied from a merged range), with content or an uncalculated formula. */
export function isContentCell(cell: GridCell | undefined): cell is GridCell {
  return cell !== undefined && !cell.copied && (isUncachedFormula(cell) || hasContent(cell));
}

/**
 * The grid seen through a column filter: cells of other columns read as empty. For reading one
 * of two ledgers laid side by side on a sheet without the other's cells.
 */
export function keepColumns(grid: SheetGrid, keep: (column: number) => boolean): SheetGrid {
  return {
    name: grid.name,
    // Read through: the grid under it may still be growing (rows stream in).
    get rowNumbers() {
      return grid.rowNumbers;
    },
    get columnCount() {
      return grid.columnCount;
    },
    cell: (row, column) => (keep(column) ? grid.cell(row, column) : undefined),
    isHidden: (row) => grid.isHidden(row),
  };
}
