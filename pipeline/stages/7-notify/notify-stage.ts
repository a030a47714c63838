/**
 * The notify stage of a run (issue 5): mail only when it matters, never lost, never twice.
 *
 * 1. Compose every mail (departments, with a reminder or overdue notice around the deadline).
 * 2. Queue a department's mail when its fingerprint differs from the one stored for its last
 *    mail on this channel (or always, with `mode: 'always'`).
 * 3. Deliver everything pending on the channel: this run's mail and what earlier runs left.
 * 4. If anything changed (the report, a department mailed, a message refused for good), queue
 *    and deliver the coordinator's digest, which says what was mailed and what failed.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { ReportData } from '../../../reports/report-data.ts';
import { deadlineStatus, type DeadlineStatus } from './deadline-status.ts';
import type { WorkdayCalendar } from './workday-calendar.ts';
import { composeDigest, composeMails, type DeliveryDigest, type MailContext, type MailKind, type OutgoingMail } from './compose-mails.ts';
import { deliverOutbox, type DeliveryOutcome } from './deliver-outbox.ts';
import { coordinatorFingerprint, departmentFingerprint } from './fingerprint.ts';
import type { MailChannel } from './mail-channel.ts';
import { enqueue, storedFingerprints, type NewMessage } from './outbox.ts';
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
  readonly runId: bigint;
  readonly report: ReportData;
  readonly workbook: string;
  /** What the mails carry besides the workbook: the .docx, marked-up files, changes (issue 4). */
  readonly extras?: Pick<MailContext, 'docx' | 'marked' | 'changes' | 'findingLists'>;
  readonly settings: NotifySettings;
  readonly channel: MailChannel;
  readonly mode?: NotifyMode;
  readonly now: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly retry?: RetryPolicy;
  readonly calendar?: WorkdayCalendar;
  readonly afterAccepted?: Parameters<typeof deliverOutbox>[2]['afterAccepted'];
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
  const { db, report, settings, channel } = opts;
  const mode = opts.mode ?? 'changed';
  const deadline = deadlineStatus(opts.now(), settings, opts.calendar);
  const headers = { from: settings.from, replyTo: settings.replyTo };
  const stored = await storedFingerprints(db, channel.name);
  const changed = (recipient: string, fingerprint: string) => mode === 'always' || stored.get(recipient) !== fingerprint;

  const [coordinatorDraft, ...departmentMails] = composeMails(report, opts.workbook, { ...opts.extras, deadline });
  const toQueue: { mail: OutgoingMail; fingerprint: string }[] = [];
  for (const mail of departmentMails) {
    const fingerprint = departmentFingerprint(report, mail);
    if (changed(mail.recipient, fingerprint)) toQueue.push({ mail, fingerprint });
  }
  const queuedIds = await enqueue(db, opts.runId, channel.name, await render(toQueue, headers, opts.now()), opts.now());

  const deliver = (only?: readonly bigint[]) =>
    deliverOutbox(db, channel, {
      now: opts.now,
      ...(opts.sleep === undefined ? {} : { sleep: opts.sleep }),
      ...(opts.retry === undefined ? {} : { retry: opts.retry }),
      ...(opts.afterAccepted === undefined ? {} : { afterAccepted: opts.afterAccepted }),
      ...(opts.log === undefined ? {} : { log: opts.log }),
      ...(only === undefined ? {} : { only }),
    });
  const outcomes = await deliver();

  const coordinatorTo = coordinatorDraft?.to ?? report.coordinator.email;
  const digestFingerprint = coordinatorFingerprint(report, coordinatorTo, deadline);
  const failedNow = outcomes.filter((o) => o.status === 'failed');
  const pendingNow = outcomes.filter((o) => o.status === 'pending');
  const names = new Map(report.departments.map((d) => [d.code, d.name]));
  const queued = toQueue.map(({ mail }) => ({ recipient: mail.recipient, kind: mail.kind, to: mail.to, subject: mail.subject }));
  if (queuedIds.length > 0 || failedNow.length > 0 || changed('coordinator', digestFingerprint)) {
    const delivery: DeliveryDigest = {
      mailed: queued.map((q) => ({ name: names.get(q.recipient) ?? q.recipient, to: q.to, kind: q.kind })),
      failed: failedNow.map((o) => ({ to: o.message.toAddress, subject: o.message.subject, error: o.detail })),
      pending: pendingNow.map((o) => ({ to: o.message.toAddress, subject: o.message.subject, error: o.detail, attempts: o.attempts })),
    };
    const digest = composeDigest(report, opts.workbook, { ...opts.extras, deadline, delivery });
    const [digestId] = await enqueue(db, opts.runId, channel.name, await render([{ mail: digest, fingerprint: digestFingerprint }], headers, opts.now()), opts.now());
    queued.push({ recipient: digest.recipient, kind: digest.kind, to: digest.to, subject: digest.subject });
    if (digestId !== undefined) outcomes.push(...(await deliver([digestId])));
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

async function render(
  items: readonly { mail: OutgoingMail; fingerprint: string }[],
  headers: { from: string; replyTo?: string | undefined },
  date: Date,
): Promise<NewMessage[]> {
  const out: NewMessage[] = [];
  for (const { mail, fingerprint } of items) {
    out.push({
      recipient: mail.recipient,
      kind: mail.kind,
      to: mail.to,
      cc: mail.cc,
      subject: mail.subject,
      rendered: await renderMessage(mail, { ...headers, date }),
      fingerprint,
    });
  }
  return out;
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
