/**
 * The tables each run fills for the checks to join (not migrated: rebuilt every run): the
 * roster's departments, the pack's bounds, and the run's figures. A pack's SQL may read them, so
 * `tally pack check` creates them empty before preparing that SQL.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { LedgerDef } from '../../../sheets/ledger-catalog.ts';
import { sheetTableName } from './ledger-tables.ts';

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

/**
 * Stores this run's overlapping files (three checks read them; computing them is a pass over every
 * row). Files overlap only within one department and ledger: when no department has two current
 * files of one ledger (a town's usual run) the table is emptied without that pass, whose plan
 * over every ledger's view alone took ~80 ms of each run.
 */
export async function refreshFileOverlaps(connection: DuckDBConnection, ledgers: readonly Pick<LedgerDef, 'id'>[]): Promise<void> {
  if (await twoFilesOfOneLedger(connection, ledgers)) {
    await connection.run(`create or replace table file_overlaps as select * from file_overlaps_now`);
  } else {
    await resetRunTable(connection, 'file_overlaps');
  }
}

/** Whether a department has two current files with sheets of the same ledger (the sheet tables are small). */
async function twoFilesOfOneLedger(connection: DuckDBConnection, ledgers: readonly Pick<LedgerDef, 'id'>[]): Promise<boolean> {
  if (ledgers.length === 0) return false;
  const sheets = ledgers.map((l, i) => `select ${i} as ledger, file_version_id from "${sheetTableName(l)}"`).join('\nunion all\n');
  const found = await connection.runAndReadAll(
    `select 1 from (${sheets}) s join file_versions v on v.id = s.file_version_id
     where v.current group by s.ledger, v.department having min(v.path) <> max(v.path) limit 1`,
  );
  return found.currentRowCount > 0;
}

/** Creates the run tables that do not exist yet, leaving the others as they are. */
export async function ensureRunTables(connection: DuckDBConnection): Promise<void> {
  for (const [table, columns] of Object.entries(RUN_TABLES)) await connection.run(`create table if not exists ${table} (${columns})`);
}
