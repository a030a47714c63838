/**
 * Creates (or migrates) the database and checks the pack's SQL on it, as a run's start does: the
 * demo does this while its inbox is being written, so its run opens a prepared database. Kept
 * apart from run.ts, which loads every stage: the demo starts this first, with only the
 * configuration's and the database's code loaded, and loads the rest while DuckDB works.
 */
import type { TallyConfig } from './kernel/config/config.ts';
import { openDatabase } from './kernel/db/open-database.ts';
import { assertPackSql } from './kernel/pack/check-pack.ts';

export async function prepareDatabase(config: TallyConfig, dbPath: string): Promise<void> {
  const tdb = await openDatabase(dbPath, config.ledgers);
  try {
    await assertPackSql(tdb, config.packDir, config.report);
  } finally {
    await tdb.close();
  }
}
