/**
 * Finds the header of a ledger in a sheet, whatever the sheet is called: the row (or the two
 * rows of a two-level merged header) whose labels match the most fields of one ledger.
 */
import type { FieldDef, LedgerCatalog, LedgerDef } from './ledger-catalog.ts';
import { isKnownLabel, knownLabels, labelIndex, matchLabel, matchQualified, statedUnit, statedUnitMismatch, type KnownLabels, type LabelIndex, type LabelMatch, type StatedUnit, type UnitMismatch } from './match-label.ts';
import { groupStem } from './qualified-label.ts';
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

/**
 * A column whose header names a field in another unit (罚款金额（万元） for 罚款金额(元)), or whose
 * sheet states one above its header (金额单位：万元, `stated`): not read.
 */
export interface UnitMismatchColumn extends ColumnMatch, UnitMismatch {
  /** The cell above the header that states the unit, and its text. */
  readonly stated?: { readonly address: string; readonly text: string };
}

export interface DetectedHeader {
  readonly ledger: LedgerDef;
  /** Header row numbers: one, or two for a two-level header. */
  readonly rows: readonly number[];
  /** The first match of each field, in column order. */
  readonly columns: readonly ColumnMatch[];
  /** Later columns that map to a field already matched (header.duplicate_column). */
  readonly duplicates: readonly ColumnMatch[];
  /** Columns naming a field in another unit than its own (header.unit_mismatch): not read. */
  readonly unitMismatches: readonly UnitMismatchColumn[];
  /** Required fields with no column (header.missing_column), but those named in another unit. */
  readonly missing: readonly FieldDef[];
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

/**
 * How a candidate label is tried: as the ledger writes its labels (matchLabel) and then, where
 * no candidate of the column names a field so, loosely (matchQualified); or only one of them.
 */
type Trial = 'both' | 'exact' | 'loose';

/** A label a column may be named by: its text, the row it stands on, whether it draws on the upper row, how it is tried. */
type Candidate = readonly [label: string, row: number, fromUpper: boolean, trial: Trial];

/**
 * The labels each column of one or two header rows may be named by, in the order they are
 * tried: they depend on the rows only, so they are read once for all the ledgers.
 */
function readingOf(grid: SheetGrid, labels: Labels, known: KnownLabels, rows: readonly number[]): Candidate[][] {
  const [upper = 0, lower] = rows;
  const out: Candidate[][] = [];
  const groups = new GroupCarry(known);
  for (let c = 0; c < grid.columnCount; c++) {
    const top = labels.at(upper, c);
    // A label merged across several columns names the first of them only.
    const topOwn = grid.cell(upper, c)?.copied !== true;
    const candidates: Candidate[] = [];
    if (lower === undefined) {
      if (topOwn) candidates.push([top, upper, false, 'both']);
    } else {
      const sub = labels.at(lower, c);
      const subOwn = grid.cell(lower, c)?.copied !== true;
      const group = groups.at(top, topOwn, sub, subOwn);
      // A two-level header names a column by a plain label merged down over both rows (its cell
      // is the upper one), by its lower label, by both together (法制审核 + 日期, also where the
      // group label stands unmerged over its first child only: 公示 ⏎ 日期 | 类别), by the upper
      // label alone where it stands over nothing or over its group's first child, and last by
      // the group without its filler with the lower label (受理情况 + 日期 as 受理日期). Over a
      // label of its own a group label is no loose reading of the column: 出庭情况 over 日期 is
      // not 负责人出庭.
      const under = subOwn && sub !== '';
      if (!subOwn && topOwn && sub === top) candidates.push([top, upper, true, 'both']);
      if (under) {
        candidates.push([sub, lower, false, 'both']);
        if (group !== '') candidates.push([group + sub, lower, true, 'both']);
        const stem = groupStem(group);
        if (stem !== undefined) candidates.push([stem + sub, lower, true, 'loose']);
      }
      if (topOwn) candidates.push([top, upper, true, under ? 'exact' : 'both']);
    }
    out.push(candidates);
  }
  return out;
}

/**
 * The group label over each column of a two-level header, read left to right: the upper label,
 * or where the upper cell is blank (and not part of a merge), the group label to its left
 * carried over it, as a merge would (a CSV export, a merge undone: 公示 | 空 | 空 over
 * 日期 | 类别 | 内容). A group carries only from a column with a label under it (序号 or
 * 公示载体 standing over nothing is a plain label, not a group), and only over columns with a
 * label under them: a merge, a column blank on both rows or the next label ends it. A label
 * that names a field itself (罚款金额(元)) heads its own column, not a group, and carries nowhere.
 */
class GroupCarry {
  #carried = '';
  constructor(private readonly known: KnownLabels) {}

