/**
 * The roll-up stage: one trace query per indicator of the report pack (`indicators/<code>.sql`),
 * every candidate row with `counted`, `amount` and `reason`; the figure is
 * `sum(amount) filter (where counted)` over it (see trace-rows.ts). A figure whose ledger is owed
 * but missing has no value: never a silent 0 (its trace is still kept, to show what did arrive).
 * Then the checks of the figures (`indicator.*`) and year over year, added to the run's findings.
 * A run whose inputs are those of the latest roll-up (nothing changed) takes its figures and
 * traces from `rollup_cache` instead of running the trace queries again.
 *
 * Takes: the check stage's result. Returns: the figures and last year's. Touches no file.
 */
import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ReportCatalog } from '../../../reports/report-catalog.ts';
import type { TallyConfig } from '../../kernel/config/config.ts';
import type { TallyDatabase } from '../../kernel/db/open-database.ts';
import type { CheckDef } from '../../kernel/sql-catalog.ts';
import type { CheckResult } from '../4-check/check-stage.ts';
import { previousFromDatabase, yoyFindings, type PreviousFigures } from './yoy.ts';
import { sheetIndexes, traceIndicator, type AbsentColumns, type IndicatorTrace, type TraceRow } from './trace-rows.ts';
import type { LedgerCatalog } from '../../../sheets/ledger-catalog.ts';
import { derivedValues } from './derived-figures.ts';
import { resetRunTable } from '../../kernel/db/run-tables.ts';
import { insertRows } from '../../kernel/db/ledger-tables.ts';
import { LEVEL_OF, type Finding } from '../../kernel/findings/findings.ts';

export interface Rollup {
  readonly code: string;
  readonly value: number | null;
  /** Owed ledgers of this figure that some department has not submitted. */
  readonly missingLedgers: readonly string[];
  /**
   * Sheets with rows of this figure's ledgers that lack a required column the figure reads
   * (header.missing_column): their rows cannot be judged, so the figure has no value, never a
   * short one.
   */
  readonly absentColumns: readonly AbsentColumns[];
  /**
   * Sheets with rows of this figure's ledgers that lack a column the ledger does not require but
   * the figure reads (法制审核日期 for 审核行政处罚案件), and rows left out for it (see
   * {@link leftOutFor}): they were judged as if its cells were blank, which may make the figure
   * short, so each is a finding
   * (header.missing_figure_column), never silence.
   */
  readonly optionalAbsent?: readonly AbsentColumns[];
  /** Candidate rows of the figure's ledgers, counted or left out and why (at most `traceLimit`). */
  readonly trace?: readonly TraceRow[];
  /** How many candidate rows there are in all. */
  readonly traceTotal?: number;
}

/** Trace rows kept per figure for the workbook's 溯源 sheet (tally explain lists all). */
export const TRACE_LIMIT = 2_000;

/**
 * Every indicator's figure and trace, in the pack's order. Given more than one connection, as
 * many trace queries run at once: a town's ~20 small queries are each mostly DuckDB planning on
 * one thread, and two at a time keep both cores busy.
 */
export async function rollUp(
  connections: readonly DuckDBConnection[],
  report: ReportCatalog,
  year: number,
  missingLedgers: ReadonlySet<string>,
  ledgers: LedgerCatalog,
): Promise<Rollup[]> {
  return rollupsOf(report, ledgers, await traceFigures(connections, report, year), missingLedgers);
}

/** Every indicator's trace and sum, in the pack's order, whatever ledgers are missing. */
async function traceFigures(connections: readonly DuckDBConnection[], report: ReportCatalog, year: number): Promise<IndicatorTrace[]> {
  const [first] = connections;
  if (first === undefined) throw new RangeError('rollUp needs a connection');
  const sheetOrder = await sheetIndexes(first);
  const out: IndicatorTrace[] = new Array<IndicatorTrace>(report.indicators.length);
  let next = 0;
  const work = async (connection: DuckDBConnection) => {
    while (next < report.indicators.length) {
      const i = next++;
      const ind = report.indicators[i] as (typeof report.indicators)[number];
      try {
        out[i] = await traceIndicator(connection, ind, year, { limit: TRACE_LIMIT, sheetOrder });
      } catch (error) {
        next = report.indicators.length; // the other connection takes no further query
        throw error;
      }
    }
  };
  // Every query settled before any error is thrown: a connection is never closed mid-query.
  const settled = await Promise.allSettled(connections.map(work));
  for (const s of settled) if (s.status === 'rejected') throw s.reason;
  return out;
}

