/**
 * Finds the header of a ledger in a sheet, whatever the sheet is called: the row (or the two
 * rows of a two-level merged header) whose labels match the most fields of one ledger.
 */
import type { FieldDef, LedgerCatalog, LedgerDef } from './ledger-catalog.ts';
import { hasContent, type SheetGrid } from './sheet-grid.ts';
import { foldText, normalizeLabel } from './values/index.ts';

/** How far down a header may start (title, 填报单位 and blank rows above it). */
const SEARCH_ROWS = 40;

export interface ColumnMatch {
  readonly field: FieldDef;
  readonly column: number;
  /** The header cell (A1) that named it. */
  readonly address: string;
  readonly label: string;
}

export interface DetectedHeader {
  readonly ledger: LedgerDef;
  /** Header row numbers: one, or two for a two-level header. */
  readonly rows: readonly number[];
  /** The first match of each field, in column order. */
  readonly columns: readonly ColumnMatch[];
  /** Later columns that map to a field already matched (header.duplicate_column). */
  readonly duplicates: readonly ColumnMatch[];
  /** Required fields with no column (header.missing_column). */
  readonly missing: readonly FieldDef[];
}

type LabelIndex = Map<string, FieldDef>;

const indexCache = new WeakMap<LedgerDef, LabelIndex>();
function labelIndex(ledger: LedgerDef): LabelIndex {
  let idx = indexCache.get(ledger);
  if (idx === undefined) {
    idx = new Map();
    for (const f of ledger.fields) {
      for (const label of [f.header, ...f.aliases]) idx.set(normalizeLabel(label), f);
    }
    indexCache.set(ledger, idx);
  }
  return idx;
}

function labelAt(grid: SheetGrid, row: number, column: number): string {
  const cell = grid.cell(row, column);
  if (!hasContent(cell) || cell === undefined) return '';
  return normalizeLabel(foldText(cell.value) ?? '');
}

/**
 * {@link labelAt}, each cell folded once: every ledger is matched against the same rows, one
 * row at a time and two rows together.
 */
class Labels {
  readonly #rows = new Map<number, string[]>();
  constructor(private readonly grid: SheetGrid) {}

  at(row: number, column: number): string {
    let labels = this.#rows.get(row);
    if (labels === undefined) {
      labels = [];
      this.#rows.set(row, labels);
    }
    let label = labels[column];
    if (label === undefined) {
      label = labelAt(this.grid, row, column);
      labels[column] = label;
    }
    return label;
  }
}

