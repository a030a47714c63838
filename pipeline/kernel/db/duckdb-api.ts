/**
 * The values tally uses from @duckdb/node-api, loaded with `require`. The package is CommonJS
 * whose index re-exports ~100 files: imported from an ES module, Node first scans every one of
 * them for its export names (cjs-module-lexer), ~230 ms of each start on this machine against
 * ~95 ms for `require` (a third of `tally run`'s module loading). Types are imported from the
 * package itself (`import type`, erased).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
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
