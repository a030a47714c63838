/**
 * Which cells of a sheet a finding marks, as the exceljs path decides it: an A1 address, a row
 * (`7`: its used cells, merged cells included, at most 200; a blank row: its first cell) or a
 * range (`A1:F1`, at most 200 cells); a cell inside a merged range marks the range's top-left.
 */
import type { Finding } from '../../../pipeline/kernel/findings/findings.ts';
import { MAX_CELLS_PER_FINDING } from '../marks.ts';
import type { Merge, SheetScan } from './sheet-xml.ts';
import { parseA1 } from './xml.ts';

export interface Cell {
  readonly row: number;
  readonly col: number;
}

export interface Mark extends Cell {
  readonly findings: Finding[];
  /** Findings explained in this cell's note (a range's finding: on its first cell only). */
  readonly notes: Finding[];
}

/** The row a row finding names (`7`), for the first pass to collect its used cells. */
export function findingRow(where: string | null): number | undefined {
  const a1 = (where ?? '').trim();
  return /^[1-9]\d{0,6}$/.test(a1) ? Number(a1) : undefined;
}

/** Whether a finding names cells at all (else it is listed on 问题说明). */
export function namesCells(where: string | null): boolean {
  if (where === null) return false;
  const a1 = where.trim().toUpperCase();
  if (findingRow(a1) !== undefined) return true;
  const [a = '', b, more] = a1.split(':');
  return more === undefined && parseA1Strict(a) !== undefined && (b === undefined || parseA1Strict(b) !== undefined);
}

function parseA1Strict(a1: string): Cell | undefined {
  return /^[A-Z]{1,3}[1-9]\d*$/.test(a1) ? parseA1(a1) : undefined;
}

/** Merged ranges by cell, for the small ones; the rare huge ones searched. */
export class MergeIndex {
  readonly #byCell = new Map<number, Merge>();
  readonly #large: Merge[] = [];
  constructor(readonly merges: readonly Merge[]) {
    for (const m of merges) {
      if ((m.bottom - m.top + 1) * (m.right - m.left + 1) > 1000) {
        this.#large.push(m);
        continue;
      }
      for (let r = m.top; r <= m.bottom; r++) for (let c = m.left; c <= m.right; c++) this.#byCell.set(key(r, c), m);
    }
  }

  master(cell: Cell): Cell {
    const m = this.#byCell.get(key(cell.row, cell.col)) ?? this.#large.find((x) => cell.row >= x.top && cell.row <= x.bottom && cell.col >= x.left && cell.col <= x.right);
    return m === undefined ? cell : { row: m.top, col: m.left };
  }

  /** Columns of the cells of row `r` that a merged range covers, its top-left excepted (exceljs counts them as used). */
  coveredInRow(r: number): number[] {
    const cols: number[] = [];
    for (const m of this.merges) {
      if (r < m.top || r > m.bottom) continue;
      for (let c = m.left; c <= m.right && c <= m.left + MAX_CELLS_PER_FINDING; c++) if (!(r === m.top && c === m.left)) cols.push(c);
    }
    return cols;
  }
}

function key(row: number, col: number): number {
  return row * 20_000 + col;
}

/** The cells a finding points at, before merged cells are resolved to their top-left. */
export function cellsOf(where: string | null, scan: SheetScan, merges: MergeIndex): Cell[] {
  if (where === null) return [];
  const a1 = where.trim().toUpperCase();
  const row = findingRow(a1);
  if (row !== undefined) {
    const cols = [...new Set([...(scan.used.get(row) ?? []), ...merges.coveredInRow(row)])].sort((a, b) => a - b).slice(0, MAX_CELLS_PER_FINDING);
    return cols.length > 0 ? cols.map((col) => ({ row, col })) : [{ row, col: 1 }];
  }
  const [a = '', b] = a1.split(':');
  const from = parseA1Strict(a);
  if (from === undefined) return [];
  if (b === undefined) return [from];
  const to = parseA1Strict(b);
  if (to === undefined) return [];
  const cells: Cell[] = [];
  for (let r = Math.min(from.row, to.row); r <= Math.max(from.row, to.row) && cells.length < MAX_CELLS_PER_FINDING; r++) {
    for (let c = Math.min(from.col, to.col); c <= Math.max(from.col, to.col) && cells.length < MAX_CELLS_PER_FINDING; c++) cells.push({ row: r, col: c });
  }
  return cells;
}

/** Adds a finding's cells to a sheet's marks (keyed by `row:col`), as markUpWorkbook does. */
export function addMarks(marks: Map<string, Mark>, f: Finding, cells: readonly Cell[], merges: MergeIndex): void {
  cells.forEach((cell, n) => {
    const target = merges.master(cell);
    const k = `${target.row}:${target.col}`;
    const mark = marks.get(k) ?? { ...target, findings: [], notes: [] };
    if (!mark.findings.includes(f)) mark.findings.push(f);
    if (n === 0 && !mark.notes.includes(f)) mark.notes.push(f);
    marks.set(k, mark);
  });
}
