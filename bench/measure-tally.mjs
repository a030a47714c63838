// `tally` in bench/measure.ts, run as tally ships: the compiled modules in dist/ in plain
// node, no TypeScript loader (its thread held ~50 MB of the figure). Same protocol:
//   node bench/measure-tally.mjs <file.xlsx> [db]  → one JSON line { kind, seconds, rows, peakRssMb, startRssMb }
// What `tally run` does with one file: read in a worker thread, rows handed on in parts and
// appended while the rest is read, committed. Opening the database and starting the worker are
// not ingest: the clock starts after them, and stops when the rows are committed.
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { peakRssKb } from './peak-rss.mjs';

const [path, dbArg] = process.argv.slice(2);
if (path === undefined) throw new Error('usage: measure-tally.mjs <file> [db]');
const dbPath = dbArg ?? `${path}.duckdb`;
const dist = new URL('../dist/pipeline/', import.meta.url);
const { loadConfig } = await import(new URL('kernel/config/config.js', dist).href);
const { openDatabase } = await import(new URL('kernel/db/open-database.js', dist).href);
const { readAndLoad, readPool } = await import(new URL('stages/3-load/ingest.js', dist).href);
const config = loadConfig();
rmSync(dbPath, { force: true });
const tdb = await openDatabase(dbPath, config.ledgers);
const { id } = await tdb.db
  .insertInto('file_versions')
  .values({ department: 'enforcement', path: 'enforcement/bench.xlsx', version: 1, sha256: 'bench', size: 0n, received_at: '2021-01-04 09:00:00', archived_as: path, current: true, read_status: 'pending' })
  .returning('id')
  .executeTakeFirstOrThrow();
const pool = readPool({ catalog: config.ledgers, year: 2020, maxFileBytes: 1024 * 1024 * 1024, readers: 1 });
await pool.warm();
const startRss = process.memoryUsage().rss;
const start = performance.now();
let stop;
let rows = 0;
try {
  await readAndLoad(tdb, [{ path: 'enforcement/bench.xlsx', department: 'enforcement', status: 'new', versionId: BigInt(id), version: 1, size: 0, archivedPath: path, oversized: false }], pool);
  stop = performance.now();
  const loaded = await tdb.connection.runAndReadAll('select count(*) as n from ledger_penalty_data where file_version_id = $id', { id: BigInt(id) });
  rows = Number(loaded.getRowObjectsJS()[0]?.n ?? 0);
} finally {
  await pool.close();
  await tdb.close();
  rmSync(dbPath, { force: true });
  rmSync(`${dbPath}.wal`, { force: true });
}
const peakRssMb = peakRssKb() / 1024;
process.stdout.write(`${JSON.stringify({ kind: 'tally', seconds: (stop - start) / 1000, rows, peakRssMb, startRssMb: startRss / 1024 / 1024 })}\n`);
