/**
 * One run (contract §1): intake → read → load → check → roll up → report → notify. Each stage
 * returns what the next one takes; this file only composes them. I/O roots (inbox, output,
 * database, SMTP, clock) come in from the caller.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { mkdir, rm, stat } from 'node:fs/promises';
import { sql } from 'kysely';
import type { TallyConfig } from './kernel/config/config.ts';
import { openDatabase, type TallyDatabase } from './kernel/db/open-database.ts';
import { utcTimestamp } from './kernel/db/schema.ts';
import type { Level } from './kernel/findings/findings.ts';
import { intake, type IntakeResult } from './stages/1-intake/intake.ts';
import { readAndLoad, readPool } from './stages/3-load/ingest.ts';
import type { ReadPool } from './stages/2-read/read-pool.ts';
import { loadChecks, type CheckDef } from './kernel/sql-catalog.ts';
import { findingsDigest, findingsOfFile, levelTotals, RunFindings, writeFindingsCsv } from './kernel/findings/findings-store.ts';
import { rollUp, type Rollup } from './stages/5-rollup/rollup-stage.ts';
import { assembleReport, type LedgerSubmission } from './stages/6-report/assemble-report.ts';
import { writeReportsIfChanged } from '../reports/write-reports-if-changed.ts';
import type { SentMail } from './stages/7-notify/send-mails.ts';
import { notify, type NotifyMode, type NotifyOptions, type NotifyResult } from './stages/7-notify/notify-stage.ts';
import { openMailChannel } from './stages/7-notify/open-mail-channel.ts';
import type { SmtpExtras } from './stages/7-notify/smtp-settings.ts';
import type { ReportData } from '../reports/report-data.ts';
import { writeMarkedFiles, type MarkableFile, type MarkedResult } from '../reports/marked/write-marked-files.ts';
import { departmentChanges, recordRunFiles } from './stages/7-notify/changes.ts';
import { previousFromDatabase, storePreviousFigures, yoyFindings, type PreviousFigures } from './stages/5-rollup/yoy.ts';
import type { Attachment } from './stages/7-notify/compose-mails.ts';

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

export interface MailRunOptions extends Pick<NotifyOptions, 'sleep' | 'retry' | 'calendar' | 'afterAccepted' | 'log'> {
  readonly smtp?: SmtpExtras;
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
  // The read workers start first: loading their code (~0.3 s) overlaps opening the database
  // and hashing the inbox.
  const pool = readPool({
    catalog: config.ledgers,
    year: config.year,
    maxFileBytes: config.maxFileBytes,
    ...(opts.readers === undefined ? {} : { readers: opts.readers }),
    ...(opts.readTimeoutMs === undefined ? {} : { readTimeoutMs: opts.readTimeoutMs }),
  });
  try {
    void pool.warm();
    const tdb = await openDatabase(opts.dbPath, config.ledgers);
    try {
      return await runWith(tdb, opts, now, progress, pool);
    } finally {
      await tdb.close();
    }
  } finally {
    await pool.close();
  }
}

async function runWith(tdb: TallyDatabase, opts: RunOptions, now: () => Date, progress: RunProgress, pool: ReadPool): Promise<RunSummary> {
  const { db, connection } = tdb;
  const { config } = opts;
  const year = config.year;
  const run = await db
    .insertInto('runs')
    .values({ started_at: utcTimestamp(now()), year, status: 'running', files_seen: 0, files_read: 0, errors: 0, warnings: 0, mails: 0, finished_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('run_mail').values({ run_id: run.id, trigger: opts.trigger ?? 'manual', mails_sent: 0, mails_failed: 0, mails_pending: 0 }).execute();

  const checks = loadChecks();
  progress.stage('收取文件');
  const intook = await intake(db, {
    inbox: opts.inbox,
    archiveDir: join(opts.out, 'archive'),
    departments: config.departments,
    maxFileBytes: config.maxFileBytes,
    now: now(),
  });

  progress.stage('读取台账');
  await readAndLoad(tdb, intook.toRead, pool, (index, total, path) => progress.file(index, total, path));
  // Their memory is the checks' now.
  await pool.close();

  progress.stage('核查');
  await refreshRunTables(tdb, config);
  // Findings go to the database as they are produced and are read back summarised: a flood of
  // them (a block of rows pasted twenty times) never sits in memory.
  const found = new RunFindings(db, connection, run.id);
  await found.add(intook.findings);
  await found.addReaderFindings();
  // Nothing they read changed since a stored run: its row findings stand (identical by
  // construction); otherwise every row check runs.
  const rowChecks = checks.filter((c) => c.phase === 'rows');
  const inputs = await checkInputs(tdb, config, rowChecks);
  const same = await sameInputsRun(tdb, inputs);
  if (same !== null) await found.addFromRun(same, rowChecks.map((c) => c.code));
  else for (const check of rowChecks) await found.addCheck(check, { year });

  progress.stage('汇总指标');
  const rollups = await rollUp(connection, config.report, year, await missingLedgers(tdb, run.id));
  await storeRunIndicators(tdb, config, rollups);
  for (const check of checks.filter((c) => c.phase === 'indicators')) await found.addCheck(check, { year });

  // Year over year: last year's figures from --previous, else from the database.
  const previous = opts.previous ?? (await previousFromDatabase(db, year - 1));
  await found.add(yoyFindings(config.report.indicators, new Map(rollups.map((r) => [r.code, r.value])), previous, config.yoyThreshold));

  const digest = await findingsDigest(connection, run.id);
  const report = assembleReport({ config, rollups, findings: digest, submissions: await ledgerSubmissions(tdb), now: now(), previous });

  progress.stage('生成报告');
  await mkdir(opts.out, { recursive: true });
  const workbook = join(opts.out, `report-${year}.xlsx`);
  const writes = { report: opts.outputs?.report ?? true, mail: opts.outputs?.mail ?? true };
  // Rewritten only when its content changed: nothing changed, nothing rewritten.
  if (writes.report) await writeReportsIfChanged(report, opts.out);
  // The complete list beside the report, and each department's when its mail lists only part.
  const findingLists = writes.report ? await writeFindingLists(connection, run.id, opts.out, year, report) : new Map<string, Attachment>();
  const docx = join(opts.out, `report-${year}.docx`);
  // Each department's own files with the findings marked on them (the portal lists them too).
  const marked = writes.report ? await writeMarkedFiles({
        dir: join(opts.out, 'marked'),
        files: await markableFiles(tdb, opts),
        withFindings: await filesWithFindings(tdb, run.id),
        findingsOf: (file, limit) => findingsOfFile(connection, run.id, file, limit),
        departments: config.departments.map((d) => d.code),
      }) : undefined;

  progress.stage('发送邮件');
  // Mail goes through the persistent outbox: only what changed, never lost (pipeline/stages/7-notify/).
  let notified: NotifyResult = NOTHING_MAILED;
  if (writes.report && writes.mail) {
    const attachments = new Map<string, Attachment[]>();
    for (const m of marked?.files ?? []) {
      attachments.set(m.department, [...(attachments.get(m.department) ?? []), { filename: m.name, path: m.path, bytes: (await stat(m.path)).size }]);
    }
    const changes = await departmentChanges(db, connection, { runId: run.id, departments: config.departments.map((d) => d.code), catalog: config.ledgers });
    notified = await notifyRun(db, run.id, report, workbook, opts, now, { docx, marked: attachments, changes, findingLists });
  }
  const mails = notified.mails;

  const counts = levelTotals(digest.counts);
  await db.transaction().execute(async (trx) => {
    await recordRunFiles(trx, run.id);
    if (opts.previous !== undefined) await storePreviousFigures(trx, opts.previous, now());
    await trx
      .insertInto('indicator_values')
      .values(report.indicators.map((i) => ({ run_id: run.id, year, code: i.code, value: i.value, wording: i.wording, status: i.status, sources: i.sources })))
      .execute();
    await trx.insertInto('run_checks').values({ run_id: run.id, inputs }).execute();
    await trx
      .updateTable('runs')
      .set({
        finished_at: utcTimestamp(now()),
        status: 'done',
        files_seen: intook.files.filter((f) => f.status !== 'withdrawn').length,
        files_read: intook.toRead.length,
        errors: counts.错误,
        warnings: counts.警告,
        mails: notified.sent,
      })
      .where('id', '=', run.id)
      .execute();
    await trx
      .updateTable('run_mail')
      .set({ mails_sent: notified.sent, mails_failed: notified.failed, mails_pending: notified.pending })
      .where('run_id', '=', run.id)
      .execute();
  });

  return { ...summarize(run.id, intook, report, workbook, mails, counts, notified), ...(marked === undefined ? {} : { marked }) };
}

/** The current files of roster departments, with their archived originals (for the marked copies). */
async function markableFiles(tdb: TallyDatabase, opts: RunOptions): Promise<MarkableFile[]> {
  const codes = opts.config.departments.map((d) => d.code);
  const rows = await tdb.db
    .selectFrom('file_versions')
    .where('current', '=', true)
    .where('department', 'in', codes)
    .where('archived_as', '!=', '')
    .select(['department', 'path', 'archived_as', 'sha256', 'size'])
    .execute();
  return rows.map((r) => ({
    department: r.department ?? '',
    path: r.path,
    archivedPath: join(opts.out, 'archive', r.archived_as),
    sha256: r.sha256,
    size: Number(r.size),
  }));
}