/**
 * The figures: a figure with an owed ledger that nobody sent, or with rows on a sheet that lacks
 * a required column it reads, has no value (never a silent 0, never a short figure). A column
 * the ledger does not require may be left out of a sheet: its rows are judged without it.
 */
function rollupsOf(report: ReportCatalog, ledgers: LedgerCatalog, traces: readonly IndicatorTrace[], missingLedgers: ReadonlySet<string>): Rollup[] {
  return traces.map((t, i) => {
    const missing = (report.indicators[i]?.ledgers ?? []).filter((l) => missingLedgers.has(l));
    const required = (ledger: string, field: string) => ledgers.byId(ledger)?.fields.some((f) => f.header === field && f.required) ?? false;
    const only = (keep: (a: AbsentColumns, field: string) => boolean) =>
      t.absent.map((a) => ({ ...a, fields: a.fields.filter((f) => keep(a, f)) })).filter((a) => a.fields.length > 0);
    const absentColumns = only((a, f) => required(a.ledger, f));
    const optionalAbsent = only((a, f) => !required(a.ledger, f) && leftOutFor(t.rows, a, f));
    return {
      code: t.code,
      value: missing.length > 0 || absentColumns.length > 0 ? null : t.value,
      missingLedgers: missing,
      absentColumns,
      ...(optionalAbsent.length > 0 ? { optionalAbsent } : {}),
      trace: t.rows,
      traceTotal: t.total,
    };
  });
}

/**
 * The trace queries of a run's figures, on two connections of their own, begun while the row
 * checks still run on the run's connection (run.ts starts them once the checks have refreshed
 * the run tables): the traces read the loaded ledgers and those tables, never the findings the
 * checks insert, and a town's checks and traces are each mostly DuckDB planning one statement at
 * a time, so that one after the other they left a core idle. Which ledgers are missing is a
 * check's finding: it is applied to the figures after ({@link rollUpStage}).
 */
export class FigureTraces {
  #traced: Promise<IndicatorTrace[]> | undefined;

  constructor(
    private readonly tdb: TallyDatabase,
    private readonly report: ReportCatalog,
    private readonly year: number,
  ) {}

  /** Begins the queries, once. */
  start(): void {
    this.#traces();
  }

  /** The traces, the queries begun now if they were not. */
  result(): Promise<IndicatorTrace[]> {
    return this.#traces();
  }

  /** Once every query begun has ended, however: the database may close then. */
  async settled(): Promise<void> {
    await this.#traced?.catch(() => undefined);
  }

  #traces(): Promise<IndicatorTrace[]> {
    if (this.#traced === undefined) {
      this.#traced = withConnections(this.tdb, 2, (connections) => traceFigures(connections, this.report, this.year));
      // Awaited by result() or settled(); until then a failure is not reported as unhandled.
      this.#traced.catch(() => undefined);
    }
    return this.#traced;
  }
}

/** `count` connections of their own for `fn`, closed after it. */
async function withConnections<T>(tdb: TallyDatabase, count: number, fn: (connections: readonly DuckDBConnection[]) => Promise<T>): Promise<T> {
  const connections: DuckDBConnection[] = [];
  try {
    for (let i = 0; i < count; i++) connections.push(await tdb.connect());
    return await fn(connections);
  } finally {
    for (const c of connections) c.closeSync();
  }
}

export interface RollupResult {
  readonly rollups: readonly Rollup[];
  /** SHA-256 of the rollups as JSON (as cached): equal digests, equal rollups (the report's fingerprint takes it for their traces). */
  readonly digest: string;
  /** Last year's figures (from `--previous`, else the database), or null when none is known. */
  readonly previous: PreviousFigures | null;
}