function columnLetter(column: number): string {
  let n = column + 1;
  let s = '';
  while (n > 0) {
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** A label a column may be named by: its text, the row it stands on, whether it draws on the upper row. */
type Candidate = readonly [label: string, row: number, fromUpper: boolean];

/**
 * The labels each column of one or two header rows may be named by, in the order they are
 * tried: they depend on the rows only, so they are read once for all the ledgers.
 */
function readingOf(grid: SheetGrid, labels: Labels, rows: readonly number[]): Candidate[][] {
  const [upper = 0, lower] = rows;
  const out: Candidate[][] = [];
  for (let c = 0; c < grid.columnCount; c++) {
    const top = labels.at(upper, c);
    // A label merged across several columns names the first of them only.
    const topOwn = grid.cell(upper, c)?.copied !== true;
    const candidates: Candidate[] = [];
    if (lower === undefined) {
      if (topOwn) candidates.push([top, upper, false]);
    } else {
      const sub = labels.at(lower, c);
      const subOwn = grid.cell(lower, c)?.copied !== true;
      // A two-level header names a column by a plain label merged down over both rows (its cell
      // is the upper one), by its lower label, by both together (法制审核 + 日期), or by the
      // upper label alone where it stands over nothing or over its group's first child.
      if (!subOwn && topOwn && sub === top) candidates.push([top, upper, true]);
      if (subOwn && sub !== '') candidates.push([sub, lower, false], [top + sub, lower, true]);
      if (topOwn) candidates.push([top, upper, true]);
    }
    out.push(candidates);
  }
  return out;
}

/**
 * Matches the labels of one or two header rows (`reading`, from {@link readingOf}) against one
 * ledger. `usesUpper` says whether a two-row reading draws on its upper row at all: a title or
 * 填报单位 line above a one-row header does not, and must not pass for the upper level of a header.
 */
function matchRows(ledger: LedgerDef, rows: readonly number[], reading: readonly (readonly Candidate[])[]): { header: DetectedHeader; usesUpper: boolean } {
  const idx = labelIndex(ledger);
  const columns: ColumnMatch[] = [];
  const duplicates: ColumnMatch[] = [];
  const seen = new Set<string>();
  let usesUpper = false;
  for (const [c, candidates] of reading.entries()) {
    for (const [label, row, fromUpper] of candidates) {
      const field = label === '' ? undefined : idx.get(label);
      if (field === undefined) continue;
      const match = { field, column: c, address: `${columnLetter(c)}${row}`, label };
      if (fromUpper) usesUpper = true;
      if (seen.has(field.id)) duplicates.push(match);
      else {
        seen.add(field.id);
        columns.push(match);
      }
      break;
    }
  }
  const missing = ledger.fields.filter((f) => f.required && !seen.has(f.id));
  return { header: { ledger, rows, columns, duplicates, missing }, usesUpper };
}

const allLabelsCache = new WeakMap<LedgerCatalog, ReadonlySet<string>>();

/** The labels of every ledger of the catalog, folded. */
function allLabels(catalog: LedgerCatalog): ReadonlySet<string> {
  let all = allLabelsCache.get(catalog);
  if (all === undefined) {
    all = new Set(catalog.ledgers.flatMap((l) => [...labelIndex(l).keys()]));
    allLabelsCache.set(catalog, all);
  }
  return all;
}

/**
 * True when at least two columns of the reading have a label some ledger knows: otherwise no
 * ledger matches two columns there (each column is matched once at most), and
 * {@link detectHeader} would drop every header read from it.
 */
function namesTwoColumns(reading: readonly (readonly Candidate[])[], catalog: LedgerCatalog): boolean {
  const all = allLabels(catalog);
  let named = 0;
  for (const candidates of reading) {
    if (candidates.some(([label]) => label !== '' && all.has(label)) && ++named >= 2) return true;
  }
  return false;
}

function score(h: DetectedHeader): number {
  const required = h.columns.filter((m) => m.field.required).length;
  // Required fields weigh more: they are what makes a ledger that ledger.
  return h.columns.length * 2 + required * 3;
}

/**
 * Finds the best ledger header in the first rows of a sheet, or null when no row names at
 * least two fields of one ledger, one of them required.
 *
 * @example
 *   const header = detectHeader(buildGrid(sheet), catalog);
 *   header?.ledger.id // the id of the ledger whose headers it matched
 */
export function detectHeader(grid: SheetGrid, catalog: LedgerCatalog, startRow = 0): DetectedHeader | null {
  let best: DetectedHeader | null = null;
  let bestScore = 0;
  const rows = grid.rowNumbers.filter((r) => r > startRow).slice(0, SEARCH_ROWS);
  const labels = new Labels(grid);
  for (const [i, r] of rows.entries()) {
    const next = rows[i + 1];
    const one = readingOf(grid, labels, [r]);
    const two = next !== undefined && next === r + 1 ? readingOf(grid, labels, [r, next]) : undefined;
    // A header needs two columns named by a ledger's labels: a reading that names fewer with
    // the labels of all ledgers together gives none (most rows searched are data or titles).
    const both = two !== undefined && namesTwoColumns(two, catalog) ? two : undefined;
    if (both === undefined && !namesTwoColumns(one, catalog)) continue;
    for (const ledger of catalog.ledgers) {
      const candidates = [matchRows(ledger, [r], one).header];
      if (both !== undefined && next !== undefined) {
        const two = matchRows(ledger, [r, next], both);
        if (two.usesUpper) candidates.push(two.header);
      }
      for (const h of candidates) {
        if (h.columns.length < 2 || h.columns.every((m) => !m.field.required)) continue;
        const s = score(h);
        // Strictly better only: the single row, and then the upper reading, win ties.
        if (s > bestScore) {
          best = h;
          bestScore = s;
        }
      }
    }
  }
  return best;
}
