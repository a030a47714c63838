/**
 * A block of typed rows into a ledger's data table through DuckDB's appender, a data chunk of
 * 2,048 rows at a time (STACK.md: bulk rows never go row by row through INSERT).
 *
 * The chunk is filled through DuckDB's C API (@duckdb/node-bindings, which @duckdb/node-api is
 * built on) rather than node-api's vector classes: those keep every value in a JavaScript array
 * and a dirty flag per row, a DATE is an object per value, a BIGINT a BigInt, and each null
 * flips a bit of a BigUint64Array with BigInt arithmetic. On the district's 2,000,000 rows that
 * was ~10 s of the loading thread, the one thread every read waits for. Here each column is
 * written into a typed array kept for the appender and copied into the chunk at once; only
 * text crosses value by value, as it must (DuckDB owns a string's bytes).
 */
import type { DuckDBAppender, DuckDBDataChunk, DuckDBType } from '@duckdb/node-api';
import { BIGINT, BOOLEAN, DATE, DOUBLE, VARCHAR, bindings, dateValue } from '../../kernel/db/duckdb-api.ts';
import type { FieldType, LedgerDef } from '../../../sheets/ledger-catalog.ts';
import { kindOf, type ColumnData, type RowBlock } from '../../../sheets/row-block.ts';
import { normalizeKey } from '../../../sheets/values/index.ts';

/** Rows per data chunk: DuckDB's vector size. */
const CHUNK_ROWS = 2_048;

/**
 * Chunks an appender holds before it hands them to the table. DuckDB's appender keeps what it is
 * given in a collection of its own up to 100 chunks (204,800 rows; appender.hpp), in memory its buffer manager
 * does not count, as well as the transaction's copy once handed over: the 500,000-row bench file
 * peaked ~25 MB higher (337-345 MB against 313-314 MB flushing every chunk, 2 runs each); every 16
 * chunks cost the loading thread ~20 ms of CPU per 100,000 rows (median of 6 runs: 362 against
 * 339 ms, appending and closing).
 */
const FLUSH_CHUNKS = 16;

export const CHUNK_TYPE: Readonly<Record<FieldType, DuckDBType>> = {
  date: DATE,
  enum: VARCHAR,
  text: VARCHAR,
  key: VARCHAR,
  number: DOUBLE,
  integer: BIGINT,
  bool: BOOLEAN,
};

export interface RowAppender {
  readonly ledger: LedgerDef;
  readonly appender: DuckDBAppender;
  /** Its columns: file version, sheet, row, key, then the ledger's fields (types as {@link CHUNK_TYPE}). */
  readonly chunk: DuckDBDataChunk;
  readonly scratch: ChunkScratch;
}

/**
 * What a column is written from before it is copied into the chunk: 8 bytes a row (the widest
 * type), and its validity mask (a bit a row, set when the value is there). One per appender.
 */
export class ChunkScratch {
  readonly bytes = new ArrayBuffer(CHUNK_ROWS * 8);
  readonly f64 = new Float64Array(this.bytes);
  readonly i32 = new Int32Array(this.bytes);
  readonly u32 = new Uint32Array(this.bytes);
  readonly u8 = new Uint8Array(this.bytes);
  readonly validBytes = new ArrayBuffer(CHUNK_ROWS / 8);
  readonly valid = new Uint32Array(this.validBytes);
  /** Chunks appended since the appender last handed its rows to the table ({@link FLUSH_CHUNKS}). */
  chunksHeld = 0;
}

const TWO_32 = 4_294_967_296;

/**
 * Appends a sheet's rows in the column order of `ledgerColumns` (file version, sheet, row, key,
 * then the fields), a data chunk of 2,048 rows at a time. Returns how many rows.
 */
export function appendBlock({ ledger, appender, chunk, scratch }: RowAppender, block: RowBlock, versionId: bigint, sheetNo: number): number {
  // Where each field of the ledger is in the block (-1: the sheet has no such column).
  const at = ledger.fields.map((f) => block.fields.indexOf(f.id));
  const keyAt = ledger.key === undefined ? -1 : block.fields.indexOf(ledger.key);
  const keys = keyAt < 0 ? undefined : block.data[keyAt];
  const raw = chunk.chunk;
  for (let start = 0; start < block.length; start += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, block.length - start);
    bindings.data_chunk_reset(raw);
    bindings.data_chunk_set_size(raw, n);
    scratch.valid.fill(-1);
    new BigInt64Array(scratch.bytes, 0, n).fill(versionId);
    put(raw, 0, scratch, n * 8);
    scratch.i32.fill(sheetNo, 0, n);
    put(raw, 1, scratch, n * 4);
    scratch.i32.set(block.rowNumbers.subarray(start, start + n));
    put(raw, 2, scratch, n * 4);
    texts(raw, 3, scratch, n, (i) => {
      const key = keys === undefined ? null : keyText(keys, start + i);
      return key === null ? null : normalizeKey(key);
    });
    ledger.fields.forEach((f, j) => {
      const col = block.data[at[j] ?? -1];
      if (col === undefined) {
        // A column the sheet does not have: every row missing.
        scratch.valid.fill(0);
        return put(raw, 4 + j, scratch, 0);
      }
      if (col.kind !== kindOf(f)) throw new Error(`${ledger.id}.${f.id}: a ${col.kind} column for a ${f.type} field`);
      column(raw, 4 + j, scratch, f.type, col, start, n);
    });
    appender.appendDataChunk(chunk);
    if (++scratch.chunksHeld >= FLUSH_CHUNKS) {
      appender.flushSync();
      scratch.chunksHeld = 0;
    }
  }
  return block.length;
}

