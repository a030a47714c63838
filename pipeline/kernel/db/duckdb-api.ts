/**
 * The values tally uses from @duckdb/node-api, loaded with `require`. The package is CommonJS
 * whose index re-exports ~100 files: imported from an ES module, Node first scans every one of
 * them for its export names (cjs-module-lexer), ~230 ms of each start on this machine against
 * ~95 ms for `require` (a third of `tally run`'s module loading). Types are imported from the
 * package itself (`import type`, erased).
 */
import { createRequire } from 'node:module';

const api = createRequire(import.meta.url)('@duckdb/node-api') as typeof import('@duckdb/node-api');

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
