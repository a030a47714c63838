/**
 * The trace of a figure: every candidate row of its ledger(s), counted or left out and why.
 *
 * Each indicator's `indicators/<code>.sql` (in its report pack) is a trace query (one row per candidate ledger row, `$year`
 * bound) with the columns of TRACE_COLUMNS. The figure is `sum(amount) filter (where counted)`
 * over that query, so the figure and the trace that explains it come from the same SQL text.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { IndicatorDef } from '../../../reports/report-catalog.ts';
import { ConfigError } from '../../kernel/config/config-error.ts';

import { TRACE_COLUMNS } from '../../kernel/pack/trace-columns.ts';
import { toCellPrecision } from './sum-amounts.ts';

export { TRACE_COLUMNS };

/** A cell that decided whether a row counts, e.g. 公示日期 = 2019-12-28 at B7. */
export interface TraceCell {
  /** The ledger's canonical header (公示日期). */
  readonly field: string;
  /** The typed value as text (`2019-12-28`, `是`); null when the cell is empty or unreadable. */
  readonly value: string | null;
  /** A1 address in the department's sheet; null when the column is absent. */
  readonly cell: string | null;
}

export interface TraceRow {
  /** Indicator code. */
  readonly code: string;
  readonly ledger: string;
  /** Department code. */
  readonly department: string;
  /** Path relative to the inbox. */
  readonly file: string;
  readonly fileVersionId: number;
  readonly fileVersion: number;
  readonly sheet: string;
  /** Row number in the sheet (1-based, as Excel shows it). */
  readonly rowNo: number;
  readonly counted: boolean;
  /** What the row adds when counted: 1 for a count, the 人次 for a sum. */
  readonly amount: number;
  /** Why the row is left out (Chinese); null when counted. */
  readonly reason: string | null;
  readonly cells: readonly TraceCell[];
}

export interface IndicatorTrace {
  readonly code: string;
  /** `sum(amount) filter (where counted)`: by SQL over the trace query, or added up from every candidate row when all are at hand in whole amounts. */
  readonly value: number;
  /** Counted rows first, then left-out rows by reason; each group by department, file, sheet, row. */
  readonly rows: readonly TraceRow[];
  /** How many candidate rows there are in all (more than `rows` when a limit cut them). */
  readonly total: number;
  /** The sheets with candidate rows that lack a column the figure reads, each with those columns. */
  readonly absent: readonly AbsentColumns[];
}

/**
 * A sheet of a figure's ledger without columns the figure reads: its candidate rows' cells of
 * those fields have no address (the ledger's view gives a cell only for a column the sheet has).
 */
export interface AbsentColumns {
  readonly ledger: string;
  readonly department: string;
  readonly file: string;
  readonly sheet: string;
  /** The fields as the trace names them (the ledger's canonical headers). */
  readonly fields: readonly string[];
}

/** The rollup of a trace query: the figure is the counted amounts added up. */
export function rollupSql(traceSql: string): string {
  const absent = 'list_filter(cells, lambda c: c.cell is null)';
  return `select coalesce(sum(amount) filter (where counted), 0) as value, count(*) as n,
    list(distinct {'ledger': ledger, 'department': department, 'file': file, 'sheet': sheet, 'fields': list_transform(${absent}, lambda c: c.field)})
      filter (where len(${absent}) > 0) as absent
    from (\n${stripTerminator(traceSql)}\n) as trace`;
}

/**
 * Runs an indicator's trace query and its rollup.
 *
 * @example
 * const { value, rows } = await traceIndicator(connection, indicator, 2020);
 * rows.filter((r) => r.counted).reduce((s, r) => s + r.amount, 0) === value; // true
 */
