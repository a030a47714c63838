/**
 * Runs `work` in one transaction on a raw DuckDB connection: committed if it returns, rolled back
 * if it throws. Every statement outside a transaction is a commit of its own, and every commit
 * that writes is a write-ahead log write and an fsync (~2–5 ms here, more when the disk is busy):
 * a step of a run that writes with many statements commits them once instead.
 *
 * Kysely queries on the same connection (`tdb.db`) take part in the transaction; `work` must not
 * start a Kysely transaction of its own (DuckDB has no nested transactions).
 *
 * Not for a large `insert … select`: inside a transaction DuckDB 1.5.6 lost the rows of one that
 * ran on its two threads (it reported 142,500 rows inserted; a count on the same connection
 * right after found none; with `threads = 1` they were kept). The check stage's findings and
 * the roll-up's therefore commit statement by statement (check-stage.ts); DDL and small writes,
 * as in check-pack.ts, are what this is for.
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
