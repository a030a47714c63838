/**
 * The rows of a sheet as they stream in, with merged ranges resolved: every cell of a merged
 * range reads as its top-left cell and knows how wide the range is (and, for a range over
 * several rows, how tall and from which row; over several columns, from which column). Only the rows added and not yet dropped are
 * held: the pipeline keeps the first rows (to find the header) and then one row at a time, so
 * a sheet of any length is read in bounded memory.
 */
import { parseAddress, type RawCell, type RawRow } from './raw-sheet.ts';
import type { GridCell, SheetGrid } from './sheet-grid.ts';

interface Range {
  readonly top: number;
  readonly bottom: number;
  readonly left: number;
  readonly right: number;
}

const NONE: readonly Range[] = [];

/** What a cell of a merged range reads as when its top-left cell is empty. */
const EMPTY: RawCell = { value: null };

/** Hostile files declare absurd ranges (A1:XFD1048576): larger ones are ignored. */
const MAX_MERGE_CELLS = 1_000_000;

function parseRanges(merges: readonly string[]): Range[] {
  const out: Range[] = [];
  for (const range of merges) {
    const [a, b] = range.split(':');
    if (a === undefined || b === undefined) continue;
    try {
      const from = parseAddress(a);
      const to = parseAddress(b);
      if ((to.row - from.row + 1) * (to.column - from.column + 1) > MAX_MERGE_CELLS) continue;
      if (to.row < from.row || to.column < from.column) continue;
      out.push({ top: from.row, bottom: to.row, left: from.column, right: to.column });
    } catch {
      // a malformed merge reference is ignored: the cells stay as stored
    }
  }
  return out.sort((x, y) => x.top - y.top);
}

/** Whether one of `ranges` ends above row r. */
function endedBefore(ranges: readonly Range[], r: number): boolean {
  for (const x of ranges) if (x.bottom < r) return true;
  return false;
}

/** The ranges that reach down to row r or further. */
function openAt(ranges: readonly Range[], r: number): Range[] {
  return ranges.filter((x) => x.bottom >= r);
}

/** The ranges that cover row r. */
function covers(ranges: readonly Range[], r: number): readonly Range[] {
  return ranges.filter((x) => x.top <= r && x.bottom >= r);
}

export class RowWindow implements SheetGrid {
  readonly name: string;
  #columnCount = 0;
  readonly #rows = new Map<number, { hidden: boolean; cells: readonly (GridCell | undefined)[] }>();
  /** The row last looked up by {@link cell}, and its cells (undefined: not held). */
  #lookedUp = -1;
  #lookedUpCells: readonly (GridCell | undefined)[] | undefined;
  readonly #order: number[] = [];
  readonly #ranges: Range[];
  #next = 0;
  #active: Range[] = [];
  /** The value of each merged range's top-left cell, once its row has passed. */
  readonly #masters = new Map<Range, RawCell | undefined>();
  #last = 0;

  constructor(name: string, merges: readonly string[]) {
    this.name = name;
    this.#ranges = parseRanges(merges);
  }

  get rowNumbers(): readonly number[] {
    return this.#order;
  }

  get columnCount(): number {
    return this.#columnCount;
  }

  cell(row: number, column: number): GridCell | undefined {
    // A row is read cell by cell, several times over (classified, read, checked for blank
    // columns): its cells are looked up once. Putting or dropping a row forgets the lookup.
    if (row !== this.#lookedUp) {
      this.#lookedUp = row;
      this.#lookedUpCells = this.#rows.get(row)?.cells;
    }
    return this.#lookedUpCells?.[column];
  }

  isHidden(row: number): boolean {
    return this.#rows.get(row)?.hidden ?? false;
  }

  /**
   * Adds the next row of the sheet; returns the row numbers it made available: rows lying
   * only under a merged range (no cells of their own) come first, then the row itself.
   */
  add(raw: RawRow): number[] {
    const added: number[] = [];
    this.addEach(raw, (r) => added.push(r));
    return added;
  }

