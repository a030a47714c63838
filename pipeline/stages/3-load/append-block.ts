/**
 * A block of typed rows into a ledger's data table through DuckDB's appender, a data chunk of
 * 2,048 rows at a time (STACK.md: bulk rows never go row by row through INSERT).
 */
import type { DuckDBAppender, DuckDBDataChunk, DuckDBType, DuckDBVector } from '@duckdb/node-api';
import { BIGINT, BOOLEAN, DATE, DOUBLE, VARCHAR, dateValue } from '../../kernel/db/duckdb-api.ts';
import type { FieldType, LedgerDef } from '../../../sheets/ledger-catalog.ts';
import type { ColumnData, RowBlock } from '../../../sheets/row-block.ts';
import { normalizeKey } from '../../../sheets/values/index.ts';

/** Rows per data chunk: DuckDB's vector size. */
const CHUNK_ROWS = 2_048;

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
  readonly chunk: DuckDBDataChunk;
}

/**
 * Appends a sheet's rows in the column order of `ledgerColumns` (file version, sheet, row, key,
 * then the fields), a data chunk of 2,048 rows at a time: numbers, dates and booleans are
 * copied into DuckDB a column at a time, only text crosses into it value by value. Returns how
 * many rows.
 */
export function appendBlock({ ledger, appender: a, chunk }: RowAppender, block: RowBlock, versionId: bigint, sheetNo: number): number {
  // Where each field of the ledger is in the block (-1: the sheet has no such column).
  const at = ledger.fields.map((f) => block.fields.indexOf(f.id));
  const keyAt = ledger.key === undefined ? -1 : block.fields.indexOf(ledger.key);
  const keys = keyAt < 0 ? null : block.data[keyAt];
  for (let start = 0; start < block.length; start += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, block.length - start);
    chunk.reset();
    chunk.rowCount = n;
    fill(chunk.getColumnVector(0), n, () => versionId);
    fill(chunk.getColumnVector(1), n, () => sheetNo);
    fill(chunk.getColumnVector(2), n, (i) => block.rowNumbers[start + i] ?? 0);
    fill(chunk.getColumnVector(3), n, (i) => {
      const key = keys === null || keys === undefined ? null : cellValue(keys, start + i, 'text');
      return key === null ? null : normalizeKey(String(key));
    });
    ledger.fields.forEach((f, j) => {
      const col = block.data[at[j] ?? -1];
      fill(chunk.getColumnVector(4 + j), n, (i) => (col === undefined ? null : cellValue(col, start + i, f.type)));
    });
    a.appendDataChunk(chunk);
  }
  return block.length;
}

type ChunkValue = string | number | bigint | boolean | ReturnType<typeof dateValue> | null;

function fill(vector: DuckDBVector, n: number, value: (i: number) => ChunkValue): void {
  // The vector's type matches the value's by construction (CHUNK_TYPE and cellValue).
  const v = vector as DuckDBVector<Exclude<ChunkValue, null>>;
  for (let i = 0; i < n; i++) v.setItem(i, value(i));
  v.flush();
}

/** Row i of a column as its DuckDB value for a field of type `type`. */
function cellValue(col: ColumnData, i: number, type: FieldType): ChunkValue {
  switch (col.kind) {
    case 'date': {
      const v = col.data[i] ?? NaN;
      return Number.isNaN(v) ? null : dateValue(v);
    }
    case 'number': {
      const v = col.data[i] ?? NaN;
      if (Number.isNaN(v)) return null;
      return type === 'integer' ? BigInt(Math.round(v)) : v;
    }
    case 'bool': {
      const v = col.data[i] ?? -1;
      return v < 0 ? null : v === 1;
    }
    case 'text':
      return col.data[i] ?? null;
  }
}
