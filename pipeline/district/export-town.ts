/**
 * `tally export --parquet DIR`: what a town hands its district, as Parquet (layout in
 * parquet-layout.ts). Everything is written by DuckDB's COPY straight from the town's database,
 * so no table passes through JavaScript whole: the figures of the last completed run of the year,
 * every candidate row behind each figure (the same trace queries the run used, unlimited), every
 * finding of that run, what each department owed and sent, and each ledger's normalized rows
 * (current file versions) with their provenance: department, file, version, sheet, row and, for
 * each field, the A1 address it came from.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TallyConfig } from '../kernel/config/config.ts';
import { DatabaseError, type TallyDatabase } from '../kernel/db/open-database.ts';
import { insertRows, type RowValue } from '../kernel/db/ledger-tables.ts';
import { ledgerSubmissions } from '../stages/6-report/ledger-submissions.ts';
import { previousFromDatabase } from '../stages/5-rollup/yoy.ts';
import { checkTownName, ledgerTable, partitionDir, PART_FILE, sqlString } from './parquet-layout.ts';

export interface ExportResult {
  readonly town: string;
  readonly year: number;
  readonly runId: number;
  /** Table folder → rows written. */
  readonly tables: Readonly<Record<string, number>>;
}

/**
 * Writes one town-year into `root`, replacing an earlier export of the same town and year.
 *
 * @example
 * const r = await exportTown(tdb, config, 'export');
 * r.tables['figures']; // 20
 */
export async function exportTown(tdb: TallyDatabase, config: TallyConfig, root: string, opts: { now?: Date } = {}): Promise<ExportResult> {
  const { connection } = tdb;
  const { year, town } = config;
  const bad = checkTownName(town);
  if (bad !== null) throw new DatabaseError(`无法导出：${bad}`);
  const run = await tdb.db
    .selectFrom('runs')
    .select(['id', 'finished_at'])
    .where('status', '=', 'done')
    .where('year', '=', year)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (run === undefined) throw new DatabaseError(`数据库中没有 ${year} 年度已完成的运行：请先运行 tally run`);
  const runId = run.id;
  const now = opts.now ?? new Date();
  const tables: Record<string, number> = {};

  const copy = async (table: string, query: string): Promise<void> => {
    const dir = partitionDir(root, table, year, town);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const result = await connection.run(`copy (${query}) to ${sqlString(join(dir, PART_FILE))} (format parquet, compression zstd)`);
    tables[table] = Number(result.rowsChanged);
  };

  // The figures: indicators as the run stored them, then the derived figures with their parts,
  // so a district recomputes a rate from the parts of each town, never from the rates.
  const previous = await previousFromDatabase(tdb.db, year - 1);
  const stored = await tdb.db.selectFrom('indicator_values').selectAll().where('run_id', '=', runId).where('year', '=', year).execute();
  const byCode = new Map(stored.map((v) => [v.code, v]));
  const figureRows: RowValue[][] = [];
  config.report.indicators.forEach((ind, i) => {
    const v = byCode.get(ind.code);
    figureRows.push([
      i + 1, ind.code, ind.name, ind.unit, ind.sections.join('、'), 'indicator', null, null,
      v?.value ?? null, v?.status ?? '缺报', v?.wording ?? null, v?.sources ?? null, previous?.values.get(ind.code) ?? null,
    ]);
  });
  config.report.derived.forEach((d, i) => {
    const parts = d.form.kind === 'ratio' ? [d.form.numerator, d.form.denominator] : d.form.of;
    figureRows.push([
      config.report.indicators.length + i + 1, d.code, d.name, d.unit, (d.sections ?? []).join('、'), d.form.kind, parts.join(','), null,
      null, null, null, null, null,
    ]);
  });
  await connection.run(`create or replace temp table export_figures (seq integer, code varchar, name varchar, unit varchar, section varchar,
    kind varchar, parts varchar, unused varchar, value double, status varchar, wording varchar, sources varchar, previous double)`);
  await insertRows(connection, 'export_figures', figureRows);
  await copy('figures', 'select * exclude (unused) from export_figures order by seq');

  // Every candidate row of every figure, with the deciding cells as a list of structs.
  const traces = config.report.indicators.map(
    (ind) => `select ${sqlString(ind.code)} as code, ledger, department, file, cast(file_version as integer) as file_version, sheet,
      cast(row_no as integer) as row_no, counted, cast(amount as double) as amount, reason, cells
      from (${ind.sql.replace(/;\s*$/, '').replace(/\$year\b/g, String(year))})`,
  );
  await copy('trace', traces.join('\nunion all\n'));

  await copy(
    'findings',
    `select level, code, department, file, sheet, cell, message, expected, actual, ledger from findings where run_id = ${Number(runId)} order by seq`,
  );

  // What each department owed and sent (the town's 报送情况).
  const sent = await ledgerSubmissions(tdb);
  const submissionRows: RowValue[][] = [];
  for (const d of config.departments) {
    const ids = [...new Set([...d.owes, ...sent.filter((s) => s.department === d.code).map((s) => s.ledger)])];
    for (const id of ids) {
      const s = sent.find((x) => x.department === d.code && x.ledger === id);
      const status = s === undefined ? '缺报' : s.rows === 0 ? '空表' : '已报';
      submissionRows.push([d.code, d.name, id, config.ledgers.byId(id)?.name ?? id, d.owes.includes(id) ? 1 : 0, status, s?.files.join('、') ?? null, s?.rows ?? 0, s?.receivedAt ?? null]);
    }
  }
  await connection.run(`create or replace temp table export_submissions (department varchar, department_name varchar, ledger varchar,
    ledger_name varchar, owed integer, status varchar, files varchar, rows bigint, received_at varchar)`);
  await insertRows(connection, 'export_submissions', submissionRows);
  await copy('submissions', 'select * replace (owed = 1 as owed, cast(received_at as timestamp) as received_at) from export_submissions');

  await connection.run(`create or replace temp table export_town (district varchar, report varchar, run_id bigint, run_finished_at varchar,
    exported_at varchar, coordinator varchar, coordinator_email varchar)`);
  await insertRows(connection, 'export_town', [
    [config.district, config.report.title, Number(runId), run.finished_at?.toISOString() ?? null, now.toISOString(), config.coordinator.name, config.coordinator.email],
  ]);
  await copy('towns', 'select * replace (cast(run_finished_at as timestamp) as run_finished_at, cast(exported_at as timestamp) as exported_at) from export_town');

  // The ledgers' rows: what the figures were made of, each field with its cell address.
  for (const ledger of config.ledgers.ledgers) {
    await copy(ledgerTable(ledger.id), `select * exclude (fingerprint) from "${ledger.id}" order by department, file, sheet, row_no`);
  }
  return { town, year, runId: Number(runId), tables };
}
