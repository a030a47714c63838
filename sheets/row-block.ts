/**
 * A sheet's data rows as columns: one typed array per field (dates as day numbers, numbers as
 * doubles, booleans as bytes, text as strings), the row numbers beside them, the cell address
 * of each value derived from its row and its field's column. Compact enough to hold a
 * 500,000-row ledger, and its arrays move between threads without copying.
 */
import type { FieldDef } from './ledger-catalog.ts';
import type { ExtractedRow } from './extract-types.ts';
import { DataRow } from './read-row.ts';
import { address } from './raw-sheet.ts';
import type { FieldValue } from './read-cell.ts';

export type ColumnData =
  | { readonly kind: 'number'; readonly data: Float64Array } // NaN: empty
  | { readonly kind: 'date'; readonly data: Float64Array } // days since 1970-01-01; NaN: empty
  | { readonly kind: 'bool'; readonly data: Int8Array } // 1, 0; -1: empty
  | { readonly kind: 'text'; readonly data: (string | null)[] };

export interface RowBlock {
  readonly length: number;
  /** Field ids, in the order of `columns` and `data`. */
  readonly fields: readonly string[];
  /** 0-based sheet column of each field. */
  readonly columns: readonly number[];
  readonly rowNumbers: Int32Array;
  readonly data: readonly ColumnData[];
}

const DAY = 86_400_000;

/** The kind of column a field's values are kept in. */
export function kindOf(f: Pick<FieldDef, 'type'>): ColumnData['kind'] {
  if (f.type === 'number' || f.type === 'integer') return 'number';
  if (f.type === 'date') return 'date';
  if (f.type === 'bool') return 'bool';
  return 'text';
}

/** 'YYYY-MM-DD' → days since the epoch. */
export function dayNumber(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY;
}

/**
 * {@link dayNumber}, by arithmetic on the digits when `iso` is a plain 'YYYY-MM-DD' of a year
 * from 1000 and a month 1–12 (what parseDate gives): Date.UTC counts days the same way there
 * (the proleptic Gregorian calendar; a day past the month's end runs on, as below). Anything
 * else goes to Date.UTC itself.
 */
export function isoDayNumber(iso: string): number {
  if (iso.length === 10 && iso.charCodeAt(4) === 0x2d && iso.charCodeAt(7) === 0x2d) {
    const year = digits(iso, 0, 4);
    const month = digits(iso, 5, 7);
    const day = digits(iso, 8, 10);
    if (year >= 1000 && month >= 1 && month <= 12 && day >= 0) return daysFromCivil(year, month, day);
  }
  return dayNumber(iso);
}

