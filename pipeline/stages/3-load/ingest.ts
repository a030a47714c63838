/**
 * Read + load: the files a run takes in, from the inbox's archive into DuckDB (see
 * read-pool.ts for the reading, load-stage.ts for the loading).
 */
import type { LedgerCatalog } from '../../../sheets/ledger-catalog.ts';
import type { TallyDatabase } from '../../kernel/db/open-database.ts';
import type { IntakeFile } from '../1-intake/intake.ts';
import { FileLoader, LoadGroup, LoadMemory } from './load-stage.ts';
import { ReadPool, type ReadStream } from '../2-read/read-pool.ts';
import { DUCKDB_MEMORY_LIMIT } from '../../kernel/db/open-database.ts';

export interface ReaderOptions {
  readonly catalog: LedgerCatalog;
  readonly year: number;
  readonly maxFileBytes: number;
  /** Read worker threads (default: the pool's, one per core). */
  readonly readers?: number;
  readonly readTimeoutMs?: number;
}

/** The read workers a run uses (started by `warm()`, or on the first read). */
export function readPool(opts: ReaderOptions): ReadPool {
  return new ReadPool({
    catalog: opts.catalog,
    year: opts.year,
    limits: { maxFileBytes: opts.maxFileBytes },
    ...(opts.readers === undefined ? {} : { size: opts.readers }),
    ...(opts.readTimeoutMs === undefined ? {} : { timeoutMs: opts.readTimeoutMs }),
  });
}

/** Told of each file once it is loaded (its transaction may still be open). */
export type FileProgress = (index: number, total: number, path: string) => void;

/** A load group closes at this many files or rows, whichever comes first. */
const LOAD_GROUP_FILES = 64;
const LOAD_GROUP_ROWS = 10_000;

/**
 * DuckDB checkpoints when a commit finds its write-ahead log past this size (default 16 MB), and
 * a checkpoint rewrites the row groups appended since, at a cost that grows with the table (DuckDB
 * #7709, #18829): the district's load committed 2,000,000 rows in groups of 10,000 and
 * checkpointed every ~150,000, each commit that did so taking 0.5-1.7 s while the read workers
 * waited. In a test of that pattern (200 commits of 10,000 rows, four tables, 3 runs each),
 * commits and the last checkpoint took 17.2-21.4 s at 16 MB, 7.9-10.7 s at 32 MB, 3.1-4.8 s at
 * 128 MB, whose peak was 40-90 MB higher (317-365 MB); at 256 MB or more, 440 MB. During the
 * load the log may grow to this; the first commit after it checkpoints it once.
 */
const LOAD_CHECKPOINT_THRESHOLD = '128MB';

/**
 * Reads started ahead of the load: always two per worker; up to eight per worker while the files
 * ahead are small, at most {@link READ_AHEAD_BYTES} of workbooks together. A read that finishes
 * before its turn waits whole (up to ~24,000 rows: two parts unacknowledged and its last rows),
 * so only small files go further ahead; a district's are ~16 kB each. With two ahead per worker,
 * its workers sat idle about half the read stage (profiled) whenever the load committed a group
 * or appended a slow file: eight took the stage from 28.5 to 25.9 s (median of 3 runs each,
 * alternating).
 */
const READ_AHEAD_MIN = 2;
const READ_AHEAD_MAX = 8;
const READ_AHEAD_BYTES = 4 * 1024 * 1024;

/**
 * Files are read in worker threads and loaded on the one database connection, in inbox order,
 * a group of files per transaction (a commit costs more than a small file). Reads run ahead of
 * the loads so both cores stay busy, and a big file's rows are appended in parts as they are
 * read, so its load overlaps its read.
 */
export async function readAndLoad(tdb: TallyDatabase, files: readonly IntakeFile[], pool: ReadPool, onFile?: FileProgress): Promise<void> {
  if (files.length === 0) return;
  await tdb.connection.run(`set checkpoint_threshold = '${LOAD_CHECKPOINT_THRESHOLD}'`);
  const memory = new LoadMemory(tdb, DUCKDB_MEMORY_LIMIT);
  try {
    await loadAll(tdb, files, pool, memory, onFile);
  } finally {
    // What the load logged past DuckDB's own threshold is checkpointed by the next commit that
    // writes (the check stage's). Not here: a checkpoint asked for after every load made the
    // bench's 100,000-row file take 1.21-1.61 s instead of 1.05-1.34 s (4 alternating runs).
    await tdb.connection.run('reset checkpoint_threshold');
    await memory.end();
  }
}

async function loadAll(tdb: TallyDatabase, files: readonly IntakeFile[], pool: ReadPool, memory: LoadMemory, onFile?: FileProgress): Promise<void> {
  const ahead: ReadStream[] = [];
  let aheadBytes = 0;
  let next = 0;
  const fill = () => {
    while (next < files.length && ahead.length < pool.size * READ_AHEAD_MAX) {
      const file = files[next] as IntakeFile;
      if (ahead.length >= pool.size * READ_AHEAD_MIN && aheadBytes + file.size > READ_AHEAD_BYTES) break;
      ahead.push(pool.stream(file));
      aheadBytes += file.size;
      next++;
    }
  };
  fill();
  let loaded = 0;
  while (loaded < files.length) {
    await memory.begin();
    await tdb.db.transaction().execute(async (trx) => {
      const group = new LoadGroup(tdb, trx, memory);
      let groupFiles = 0;
      let groupRows = 0;
      while (loaded < files.length && groupFiles < LOAD_GROUP_FILES && groupRows < LOAD_GROUP_ROWS) {
        const reading = ahead.shift() as ReadStream;
        aheadBytes -= (files[loaded] as IntakeFile).size;
        fill();
        const loader = new FileLoader(group, files[loaded] as IntakeFile);
        for await (const part of reading.parts()) await loader.part(part);
        const read = await reading.result;
        const load = await loader.finish(read);
        loaded++;
        groupFiles++;
        groupRows += load.rows;
        onFile?.(loaded, files.length, read.file.path);
      }
      await group.flush();
    });
  }
}
