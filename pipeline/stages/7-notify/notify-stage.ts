/**
 * The notify stage of a run (issue 5): mail only when it matters, never lost, never twice.
 *
 * 0. Remove what a crashed run left in the spool (files no outbox row names).
 * 1. Fingerprint each department's mail from its envelope (address, kind: a reminder or overdue
 *    notice around the deadline) and its part of the report, before composing it.
 * 2. Compose and queue the mails whose fingerprint differs from the one stored for the last mail
 *    on this channel (or all, with `mode: 'always'`); only for those are their extras gathered
 *    (what changed since the last mail, the marked copies' sizes). One mail at a time: composed,
 *    rendered, handed to the outbox, then the next, which is rendered while the one before it is
 *    stored ({@link readAhead}); a rendered mail carries the workbook and attachments, and a
 *    district has 120, so no more than two are held.
 * 3. Deliver everything pending on the channel: this run's mail and what earlier runs left.
 * 4. If anything changed (the report, a department mailed, a message refused for good), queue
 *    and deliver the coordinator's digest, which says what was mailed and what failed.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { TallyConfig } from '../../kernel/config/config.ts';
import type { TallyDatabase } from '../../kernel/db/open-database.ts';
import type { Database } from '../../kernel/db/schema.ts';
import type { ReportResult } from '../6-report/report-stage.ts';
import { departmentChanges } from './changes.ts';
import { openMailChannel } from './open-mail-channel.ts';
import type { SmtpExtras } from './smtp-settings.ts';
import type { ReportData } from '../../../reports/report-data.ts';
import { deadlineStatus, type DeadlineStatus } from './deadline-status.ts';
import type { WorkdayCalendar } from '../../kernel/workday-calendar.ts';
import { composeDigest, departmentEnvelopes, departmentMails, type Attachment, type DeliveryDigest, type MailContext, type MailKind, type OutgoingMail } from './compose-mails.ts';
import { deliverOutbox, type DeliveryOutcome } from './deliver-outbox.ts';
import { coordinatorFingerprint, departmentFingerprints } from './fingerprint.ts';
import type { MailChannel } from './mail-channel.ts';
import { enqueue, storedFingerprints, sweepSpool, type NewMessage } from './outbox.ts';
import { readAhead } from './read-ahead.ts';
import { renderMessage } from './render-message.ts';
import type { RetryPolicy } from './retry-policy.ts';
import type { SentMail } from './send-mails.ts';

export const NOTIFY_MODES = ['changed', 'always'] as const;
/** `changed` (default): mail a recipient only when what it would be told changed; `always`: mail everyone. */
export type NotifyMode = (typeof NOTIFY_MODES)[number];

export interface NotifySettings {
  readonly from: string;
  readonly replyTo?: string | undefined;
  readonly timezone: string;
  readonly deadline?: string | undefined;
  readonly reminderWorkdays: number;
}

export interface NotifyOptions {
  readonly db: Kysely<Database>;
  /** Where pending messages' bytes wait: the database's spool directory (`spoolDirOf`, outbox.ts). */
  readonly spool: string;
  readonly runId: bigint;
  readonly report: ReportData;
  readonly workbook: string;
  /** What the mails carry besides the workbook: the .docx, marked-up files, changes (issue 4). */
  readonly extras?: Pick<MailContext, 'docx' | 'marked' | 'changes' | 'findingLists' | 'workbookBytes'>;
  /**
   * The extras that cost queries and file reads (what changed since each department's last mail,
   * its marked copies with their sizes), asked for once, for the departments whose mail is
   * composed this run, and only when there is one: over `extras`. A district's rerun with nothing
   * changed spent ~0.2 s gathering them for 120 mails it then did not send.
   */
  readonly departmentExtras?: (departments: readonly string[]) => Promise<Pick<MailContext, 'marked' | 'changes'>>;
  readonly settings: NotifySettings;
  readonly channel: MailChannel;
  readonly mode?: NotifyMode;
  readonly now: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly retry?: RetryPolicy;
  readonly calendar?: WorkdayCalendar;
  readonly afterAccepted?: Parameters<typeof deliverOutbox>[3]['afterAccepted'];
  readonly log?: (line: string) => void;
}