function summarize(
  runId: bigint,
  intook: IntakeResult,
  report: ReportData,
  workbook: string,
  mails: readonly SentMail[],
  counts: Record<Level, number>,
  notified: NotifyResult,
): RunSummary {
  return {
    runId,
    filesSeen: intook.files.filter((f) => f.status !== 'withdrawn').length,
    filesRead: intook.toRead.length,
    filesUnchanged: intook.files.filter((f) => f.status === 'unchanged').length,
    findings: counts,
    indicatorsFilled: report.indicators.filter((i) => i.value !== null).length,
    indicatorsTotal: report.indicators.length,
    workbook,
    mails,
    notified,
    report,
  };
}

/** A hash of everything the row checks read, to know when a stored run's findings still hold. */
async function checkInputs(tdb: TallyDatabase, config: TallyConfig, checks: readonly CheckDef[]): Promise<string> {
  const versions = await tdb.db.selectFrom('file_versions').select('id').where('current', '=', true).orderBy('id').execute();
  return createHash('sha256')
    .update(
      JSON.stringify({
        year: config.year,
        departments: config.departments,
        ledgers: config.ledgers.ledgers,
        checks: checks.map((c) => [c.code, c.sql]),
        versions: versions.map((v) => String(v.id)),
      }),
    )
    .digest('hex');
}

