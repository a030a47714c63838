/**
 * One measurement in a process of its own (so peak RSS is that reader's alone):
 *   tsx bench/measure.ts <tally|exceljs|sheetjs|floor> <file.xlsx> [db]
 * prints one JSON line: { kind, seconds, rows, peakRssMb }.
 */
import { readFileSync, rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
// @ts-expect-error a plain module of the bench, without types
import { peakRssKb } from './peak-rss.mjs';

const [kind, file, db] = process.argv.slice(2);
if (kind === undefined || file === undefined) throw new Error('usage: measure.ts <kind> <file> [db]');

/**
 * What `tally run` does with one file: read in a worker thread, rows handed on in parts and
 * appended while the rest is read, committed. Opening (and creating) the database and starting
 * the worker (loading its code, as the other readers' libraries are imported before their
 * clock starts; a run starts it while it hashes the inbox) are not ingest: the clock starts
 * after them. It stops when the rows are committed (durable in DuckDB's write-ahead log), not
 * after the checkpoint that closing the database makes.
 */
async function tally(path: string, dbPath: string): Promise<number> {
  const { loadConfig } = await import('../pipeline/kernel/config/config.ts');
  const { openDatabase } = await import('../pipeline/kernel/db/open-database.ts');
  const { readAndLoad, readPool } = await import('../pipeline/stages/3-load/ingest.ts');
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
  startRss = process.memoryUsage().rss;
  start = performance.now();
  try {
    await readAndLoad(
      tdb,
      [{ path: 'enforcement/bench.xlsx', department: 'enforcement', status: 'new', versionId: BigInt(id), version: 1, size: 0, archivedPath: path, oversized: false }],
      pool,
    );
    stop = performance.now();
    const loaded = await tdb.connection.runAndReadAll(`select count(*) as n from ledger_penalty_data where file_version_id = $id`, { id: BigInt(id) });
    return Number(loaded.getRowObjectsJS()[0]?.['n'] ?? 0);
  } finally {
    await pool.close();
    await tdb.close();
    rmSync(dbPath, { force: true });
    rmSync(`${dbPath}.wal`, { force: true });
  }
}

async function exceljs(path: string): Promise<number> {
  const { default: ExcelJS } = await import('exceljs');
  start = performance.now();
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  let rows = 0;
  wb.worksheets[0]?.eachRow(() => rows++);
  return rows - 2;
}

async function sheetjs(path: string): Promise<number> {
  const { default: XLSX } = await import('xlsx');
  start = performance.now();
  const wb = XLSX.readFile(path, { cellDates: true });
  const ws = wb.Sheets[wb.SheetNames[0] ?? ''];
  return ws === undefined ? 0 : XLSX.utils.sheet_to_json(ws, { header: 1 }).length - 2;
}

/** The floor: inflate the sheet XML and scan it, no cell model. */
async function floor(path: string): Promise<number> {
  const { unzipSync, strFromU8 } = await import('fflate');
  start = performance.now();
  const files = unzipSync(readFileSync(path), { filter: (f) => f.name === 'xl/worksheets/sheet1.xml' || f.name === 'xl/sharedStrings.xml' });
  const xml = strFromU8(files['xl/worksheets/sheet1.xml'] ?? new Uint8Array());
  let rows = 0;
  let cells = 0;
  for (const m of xml.matchAll(/<row [^>]*>|<c r="([A-Z]+)\d+"[^>]*>(?:<v>([^<]*)<\/v>)?/g)) {
    if (m[0].startsWith('<row')) rows++;
    else cells++;
  }
  return cells > 0 ? rows - 2 : 0;
}

let start = performance.now();
let stop: number | undefined;
/** RSS when the clock starts: what the process holds before the first row (modules, database, workers). */
let startRss: number | undefined;
const rows =
  kind === 'tally' ? await tally(file, db ?? `${file}.duckdb`)
  : kind === 'exceljs' ? await exceljs(file)
  : kind === 'sheetjs' ? await sheetjs(file)
  : kind === 'floor' ? await floor(file)
  : (() => { throw new Error(`unknown kind ${kind}`); })();
const seconds = ((stop ?? performance.now()) - start) / 1000;
const peakRssMb = peakRssKb() / 1024;
process.stdout.write(`${JSON.stringify({ kind, seconds, rows, peakRssMb, ...(startRss === undefined ? {} : { startRssMb: startRss / 1024 / 1024 }) })}\n`);