/** A field's column: its values from `start`, `n` of them, as the field's DuckDB type. */
function column(raw: RawChunk, c: number, s: ChunkScratch, type: FieldType, col: ColumnData, start: number, n: number): void {
  const valid = s.valid;
  valid.fill(0);
  switch (col.kind) {
    case 'number': {
      const data = col.data;
      if (type === 'integer') {
        // A BIGINT as two 32-bit halves (little-endian): exact for the safe integers an integer
        // field holds (parseInteger refuses the others), with no BigInt made per value.
        for (let i = 0; i < n; i++) {
          const v = data[start + i] ?? NaN;
          if (Number.isNaN(v)) continue;
          const w = Math.round(v);
          if (!Number.isSafeInteger(w)) throw new Error(`integer out of range: ${v}`);
          const hi = Math.floor(w / TWO_32);
          s.u32[2 * i] = w - hi * TWO_32;
          s.i32[2 * i + 1] = hi;
          valid[i >>> 5] = (valid[i >>> 5] ?? 0) | (1 << (i & 31));
        }
        return put(raw, c, s, n * 8);
      }
      for (let i = 0; i < n; i++) {
        if (!Number.isNaN(data[start + i] ?? NaN)) valid[i >>> 5] = (valid[i >>> 5] ?? 0) | (1 << (i & 31));
      }
      s.f64.set(data.subarray(start, start + n));
      return put(raw, c, s, n * 8);
    }
    case 'date': {
      const data = col.data;
      for (let i = 0; i < n; i++) {
        const v = data[start + i] ?? NaN;
        if (Number.isNaN(v)) {
          s.i32[i] = 0;
          continue;
        }
        if (!Number.isInteger(v)) throw new Error(`date is not a whole day: ${v}`);
        s.i32[i] = v;
        valid[i >>> 5] = (valid[i >>> 5] ?? 0) | (1 << (i & 31));
      }
      return put(raw, c, s, n * 4);
    }
    case 'bool': {
      const data = col.data;
      for (let i = 0; i < n; i++) {
        const v = data[start + i] ?? -1;
        s.u8[i] = v === 1 ? 1 : 0;
        if (v >= 0) valid[i >>> 5] = (valid[i >>> 5] ?? 0) | (1 << (i & 31));
      }
      return put(raw, c, s, n);
    }
    case 'text': {
      const data = col.data;
      return texts(raw, c, s, n, (i) => data[start + i] ?? null);
    }
  }
}

type RawChunk = DuckDBDataChunk['chunk'];

/**
 * Copies the scratch's first `bytes` into column `c`, and its validity mask: always, so that no
 * bit of an earlier chunk can survive into this one.
 */
function put(raw: RawChunk, c: number, s: ChunkScratch, bytes: number): void {
  const vector = bindings.data_chunk_get_vector(raw, c);
  if (bytes > 0) bindings.copy_data_to_vector(vector, 0, s.bytes, 0, bytes);
  setValidity(vector, s);
}

/** A text column: each string handed to DuckDB, which copies its UTF-8 bytes. */
function texts(raw: RawChunk, c: number, s: ChunkScratch, n: number, value: (i: number) => string | null): void {
  const vector = bindings.data_chunk_get_vector(raw, c);
  const valid = s.valid;
  valid.fill(0);
  for (let i = 0; i < n; i++) {
    const v = value(i);
    if (v === null) continue;
    bindings.vector_assign_string_element(vector, i, v);
    valid[i >>> 5] = (valid[i >>> 5] ?? 0) | (1 << (i & 31));
  }
  setValidity(vector, s);
}

/** The mask as DuckDB keeps it: 64-bit words, least significant bit first (the same bytes as 32-bit words on a little-endian machine). */
function setValidity(vector: ReturnType<typeof bindings.data_chunk_get_vector>, s: ChunkScratch): void {
  bindings.vector_ensure_validity_writable(vector);
  bindings.copy_data_to_vector_validity(vector, 0, s.validBytes, 0, s.validBytes.byteLength);
}

/** Row i of the key's column as text (a number or date key as it prints). */
function keyText(col: ColumnData, i: number): string | null {
  switch (col.kind) {
    case 'date': {
      const v = col.data[i] ?? NaN;
      return Number.isNaN(v) ? null : String(dateValue(v));
    }
    case 'number': {
      const v = col.data[i] ?? NaN;
      return Number.isNaN(v) ? null : String(v);
    }
    case 'bool': {
      const v = col.data[i] ?? -1;
      return v < 0 ? null : String(v === 1);
    }
    case 'text':
      return col.data[i] ?? null;
  }
}
