/**
 * The tables each run fills for the checks to join (not migrated: rebuilt every run): the
 * roster's departments, the pack's bounds, and the run's figures. A pack's SQL may read them, so
 * `tally pack check` creates them empty before preparing that SQL.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

export const RUN_TABLES = {
  departments: 'code varchar, name varchar',
  indicator_bounds: 'figure varchar, at_most varchar, message varchar, ledger varchar',
  /** Indicators and derived figures of the run (`written`: exact, approx, percent, over). */
  run_indicators: 'code varchar, name varchar, written varchar, value double',
  /** Pairs of current files sharing most rows of a ledger (the view `file_overlaps_now`, stored once per run). */
  file_overlaps: 'ledger varchar, department varchar, file_a varchar, file_b varchar, shared hugeint, rows_a bigint, rows_b bigint',
} as const;

export type RunTable = keyof typeof RUN_TABLES;

/** Creates (or empties) one run table. */
export async function resetRunTable(connection: DuckDBConnection, table: RunTable): Promise<void> {
  await connection.run(`create or replace table ${table} (${RUN_TABLES[table]})`);
}

/** Stores this run's overlapping files (three checks read them; computing them is a pass over every row). */
export async function refreshFileOverlaps(connection: DuckDBConnection): Promise<void> {
  await connection.run(`create or replace table file_overlaps as select * from file_overlaps_now`);
}

/** Creates the run tables that do not exist yet, leaving the others as they are. */
export async function ensureRunTables(connection: DuckDBConnection): Promise<void> {
  for (const [table, columns] of Object.entries(RUN_TABLES)) await connection.run(`create table if not exists ${table} (${columns})`);
}