/** The number written by the ASCII digits iso[from, to), or -1 when one is not a digit. */
function digits(iso: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = iso.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** Days from 1970-01-01 to year-month-day (H. Hinnant's days_from_civil; day may pass the month's end). */
function daysFromCivil(year: number, month: number, day: number): number {
  // Every quotient here is of whole numbers that are not negative (isoDayNumber passes a year
  // of 1000 to 9999, a month 1–12, a day 0–99): `| 0` is Math.floor of it, an integer division
  // instead of a floating-point one and a floor (three or four date cells a row come here).
  const y = month <= 2 ? year - 1 : year;
  const era = (y / 400) | 0;
  const yearOfEra = y - era * 400;
  const dayOfYear = (((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) | 0) + day - 1;
  const dayOfEra = yearOfEra * 365 + ((yearOfEra / 4) | 0) - ((yearOfEra / 100) | 0) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Days since the epoch → 'YYYY-MM-DD'. */
export function isoDay(days: number): string {
  return new Date(days * DAY).toISOString().slice(0, 10);
}

export class RowBlockBuilder {
  #length = 0;
  #textChars = 0;
  #capacity = 256;
  #rowNumbers = new Int32Array(256);
  readonly #data: ColumnData[];
  readonly #fields: readonly FieldDef[];
  readonly #columns: readonly number[];

  constructor(fields: readonly FieldDef[], columns: readonly number[]) {
    this.#fields = fields;
    this.#columns = columns;
    this.#data = fields.map((f) => this.#make(kindOf(f), 256));
  }

  add(row: ExtractedRow): void {
    if (this.#length === this.#capacity) this.#grow();
    const i = this.#length++;
    this.#rowNumbers[i] = row.rowNumber;
    // A row read by SheetExtractor hands its values in column order: no lookup by field id.
    const inOrder = row instanceof DataRow ? row.valuesInOrder(this.#fields) : undefined;
    for (let k = 0; k < this.#fields.length; k++) {
      const v = (inOrder === undefined ? row.values[(this.#fields[k] as FieldDef).id] : inOrder[k]) ?? null;
      const col = this.#data[k] as ColumnData;
      switch (col.kind) {
        case 'number':
          col.data[i] = v === null ? NaN : Number(v);
          break;
        case 'date':
          col.data[i] = v === null ? NaN : isoDayNumber(String(v));
          break;
        case 'bool':
          col.data[i] = v === null ? -1 : v === true ? 1 : 0;
          break;
        case 'text': {
          const text = v === null ? null : String(v);
          col.data[i] = text;
          if (text !== null) this.#textChars += text.length;
          break;
        }
      }
    }
  }

  /** Characters of text added so far: a part of long texts is handed on before its row count. */
  get textChars(): number {
    return this.#textChars;
  }

  build(): RowBlock {
    const n = this.#length;
    return {
      length: n,
      fields: this.#fields.map((f) => f.id),
      columns: [...this.#columns],
      rowNumbers: this.#rowNumbers.slice(0, n),
      data: this.#data.map((c): ColumnData => {
        if (c.kind === 'text') return { kind: 'text', data: c.data.slice(0, n) };
        if (c.kind === 'bool') return { kind: 'bool', data: c.data.slice(0, n) };
        return { kind: c.kind, data: c.data.slice(0, n) };
      }),
    };
  }

  #make(kind: ColumnData['kind'], size: number): ColumnData {
    if (kind === 'text') return { kind, data: [] };
    if (kind === 'bool') return { kind, data: new Int8Array(size) };
    return { kind, data: new Float64Array(size) };
  }

  #grow(): void {
    this.#capacity *= 2;
    const rows = new Int32Array(this.#capacity);
    rows.set(this.#rowNumbers);
    this.#rowNumbers = rows;
    for (const [k, c] of this.#data.entries()) {
      if (c.kind === 'text') continue;
      const bigger = c.kind === 'bool' ? new Int8Array(this.#capacity) : new Float64Array(this.#capacity);
      bigger.set(c.data);
      this.#data[k] = { kind: c.kind, data: bigger } as ColumnData;
    }
  }
}

/** The value of field k in row i, as ExtractedRow carries it. */
export function blockValue(block: RowBlock, k: number, i: number): FieldValue | null {
  const col = block.data[k];
  if (col === undefined) return null;
  switch (col.kind) {
    case 'number': {
      const v = col.data[i] ?? NaN;
      return Number.isNaN(v) ? null : v;
    }
    case 'date': {
      const v = col.data[i] ?? NaN;
      return Number.isNaN(v) ? null : isoDay(v);
    }
    case 'bool': {
      const v = col.data[i] ?? -1;
      return v < 0 ? null : v === 1;
    }
    case 'text':
      return col.data[i] ?? null;
  }
}

/** The rows back as objects (tests, small sheets). */
export function blockRows(block: RowBlock): ExtractedRow[] {
  const out: ExtractedRow[] = [];
  for (let i = 0; i < block.length; i++) {
    const rowNumber = block.rowNumbers[i] ?? 0;
    const values: Record<string, FieldValue | null> = {};
    const cells: Record<string, string> = {};
    block.fields.forEach((f, k) => {
      values[f] = blockValue(block, k, i);
      cells[f] = address(block.columns[k] ?? 0, rowNumber);
    });
    out.push({ rowNumber, values, cells });
  }
  return out;
}

/** The typed arrays' buffers, to hand to postMessage as transferables. */
export function blockBuffers(block: RowBlock): ArrayBuffer[] {
  const out: ArrayBuffer[] = [block.rowNumbers.buffer as ArrayBuffer];
  for (const c of block.data) if (c.kind !== 'text') out.push(c.data.buffer as ArrayBuffer);
  return out;
}