  at(top: string, topOwn: boolean, sub: string, subOwn: boolean): string {
    const under = subOwn && sub !== '';
    if (!topOwn || !under) {
      this.#carried = '';
      return top;
    }
    if (top !== '') {
      this.#carried = isKnownLabel(this.known, top) ? '' : top;
      return top;
    }
    return this.#carried;
  }
}

/** What a column is named by, for one ledger: the field (and unit mismatch), and the candidate that named it. */
interface Named extends LabelMatch {
  readonly label: string;
  readonly row: number;
  readonly fromUpper: boolean;
}

/**
 * The field each column of a reading names for one ledger (undefined: none), the labels that
 * name a field as the ledger writes it first (matchLabel, over all the candidates of the column),
 * then, for the columns they leave, the looser readings (matchQualified: 法制审核时间 as
 * 法制审核日期, a group without its filler). A loose reading is kept only for a field that no
 * column names as the ledger writes it, and that no other column names loosely: 开庭时间 beside
 * 开庭日期 is another column, not a second 开庭日期 (header.duplicate_column), and of two loose
 * readings of one field neither is sure.
 */
function nameColumns(idx: LabelIndex, reading: readonly (readonly Candidate[])[]): (Named | undefined)[] {
  const out: (Named | undefined)[] = [];
  let unnamed = 0;
  for (const candidates of reading) {
    let named: Named | undefined;
    for (const [label, row, fromUpper, trial] of candidates) {
      if (trial === 'loose') continue;
      const found = matchLabel(idx, label);
      if (found === undefined) continue;
      named = { ...found, label, row, fromUpper };
      break;
    }
    if (named === undefined) unnamed++;
    out.push(named);
  }
  if (unnamed === 0) return out;
  const named = new Set<string>();
  for (const n of out) if (n !== undefined) named.add(n.field.id);
  const loosely: (Named | undefined)[] = [];
  const looseCount = new Map<string, number>();
  for (const [c, candidates] of reading.entries()) {
    if (out[c] !== undefined) continue;
    for (const [label, row, fromUpper, trial] of candidates) {
      if (trial === 'exact') continue;
      const found = matchQualified(idx, label);
      if (found === undefined) continue;
      loosely[c] = { ...found, label, row, fromUpper };
      looseCount.set(found.field.id, (looseCount.get(found.field.id) ?? 0) + 1);
      break;
    }
  }
  for (const [c, n] of loosely.entries()) {
    if (n !== undefined && !named.has(n.field.id) && looseCount.get(n.field.id) === 1) out[c] = n;
  }
  return out;
}

/**
 * What {@link matchRows} would find, counted without making it: how many fields are matched,
 * how many of them required, and whether the upper row is drawn on (`usesUpper`: a title or
 * 填报单位 line above a one-row header is not, and must not pass for the upper level of a
 * header). Every row that might be a header is tried against every ledger; the header itself is
 * made only for the best so far.
 */
function tally(ledger: LedgerDef, reading: readonly (readonly Candidate[])[]): { columns: number; required: number; usesUpper: boolean } {
  const fields = new Set<string>();
  let required = 0;
  let usesUpper = false;
  // A column in another unit counts too: it says which ledger the sheet is.
  for (const named of nameColumns(labelIndex(ledger), reading)) {
    if (named === undefined) continue;
    if (named.fromUpper) usesUpper = true;
    if (!fields.has(named.field.id)) {
      fields.add(named.field.id);
      if (named.field.required) required++;
    }
  }
  return { columns: fields.size, required, usesUpper };
}

/**
 * Matches the labels of one or two header rows (`reading`, from {@link readingOf}) against one
 * ledger (what {@link tally} counts).
 */
function matchRows(ledger: LedgerDef, rows: readonly number[], reading: readonly (readonly Candidate[])[]): DetectedHeader {
  const columns: ColumnMatch[] = [];
  const duplicates: ColumnMatch[] = [];
  const unitMismatches: UnitMismatchColumn[] = [];
  const seen = new Set<string>();
  for (const [c, named] of nameColumns(labelIndex(ledger), reading).entries()) {
    if (named === undefined) continue;
    const { field, unitMismatch, label, row } = named;
    const match = { field, column: c, address: `${columnLetter(c)}${row}`, label };
    if (unitMismatch !== undefined) unitMismatches.push({ ...match, ...unitMismatch });
    else if (seen.has(field.id)) duplicates.push(match);
    else {
      seen.add(field.id);
      columns.push(match);
    }
  }
  // A required column there in another unit is said by its own finding, not as missing too.
  const missing = ledger.fields.filter((f) => f.required && !seen.has(f.id) && !unitMismatches.some((m) => m.field.id === f.id));
  return { ledger, rows, columns, duplicates, unitMismatches, missing };
}

/**
 * How many columns of one row, or of two rows read together, some ledger's labels name (at
 * most 2: a header needs two). The same candidates as {@link readingOf}, tested where they
 * stand instead of gathered: most rows searched are data or titles, and gathering every
 * row's candidates for every column was ~a quarter of what a district's reads allocated.
 */
function namedColumns(grid: SheetGrid, labels: Labels, known: KnownLabels, upper: number, lower?: number): number {
  const { beginnings } = known;
  const groups = new GroupCarry(known);
  let named = 0;
  for (let c = 0; c < grid.columnCount && named < 2; c++) {
    const top = labels.at(upper, c);
    const topOwn = grid.cell(upper, c)?.copied !== true;
    let hit: boolean;
    if (lower === undefined) {
      hit = topOwn && isKnownLabel(known, top);
    } else {
      const sub = labels.at(lower, c);
      const subOwn = grid.cell(lower, c)?.copied !== true;
      const group = groups.at(top, topOwn, sub, subOwn);
      const under = subOwn && sub !== '';
      const stem = under ? groupStem(group) : undefined;
      hit =
        (topOwn && isKnownLabel(known, top)) ||
        (under &&
          (isKnownLabel(known, sub) ||
            (group !== '' && beginnings.has(group) && isKnownLabel(known, group + sub)) ||
            (stem !== undefined && beginnings.has(stem) && isKnownLabel(known, stem + sub))));
    }
    if (hit) named++;
  }
  return named;
}

/** Required fields weigh more: they are what makes a ledger that ledger. */
function score(columns: number, required: number): number {
  return columns * 2 + required * 3;
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
  const known = knownLabels(catalog);
  // Strictly better only: the single row, and then the upper reading, win ties.
  const consider = (ledger: LedgerDef, headerRows: readonly number[], reading: Candidate[][], t: { columns: number; required: number }) => {
    if (t.columns < 2 || t.required === 0) return;
    const s = score(t.columns, t.required);
    if (s > bestScore) {
      best = matchRows(ledger, headerRows, reading);
      bestScore = s;
    }
  };
  for (const [i, r] of rows.entries()) {
    const next = rows[i + 1];
    // A header needs two columns named by a ledger's labels: a reading that names fewer with
    // the labels of all ledgers together gives none (most rows searched are data or titles).
    const pair = next !== undefined && next === r + 1;
    const both = pair && namedColumns(grid, labels, known, r, next) >= 2 ? readingOf(grid, labels, known, [r, next]) : undefined;
    if (both === undefined && namedColumns(grid, labels, known, r) < 2) continue;
    const one = readingOf(grid, labels, known, [r]);
    for (const ledger of catalog.ledgers) {
      consider(ledger, [r], one, tally(ledger, one));
      if (both === undefined || next === undefined) continue;
      const two = tally(ledger, both);
      if (two.usesUpper) consider(ledger, [r, next], both, two);
    }
  }
  // Assigned in `consider`: not narrowed to null.
  const found = best as DetectedHeader | null;
  return found === null ? null : withStatedUnit(grid, found);
}

/**
 * The header, with its number columns that a unit stated above it (金额单位：万元 in a title or
 * 填报单位 line) puts in another unit than their fields' own moved to `unitMismatches`: 0.5 under
 * 罚款金额 in a sheet of 万元 is 5,000 元, and read as 0.5 元 the figure would be 10,000 times short.
 * The statement nearest the header decides; a column whose own header names a unit keeps it.
 */
function withStatedUnit(grid: SheetGrid, header: DetectedHeader): DetectedHeader {
  const top = header.rows[0] ?? 0;
  let stated: { address: string; text: string; unit: StatedUnit } | undefined;
  for (const r of grid.rowNumbers) {
    if (r >= top) break;
    for (let c = 0; c < grid.columnCount; c++) {
      const cell = grid.cell(r, c);
      if (cell === undefined || typeof cell.value !== 'string' || !hasContent(cell)) continue;
      const unit = statedUnit(cell.value);
      if (unit !== undefined) stated = { address: `${columnLetter(c)}${r}`, text: cell.value.trim(), unit };
    }
  }
  if (stated === undefined) return header;
  const { unit, ...at } = stated;
  const moved: UnitMismatchColumn[] = [];
  const columns = header.columns.filter((m) => {
    const mismatch = statedUnitMismatch(header.ledger, m.field, normalizeLabel(foldText(m.label) ?? ''), unit);
    if (mismatch !== undefined) moved.push({ ...m, ...mismatch, stated: at });
    return mismatch === undefined;
  });
  return moved.length === 0 ? header : { ...header, columns, unitMismatches: [...header.unitMismatches, ...moved] };
}
