/**
 * A block of typed rows into a ledger's data table through DuckDB's appender, a data chunk of
 * 2,048 rows at a time (STACK.md: bulk rows never go row by row through INSERT).
 *
 * The chunk is filled through DuckDB's C API (@duckdb/node-bindings, which @duckdb/node-api is
 * built on) rather than node-api's vector classes: those keep every value in a JavaScript array
 * and a dirty flag per row, a DATE is an object per value, a BIGINT a BigInt, and each null
 * flips a bit of a BigUint64Array with BigInt arithmetic. On the district's 2,000,000 rows that
 * was ~10 s of the loading thread, the one thread every read waits for. Here each column is
 * written into a typed array kept for the appender and copied into the chunk at once, text
 * as DuckDB's string_t pointing into one copy of the column's bytes ({@link packedTexts}).
 */
import type { DuckDBAppender, DuckDBDataChunk as DataChunk, DuckDBType } from '@duckdb/node-api';
import { BIGINT, BOOLEAN, DATE, DOUBLE, VARCHAR, bindings, DuckDBDataChunk } from '../../kernel/db/duckdb-api.ts';
import type { FieldType, LedgerDef } from '../../../sheets/ledger-catalog.ts';
import { kindOf, packBlock, type ColumnData, type PackedText, type RowBlock } from '../../../sheets/row-block.ts';

/** Rows per data chunk: DuckDB's vector size. */
const CHUNK_ROWS = 2_048;

/**
 * Chunks an appender holds before it hands them to the table. DuckDB's appender keeps what it is
 * given in a collection of its own up to 100 chunks (204,800 rows; appender.hpp), in memory its
 * buffer manager does not count, as well as the transaction's copy once handed over: the
 * 500,000-row bench file peaked ~25 MB higher (337-345 MB against 313-314 MB flushing every
 * chunk, 2 runs each). Under the 32 MB limit of a big file's load (LoadMemory, load-stage.ts)
 * it peaked at 232-237 MB handed over every 4 chunks against 238-251 MB every 16 (4 alternating
 * runs), in the same time; at 64 MB, 245-252 MB against 246-249 MB.
 */
export const FLUSH_CHUNKS = 4;

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
  readonly chunk: DataChunk;
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
  /** A text column's values as DuckDB's string_t, 16 bytes a row ({@link packedTexts}). */
  readonly strings = new ArrayBuffer(CHUNK_ROWS * 16);
  readonly strU8 = new Uint8Array(this.strings);
  readonly strU32 = new Uint32Array(this.strings);
  /**
   * A VARCHAR chunk whose values are DuckDB's copies of the data chunk's text columns' bytes,
   * which their string_t point into: a value per text column, emptied for each data chunk.
   */
  readonly heap = DuckDBDataChunk.create([VARCHAR]);
  heapValues = 0;
  /** Chunks appended since the appender last handed its rows to the table ({@link FLUSH_CHUNKS}). */
  chunksHeld = 0;
}

const TWO_32 = 4_294_967_296;

/**
 * Appends a sheet's rows in the column order of `ledgerColumns` (file version, sheet, row, key,
 * then the fields), a data chunk of 2,048 rows at a time. Returns how many rows.
 */