export interface NotifyResult {
  /** Where the run stood against the deadline; null when the run mailed nothing by design. */
  readonly deadline: DeadlineStatus | null;
  /** Mails queued this run, by recipient, with their kind. */
  readonly queued: readonly { readonly recipient: string; readonly kind: MailKind; readonly to: string; readonly subject: string }[];
  /** Every delivery attempt's outcome this run (older pending messages included). */
  readonly outcomes: readonly DeliveryOutcome[];
  /** The same as `SentMail`s, for the run summary. */
  readonly mails: readonly SentMail[];
  readonly sent: number;
  readonly failed: number;
  /** Still pending after this run: retried at the next one. */
  readonly pending: number;
}

export async function notify(opts: NotifyOptions): Promise<NotifyResult> {
  const { db, spool, report, settings, channel } = opts;
  // Before anything of this run is written: the real clock, as the files' times are.
  await sweepSpool(db, spool, Date.now());
  const mode = opts.mode ?? 'changed';
  const deadline = deadlineStatus(opts.now(), settings, opts.calendar);
  const headers = { from: settings.from, replyTo: settings.replyTo };
  const stored = await storedFingerprints(db, channel.name);
  const changed = (recipient: string, fingerprint: string) => mode === 'always' || stored.get(recipient) !== fingerprint;

  const queued: { recipient: string; kind: MailKind; to: string; subject: string }[] = [];
  const queuedAt = opts.now();
  const fingerprints = departmentFingerprints(report, departmentEnvelopes(report, deadline));
  const toCompose = [...fingerprints].filter(([recipient, fingerprint]) => changed(recipient, fingerprint)).map(([recipient]) => recipient);
  const extras = toCompose.length === 0 || opts.departmentExtras === undefined ? {} : await opts.departmentExtras(toCompose);
  async function* changedMails(): AsyncGenerator<NewMessage> {
    for (const mail of departmentMails(report, opts.workbook, { ...opts.extras, ...extras, deadline }, new Set(toCompose))) {
      queued.push({ recipient: mail.recipient, kind: mail.kind, to: mail.to, subject: mail.subject });
      yield await rendered(mail, fingerprints.get(mail.recipient) as string, headers, queuedAt);
    }
  }
  const queuedIds = await enqueue(db, spool, opts.runId, channel.name, readAhead(changedMails()), queuedAt);

  const deliver = (only?: readonly bigint[]) =>
    deliverOutbox(db, spool, channel, {
      now: opts.now,
      ...(opts.sleep === undefined ? {} : { sleep: opts.sleep }),
      ...(opts.retry === undefined ? {} : { retry: opts.retry }),
      ...(opts.afterAccepted === undefined ? {} : { afterAccepted: opts.afterAccepted }),
      ...(opts.log === undefined ? {} : { log: opts.log }),
      ...(only === undefined ? {} : { only }),
    });
  const outcomes = await deliver();

  const digestFingerprint = coordinatorFingerprint(report, report.coordinator.email, deadline);
  const failedNow = outcomes.filter((o) => o.status === 'failed');
  const pendingNow = outcomes.filter((o) => o.status === 'pending');
  const names = new Map(report.departments.map((d) => [d.code, d.name]));
  if (queuedIds.length > 0 || failedNow.length > 0 || changed('coordinator', digestFingerprint)) {
    const delivery: DeliveryDigest = {
      mailed: queued.map((q) => ({ name: names.get(q.recipient) ?? q.recipient, to: q.to, kind: q.kind })),
      failed: failedNow.map((o) => ({ to: o.message.toAddress, subject: o.message.subject, error: o.detail })),
      pending: pendingNow.map((o) => ({ to: o.message.toAddress, subject: o.message.subject, error: o.detail, attempts: o.attempts })),
    };
    const digest = composeDigest(report, opts.workbook, { ...opts.extras, deadline, delivery });
    const digestAt = opts.now();
    const [digestId] = await enqueue(db, spool, opts.runId, channel.name, [await rendered(digest, digestFingerprint, headers, digestAt)], digestAt);
    queued.push({ recipient: digest.recipient, kind: digest.kind, to: digest.to, subject: digest.subject });
    if (digestId !== undefined) for (const o of await deliver([digestId])) outcomes.push(o);
  }

  const mails = outcomes.map((o) => sentMail(o, channel.name));
  return {
    deadline,
    queued,
    outcomes,
    mails,
    sent: outcomes.filter((o) => o.status === 'sent').length,
    failed: outcomes.filter((o) => o.status === 'failed').length,
    pending: outcomes.filter((o) => o.status === 'pending').length,
  };
}

