/**
 * Opens (or creates) the tally database file: DuckDB instance, the one shared connection, Kysely
 * over it, migrations applied, ledger tables and views in step with the catalog.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DuckDBConnection, DuckDBInstance as Instance } from '@duckdb/node-api';
import { DuckDBInstance } from './duckdb-api.ts';
import { Kysely } from 'kysely';
import type { LedgerCatalog } from '../../../sheets/ledger-catalog.ts';
import { DuckDBDialect } from './duckdb-dialect.ts';
import { ensureLedgerTables } from './ledger-tables.ts';
import { inTransaction } from './in-transaction.ts';
import { applyMigrations, MigrationError, migrations } from './migrations.ts';
import type { Database } from './schema.ts';

export interface TallyDatabase {
  readonly db: Kysely<Database>;
  /** The connection Kysely uses; the appender uses it too, so loads share Kysely's transaction. */
  readonly connection: DuckDBConnection;
  /** What the schema was made from (migrations, ledger catalog, the code that shapes them): a hash. */
  readonly schema: string;
  /** Another connection to the same database, for queries run side by side (the caller closes it). */
  connect(): Promise<DuckDBConnection>;
  /**
   * Writes what the write-ahead log holds to the data file now, on a connection of its own, for
   * a stretch when nothing else asks the database (the close then has only what came after).
   * Never fails: while a transaction is open DuckDB refuses, and the close checkpoints instead.
   */
  checkpoint(): Promise<void>;
  close(): Promise<void>;
}

/** The database cannot be opened or prepared: the run cannot go on (exit 1). */
export class DatabaseError extends Error {
  override readonly name = 'DatabaseError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * DuckDB's own memory, which counts in the run's resident size like the JavaScript heap.
 * Unbounded, it takes up to 80% of the machine: a check over a million rows, or the sorted
 * findings of a flood, held ~1 GB. Past this it spills to `<database>.tmp/` (sorts, joins,
 * aggregates, windows) and uncommitted appends go to the file. DuckDB's resident size runs
 * ~1.5× its limit (allocations it does not count): at 512 MB the stress run of 1,000,000
 * findings from one file peaked at 1,085–1,125 MB while sorting them for the CSV; at 384 MB,
 * 857 MB, its checks 1.3 s slower. `TALLY_DUCKDB_MEMORY` overrides it (e.g. `2GB` on a big
 * server).
 */
export const DUCKDB_MEMORY_LIMIT = memoryLimit(process.env['TALLY_DUCKDB_MEMORY']);

/** `TALLY_DUCKDB_MEMORY` when it is a size DuckDB reads (`512MB`, `2GB`, `1.5GiB`); otherwise 384MB. */
function memoryLimit(given: string | undefined): string {
  if (given === undefined) return '384MB';
  const size = given.trim();
  if (bytesOf(size) !== undefined) return size;
  process.stderr.write(`TALLY_DUCKDB_MEMORY=${JSON.stringify(given)} 不是有效的内存大小（例如 512MB、2GB），使用默认的 384MB\n`);
  return '384MB';
}

/** Bytes in a size as DuckDB reads it (`64MB` is 64,000,000 bytes, `64MiB` 64 × 2^20), or undefined. */
export function bytesOf(size: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(K|M|G|T)(i)?B$/i.exec(size.trim());
  if (m === null) return undefined;
  const power = 'KMGT'.indexOf((m[2] as string).toUpperCase()) + 1;
  return Number(m[1]) * (m[3] === undefined ? 1000 : 1024) ** power;
}

export async function openDatabase(path: string, catalog: LedgerCatalog): Promise<TallyDatabase> {
  let instance: Instance;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    instance = await DuckDBInstance.create(path, { autoinstall_known_extensions: 'false', memory_limit: DUCKDB_MEMORY_LIMIT });
  } catch (cause) {
    const text = String((cause as Error).message ?? cause);
    const busy = /lock|in use|Conflicting/i.test(text);
    throw new DatabaseError(
      busy
        ? `数据库 ${path} 正被另一个 tally 进程使用（同一时间只能运行一次）。请等它结束后再运行。`
        : `无法打开数据库 ${path}：${text}`,
      { cause },
    );
  }
  const connection = await instance.connect();
  const db = new Kysely<Database>({ dialect: new DuckDBDialect({ connection }) });
  const close = async () => {
    await db.destroy();
    connection.closeSync();
    instance.closeSync();
  };
  const schema = schemaFingerprint(catalog);
  try {
    // A database already in step with this catalog and this code is opened as it is: applying
    // the migrations asks DuckDB's information schema for every table, and recreating the views
    // cost ~1 s of a run with nothing to do.
    if ((await storedSchema(connection)) !== schema) {
      await applyMigrations(db).catch((cause: unknown) => {
        const failed = cause instanceof MigrationError ? cause.migration : undefined;
        throw new DatabaseError(`数据库 ${path} 升级失败${failed === undefined ? '' : `（${failed}）`}`, { cause });
      });
      // The ledger tables and views (~50 statements) in one commit, not one fsync'd commit each.
      await inTransaction(connection, async () => {
        await ensureLedgerTables(connection, catalog);
        await connection.run('create or replace table schema_state as select $schema as fingerprint', { schema });
      });
      // Schema changes go to the data file now, not the write-ahead log: a run killed later
      // must never leave DDL for the next open to replay (DuckDB has failed replaying an
      // ALTER … DEFAULT after a SIGKILL).
      await connection.run('checkpoint');
    }
  } catch (cause) {
    await close();
    throw cause instanceof DatabaseError ? cause : new DatabaseError(`无法准备数据库 ${path}：${String(cause)}`, { cause });
  }
  const checkpoint = async () => {
    const aside = await instance.connect();
    try {
      await aside.run('checkpoint');
    } catch {
      // Another transaction is open: the close checkpoints, as it always does.
    } finally {
      aside.closeSync();
    }
  };
  return { db, connection, schema, connect: () => instance.connect(), checkpoint, close };
}

/** The code that shapes the ledger tables and views (its compiled or source text, as it runs). */
const LEDGER_TABLES_CODE = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? './ledger-tables.ts' : './ledger-tables.js', import.meta.url));

/**
 * What the schema is made from: the migrations, the ledger catalog and the code that turns the
 * catalog into tables and views (a view changed in code is a new schema, with no version to bump).
 */
function schemaFingerprint(catalog: LedgerCatalog): string {
  return createHash('sha256')
    .update(JSON.stringify({ migrations: Object.keys(migrations), ledgers: catalog.ledgers }))
    .update(readFileSync(LEDGER_TABLES_CODE))
    .digest('hex');
}

/** The fingerprint the database was last prepared with; null for a new or older database. */
async function storedSchema(connection: DuckDBConnection): Promise<string | null> {
  const table = await connection.runAndReadAll("select 1 from duckdb_tables() where schema_name = 'main' and table_name = 'schema_state'");
  if (table.currentRowCount === 0) return null;
  const row = (await connection.runAndReadAll('select fingerprint from schema_state')).getRowObjectsJS()[0];
  return row === undefined ? null : String(row['fingerprint']);
}