/**
 * `traces` are the run's trace queries, begun while the checks ran or not yet: figures cached for
 * the same inputs are taken instead when there are (the queries begun are waited for, unused).
 */
export async function rollUpStage(
  tdb: TallyDatabase,
  input: {
    readonly config: TallyConfig;
    readonly checked: CheckResult;
    readonly checks: readonly CheckDef[];
    readonly traces: FigureTraces;
    readonly previous?: PreviousFigures | undefined;
  },
): Promise<RollupResult> {
  const { config, checked } = input;
  const missing = await missingLedgers(tdb, checked.findings.runId);
  const key = rollupKey(config, checked.inputs, missing);
  const cached = await cachedRollups(tdb, key);
  if (cached !== null) await input.traces.settled();
  const { rollups, digest } = cached ?? (await cacheRollups(tdb, key, rollupsOf(config.report, config.ledgers, await input.traces.result(), missing)));
  // Statement by statement, not in one transaction: DuckDB lost a large insert's rows inside one
  // (in-transaction.ts, check-stage.ts).
  await storeRunIndicators(tdb, config, rollups);
  for (const c of input.checks.filter((x) => x.phase === 'indicators')) await checked.findings.addCheck(c, { year: config.year });
  await checked.findings.add(await missingFigureColumns(tdb, config, rollups));
  // Year over year: last year's figures from --previous, else from the database.
  const previous = input.previous ?? (await previousFromDatabase(tdb.db, config.year - 1));
  await checked.findings.add(yoyFindings(config.report.indicators, new Map(rollups.map((r) => [r.code, r.value])), previous, config.yoyThreshold));
  return { rollups, digest, previous };
}

/** What a roll-up is computed from: the row checks' inputs (file versions, roster, catalogs, year), the figures' SQL, the missing ledgers. */
function rollupKey(config: TallyConfig, checkInputs: string, missing: ReadonlySet<string>): string {
  return createHash('sha256')
    .update(
      JSON.stringify({
        checkInputs,
        year: config.year,
        traceLimit: TRACE_LIMIT,
        indicators: config.report.indicators.map((i) => [i.code, i.sql, i.ledgers]),
        // What a cached rollup holds: rollups cached before absentColumns (or optionalAbsent) was
        // kept, or before decimal sums were rounded to cell precision (3256.7999999999993), do
        // not match.
        holds: 'absentColumns;cellPrecision;optionalAbsent2',
        missing: [...missing].sort(),
      }),
    )
    .digest('hex');
}

/** The rollups and the SHA-256 of their JSON: the same text whether cached or just computed. */
interface Rolled {
  readonly rollups: Rollup[];
  readonly digest: string;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function cachedRollups(tdb: TallyDatabase, key: string): Promise<Rolled | null> {
  const row = await tdb.db.selectFrom('rollup_cache').select('rollups').where('inputs', '=', key).executeTakeFirst();
  return row === undefined ? null : { rollups: JSON.parse(row.rollups) as Rollup[], digest: sha256(row.rollups) };
}

async function cacheRollups(tdb: TallyDatabase, key: string, rollups: Rollup[]): Promise<Rolled> {
  const text = JSON.stringify(rollups);
  await tdb.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('rollup_cache').execute();
    await trx.insertInto('rollup_cache').values({ inputs: key, rollups: text }).execute();
  });
  return { rollups, digest: sha256(text) };
}

/**
 * Whether a sheet's absent optional column left some of its rows out of the figure: a row left
 * out for a reason that names the column (法制审核日期为空, 负责人未出庭 for 负责人出庭; 未, 不, 没有
 * and 无 are read past). A sheet whose rows all counted (结案日期 absent, 受理日期 taken instead),
 * or were left out for other reasons (a 行政复议 sheet, for 负责人出庭 of 行政诉讼), lost nothing
 * by it. Judged on the trace's sample, which lists the left-out rows first.
 */
function leftOutFor(rows: readonly TraceRow[], at: AbsentColumns, field: string): boolean {
  return rows.some((r) => !r.counted && r.file === at.file && r.sheet === at.sheet && r.ledger === at.ledger && (r.reason ?? '').replace(/未|不|没有|无/g, '').includes(field));
}

