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

/** A sheet whose header labels columns that name no field (see migration 0009). */
export interface SheetOtherColumnsTable {
  file_version_id: bigint;
  sheet_index: number;
  /** How many: 1 or more. */
  columns: number;
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

/** How a run was started and how its mail went (issue 5), one row per run. */
export interface RunMailTable {
  run_id: bigint;
  /** `manual` (tally run) or `schedule` (tally schedule). */
  trigger: string;
  /** Mails the SMTP server accepted (or .eml files written) during the run. */
  mails_sent: number;
  /** Mails that failed for good during the run (5xx, bad address). */
  mails_failed: number;
  /** Mails still in the outbox after the run (temporary failures, retried next run). */
  mails_pending: number;
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

/** The persistent outbox: a message is stored here before it is sent, marked after. */
export interface MailOutboxTable {
  id: Generated<bigint>;
  run_id: bigint;
  /** `smtp`, or `file` (.eml files in `<out>/outbox/` when SMTP_URL is unset). */
  channel: string;
  /** `coordinator` or a department code. */
  recipient: string;
  /** `digest` | `findings` | `reminder` | `overdue` */
  kind: string;
  to_address: string;
  cc_address: string | null;
  subject: string;
  message_id: string;
  /**
   * Empty for mail queued since 0008 (its bytes are in a spool file, `mail_spool`). Older
   * databases' pending mail keeps its whole RFC 5322 message here, and is sent from it.
   */
  raw: string;
  /** `pending` | `sent` | `failed` (permanent) | `superseded` (a newer mail replaced it unsent) */
  status: string;
  attempts: number;
  created_at: Timestamp;
  next_attempt_at: Timestamp;
  sent_at: ColumnType<Date | null, string | null, string | null>;
  /** The last failure, password removed. */
  last_error: string | null;
}

/**
 * The spool file holding a message's rendered bytes (`<database>.spool/<file>`), while the
 * message can still be sent: removed when it is sent or superseded.
 */
export interface MailSpoolTable {
  outbox_id: bigint;
  /** A name tally made (`<uuid>.eml`), never one from a department's input. */
  file: string;
}

/** What the last mail to a recipient through a channel said, as a hash. */
export interface MailFingerprintTable {
  channel: string;
  recipient: string;
  fingerprint: string;
  outbox_id: bigint;
  recorded_at: Timestamp;
}

/** A figure of an earlier year, loaded from that year's report workbook (`tally run --previous`). */
export interface PreviousIndicatorValueTable {
  year: number;
  code: string;
  value: number | null;
  /** Where it came from: the workbook's file name. */
  source: string;
  imported_at: Timestamp;
}

/** The file versions current in a run (what that run's mail was about), one row each. */
export interface RunFileTable {
  run_id: bigint;
  file_version_id: bigint;
}

export interface RunCheckTable {
  run_id: bigint;
  /** A hash of everything the row checks read: current file versions, roster, catalogs, check SQL, year. */
  inputs: string;
}

/**
 * The stat of a file version's inbox file when it was last hashed (`size:mtimeNs:ctimeNs:ino`).
 * `trusted` is false when the file had been modified less than 2 s (coarse file system clocks)
 * before the hashing began: it could have changed again within the same clock tick, so the next
 * run hashes it anyway (git's "racily clean" case).
 */
export interface FileStatTable {
  file_version_id: bigint;
  stat: string;
  trusted: boolean;
}

/**
 * The figures and traces of the latest roll-up, by a hash of what they were computed from (the
 * row checks' inputs, the indicator SQL, the owed ledgers missing): a run with nothing changed
 * takes them instead of running every trace query again. One row: each roll-up replaces it.
 */
export interface RollupCacheTable {
  inputs: string;
  /** The roll-ups as JSON (bounded: at most TRACE_LIMIT trace rows per figure). */
  rollups: string;
}

export interface Database {
  rollup_cache: RollupCacheTable;
  file_stats: FileStatTable;
  run_checks: RunCheckTable;
  previous_indicator_values: PreviousIndicatorValueTable;
  run_files: RunFileTable;
  run_mail: RunMailTable;
  mail_outbox: MailOutboxTable;
  mail_spool: MailSpoolTable;
  mail_fingerprints: MailFingerprintTable;
  file_versions: FileVersionTable;
  sheet_reads: SheetReadTable;
  sheet_other_columns: SheetOtherColumnsTable;
  reader_findings: ReaderFindingTable;
  sheet_totals: SheetTotalTable;
  runs: RunTable;
  findings: FindingTable;
  indicator_values: IndicatorValueTable;
  obligations: ObligationTable;
}