  /**
   * {@link add}, each row number handed to `take` as it is made available instead of collected:
   * the streaming read adds every row of the sheet, and an array for each was garbage.
   */
  addEach(raw: RawRow, take: (row: number) => void): void {
    for (let r = this.#last + 1; r < raw.rowNumber; r++) {
      if (this.#covered(r)) take(this.#put({ rowNumber: r, hidden: false, cells: [] }));
    }
    take(this.#put(raw));
  }

  /** Rows under merged ranges after the last row of the sheet. */
  finish(): number[] {
    const added: number[] = [];
    // A loop, not Math.max(...spread): a sheet of 200,000 merged ranges overflowed the stack.
    let bottom = this.#last;
    for (const x of this.#ranges) if (x.bottom > bottom) bottom = x.bottom;
    for (let r = this.#last + 1; r <= bottom; r++) {
      if (this.#covered(r)) added.push(this.#put({ rowNumber: r, hidden: false, cells: [] }));
    }
    return added;
  }

  /** Forgets a row once it has been read. */
  drop(row: number): void {
    if (row === this.#lookedUp) this.#lookedUp = -1;
    if (this.#rows.delete(row)) {
      const i = this.#order.indexOf(row);
      // The row dropped is nearly always the last added: pop, as splice makes an array of what it removes.
      if (i >= 0 && i === this.#order.length - 1) this.#order.pop();
      else if (i >= 0) this.#order.splice(i, 1);
    }
  }

  #covered(r: number): boolean {
    this.#advance(r);
    return this.#active.length > 0;
  }

  /** Brings the active ranges up to row r (rows arrive in ascending order). */
  #advance(r: number): void {
    while (this.#next < this.#ranges.length && (this.#ranges[this.#next] as Range).top <= r) {
      this.#active.push(this.#ranges[this.#next] as Range);
      this.#next++;
    }
    // Loops in functions of their own, not `some` and `filter` with a closure over `r`: V8 made
    // that closure's context on every call, whether a range was open or not.
    if (this.#active.length > 0 && endedBefore(this.#active, r)) {
      // A range that ended covers no later row: its top-left value is let go with it.
      for (const x of this.#active) if (x.bottom < r) this.#masters.delete(x);
      this.#active = openAt(this.#active, r);
    }
  }

  #put(raw: RawRow): number {
    const r = raw.rowNumber;
    this.#advance(r);
    let cells: (GridCell | undefined)[] = raw.cells as (GridCell | undefined)[];
    // No merged range is open on most rows: nothing to look for.
    const covering = this.#active.length === 0 ? NONE : covers(this.#active, r);
    if (covering.length > 0) {
      cells = [...raw.cells];
      for (const x of covering) {
        if (x.top === r) this.#masters.set(x, raw.cells[x.left]);
        const master = this.#masters.get(x);
        const span = x.right - x.left + 1;
        // A range over several rows says how tall it is and where it starts: read-row counts an
        // amount merged down once, at its top row (sheets/read-row.ts, countedAbove).
        const rows = x.bottom - x.top + 1;
        const top = x.top;
        const base = master ?? EMPTY;
        const left = x.left;
        for (let c = x.left; c <= x.right; c++) {
          const copied = !(r === top && c === x.left);
          // …and a range over several columns, where it starts: read-row counts an amount merged
          // across amount columns in its first column only.
          cells[c] =
            rows === 1
              ? span === 1
                ? { ...base, span, copied }
                : { ...base, span, copied, left }
              : span === 1
                ? { ...base, span, copied, rows, top }
                : { ...base, span, copied, rows, top, left };
        }
      }
    }
    if (r > this.#last) this.#last = r;
    if (!this.#rows.has(r)) this.#order.push(r);
    // The row itself when no merge changed its cells (most rows): no copy to make.
    this.#rows.set(r, cells === raw.cells ? raw : { hidden: raw.hidden, cells });
    if (r === this.#lookedUp) this.#lookedUp = -1;
    if (cells.length > this.#columnCount) this.#columnCount = cells.length;
    return r;
  }
}
