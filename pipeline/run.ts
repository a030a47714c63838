/**
 * One run (contract §1): intake → read → load → check → roll up → report → notify, each a
 * folder of `stages/`. Each stage takes what the one before returned; this file only composes
 * them. I/O roots (inbox, output, database, SMTP, clock) come in from the caller.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TallyConfig } from './kernel/config/config.ts';
import { openDatabase, type TallyDatabase } from './kernel/db/open-database.ts';
import { finishRun, startRun } from './run-record.ts';
import type { Level } from './kernel/findings/findings.ts';
import { levelTotals } from './kernel/findings/findings-store.ts';
import { loadChecks } from './kernel/sql-catalog.ts';
import { assertPackSql } from './kernel/pack/check-pack.ts';
import { intake } from './stages/1-intake/intake.ts';
import type { ReadPool } from './stages/2-read/read-pool.ts';
import { readAndLoad, readPool } from './stages/3-load/ingest.ts';
import { check, type CheckResult } from './stages/4-check/check-stage.ts';
import { FigureTraces, rollUpStage, type RollupResult } from './stages/5-rollup/rollup-stage.ts';
import type { PreviousFigures } from './stages/5-rollup/yoy.ts';
import { reportStage } from './stages/6-report/report-stage.ts';
import { preloadWritersIfMissing } from '../reports/write-reports-if-changed.ts';
import { NOTHING_MAILED, notifyStage, type MailRunOptions, type NotifyMode, type NotifyResult } from './stages/7-notify/notify-stage.ts';
import { spoolDirOf } from './stages/7-notify/outbox.ts';
import type { SentMail } from './stages/7-notify/send-mails.ts';
import type { ReportData } from '../reports/report-data.ts';
import type { MarkedResult } from '../reports/marked/write-marked-files.ts';

export interface RunOptions {
  readonly config: TallyConfig;
  readonly inbox: string;
  readonly out: string;
  readonly dbPath: string;
  readonly smtpUrl?: string | undefined;
  readonly now?: () => Date;
  readonly progress?: RunProgress;
  /** Read worker threads (default: the cores, at most 4). */
  readonly readers?: number;
  /**
   * Read workers the caller started (the demo starts them while its inbox is written, so they
   * have loaded their code when the run reads); the run closes them. Without it, the run starts
   * its own (`readers`, `readTimeoutMs`).
   */
  readonly readPool?: ReadPool;
  /** Longest one file may take to read, in ms (default 120 s). */
  readonly readTimeoutMs?: number;
  /**
   * What the run writes besides the database (default: all of it). The portal checks an upload
   * on a scratch copy with `{ report: false, mail: false }` and records a confirmed upload with
   * `{ mail: false }`; the mail then goes with the next scheduled or requested run.
   */
  readonly outputs?: { readonly report?: boolean; readonly mail?: boolean };
  /** Mail only what changed (default) or everything (`--notify always`). */
  readonly notify?: NotifyMode;
  /** Recorded with the run: `manual` (default) or `schedule`. */
  readonly trigger?: 'manual' | 'schedule';
  /** Mail delivery details: TLS trust and timeouts, retry policy, and seams for tests. */
  readonly mail?: MailRunOptions;
  /**
   * Last year's figures read from its report workbook (`--previous`); kept in the database for
   * later runs. Without it, the latest figures of the year before that the database holds.
   */
  readonly previous?: PreviousFigures;
}

export interface RunProgress {
  stage(label: string): void;
  file(index: number, total: number, path: string): void;
}

export interface RunSummary {
  readonly runId: bigint;
  readonly filesSeen: number;
  readonly filesRead: number;
  readonly filesUnchanged: number;
  readonly findings: Readonly<Record<Level, number>>;
  readonly indicatorsFilled: number;
  readonly indicatorsTotal: number;
  readonly workbook: string;
  readonly mails: readonly SentMail[];
  readonly notified: NotifyResult;
  readonly report: ReportData;
  /** Marked-up copies of the departments' files (`<out>/marked/<department>/`), when the report was written. */
  readonly marked?: MarkedResult;
}

const quiet: RunProgress = { stage: () => {}, file: () => {} };


