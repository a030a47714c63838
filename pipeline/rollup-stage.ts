/**
 * Roll up: one SQL query per indicator of the report (sql/indicators/<code>.sql). A figure
 * whose ledger is owed but missing has no value: never a silent 0.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ReportCatalog } from '../reports/report-catalog.ts';
import { ConfigError } from './config-error.ts';
import { runQuery } from './sql-catalog.ts';

export interface Rollup {
  readonly code: string;
  readonly value: number | null;
  /** Owed ledgers of this figure that some department has not submitted. */
  readonly missingLedgers: readonly string[];
}

export async function rollUp(
  connection: DuckDBConnection,
  report: ReportCatalog,
  year: number,
  missingLedgers: ReadonlySet<string>,
): Promise<Rollup[]> {
  const out: Rollup[] = [];
  for (const ind of report.indicators) {
    const missing = ind.ledgers.filter((l) => missingLedgers.has(l));
    if (missing.length > 0) {
      out.push({ code: ind.code, value: null, missingLedgers: missing });
      continue;
    }
    let rows: Record<string, unknown>[];
    try {
      rows = await runQuery(connection, ind.sql, { year });
    } catch (cause) {
      throw new ConfigError(`${ind.sqlFile}: 指标 SQL 执行失败：${(cause as Error).message}`, { cause });
    }
    const v = rows[0]?.['value'];
    if (rows.length !== 1 || v === undefined) {
      throw new ConfigError(`${ind.sqlFile}: 指标 SQL 应返回一行 value 列，实际返回 ${rows.length} 行`);
    }
    out.push({ code: ind.code, value: v === null ? null : Number(v), missingLedgers: [] });
  }
  return out;
}
