/**
 * Runs `work` in one transaction on a raw DuckDB connection: committed if it returns, rolled back
 * if it throws. Every statement outside a transaction is a commit of its own, and every commit
 * that writes is a write-ahead log write and an fsync (~2–5 ms here, more when the disk is busy):
 * a step of a run that writes with many statements commits them once instead.
 *
 * Kysely queries on the same connection (`tdb.db`) take part in the transaction; `work` must not
 * start a Kysely transaction of its own (DuckDB has no nested transactions).
 *
 * @example
 * await inTransaction(tdb.connection, async () => {
 *   await tdb.connection.run('create table a (x int)');
 *   await tdb.connection.run('create table b (y int)');
 * });
 */
import type { DuckDBConnection } from '@duckdb/node-api';

export async function inTransaction<T>(connection: DuckDBConnection, work: () => Promise<T>): Promise<T> {
  await connection.run('begin transaction');
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await connection.run('rollback').catch(() => undefined);
    throw error;
  }
  await connection.run('commit');
  return result;
}
