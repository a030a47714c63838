/**
 * The pipeline's own tables, typed for Kysely. Ledger rows live in one table per ledger
 * (`ledger_<id>`), created from the ledger catalog (see ledger-tables.ts) and loaded through
 * the appender.
 */
import type { ColumnType, Generated } from 'kysely';

/** A TIMESTAMP column holding UTC: reads as Date, written as `utcTimestamp(date)`. */
export type Timestamp = ColumnType<Date, string, string>;

/** '2021-01-08 02:00:00.000': the form DuckDB takes for a UTC TIMESTAMP (Date parameters are refused). */
export function utcTimestamp(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

export interface FileVersionTable {
  id: Generated<bigint>;
  /** Department code; null for a file outside any roster folder. */
  department: string | null;
  /** Path relative to the inbox, with `/` separators. */
  path: string;
  /** 1 for the first version seen under this path, then 2, 3 … */
  version: number;
  sha256: string;
  size: bigint;
  received_at: Timestamp;
  /** Where the original bytes are kept (relative to the archive folder). */
  archived_as: string;
  /** This version is the department's current submission under this path. */
  current: boolean;
  /** 'read' | 'unreadable' | 'skipped' (unknown department). */
  read_status: string;
}

export interface SheetReadTable {
  file_version_id: bigint;
  sheet_index: number;
  sheet: string;
  hidden: boolean;
  ledger: string | null;
  header_rows: string | null;
  rows: number;
}

export interface FindingColumns {
  level: string;
  code: string;
  department: string | null;
  file: string | null;
  sheet: string | null;
  cell: string | null;
  message: string;
  expected: string | null;
  actual: string | null;
  ledger: string | null;
}

export interface ReaderFindingTable extends FindingColumns {
  file_version_id: bigint;
  seq: number;
}

export interface SheetTotalTable {
  file_version_id: bigint;
  sheet: string;
  ledger: string;
  field: string | null;
  stated: number;
  cell: string;
}

export interface RunTable {
  id: Generated<bigint>;
  started_at: Timestamp;
  finished_at: ColumnType<Date | null, string | null, string | null>;
  year: number;
  status: string;
  files_seen: number;
  files_read: number;
  errors: number;
  warnings: number;
  mails: number;
}

export interface FindingTable extends FindingColumns {
  run_id: bigint;
  seq: number;
}

export interface IndicatorValueTable {
  run_id: bigint;
  year: number;
  code: string;
  value: number | null;
  wording: string | null;
  status: string;
  sources: string;
}

export interface ObligationTable {
  department: string;
  ledger: string;
}

export interface Database {
  file_versions: FileVersionTable;
  sheet_reads: SheetReadTable;
  reader_findings: ReaderFindingTable;
  sheet_totals: SheetTotalTable;
  runs: RunTable;
  findings: FindingTable;
  indicator_values: IndicatorValueTable;
  obligations: ObligationTable;
}
