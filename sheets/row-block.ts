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
import { normalizeKey } from './values/index.ts';

export type ColumnData =
  | { readonly kind: 'number'; readonly data: Float64Array } // NaN: empty
  | { readonly kind: 'date'; readonly data: Float64Array } // days since 1970-01-01; NaN: empty
  | { readonly kind: 'bool'; readonly data: Int8Array } // 1, 0; -1: empty
  | { readonly kind: 'text'; readonly data: (string | null)[] }
  // Text as it crosses from a read worker to the loading thread ({@link packBlock}).
  | { readonly kind: 'utf8'; readonly data: PackedText };

/**
 * A column of text as UTF-8 bytes: value i is `bytes[offsets[i], offsets[i + 1])`, or no value
 * where `missing[i]` is 1. Three buffers that move between threads without copying, where an
 * array of strings is copied string by string into the receiving thread's heap.
 */
export interface PackedText {
  readonly bytes: Uint8Array;
  readonly offsets: Int32Array;
  readonly missing: Uint8Array;
}

export interface RowBlock {
  readonly length: number;
  /** Field ids, in the order of `columns` and `data`. */
  readonly fields: readonly string[];
  /** 0-based sheet column of each field. */
  readonly columns: readonly number[];
  readonly rowNumbers: Int32Array;
  readonly data: readonly ColumnData[];
  /** The ledger's key of each row, normalized (normalizeKey), when {@link packBlock} made it. */
  readonly keys?: PackedText;
}

const DAY = 86_400_000;

/** The kind of column a field's values are kept in. */
export function kindOf(f: Pick<FieldDef, 'type'>): BuiltColumn['kind'] {
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

/** The columns a block is built with; packed text is made from them ({@link packBlock}). */
type BuiltColumn = Exclude<ColumnData, { kind: 'utf8' }>;

export class RowBlockBuilder {
  #length = 0;
  #textChars = 0;
  #capacity = 256;
  #rowNumbers = new Int32Array(256);
  readonly #data: BuiltColumn[];
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
      const col = this.#data[k] as BuiltColumn;
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

  #make(kind: BuiltColumn['kind'], size: number): BuiltColumn {
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
      this.#data[k] = { kind: c.kind, data: bigger } as BuiltColumn;
    }
  }
}

/** The value of field k in row i, as ExtractedRow carries it. */
export function blockValue(block: RowBlock, k: number, i: number): FieldValue | null {
  const col = block.data[k];
  return col === undefined ? null : columnValue(col, i);
}

/** Row i of a column, as ExtractedRow carries it. */
function columnValue(col: ColumnData, i: number): FieldValue | null {
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
    case 'utf8':
      return packedText(col.data, i);
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
  const packed = (p: PackedText) => out.push(p.bytes.buffer as ArrayBuffer, p.offsets.buffer as ArrayBuffer, p.missing.buffer as ArrayBuffer);
  for (const c of block.data) {
    if (c.kind === 'utf8') packed(c.data);
    else if (c.kind !== 'text') out.push(c.data.buffer as ArrayBuffer);
  }
  if (block.keys !== undefined) packed(block.keys);
  return out;
}

/**
 * The block as it crosses to the loading thread: its text columns packed as UTF-8, and the
 * normalized key of each row (the field `key`) beside them, made here, on the reading thread.
 * An array of strings was cloned string by string into the loading thread's heap, where a
 * part's strings outlived the collections of its young generation while they waited to be
 * appended; bytes move with their buffers and are handed to DuckDB as they are.
 */
export function packBlock(block: RowBlock, key: string | undefined): RowBlock {
  const keyAt = key === undefined ? -1 : block.fields.indexOf(key);
  const keyCol = block.data[keyAt];
  return {
    ...block,
    data: block.data.map((c): ColumnData => (c.kind === 'text' ? { kind: 'utf8', data: packTexts(c.data, block.length) } : c)),
    ...(keyCol === undefined ? {} : { keys: packTexts(Array.from({ length: block.length }, (_, i) => keyOf(keyCol, i)), block.length) }),
  };
}

/** Row i of a key's column as the ledger's key: normalized text (a number or date as it prints). */
function keyOf(col: ColumnData, i: number): string | null {
  const value = columnValue(col, i);
  return value === null ? null : normalizeKey(String(value));
}

/** Value i of a packed column, as a string. */
export function packedText(p: PackedText, i: number): string | null {
  if (p.missing[i] !== 0) return null;
  return UTF8.decode(p.bytes.subarray(p.offsets[i] ?? 0, p.offsets[i + 1] ?? 0));
}

const UTF8 = new TextDecoder();

const UTF8_OUT = new TextEncoder();

/**
 * A column's texts as UTF-8: each value's length in bytes counted here (a UTF-16 unit below
 * 0x80 is one byte, below 0x800 two, any other three, a surrogate pair four), the values
 * joined and encoded in one call, a third cheaper than a call per value. A lone surrogate is
 * encoded as U+FFFD, three bytes, as it is counted; but one that pairs with its neighbour once
 * joined is encoded as one character, shorter than counted: then each value is encoded alone.
 */
function packTexts(texts: readonly (string | null)[], n: number): PackedText {
  const offsets = new Int32Array(n + 1);
  const missing = new Uint8Array(n);
  const present: string[] = [];
  let at = 0;
  for (let i = 0; i < n; i++) {
    const v = texts[i] ?? null;
    if (v === null) missing[i] = 1;
    else {
      at += utf8Length(v);
      present.push(v);
    }
    offsets[i + 1] = at;
  }
  const bytes = new Uint8Array(at);
  if (UTF8_OUT.encodeInto(present.join(''), bytes).written === at) return { bytes, offsets, missing };
  const out = Buffer.from(bytes.buffer);
  for (let i = 0; i < n; i++) {
    const v = texts[i] ?? null;
    if (v !== null) out.write(v, offsets[i] ?? 0, 'utf8');
  }
  return { bytes, offsets, missing };
}

/** The bytes of `s` in UTF-8, a lone surrogate counted as U+FFFD. */
function utf8Length(s: string): number {
  let bytes = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c < 0xdc00 && k + 1 < s.length && (s.charCodeAt(k + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      k++;
    } else bytes += 3;
  }
  return bytes;
}