/**
 * `findings-<year>.csv`: every finding of the run, beside the report. For each department whose
 * list was cut for reading (the mail, the portal), its own complete list in `findings/`.
 */
async function writeFindingLists(
  connection: TallyDatabase['connection'],
  runId: bigint,
  out: string,
  year: number,
  report: ReportData,
): Promise<Map<string, Attachment>> {
  await writeFindingsCsv(connection, runId, join(out, `findings-${year}.csv`));
  const lists = new Map<string, Attachment>();
  const cut = new Set((report.findingsOmitted ?? []).map((o) => o.department));
  const dir = join(out, 'findings');
  await rm(dir, { recursive: true, force: true });
  for (const d of report.departments) {
    if (!cut.has(d.code)) continue;
    await mkdir(dir, { recursive: true });
    const filename = `问题清单-${d.code}-${year}.csv`;
    const path = join(dir, filename);
    const { bytes } = await writeFindingsCsv(connection, runId, path, d.code);
    lists.set(d.code, { filename, path, bytes });
  }
  return lists;
}

/** Files with findings in this run: how many each, and whether it could not be read. */
async function filesWithFindings(tdb: TallyDatabase, runId: bigint): Promise<Map<string, { total: number; unreadable: boolean }>> {
  const rows = await tdb.db
    .selectFrom('findings')
    .where('run_id', '=', runId)
    .where('file', 'is not', null)
    .select(['file', sql<bigint>`count(*)`.as('total'), sql<boolean>`bool_or(code = 'file.unreadable')`.as('unreadable')])
    .groupBy('file')
    .execute();
  return new Map(rows.map((r) => [r.file ?? '', { total: Number(r.total), unreadable: r.unreadable }]));
}

