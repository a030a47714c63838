/**
 * Roll up: one trace query per indicator of the report (sql/indicators/<code>.sql), every
 * candidate row with `counted`, `amount` and `reason`; the figure is
 * `sum(amount) filter (where counted)` over it (see trace-rows.ts). A figure whose ledger is owed
 * but missing has no value: never a silent 0 (its trace is still kept, to show what did arrive).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ReportCatalog } from '../../../reports/report-catalog.ts';
import { sheetIndexes, traceIndicator, type TraceRow } from '../6-report/trace-rows.ts';

export interface Rollup {
  readonly code: string;
  readonly value: number | null;
  /** Owed ledgers of this figure that some department has not submitted. */
  readonly missingLedgers: readonly string[];
  /** Candidate rows of the figure's ledgers, counted or left out and why (at most `traceLimit`). */
  readonly trace?: readonly TraceRow[];
  /** How many candidate rows there are in all. */
  readonly traceTotal?: number;
}

/** Trace rows kept per figure for the workbook's 溯源 sheet (tally explain lists all). */
export const TRACE_LIMIT = 2_000;

export async function rollUp(
  connection: DuckDBConnection,
  report: ReportCatalog,
  year: number,
  missingLedgers: ReadonlySet<string>,
): Promise<Rollup[]> {
  const out: Rollup[] = [];
  const sheetOrder = await sheetIndexes(connection);
  for (const ind of report.indicators) {
    const missing = ind.ledgers.filter((l) => missingLedgers.has(l));
    const { value, rows, total } = await traceIndicator(connection, ind, year, { limit: TRACE_LIMIT, sheetOrder });
    out.push({ code: ind.code, value: missing.length > 0 ? null : value, missingLedgers: missing, trace: rows, traceTotal: total });
  }
  return out;
}
