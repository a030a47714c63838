/**
 * One run (contract §1): intake → read → load → check → roll up → report → notify. Each stage
 * returns what the next one takes; this file only composes them. I/O roots (inbox, output,
 * database, SMTP, clock) come in from the caller.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { sql } from 'kysely';
import type { TallyConfig } from './config.ts';
import { openDatabase, type TallyDatabase } from './db/open-database.ts';
import { utcTimestamp } from './db/schema.ts';
import type { Finding, Level } from './findings.ts';
import { intake, type IntakeResult } from './intake.ts';
import { readAndLoad, readPool } from './ingest.ts';
import type { ReadPool } from './read-pool.ts';
import { loadChecks, runCheck, type CheckDef } from './sql-catalog.ts';
import { rollUp, type Rollup } from './rollup-stage.ts';
import { assembleReport, type LedgerSubmission } from './assemble-report.ts';
import { writeReportsIfChanged } from '../reports/write-reports-if-changed.ts';
import type { SentMail } from './notify/send-mails.ts';
import { notify, type NotifyMode, type NotifyOptions, type NotifyResult } from './notify/notify-stage.ts';
import { openMailChannel } from './notify/open-mail-channel.ts';
import type { SmtpExtras } from './notify/smtp-settings.ts';
import type { ReportData } from '../reports/report-data.ts';
import { writeMarkedFiles, type MarkableFile, type MarkedResult } from '../reports/marked/write-marked-files.ts';
import { departmentChanges, recordRunFiles } from './changes.ts';
import { previousFromDatabase, storePreviousFigures, yoyFindings, type PreviousFigures } from './yoy.ts';
import type { Attachment } from './notify/compose-mails.ts';

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
  const readerFindings = await currentReaderFindings(tdb);
  // Nothing they read changed since a stored run: its row findings stand (identical by
  // construction); otherwise every row check runs.
  const rowChecks = checks.filter((c) => c.phase === 'rows');
  const inputs = await checkInputs(tdb, config, rowChecks);
  let rowFindings = await reusedRowFindings(tdb, inputs, rowChecks);
  if (rowFindings === null) {
    rowFindings = [];
    for (const check of rowChecks) rowFindings.push(...(await runCheck(connection, check, { year })));
  }

  progress.stage('汇总指标');
  const missing = new Set(rowFindings.filter((f) => f.code === 'dept.missing_submission').map((f) => f.ledger ?? ''));
  const rollups = await rollUp(connection, config.report, year, missing);
  await storeRunIndicators(tdb, config, rollups);
  const indicatorFindings: Finding[] = [];
  for (const check of checks.filter((c) => c.phase === 'indicators')) indicatorFindings.push(...(await runCheck(connection, check, { year })));

  // Year over year: last year's figures from --previous, else from the database.
  const previous = opts.previous ?? (await previousFromDatabase(db, year - 1));
  const yoy = yoyFindings(config.report.indicators, new Map(rollups.map((r) => [r.code, r.value])), previous, config.yoyThreshold);

  const findings = [...intook.findings, ...readerFindings, ...rowFindings, ...indicatorFindings, ...yoy];
  const report = assembleReport({ config, rollups, findings, submissions: await ledgerSubmissions(tdb), now: now(), previous });

  progress.stage('生成报告');
  await mkdir(opts.out, { recursive: true });
  const workbook = join(opts.out, `report-${year}.xlsx`);
  const writes = { report: opts.outputs?.report ?? true, mail: opts.outputs?.mail ?? true };
  // Rewritten only when its content changed: nothing changed, nothing rewritten.
  if (writes.report) await writeReportsIfChanged(report, opts.out);
  const docx = join(opts.out, `report-${year}.docx`);
  // Each department's own files with the findings marked on them (the portal lists them too).
  const marked = writes.report ? await writeMarkedFiles({
        dir: join(opts.out, 'marked'),
        files: await markableFiles(tdb, opts),
        findings: report.findings,
        departments: config.departments.map((d) => d.code),
      }) : undefined;

  progress.stage('发送邮件');
  // Mail goes through the persistent outbox: only what changed, never lost (pipeline/notify/).
  let notified: NotifyResult = NOTHING_MAILED;
  if (writes.report && writes.mail) {
    const attachments = new Map<string, Attachment[]>();
    for (const m of marked?.files ?? []) attachments.set(m.department, [...(attachments.get(m.department) ?? []), { filename: m.name, path: m.path }]);
    const changes = await departmentChanges(db, connection, { runId: run.id, departments: config.departments.map((d) => d.code), findings: report.findings, catalog: config.ledgers });
    notified = await notifyRun(db, run.id, report, workbook, opts, now, { docx, marked: attachments, changes });
  }
  const mails = notified.mails;

  const counts = { 错误: 0, 警告: 0 } satisfies Record<Level, number>;
  for (const f of report.findings) counts[f.level]++;
  await db.transaction().execute(async (trx) => {
    await recordRunFiles(trx, run.id);
    if (opts.previous !== undefined) await storePreviousFigures(trx, opts.previous, now());
    if (report.findings.length > 0) {
      await trx.insertInto('findings').values(report.findings.map((f, seq) => ({ run_id: run.id, seq, ...f }))).execute();
    }
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

/** The row findings of the latest completed run with the same inputs, or null. */
async function reusedRowFindings(tdb: TallyDatabase, inputs: string, checks: readonly CheckDef[]): Promise<Finding[] | null> {
  const same = await tdb.db.selectFrom('run_checks').select('run_id').where('inputs', '=', inputs).orderBy('run_id', 'desc').executeTakeFirst();
  if (same === undefined) return null;
  const rows = await tdb.db
    .selectFrom('findings')
    .select(['level', 'code', 'department', 'file', 'sheet', 'cell', 'message', 'expected', 'actual', 'ledger'])
    .where('run_id', '=', same.run_id)
    .where('code', 'in', checks.map((c) => c.code))
    .orderBy('seq')
    .execute();
  return rows as Finding[];
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

/** Reader findings of every current file version (stored when the file was read). */
async function currentReaderFindings(tdb: TallyDatabase): Promise<Finding[]> {
  const rows = await tdb.db
    .selectFrom('reader_findings as f')
    .innerJoin('file_versions as v', 'v.id', 'f.file_version_id')
    .where('v.current', '=', true)
    .select(['f.level', 'f.code', 'f.department', 'f.file', 'f.sheet', 'f.cell', 'f.message', 'f.expected', 'f.actual', 'f.ledger'])
    .orderBy('f.file')
    .orderBy('f.seq')
    .execute();
  return rows as Finding[];
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