export async function traceIndicator(
  connection: DuckDBConnection,
  ind: IndicatorDef,
  year: number,
  opts: { readonly limit?: number; readonly sheetOrder?: ReadonlyMap<string, number> } = {},
): Promise<IndicatorTrace> {
  const traceSql = stripTerminator(ind.sql);
  const params = paramsFor(traceSql, year);
  const run = async (text: string) => {
    try {
      return await connection.runAndReadAll(text, params);
    } catch (cause) {
      throw new ConfigError(`${ind.sqlFile}: 指标 SQL 执行失败：${(cause as Error).message}`, { cause });
    }
  };
  // A district's figures rest on millions of rows: the workbook lists a bounded sample (the
  // left-out rows first: they are what people question), tally explain lists them all.
  const limit = opts.limit;
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) throw new RangeError(`trace limit ${limit}`);
  // The sample is the same rows on every run over the same data (ties broken down to the row):
  // otherwise the report's content, and so its fingerprint, changed from run to run and a
  // district's unchanged report was rewritten every night.
  const sample = `select * from (${traceSql}) order by counted, reason, department, file, file_version_id, sheet, row_no, ledger limit ${limit}`;
  const result = await run(limit === undefined ? traceSql : sample);
  const columns = result.columnNames();
  const lacking = TRACE_COLUMNS.filter((c) => !columns.includes(c));
  if (lacking.length > 0) {
    throw new ConfigError(
      `${ind.sqlFile}: 指标 SQL 应逐行返回候选台账行，缺少列 ${lacking.join('、')}（见 README“Adding an indicator”）`,
    );
  }
  const raw = result.getRowObjectsJS() as Record<string, unknown>[];
  const sheetOrder = opts.sheetOrder ?? (await sheetIndexes(connection));
  const rows = raw
    .map((r) => toTraceRow(ind.code, r))
    .sort((a, b) => traceOrder(a, b, sheetOrder));
  // Every candidate row at hand (no limit cut them), counted in whole amounts: the figure is
  // their sum, exactly what the query would add up (a town's ~20 figures each planned their
  // query a second time for it).
  const whole = limit === undefined || raw.length < limit;
  if (whole && rows.every((r) => !r.counted || Number.isSafeInteger(r.amount))) {
    const value = toCellPrecision(rows.reduce((sum, r) => (r.counted ? sum + r.amount : sum), 0));
    if (Number.isSafeInteger(value)) return { code: ind.code, value, rows, total: rows.length, absent: absentOf(rows) };
  }
  // The figure, the number of candidate rows and the sheets lacking a column, in one streaming
  // pass (not one query each; and not as window aggregates beside the sample, which held every
  // candidate row of a district at once).
  const totals = (await run(rollupSql(traceSql))).getRowObjectsJS()[0];
  const found = totals?.['absent'];
  const absent = Array.isArray(found) ? (found as Record<string, unknown>[]) : [];
  return {
    code: ind.code,
    // Decimal amounts (标的额 in 万元) add up with binary noise: 3256.7999999999993 for 3256.8.
    value: toCellPrecision(Number(totals?.['value'] ?? 0)),
    rows,
    total: Number(totals?.['n'] ?? 0),
    absent: sortAbsent(
      absent.map((a) => ({
        ledger: String(a['ledger']),
        department: String(a['department'] ?? ''),
        file: String(a['file'] ?? ''),
        sheet: String(a['sheet'] ?? ''),
        fields: Array.isArray(a['fields']) ? (a['fields'] as unknown[]).map(String) : [],
      })),
    ),
  };
}

/** {@link AbsentColumns} of rows at hand: every candidate row of the figure. */
function absentOf(rows: readonly TraceRow[]): AbsentColumns[] {
  const bySheet = new Map<string, AbsentColumns>();
  for (const r of rows) {
    const fields = r.cells.filter((c) => c.cell === null).map((c) => c.field);
    if (fields.length === 0) continue;
    const key = JSON.stringify([r.ledger, r.department, r.file, r.sheet, fields]);
    if (!bySheet.has(key)) bySheet.set(key, { ledger: r.ledger, department: r.department, file: r.file, sheet: r.sheet, fields });
  }
  return sortAbsent([...bySheet.values()]);
}

/** By place, as the findings are read: the same list whichever way it was found. */
function sortAbsent(list: AbsentColumns[]): AbsentColumns[] {
  return list.sort((a, b) => a.department.localeCompare(b.department) || a.file.localeCompare(b.file) || a.sheet.localeCompare(b.sheet) || a.ledger.localeCompare(b.ledger));
}

