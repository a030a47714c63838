/**
 * The check stage: every finding of the run into the database (table `findings`), as it is
 * produced — intake's, the readers' (stored when each file was read), then the row checks of the
 * SQL catalog (`sql/checks/`), or, when nothing they read changed since a stored run, that run's
 * row findings as they were (identical by construction).
 *
 * Takes: the database with this run's files loaded, the intake findings. Returns: the run's
 * finding writer (the roll-up adds the indicator checks and year over year to it) and the hash of
 * what the row checks read. Touches no file and sends nothing.
 */
import { createHash } from 'node:crypto';
import type { TallyConfig } from '../../kernel/config/config.ts';
import type { TallyDatabase } from '../../kernel/db/open-database.ts';
import type { Finding } from '../../kernel/findings/findings.ts';
import { RunFindings } from '../../kernel/findings/findings-store.ts';
import type { CheckDef } from '../../kernel/sql-catalog.ts';
import { partsOf } from '../../../reports/report-catalog.ts';
import { defineToldElsewhere, refreshOverlaps, resetRunTable } from '../../kernel/db/run-tables.ts';
import { refreshPastedBlocks } from '../../kernel/db/pasted-blocks.ts';
import { insertRows } from '../../kernel/db/ledger-tables.ts';

export interface CheckResult {
  /** Where this run's findings go; read back summarised by the report stage. */
  readonly findings: RunFindings;
  /** A hash of everything the row checks read (stored with the run, see {@link check}). */
  readonly inputs: string;
}

/**
 * Each statement commits on its own, not in one transaction (in-transaction.ts): there DuckDB
 * lost the rows of a large check's `insert … select` (tests/volume.test.ts, a ledger pasted
 * twenty times: 142,500 reported inserted, none found). With `threads = 1` the same transaction
 * kept them; `preserve_insertion_order = false` did not help, nor did moving the stage's other
 * statements out of the transaction.
 */
export async function check(
  tdb: TallyDatabase,
  input: {
    readonly config: TallyConfig;
    readonly runId: bigint;
    readonly checks: readonly CheckDef[];
    readonly intakeFindings: readonly Finding[];
    /**
     * Called when the run tables (roster, bounds, file overlaps) are in place and the row checks
     * are about to run, not when a stored run's findings are reused: the figures' trace queries
     * begin then, beside the checks (run.ts).
     */
    readonly onRowChecks?: () => void;
  },
): Promise<CheckResult> {
  const { config } = input;
  await refreshRunTables(tdb, config);
  // Findings go to the database as they are produced and are read back summarised: a flood of
  // them (a block of rows pasted twenty times) never sits in memory.
  const findings = new RunFindings(tdb.db, tdb.connection, input.runId);
  await findings.add(input.intakeFindings);
  await findings.addReaderFindings();
  const rowChecks = input.checks.filter((c) => c.phase === 'rows');
  const inputs = await checkInputs(tdb, config, rowChecks);
  const same = await sameInputsRun(tdb, inputs);
  if (same !== null) await findings.addFromRun(same, rowChecks.map((c) => c.code));
  else {
    // Same inputs, same overlaps and pasted blocks: the stored tables stand when the findings are reused.
    await refreshOverlaps(tdb.connection, config.ledgers.ledgers);
    await refreshPastedBlocks(tdb.connection);
    await defineToldElsewhere(tdb.connection);
    input.onRowChecks?.();
    for (const c of rowChecks) await findings.addCheck(c, { year: config.year });
  }
  return { findings, inputs };
}

/** The roster and the report definition as tables, so checks can join them. */
async function refreshRunTables(tdb: TallyDatabase, config: TallyConfig): Promise<void> {
  const { db, connection } = tdb;
  await db.deleteFrom('obligations').execute();
  const owed = config.departments.flatMap((d) => d.owes.map((ledger) => ({ department: d.code, ledger })));
  if (owed.length > 0) await db.insertInto('obligations').values(owed).execute();
  // One statement per table (a district's 120 departments, one INSERT each, took ~120 ms of a rerun).
  await resetRunTable(connection, 'departments');
  await insertRows(connection, 'departments', config.departments.map((d) => [d.code, d.name]));
  await resetRunTable(connection, 'indicator_bounds');
  // A bound on a derived figure points at the ledger of the first indicator it is made of.
  await insertRows(
    connection,
    'indicator_bounds',
    config.report.bounds.map((b) => [b.figure, b.atMost, b.message, ledgerOf(config, b.figure) ?? '']),
  );
}

/** The first ledger a figure (an indicator, or a derived figure through its parts) is made of. */
function ledgerOf(config: TallyConfig, code: string, seen: ReadonlySet<string> = new Set()): string | null {
  const ind = config.report.indicators.find((i) => i.code === code);
  if (ind !== undefined) return ind.ledgers[0] ?? null;
  const d = config.report.derived.find((x) => x.code === code);
  if (d === undefined || seen.has(code)) return null;
  for (const part of partsOf(d)) {
    const l = ledgerOf(config, part, new Set([...seen, code]));
    if (l !== null) return l;
  }
  return null;
}

/** A hash of everything the row checks read, to know when a stored run's findings still hold. */
async function checkInputs(tdb: TallyDatabase, config: TallyConfig, checks: readonly CheckDef[]): Promise<string> {
  const versions = await tdb.db.selectFrom('file_versions').select('id').where('current', '=', true).orderBy('id').execute();
  return createHash('sha256')
    .update(
      JSON.stringify({
        year: config.year,
        departments: config.departments,
        ledgers: config.ledgers.ledgers,
        checks: checks.map((c) => [c.code, c.sql]),
        versions: versions.map((v) => String(v.id)),
      }),
    )
    .digest('hex');
}

/** The latest completed run whose row checks read the same inputs, or null. */
async function sameInputsRun(tdb: TallyDatabase, inputs: string): Promise<bigint | null> {
  const same = await tdb.db.selectFrom('run_checks').select('run_id').where('inputs', '=', inputs).orderBy('run_id', 'desc').executeTakeFirst();
  return same?.run_id ?? null;
}