/** The latest completed run whose row checks read the same inputs, or null. */
async function sameInputsRun(tdb: TallyDatabase, inputs: string): Promise<bigint | null> {
  const same = await tdb.db.selectFrom('run_checks').select('run_id').where('inputs', '=', inputs).orderBy('run_id', 'desc').executeTakeFirst();
  return same?.run_id ?? null;
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

/** The roster and the report definition as tables, so checks can join them. */
async function refreshRunTables(tdb: TallyDatabase, config: TallyConfig): Promise<void> {
  const { db, connection } = tdb;
  await db.deleteFrom('obligations').execute();
  const owed = config.departments.flatMap((d) => d.owes.map((ledger) => ({ department: d.code, ledger })));
  if (owed.length > 0) await db.insertInto('obligations').values(owed).execute();
  await connection.run('create or replace table departments (code varchar, name varchar)');
  for (const d of config.departments) await connection.run('insert into departments values ($code, $name)', { code: d.code, name: d.name });
  await connection.run('create or replace table indicator_bounds (figure varchar, at_most varchar, message varchar, ledger varchar)');
  for (const b of config.report.bounds) {
    const ledger = config.report.indicators.find((i) => i.code === b.figure)?.ledgers[0] ?? null;
    await connection.run('insert into indicator_bounds values ($figure, $at_most, $message, $ledger)', {
      figure: b.figure,
      at_most: b.atMost,
      message: b.message,
      ledger: ledger ?? '',
    });
  }
}

async function storeRunIndicators(tdb: TallyDatabase, config: TallyConfig, rollups: readonly Rollup[]): Promise<void> {
  const { connection } = tdb;
  await connection.run('create or replace table run_indicators (code varchar, name varchar, written varchar, value double)');
  for (const r of rollups) {
    const ind = config.report.indicators.find((i) => i.code === r.code);
    if (ind === undefined) continue;
    const params = { code: r.code, name: ind.name, written: ind.written };
    if (r.value === null) await connection.run('insert into run_indicators values ($code, $name, $written, null)', params);
    else await connection.run('insert into run_indicators values ($code, $name, $written, $value)', { ...params, value: r.value });
  }
}

/** What each department has sent of each ledger: its current files, versions and rows (the report's 报送情况 and the portal). */
export async function ledgerSubmissions(tdb: TallyDatabase): Promise<LedgerSubmission[]> {
  const rows = await tdb.db
    .selectFrom('sheet_reads as s')
    .innerJoin('file_versions as v', 'v.id', 's.file_version_id')
    .where('v.current', '=', true)
    .where('s.ledger', 'is not', null)
    .select([
      'v.department',
      's.ledger',
      sql<string[]>`list(distinct v.path order by v.path)`.as('files'),
      sql<number[]>`list(v.version order by v.path)`.as('versions'),
      sql<Date>`max(v.received_at)`.as('received_at'),
      sql<bigint>`sum(s.rows)`.as('rows'),
    ])
    .groupBy(['v.department', 's.ledger'])
    .execute();
  return rows.map((r) => ({
    department: r.department ?? '',
    ledger: r.ledger ?? '',
    files: r.files,
    versions: [...new Set(r.versions)],
    receivedAt: r.received_at instanceof Date ? r.received_at.toISOString() : null,
    rows: Number(r.rows),
  }));
}

const NOTHING_MAILED: NotifyResult = { deadline: null, queued: [], outcomes: [], mails: [], sent: 0, failed: 0, pending: 0 };

async function notifyRun(
  db: TallyDatabase['db'],
  runId: bigint,
  report: ReportData,
  workbook: string,
  opts: RunOptions,
  now: () => Date,
  extras: NonNullable<NotifyOptions['extras']>,
): Promise<NotifyResult> {
  const { config } = opts;
  const channel = openMailChannel({ smtpUrl: opts.smtpUrl, smtp: opts.mail?.smtp, outboxDir: join(opts.out, 'outbox'), from: config.mail.from });
  try {
    return await notify({
      ...opts.mail,
      db,
      runId,
      report,
      workbook,
      extras,
      settings: { ...config.mail, ...config.schedule, deadline: config.deadline, reminderWorkdays: config.reminderWorkdays },
      channel,
      mode: opts.notify ?? 'changed',
      now,
    });
  } finally {
    channel.close();
  }
}