export function appendBlock({ ledger, appender, chunk, scratch }: RowAppender, given: RowBlock, versionId: bigint, sheetNo: number): number {
  // A read worker packs its blocks (packBlock); one read on this thread (a test) is packed here.
  const unpacked = given.data.some((c) => c.kind === 'text') || (ledger.key !== undefined && given.keys === undefined && given.fields.includes(ledger.key));
  const block = unpacked ? packBlock(given, ledger.key) : given;
  // Where each field of the ledger is in the block (-1: the sheet has no such column).
  const at = ledger.fields.map((f) => block.fields.indexOf(f.id));
  const keys = ledger.key === undefined ? undefined : block.keys;
  const raw = chunk.chunk;
  for (let start = 0; start < block.length; start += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, block.length - start);
    bindings.data_chunk_reset(raw);
    bindings.data_chunk_set_size(raw, n);
    bindings.data_chunk_reset(scratch.heap.chunk);
    scratch.heapValues = 0;
    scratch.valid.fill(-1);
    new BigInt64Array(scratch.bytes, 0, n).fill(versionId);
    put(raw, 0, scratch, n * 8);
    scratch.i32.fill(sheetNo, 0, n);
    put(raw, 1, scratch, n * 4);
    scratch.i32.set(block.rowNumbers.subarray(start, start + n));
    put(raw, 2, scratch, n * 4);
    if (keys !== undefined) packedTexts(raw, 3, scratch, n, keys, start);
    else missingColumn(raw, 3, scratch);
    ledger.fields.forEach((f, j) => {
      const col = block.data[at[j] ?? -1];
      // A column the sheet does not have: every row missing.
      if (col === undefined) return missingColumn(raw, 4 + j, scratch);
      if ((col.kind === 'utf8' ? 'text' : col.kind) !== kindOf(f)) throw new Error(`${ledger.id}.${f.id}: a ${col.kind} column for a ${f.type} field`);
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
    case 'text':
      throw new Error('text columns are packed before they are appended');
    case 'utf8':
      return packedTexts(raw, c, s, n, col.data, start);
  }
}

type RawChunk = DataChunk['chunk'];

/**
 * Copies the scratch's first `bytes` into column `c`, and its validity mask: always, so that no
 * bit of an earlier chunk can survive into this one.
 */
function put(raw: RawChunk, c: number, s: ChunkScratch, bytes: number): void {
  const vector = bindings.data_chunk_get_vector(raw, c);
  if (bytes > 0) bindings.copy_data_to_vector(vector, 0, s.bytes, 0, bytes);
  setValidity(vector, s);
}

/** Column `c` with no value in any row. */
function missingColumn(raw: RawChunk, c: number, s: ChunkScratch): void {
  s.valid.fill(0);
  put(raw, c, s, 0);
}

/**
 * A packed text column (packBlock), `n` values from `start`, without a call into DuckDB per
 * value (~230 ns each, most of the loading thread's time on a ledger of text): the chunk's
 * bytes are copied into DuckDB's memory at once, as one value of the scratch's heap chunk, and
 * each row's duckdb_string_t (duckdb.h: its length, then up to 12 bytes inline, or its first 4
 * bytes and a pointer to the rest) is written into the column, pointing into that copy. The
 * appender copies every string into its own collection as the chunk is appended (append-block
 * tests read back every value after the heap chunk is reused), so the copies need only outlive
 * the append: they are let go with the next data chunk.
 */
function packedTexts(raw: RawChunk, c: number, s: ChunkScratch, n: number, p: PackedText, start: number): void {
  const valid = s.valid;
  valid.fill(0);
  const { bytes, offsets, missing } = p;
  const from = offsets[start] ?? 0;
  const to = offsets[start + n] ?? from;
  // The address of DuckDB's copy of bytes[from, to), less `from`: value bytes[a, b) is at base + a.
  let base = 0;
  if (to - from > INLINE_BYTES) {
    const k = s.heapValues++;
    const heap = s.heap.chunk;
    bindings.data_chunk_set_size(heap, k + 1);
    const hv = bindings.data_chunk_get_vector(heap, 0);
    bindings.vector_assign_string_element_len(hv, k, bytes.subarray(from, to));
    const strings = bindings.vector_get_data(hv, (k + 1) * 16);
    const head = new DataView(strings.buffer, strings.byteOffset + k * 16, 16);
    base = head.getUint32(12, true) * TWO_32 + head.getUint32(8, true) - from;
  }
  const u8 = s.strU8;
  const u32 = s.strU32;
  u32.fill(0, 0, n * 4);
  for (let i = 0; i < n; i++) {
    if (missing[start + i] !== 0) continue;
    const a = offsets[start + i] ?? 0;
    const length = (offsets[start + i + 1] ?? 0) - a;
    const at = i * 16;
    u32[i * 4] = length;
    if (length <= INLINE_BYTES) {
      for (let k = 0; k < length; k++) u8[at + 4 + k] = bytes[a + k] ?? 0;
    } else {
      for (let k = 0; k < 4; k++) u8[at + 4 + k] = bytes[a + k] ?? 0;
      const address = base + a;
      const hi = Math.floor(address / TWO_32);
      u32[i * 4 + 2] = address - hi * TWO_32;
      u32[i * 4 + 3] = hi;
    }
    valid[i >>> 5] = (valid[i >>> 5] ?? 0) | (1 << (i & 31));
  }
  const vector = bindings.data_chunk_get_vector(raw, c);
  bindings.copy_data_to_vector(vector, 0, s.strings, 0, n * 16);
  setValidity(vector, s);
}

/** A string of up to this many bytes is held inside its duckdb_string_t. */
const INLINE_BYTES = 12;

/** The mask as DuckDB keeps it: 64-bit words, least significant bit first (the same bytes as 32-bit words on a little-endian machine). */
function setValidity(vector: ReturnType<typeof bindings.data_chunk_get_vector>, s: ChunkScratch): void {
  bindings.vector_ensure_validity_writable(vector);
  bindings.copy_data_to_vector_validity(vector, 0, s.validBytes, 0, s.validBytes.byteLength);
}
