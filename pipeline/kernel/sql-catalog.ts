/**
 * tally's own checks, the SQL files of `sql/checks/`: one check per file, named after its code,
 * each true of any report (they read the views over all ledgers: `ledger_rows`, `ledger_numbers`,
 * the catalogs). A report pack adds its own (`checks` in its pack.json). A check is a query whose
 * rows are the findings (zero rows = pass), with the columns department, file, sheet, cell,
 * ledger, message, expected, actual. Parameters are named (`$year`), never spliced in.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DuckDBConnection } from '@duckdb/node-api';
import { ConfigError } from './config/config-error.ts';
import { CHECK_CODES, LEVEL_OF, type CheckCode, type Finding, type FindingCode, type Level } from './findings/findings.ts';

export const SQL_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../sql');

export interface CheckDef {
  readonly code: FindingCode;
  readonly level: Level;
  /** What a finding says when the query gives no `message` (a pack's own check declares it). */
  readonly message?: string | null;
  /** Indicator checks run after the rollup (they read `run_indicators`). */
  readonly phase: 'rows' | 'indicators';
  readonly sql: string;
  readonly file: string;
}

let builtIn: readonly CheckDef[] | undefined;

/** tally's own checks (`sql/checks/`), read once. */
export function loadChecks(dir?: string): readonly CheckDef[] {
  if (dir === undefined) return (builtIn ??= readChecks(join(SQL_DIR, 'checks')));
  return readChecks(dir);
}

function readChecks(dir: string): CheckDef[] {
  const known = new Set<string>(CHECK_CODES);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => {
      const code = f.slice(0, -'.sql'.length);
      if (!known.has(code)) throw new ConfigError(`${join(dir, f)}: “${code}” is not a check code of contract §4`);
      return {
        code: code as CheckCode,
        level: LEVEL_OF[code as CheckCode],
        phase: code.startsWith('indicator.') ? 'indicators' : 'rows',
        sql: readFileSync(join(dir, f), 'utf8'),
        file: join(dir, f),
      } as const;
    });
}

/** Only the named parameters a query's text uses (DuckDB refuses the others). */
export function usedParams<T>(sqlText: string, params: Readonly<Record<string, T>>): Record<string, T> {
  const used: Record<string, T> = {};
  for (const [k, v] of Object.entries(params)) if (new RegExp(`\\$${k}\\b`).test(sqlText)) used[k] = v;
  return used;
}

/** Runs a catalog query with only the named parameters its text uses. */
export async function runQuery(
  connection: DuckDBConnection,
  sqlText: string,
  params: Readonly<Record<string, string | number>>,
): Promise<Record<string, unknown>[]> {
  const result = await connection.runAndReadAll(sqlText, usedParams(sqlText, params));
  return result.getRowObjectsJS() as Record<string, unknown>[];
}

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** Runs one check; its rows become findings of its code. */
export async function runCheck(connection: DuckDBConnection, check: CheckDef, params: Readonly<Record<string, string | number>>): Promise<Finding[]> {
  let rows: Record<string, unknown>[];
  try {
    rows = await runQuery(connection, check.sql, params);
  } catch (cause) {
    throw new ConfigError(`${check.file}: 检查规则 SQL 执行失败：${(cause as Error).message}`, { cause });
  }
  return rows.map((r) => ({
    level: check.level,
    code: check.code,
    department: text(r['department']),
    file: text(r['file']),
    sheet: text(r['sheet']),
    cell: text(r['cell']),
    message: text(r['message']) ?? check.message ?? check.code,
    expected: text(r['expected']),
    actual: text(r['actual']),
    ledger: text(r['ledger']),
  }));
}
