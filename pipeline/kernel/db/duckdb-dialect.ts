import { DialectAdapterBase, PostgresQueryCompiler } from 'kysely';
import type {
  DatabaseIntrospector,
  Dialect,
  DialectAdapter,
  Driver,
  Kysely,
  QueryCompiler,
} from 'kysely';
import { DuckDBDriver } from './duckdb-driver.ts';
import type { DuckDBDriverConfig } from './duckdb-driver.ts';
import { DuckDBIntrospector } from './duckdb-introspector.ts';

/** Configuration of {@link DuckDBDialect}: the one connection all queries share. */
export type DuckDBDialectConfig = DuckDBDriverConfig;

/**
 * Kysely on DuckDB through `@duckdb/node-api`, over one shared connection.
 *
 * SQL is compiled by Kysely's `PostgresQueryCompiler` (DuckDB takes `$1` parameters). Kysely's
 * queries take turns on the connection; a transaction holds it until commit or rollback, and
 * anything else done on the raw connection meanwhile (the Appender) is part of that transaction.
 * Inside `db.transaction().execute(trx => …)` use `trx`, never `db`: a query on `db` would wait
 * for the transaction to end, which waits for it.
 *
 * `db.destroy()` does not close the connection: whoever opened it closes it.
 *
 * @example
 * ```ts
 * import { DuckDBInstance } from '@duckdb/node-api';
 * import { Kysely } from 'kysely';
 * import { DuckDBDialect } from './pipeline/kernel/db/index.ts';
 *
 * const instance = await DuckDBInstance.create('tally.duckdb');
 * const connection = await instance.connect();
 * const db = new Kysely<Database>({ dialect: new DuckDBDialect({ connection }) });
 * // …
 * await db.destroy();
 * connection.closeSync();
 * instance.closeSync();
 * ```
 */
export class DuckDBDialect implements Dialect {
  readonly #config: DuckDBDialectConfig;

  constructor(config: DuckDBDialectConfig) {
    this.#config = config;
  }

  createDriver(): Driver {
    return new DuckDBDriver(this.#config);
  }

  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new DuckDBAdapter();
  }

  // any: the signature of `Dialect.createIntrospector`.
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new DuckDBIntrospector(db);
  }
}

/**
 * What DuckDB can do, as Kysely asks: `RETURNING` and DDL inside transactions, yes.
 *
 * There are no advisory locks, and none are needed: only one process can open a DuckDB file, and
 * within it Kysely's transaction (which the `Migrator` runs in) already holds the connection.
 *
 * @example
 * ```ts
 * new DuckDBAdapter().supportsReturning; // true
 * ```
 */
export class DuckDBAdapter extends DialectAdapterBase {
  override get supportsReturning(): boolean {
    return true;
  }

  override get supportsTransactionalDdl(): boolean {
    return true;
  }

  async acquireMigrationLock(): Promise<void> {}

  async releaseMigrationLock(): Promise<void> {}
}