/**
 * header.missing_figure_column: one finding per sheet and absent column that some figure reads
 * though the ledger does not require it, naming the figures, at the sheet's header row (where
 * header.missing_column points). From the rollups, cached or not, so a rerun says it again.
 */
async function missingFigureColumns(tdb: TallyDatabase, config: TallyConfig, rollups: readonly Rollup[]): Promise<Finding[]> {
  const names = new Map(config.report.indicators.map((i) => [i.code, i.name]));
  const bySheetField = new Map<string, { readonly at: AbsentColumns; readonly field: string; readonly figures: string[] }>();
  for (const r of rollups) {
    for (const at of r.optionalAbsent ?? []) {
      for (const field of at.fields) {
        const key = JSON.stringify([at.department, at.file, at.sheet, at.ledger, field]);
        const entry = bySheetField.get(key) ?? { at, field, figures: [] };
        entry.figures.push(names.get(r.code) ?? r.code);
        bySheetField.set(key, entry);
      }
    }
  }
  if (bySheetField.size === 0) return [];
  const headers = await tdb.db
    .selectFrom('sheet_reads as s')
    .innerJoin('file_versions as v', 'v.id', 's.file_version_id')
    .select(['v.path', 's.sheet', 's.ledger', 's.header_rows'])
    .where('v.current', '=', true)
    .where('s.ledger', 'is not', null)
    .execute();
  const headerRow = new Map(headers.map((h) => [JSON.stringify([h.path, h.sheet, h.ledger]), h.header_rows?.split(',')[0] ?? null]));
  const sorted = [...bySheetField.values()].sort(
    (a, b) => a.at.department.localeCompare(b.at.department) || a.at.file.localeCompare(b.at.file) || a.at.sheet.localeCompare(b.at.sheet) || a.field.localeCompare(b.field),
  );
  return sorted.map(({ at, field, figures }) => {
    const ledger = config.ledgers.byId(at.ledger)?.name ?? at.ledger;
    return {
      level: LEVEL_OF['header.missing_figure_column'],
      code: 'header.missing_figure_column',
      department: at.department,
      file: at.file,
      sheet: at.sheet,
      cell: headerRow.get(JSON.stringify([at.file, at.sheet, at.ledger])) ?? null,
      message:
        `本表（${ledger}）没有“${field}”列，而指标“${figures.join('”“')}”要按这一列统计：本表各行都按此列为空判断，有的行因此未计入，该指标可能少计。` +
        `如表中其实有这一列而列名不同（例如把“${field}”写成了别的名称），请把列名改为“${field}”；如台账原本没有记这一项，请增加“${field}”一列、逐行填写后重新报送。`,
      expected: field,
      actual: '无此列',
      ledger: at.ledger,
    };
  });
}

/** Ledgers some department owes and nobody sent (their figures are unknown, not 0). */
async function missingLedgers(tdb: TallyDatabase, runId: bigint): Promise<Set<string>> {
  const rows = await tdb.db
    .selectFrom('findings')
    .select('ledger')
    .distinct()
    .where('run_id', '=', runId)
    .where('code', '=', 'dept.missing_submission')
    .execute();
  return new Set(rows.map((r) => r.ledger ?? ''));
}

/** The figures as a table (`run_indicators`), the derived ones too, for the indicator checks. */
async function storeRunIndicators(tdb: TallyDatabase, config: TallyConfig, rollups: readonly Rollup[]): Promise<void> {
  const { connection } = tdb;
  await resetRunTable(connection, 'run_indicators');
  const values = new Map(rollups.map((r) => [r.code, r.value]));
  const derived = derivedValues(config.report.derived, values);
  const figures = [
    ...config.report.indicators.filter((i) => values.has(i.code)).map((i) => ({ def: i, value: values.get(i.code) ?? null })),
    ...config.report.derived.map((d) => ({ def: d, value: derived.get(d.code) ?? null })),
  ];
  // One statement (a pack's figures, a few dozen; one INSERT each took ~40 ms of every run).
  await insertRows(connection, 'run_indicators', figures.map(({ def, value }) => [def.code, def.name, def.written ?? null, value]));
}
