/**
 * `tally pack check DIR`: everything that can be wrong with a report pack before any run, in
 * Chinese with file and key. Besides what reading it finds (load-pack.ts: schema, undefined
 * ledgers and figures, template placeholders at any depth, shares without a zero text, derived
 * cycles), every SQL file of the pack is
 * prepared against the pack's ledger views and must return the columns tally reads from it; and,
 * given a configuration, every ledger the figures use must be owed by some department and the
 * template's years should be the configured one (template-problems.ts).
 *
 * `tally run` refuses a pack with errors with the same lines: reading at load
 * ({@link loadPack}), the SQL on the run's own database ({@link assertPackSql}).
 */
import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { version as duckdbVersion } from '../db/duckdb-api.ts';
import type { ReportCatalog } from '../../../reports/report-catalog.ts';
import type { LedgerCatalog } from '../../../sheets/ledger-catalog.ts';
import type { Department } from '../config/config.ts';
import { openDatabase, type TallyDatabase } from '../db/open-database.ts';
import { inTransaction } from '../db/in-transaction.ts';
import { ensureRunTables, RUN_TABLES } from '../db/run-tables.ts';
import { usedParams } from '../sql-catalog.ts';
import { explainSqlError } from '../db/explain-sql-error.ts';
import { PackError, type PackProblem } from './pack-problem.ts';
import { readPack, shown, type Pack } from './load-pack.ts';
import { TRACE_COLUMNS } from './trace-columns.ts';
import { templateProblems, type TemplateSettings } from './template-problems.ts';

/** Columns a check may return; at least where the finding is and what it says. */
const CHECK_COLUMNS = ['department', 'file', 'sheet', 'cell', 'ledger', 'message', 'expected', 'actual'] as const;

/** The roster a pack is checked against: the configuration's departments, and where they are written. */
export interface Roster {
  readonly file: string;
  readonly departments: readonly Pick<Department, 'code' | 'owes'>[];
  /** The configuration's year, town and district: the template's words are checked against them. */
  readonly settings?: TemplateSettings;
}

/**
 * Every problem of the pack in `dir`: reading, SQL, and (with a roster) what nobody owes.
 *
 * @example
 * const problems = await checkPack('packs/liangzhu-2023', roster);
 * problems.filter((p) => p.level === '错误'); // [] for a pack that runs
 */
export async function checkPack(dir: string, roster?: Roster): Promise<PackProblem[]> {
  const { pack, problems } = readPack(dir);
  if (pack === null) return problems;
  const tdb = await openDatabase(':memory:', pack.ledgers);
  try {
    await ensureRunTables(tdb.connection);
    problems.push(...(await packSqlProblems(tdb.connection, pack.report))); // bounded: a pack's files
  } finally {
    await tdb.close();
  }
  if (roster !== undefined) problems.push(...rosterProblems(pack, roster)); // bounded: a pack's ledgers
  problems.push(...templateProblems(pack.report, roster?.settings)); // bounded: a template's lines
  return problems;
}

/**
 * Before a run: the pack's SQL prepared on the run's database (its ledger views are the pack's).
 * Throws {@link PackError} with the same lines as `tally pack check`.
 *
 * SQL found fine once is not prepared again while nothing it binds to has changed (the pack's
 * SQL, the database's schema, the run tables, DuckDB itself): preparing a pack's ~30 statements
 * took ~0.1 s of every run, a third of a district's rerun with nothing new.
 */
export async function assertPackSql(tdb: Pick<TallyDatabase, 'connection' | 'schema'>, packDir: string, report: ReportCatalog): Promise<void> {
  const { connection } = tdb;
  // One commit for the tables a run needs (each statement its own fsync'd commit, on a new database).
  await inTransaction(connection, async () => {
    await ensureRunTables(connection);
    await connection.run('create table if not exists pack_sql_state (fingerprint varchar not null)');
  });
  const fingerprint = packSqlFingerprint(tdb.schema, report);
  const checked = await connection.runAndReadAll('select 1 from pack_sql_state where fingerprint = $fingerprint', { fingerprint });
  if (checked.currentRowCount > 0) return;
  const problems = await packSqlProblems(connection, report);
  if (problems.some((p) => p.level === '错误')) throw new PackError(shown(packDir), problems);
  // Rows, not a table made anew: a run killed after this leaves no DDL in the write-ahead log.
  await inTransaction(connection, async () => {
    await connection.run('delete from pack_sql_state');
    await connection.run('insert into pack_sql_state values ($fingerprint)', { fingerprint });
  });
}