export async function runPipeline(opts: RunOptions): Promise<RunSummary> {
  const now = opts.now ?? (() => new Date());
  const progress = opts.progress ?? quiet;
  const { config } = opts;
  // The read workers start loading their code (~0.3 s) while intake hashes, once it has found a
  // new or changed file: a run with nothing new starts none (they took both cores for ~0.3 s of
  // a 3 s rerun of a district). A run into a new database will read whatever the inbox holds:
  // its workers start at once, while the database is created (~0.35 s; the demo's first run).
  const fresh = opts.dbPath !== ':memory:' && !existsSync(opts.dbPath);
  const pool = opts.readPool ?? readPool({
    catalog: config.ledgers,
    year: config.year,
    maxFileBytes: config.maxFileBytes,
    ...(opts.readers === undefined ? {} : { readers: opts.readers }),
    ...(opts.readTimeoutMs === undefined ? {} : { readTimeoutMs: opts.readTimeoutMs }),
  });
  if (fresh) void pool.warm();
  try {
    const tdb = await openDatabase(opts.dbPath, config.ledgers);
    try {
      // A database prepared ahead (the demo does, while it writes the inbox) with nothing read yet.
      if (!fresh && (await tdb.db.selectFrom('file_versions').select('id').limit(1).execute()).length === 0) void pool.warm();
      // A pack whose SQL does not fit its ledgers stops here, before anything is read.
      await assertPackSql(tdb, config.packDir, config.report);
      return await runWith(tdb, opts, now, progress, pool);
    } finally {
      await tdb.close();
    }
  } finally {
    await pool.close();
  }
}

async function runWith(tdb: TallyDatabase, opts: RunOptions, now: () => Date, progress: RunProgress, pool: ReadPool): Promise<RunSummary> {
  const { config } = opts;
  const runId = await startRun(tdb.db, { year: config.year, trigger: opts.trigger ?? 'manual', now: now() });
  // tally's own checks, then the pack's.
  const checks = [...loadChecks(), ...config.report.checks];

  progress.stage('收取文件');
  const intook = await intake(tdb, {
    inbox: opts.inbox,
    archiveDir: join(opts.out, 'archive'),
    departments: config.departments,
    maxFileBytes: config.maxFileBytes,
    now: now(),
    onChangedFiles: () => void pool.warm(),
  });

  progress.stage('读取台账');
  await readAndLoad(tdb, intook.toRead, pool, (index, total, path) => progress.file(index, total, path));
  // Their memory is the checks' now.
  await pool.close();

  progress.stage('核查');
  const writes = { report: opts.outputs?.report ?? true, mail: opts.outputs?.mail ?? true };
  // A report whose files are missing will be written: its writers (exceljs, docx: ~0.25 s of
  // this thread) load now, while this thread mostly waits for the database to answer the checks
  // and the roll-up, not when the report stage needs them. A run whose files are there loads
  // them only once it knows they changed.
  if (writes.report) preloadWritersIfMissing(config.year, opts.out);
  // The figures' trace queries run beside the row checks, on connections of their own, once the
  // checks have put the run tables in place (rollup-stage.ts, FigureTraces).
  const traces = new FigureTraces(tdb, config.report, config.year);
  let checked: CheckResult;
  let rolled: RollupResult;
  try {
    checked = await check(tdb, { config, runId, checks, intakeFindings: intook.findings, onRowChecks: () => traces.start() });
    progress.stage('汇总指标');
    rolled = await rollUpStage(tdb, { config, checked, checks, traces, previous: opts.previous });
  } finally {
    // No query is left running when the database closes, whatever failed.
    await traces.settled();
  }

  progress.stage('生成报告');
  const reported = await reportStage(tdb, { config, runId, rolled, out: opts.out, write: writes.report, now: now() });

  progress.stage('发送邮件');
  // Mail goes through the persistent outbox: only what changed, never lost. Its messages' bytes
  // wait in a spool beside the database file, which outlives the run as the outbox does.
  const spool = spoolDirOf(opts.dbPath);
  const notified =
    writes.report && writes.mail
      ? await notifyStage(tdb, { config, runId, reported, out: opts.out, spool, smtpUrl: opts.smtpUrl, mail: opts.mail, mode: opts.notify ?? 'changed', now })
      : NOTHING_MAILED;

  const counts = levelTotals(reported.digest.counts);
  const filesSeen = intook.files.filter((f) => f.status !== 'withdrawn').length;
  await finishRun(tdb.db, {
    runId,
    year: config.year,
    indicators: reported.report.indicators,
    inputs: checked.inputs,
    previous: opts.previous,
    filesSeen,
    filesRead: intook.toRead.length,
    counts,
    mails: notified,
    now: now(),
  });

  const { report } = reported;
  return {
    runId,
    filesSeen,
    filesRead: intook.toRead.length,
    filesUnchanged: intook.files.filter((f) => f.status === 'unchanged').length,
    findings: counts,
    indicatorsFilled: report.indicators.filter((i) => i.value !== null).length,
    indicatorsTotal: report.indicators.length,
    workbook: reported.workbook,
    mails: notified.mails,
    notified,
    report,
    ...(reported.marked === undefined ? {} : { marked: reported.marked }),
  };
}
