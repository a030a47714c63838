import { blobValue, DuckDBTypeId, JSDuckDBValueConverter, listValue, ResultReturnType } from './duckdb-api.ts';
import type {
  DuckDBConnection,
  DuckDBResult,
  DuckDBValue,
  DuckDBValueConverter,
  JS,
} from '@duckdb/node-api';
import { CompiledQuery } from 'kysely';
import type { DatabaseConnection, Driver, QueryResult, TransactionSettings } from 'kysely';

/** Configuration of {@link DuckDBDriver} (and of `DuckDBDialect`). */
export interface DuckDBDriverConfig {
  /**
   * The one connection every Kysely query runs on. The caller opened it and closes it:
   * `db.destroy()` leaves it open, so the pipeline can keep using it (for the appender, say).
   */
  readonly connection: DuckDBConnection;
}

/**
 * A Kysely driver over a single shared `@duckdb/node-api` connection.
 *
 * Kysely acquires the connection for each query and for the whole of a transaction; a second
 * acquire waits until the first is released, so a query from outside a transaction runs only after
 * it commits or rolls back. Work done on the raw connection while a Kysely transaction holds it
 * (the DuckDB Appender, for one) takes part in that transaction.
 *
 * Values read back: BIGINT/HUGEINT/`count(*)` → `bigint`, DATE → `'YYYY-MM-DD'`, TIMESTAMP and
 * TIMESTAMPTZ → `Date`, DECIMAL → exact string (`'1.50'`), LIST → array, the rest as
 * `@duckdb/node-api` converts them to JS.
 *
 * Parameters: `null`, boolean, number, bigint, string, `Uint8Array` (BLOB) and arrays of these
 * (LIST). A JS `Date` is rejected: DuckDB would read it in the system time zone, so pass dates as
 * `'YYYY-MM-DD'` and timestamps as ISO strings (`date.toISOString()`).
 *
 * @example
 * ```ts
 * const driver = new DuckDBDriver({ connection: await instance.connect() });
 * ```
 * Usually constructed for you by `DuckDBDialect`.
 */
export class DuckDBDriver implements Driver {
  readonly #connection: DuckDBKyselyConnection;
  readonly #mutex = new ConnectionMutex();

  constructor(config: DuckDBDriverConfig) {
    this.#connection = new DuckDBKyselyConnection(config.connection);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#mutex.lock();
    return this.#connection;
  }

  async beginTransaction(
    connection: DatabaseConnection,
    settings: TransactionSettings,
  ): Promise<void> {
    // DuckDB has a single isolation level (snapshot); pretending to honour another would lie.
    if (settings.isolationLevel !== undefined) {
      throw new Error(
        `DuckDB does not support setting the isolation level (asked for '${settings.isolationLevel}')`,
      );
    }
    const mode = settings.accessMode === 'read only' ? ' READ ONLY' : '';
    await connection.executeQuery(CompiledQuery.raw(`BEGIN TRANSACTION${mode}`));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('COMMIT'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('ROLLBACK'));
  }

  async releaseConnection(): Promise<void> {
    this.#mutex.unlock();
  }

  /** Waits for the connection to be free; does not close it (its owner does). */
  async destroy(): Promise<void> {
    await this.#mutex.lock();
    this.#mutex.unlock();
  }
}

class DuckDBKyselyConnection implements DatabaseConnection {
  readonly #connection: DuckDBConnection;

  constructor(connection: DuckDBConnection) {
    this.#connection = connection;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.#connection.run(
      compiledQuery.sql,
      toDuckDBParameters(compiledQuery.parameters),
    );
    // An INSERT/UPDATE/DELETE without RETURNING yields one row `{ Count }`: that is the count,
    // not a row of the query.
    if (result.returnType === ResultReturnType.CHANGED_ROWS) {
      return { rows: [], numAffectedRows: BigInt(result.rowsChanged) };
    }
    return { rows: await readRows<R>(result) };
  }

  async *streamQuery<R>(
    compiledQuery: CompiledQuery,
    chunkSize = 2048,
  ): AsyncIterableIterator<QueryResult<R>> {
    const result = await this.#connection.stream(
      compiledQuery.sql,
      toDuckDBParameters(compiledQuery.parameters),
    );
    let rows: R[] = [];
    for await (const batch of result.yieldConvertedRowObjects(valueConverter)) {
      for (const row of batch) {
        rows.push(row as R);
        if (rows.length >= chunkSize) {
          yield { rows };
          rows = [];
        }
      }
    }
    if (rows.length > 0) yield { rows };
  }
}

async function readRows<R>(result: DuckDBResult): Promise<R[]> {
  // The converter decides each value's JS type; R is the caller's claim about the row shape.
  return (await result.convertRowObjects(valueConverter)) as R[];
}

/**
 * `@duckdb/node-api`'s JS conversion, except DATE (a `Date` at UTC midnight, which shows the day
 * before in western time zones) and DECIMAL (a lossy double), which become exact strings.
 */
const valueConverter: DuckDBValueConverter<JS> = (value, type, converter) => {
  if (value === null) return null;
  switch (type.typeId) {
    case DuckDBTypeId.DATE:
    case DuckDBTypeId.DECIMAL:
      return value.toString();
    default:
      // Passing our converter on makes LIST/STRUCT/MAP elements use these rules too.
      return JSDuckDBValueConverter(value, type, converter);
  }
};

function toDuckDBParameters(parameters: readonly unknown[]): DuckDBValue[] {
  return parameters.map((value, index) => toDuckDBValue(value, index));
}

function toDuckDBValue(value: unknown, index: number): DuckDBValue {
  switch (typeof value) {
    case 'undefined':
      return null;
    case 'boolean':
    case 'number':
    case 'bigint':
    case 'string':
      return value;
  }
  if (value === null) return null;
  if (value instanceof Date) {
    throw new TypeError(
      `Parameter $${index + 1} is a JS Date: pass a DATE as a 'YYYY-MM-DD' string and a ` +
        `TIMESTAMP as an ISO string (date.toISOString()); DuckDB would convert a Date in the ` +
        `system time zone`,
    );
  }
  if (value instanceof Uint8Array) return blobValue(value);
  if (Array.isArray(value)) {
    return listValue(value.map((item: unknown) => toDuckDBValue(item, index)));
  }
  throw new TypeError(
    `Parameter $${index + 1} cannot be bound to DuckDB: ${Object.prototype.toString.call(value)} ` +
      `(use null, boolean, number, bigint, string, Uint8Array or an array of these)`,
  );
}

/** The same one-holder lock as Kysely's SQLite driver. */
class ConnectionMutex {
  #promise?: Promise<void>;
  #resolve?: () => void;

  async lock(): Promise<void> {
    while (this.#promise) {
      await this.#promise;
    }
    this.#promise = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  unlock(): void {
    const resolve = this.#resolve;
    this.#promise = undefined;
    this.#resolve = undefined;
    resolve?.();
  }
}
