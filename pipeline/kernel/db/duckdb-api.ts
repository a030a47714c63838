/**
 * The values tally uses from @duckdb/node-api, loaded with `require`. The package is CommonJS
 * whose index re-exports ~100 files: imported from an ES module, Node first scans every one of
 * them for its export names (cjs-module-lexer), ~230 ms of each start on this machine against
 * ~95 ms for `require` (a third of `tally run`'s module loading). Types are imported from the
 * package itself (`import type`, erased).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * DuckDB allocates through a jemalloc of its own, which keeps the pages it frees for reuse for
 * a second before it gives them back (dirty, then muzzy), in an arena per thread: while a big
 * ledger is appended, each row group's working memory is freed and the next one's taken from
 * fresh pages, and the process held ~20 MB more than it used. Given back at once, the bench's
 * 500,000-row file peaked at 264-275 MB against 285-299 MB (4 alternating runs), in the same
 * time. jemalloc reads this variable when it starts, at DuckDB's first allocation: so it is set
 * before the library is loaded, unless whoever runs tally set it.
 */
process.env['DUCKDB_JE_MALLOC_CONF'] ??= 'dirty_decay_ms:0,muzzy_decay_ms:0';
const api = require('@duckdb/node-api') as typeof import('@duckdb/node-api');

/**
 * DuckDB's C API as node-api itself calls it (the same package and version, pinned beside it in
 * package.json): for the load's data chunks only (append-block.ts says why).
 */
export const bindings = require('@duckdb/node-bindings') as typeof import('@duckdb/node-bindings');

export const {
  BIGINT,
  BOOLEAN,
  DATE,
  DOUBLE,
  INTEGER,
  VARCHAR,
  blobValue,
  dateValue,
  listValue,
  timestampValue,
  version,
  DuckDBDataChunk,
  DuckDBInstance,
  DuckDBTypeId,
  JSDuckDBValueConverter,
  ResultReturnType,
} = api;
