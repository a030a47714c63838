/** A test's look into a run's DuckDB file, once the run has closed it. */
import { DuckDBInstance } from '@duckdb/node-api';

/** The rows of `sql` on the database at `db`, opened for this one query and closed after. */
export async function queryDatabase(db: string, sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(db);
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