function toTraceRow(code: string, r: Record<string, unknown>): TraceRow {
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  const cells = Array.isArray(r['cells']) ? (r['cells'] as Record<string, unknown>[]) : [];
  return {
    code,
    ledger: String(r['ledger']),
    department: String(r['department'] ?? ''),
    file: String(r['file'] ?? ''),
    fileVersionId: Number(r['file_version_id']),
    fileVersion: Number(r['file_version']),
    sheet: String(r['sheet'] ?? ''),
    rowNo: Number(r['row_no']),
    counted: r['counted'] === true,
    amount: Number(r['amount'] ?? 0),
    reason: text(r['reason']),
    cells: cells.map((c) => ({ field: String(c['field'] ?? ''), value: text(c['value']), cell: text(c['cell']) })),
  };
}

/**
 * Counted rows first, then left-out rows grouped by reason; within a group by place: department,
 * file, the sheet's position in its workbook (一季度 before 二季度, as the clerk sees them), row.
 */
export function traceOrder(a: TraceRow, b: TraceRow, sheetOrder: ReadonlyMap<string, number> = new Map()): number {
  const sheetKey = (r: TraceRow) => sheetOrder.get(`${r.fileVersionId}\u0000${r.sheet}`) ?? Number.MAX_SAFE_INTEGER;
  return (
    Number(b.counted) - Number(a.counted) ||
    (a.reason ?? '').localeCompare(b.reason ?? '') ||
    a.department.localeCompare(b.department) ||
    a.file.localeCompare(b.file) ||
    sheetKey(a) - sheetKey(b) ||
    a.sheet.localeCompare(b.sheet) ||
    a.rowNo - b.rowNo
  );
}

/**
 * Position of each sheet in its file version, keyed `<file_version_id>\0<sheet>` (read once for
 * all the figures of a run: a district's 5,000 files made it ~50 ms a figure).
 */
export async function sheetIndexes(connection: DuckDBConnection): Promise<Map<string, number>> {
  const result = await connection.runAndReadAll('select file_version_id, sheet, sheet_index from sheet_reads');
  return new Map(
    result.getRowObjectsJS().map((r) => [`${String(r['file_version_id'])}\u0000${String(r['sheet'])}`, Number(r['sheet_index'])]),
  );
}

/** `公示日期=2019-12-28（B7）；公示类别=事后公示（C7）`: the deciding cells as one line. */
export function describeCells(cells: readonly TraceCell[]): string {
  return cells.map((c) => `${c.field}=${excerpt(c.value)}${c.cell === null ? '' : `（${c.cell}）`}`).join('；');
}

/** Characters of one value shown in a trace; the cell's address leads to the rest. */
const TRACE_VALUE_CHARS = 200;

/** A value as the trace shows it: whole when short, else its start and its length. */
function excerpt(value: string | null): string {
  if (value === null) return '（空）';
  if (value.length <= TRACE_VALUE_CHARS) return value;
  const chars = [...value];
  return chars.length <= TRACE_VALUE_CHARS ? value : `${chars.slice(0, TRACE_VALUE_CHARS).join('')}…（共 ${chars.length} 字）`;
}

/** The reasons rows were left out, with how many rows each, most frequent first. */
export function reasonCounts(rows: readonly TraceRow[]): { reason: string; rows: number }[] {
  const counts = new Map<string, number>();
  for (const r of rows) if (!r.counted) counts.set(r.reason ?? '（未说明）', (counts.get(r.reason ?? '（未说明）') ?? 0) + 1);
  return [...counts].map(([reason, n]) => ({ reason, rows: n })).sort((a, b) => b.rows - a.rows || a.reason.localeCompare(b.reason));
}

function stripTerminator(text: string): string {
  return text.replace(/;\s*$/, '');
}

function paramsFor(text: string, year: number): Record<string, number> {
  return /\$year\b/.test(text) ? { year } : {};
}