/** A mail rendered to the bytes that will be sent, as the outbox stores it. */
async function rendered(mail: OutgoingMail, fingerprint: string, headers: { from: string; replyTo?: string | undefined }, date: Date): Promise<NewMessage> {
  return {
    recipient: mail.recipient,
    kind: mail.kind,
    to: mail.to,
    cc: mail.cc,
    subject: mail.subject,
    rendered: await renderMessage(mail, { ...headers, date }),
    fingerprint,
  };
}

function sentMail(o: DeliveryOutcome, channel: MailChannel['name']): SentMail {
  return {
    recipient: o.message.recipient,
    to: o.message.toAddress,
    subject: o.message.subject,
    via: channel === 'smtp' ? 'smtp' : 'outbox',
    messageId: o.message.messageId,
    ...(o.path === undefined ? {} : { path: o.path }),
    ...(o.status === 'sent' ? {} : { error: o.status === 'pending' ? `暂未发出，下次运行时重发：${o.detail}` : o.detail }),
  };
}

export const NOTHING_MAILED: NotifyResult = { deadline: null, queued: [], outcomes: [], mails: [], sent: 0, failed: 0, pending: 0 };

/** Mail delivery details of a run: TLS trust and timeouts, retry policy, and seams for tests. */
export interface MailRunOptions extends Pick<NotifyOptions, 'sleep' | 'retry' | 'calendar' | 'afterAccepted' | 'log'> {
  readonly smtp?: SmtpExtras;
}

/**
 * The notify stage of a run: opens the mail channel (SMTP, or `.eml` files in `<out>/outbox/`),
 * gathers what each department's mail carries (its marked copies and complete list, what changed
 * since its last mail) and runs {@link notify}.
 *
 * Takes: the report stage's result. Returns: what was queued, sent, failed and left pending.
 */
export async function notifyStage(
  tdb: TallyDatabase,
  input: {
    readonly config: TallyConfig;
    readonly runId: bigint;
    readonly reported: ReportResult;
    readonly out: string;
    /** The database's spool directory (`spoolDirOf(dbPath)`): lives as long as the database. */
    readonly spool: string;
    readonly smtpUrl?: string | undefined;
    readonly mail?: MailRunOptions | undefined;
    readonly mode: NotifyMode;
    readonly now: () => Date;
  },
): Promise<NotifyResult> {
  const { config, reported } = input;
  /** The marked copies and changes of the departments mailed this run. */
  const departmentExtras = async (departments: readonly string[]) => {
    const mailed = new Set(departments);
    const marked = new Map<string, Attachment[]>();
    for (const m of reported.marked?.files ?? []) {
      if (!mailed.has(m.department)) continue;
      const own = marked.get(m.department) ?? [];
      own.push({ filename: m.name, path: m.path, bytes: (await stat(m.path)).size });
      marked.set(m.department, own);
    }
    const changes = await departmentChanges(tdb.db, tdb.connection, { runId: input.runId, departments, catalog: config.ledgers });
    return { marked, changes };
  };
  const channel = openMailChannel({ smtpUrl: input.smtpUrl, smtp: input.mail?.smtp, outboxDir: join(input.out, 'outbox'), from: config.mail.from });
  try {
    return await notify({
      ...input.mail,
      db: tdb.db,
      spool: input.spool,
      runId: input.runId,
      report: reported.report,
      workbook: reported.workbook,
      extras: { docx: reported.docx, findingLists: reported.findingLists, workbookBytes: (await stat(reported.workbook)).size },
      departmentExtras,
      settings: { ...config.mail, ...config.schedule, deadline: config.deadline, reminderWorkdays: config.reminderWorkdays },
      channel,
      mode: input.mode,
      now: input.now,
    });
  } finally {
    channel.close();
  }
}
