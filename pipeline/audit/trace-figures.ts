/**
 * The figures of a report and their traces, computed from the database the last run left: the
 * ledger rows of the current file versions, the same trace queries the run used
 * (the pack's `indicators/<code>.sql`), and the same rule for missing ledgers (dept.missing_submission
 * over the roster of the last run). `tally explain` and `tally verify` read figures only
 * through here, so they never disagree with the run.
 */
import { existsSync } from 'node:fs';
import type { TallyConfig } from '../kernel/config/config.ts';
import { DatabaseError, openDatabase, type TallyDatabase } from '../kernel/db/open-database.ts';
import { rollUp, type Rollup } from '../stages/5-rollup/rollup-stage.ts';
import { loadChecks, runCheck } from '../kernel/sql-catalog.ts';

/**
 * Opens the database of earlier runs; never creates one (a typo in `--db` would otherwise show
 * an empty report).
 */
export async function openRunDatabase(path: string, config: TallyConfig): Promise<TallyDatabase> {
  if (!existsSync(path)) {
    throw new DatabaseError(`找不到数据库 ${path}：请先运行 tally run，或用 --db 指定上次运行的数据库文件`);
  }
  const tdb = await openDatabase(path, config.ledgers);
  const runs = await tdb.db.selectFrom('runs').select((eb) => eb.fn.countAll<bigint>().as('n')).executeTakeFirst();
  if (Number(runs?.n ?? 0) === 0) {
    await tdb.close();
    throw new DatabaseError(`数据库 ${path} 中还没有运行记录：请先运行 tally run`);
  }
  return tdb;
}

/**
 * Every indicator of the report with its value and trace, for the given year.
 *
 * @example
 * const rollups = await figuresFromDatabase(tdb, config, 2020);
 * rollups.find((r) => r.code === config.report.indicators[0]?.code)?.value; // the run's figure
 */
export async function figuresFromDatabase(tdb: TallyDatabase, config: TallyConfig, year: number): Promise<Rollup[]> {
  const missingCheck = loadChecks().find((c) => c.code === 'dept.missing_submission');
  const missing = new Set<string>();
  if (missingCheck !== undefined) {
    for (const f of await runCheck(tdb.connection, missingCheck, { year })) if (f.ledger !== null) missing.add(f.ledger);
  }
  return rollUp([tdb.connection], config.report, year, missing, config.ledgers);
}