/** Everything {@link packSqlProblems} finds its answer in, as a hash. */
function packSqlFingerprint(schema: string, report: ReportCatalog): string {
  return createHash('sha256')
    .update(
      JSON.stringify({
        schema,
        duckdb: duckdbVersion(),
        runTables: RUN_TABLES,
        indicators: report.indicators.map((i) => [i.sqlFile, i.sql]),
        checks: report.checks.map((c) => [c.file, c.sql, c.message]),
        columns: [TRACE_COLUMNS, CHECK_COLUMNS],
      }),
    )
    .digest('hex');
}

/** Each indicator's trace query and each check planned (not run over rows): it must bind and give the columns read from it. */
export async function packSqlProblems(connection: DuckDBConnection, report: ReportCatalog): Promise<PackProblem[]> {
  const problems: PackProblem[] = [];
  // Bound and planned, never run over rows: `limit 0` (a statement prepared with its
  // parameters unbound does not know its columns yet).
  const plan = async (sql: string) => {
    const body = sql.trim().replace(/;\s*$/, '');
    return connection.run(`select * from (\n${body}\n) as pack_sql limit 0`, usedParams(body, { year: 2000 }));
  };
  const columnsOf = async (file: string, sql: string): Promise<string[] | null> => {
    try {
      return (await plan(sql)).columnNames();
    } catch (cause) {
      const message = (cause as Error).message;
      // DuckDB's LINE is off after Chinese text (it reads a character offset as a byte offset):
      // the same SQL with each non-ASCII character as one `x` fails at the same place, and
      // there DuckDB's LINE is right.
      let lineFrom = message;
      if (/[^\x00-\x7f]/.test(sql)) {
        lineFrom = await plan(sql.replace(/[^\x00-\x7f]/gu, 'x')).then(
          () => '',
          (e: unknown) => (e as Error).message,
        );
      }
      // DuckDB counts the lines of what it ran: the wrapping's first line comes before the file's,
      // the blank lines trimmed off the file's top do not.
      const trimmed = sql.slice(0, sql.length - sql.trimStart().length).split('\n').length - 1;
      const said = explainSqlError(message, { linesBefore: 1 - trimmed, lines: sql.trimEnd().split('\n').length, lineFrom });
      const key = said.line === null ? '' : `第${said.line}行`;
      problems.push({ level: '错误', file: shown(file), key, message: `SQL 无法在报告包的台账视图上执行：${said.message}` });
      return null;
    }
  };
  for (const ind of report.indicators) {
    const columns = await columnsOf(ind.sqlFile, ind.sql);
    if (columns === null) continue;
    const missing = TRACE_COLUMNS.filter((c) => !columns.includes(c));
    if (missing.length > 0) {
      problems.push({ level: '错误', file: shown(ind.sqlFile), key: '', message: `追溯查询缺少列：${missing.join('、')}（每个指标的 SQL 须返回 ${TRACE_COLUMNS.join(', ')}）` });
    }
  }
  for (const check of report.checks) {
    const columns = await columnsOf(check.file, check.sql);
    if (columns === null) continue;
    if (!columns.some((c) => (CHECK_COLUMNS as readonly string[]).includes(c))) {
      problems.push({ level: '错误', file: shown(check.file), key: '', message: `检查规则的查询没有返回任何问题列（${CHECK_COLUMNS.join(', ')}）` });
    }
    if (!columns.includes('message') && check.message === null) {
      problems.push({ level: '错误', file: shown(check.file), key: '', message: '检查规则的查询没有 message 列，pack.json 中也没有写 message' });
    }
  }
  return problems;
}

/** Ledgers the figures are made of that no department of the roster owes: their figures would count nothing and say 0. */
export function rosterProblems(pack: Pick<Pack, 'ledgers' | 'report'>, roster: Roster): PackProblem[] {
  const owed = new Set(roster.departments.flatMap((d) => d.owes));
  const problems: PackProblem[] = [];
  const ledgers: LedgerCatalog = pack.ledgers;
  const used = [...new Set(pack.report.indicators.flatMap((i) => i.ledgers))];
  for (const l of used) {
    if (owed.has(l)) continue;
    const figures = pack.report.indicators.filter((i) => i.ledgers.includes(l)).map((i) => `${i.code}（${i.name}）`);
    problems.push({
      level: '错误',
      file: shown(roster.file),
      key: 'departments',
      message: `台账“${l}”（${ledgers.byId(l)?.name ?? l}）没有任何部门报送（departments[].owes），指标 ${figures.join('、')} 将无从统计`,
    });
  }
  for (const [i, d] of roster.departments.entries()) {
    for (const [j, l] of d.owes.entries()) {
      if (ledgers.byId(l) === undefined) problems.push({ level: '错误', file: shown(roster.file), key: `departments.${i}.owes.${j}`, message: `台账“${l}”不在报告包的 ledgers.json 中` });
    }
  }
  return problems;
}
