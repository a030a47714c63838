/**
 * The persistent outbox (table `mail_outbox`) and the fingerprint of the last mail to each
 * recipient (`mail_fingerprints`). A message is stored, whole, before any attempt to send it and
 * marked `sent` only after the server accepted it; so a crash loses nothing, and at worst sends
 * the one message in flight a second time.
 */
import type { Kysely } from 'kysely';
import { utcTimestamp, type Database } from '../../kernel/db/schema.ts';
import type { MailKind } from './compose-mails.ts';
import type { ChannelName, QueuedMessage } from './mail-channel.ts';
import type { RenderedMessage } from './render-message.ts';

export const OUTBOX_STATUSES = ['pending', 'sent', 'failed', 'superseded'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export interface NewMessage {
  readonly recipient: string;
  readonly kind: MailKind;
  readonly to: string;
  readonly cc?: string | undefined;
  readonly subject: string;
  readonly rendered: RenderedMessage;
  /** Stored as the recipient's fingerprint for the channel in the same transaction. */
  readonly fingerprint: string;
}

export interface OutboxRow extends QueuedMessage {
  readonly kind: string;
  readonly toAddress: string;
  readonly subject: string;
  readonly messageId: string;
  readonly attempts: number;
  readonly lastError: string | null;
}

/**
 * Stores new messages in one transaction. A message still pending for the same recipient is
 * superseded: the new one says everything the old one did, as of now.
 */
export async function enqueue(db: Kysely<Database>, runId: bigint, channel: ChannelName, messages: readonly NewMessage[], now: Date): Promise<bigint[]> {
  if (messages.length === 0) return [];
  const at = utcTimestamp(now);
  return db.transaction().execute(async (trx) => {
    const ids: bigint[] = [];
    for (const m of messages) {
      await trx
        .updateTable('mail_outbox')
        .set({ status: 'superseded' })
        .where('channel', '=', channel)
        .where('recipient', '=', m.recipient)
        .where('status', '=', 'pending')
        .execute();
      const row = await trx
        .insertInto('mail_outbox')
        .values({
          run_id: runId,
          channel,
          recipient: m.recipient,
          kind: m.kind,
          to_address: m.to,
          cc_address: m.cc ?? null,
          subject: m.subject,
          message_id: m.rendered.messageId,
          raw: m.rendered.raw,
          status: 'pending',
          attempts: 0,
          created_at: at,
          next_attempt_at: at,
          sent_at: null,
          last_error: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(row.id);
      await trx.deleteFrom('mail_fingerprints').where('channel', '=', channel).where('recipient', '=', m.recipient).execute();
      await trx
        .insertInto('mail_fingerprints')
        .values({ channel, recipient: m.recipient, fingerprint: m.fingerprint, outbox_id: row.id, recorded_at: at })
        .execute();
    }
    return ids;
  });
}

/** Recipient → fingerprint of the last mail queued for it on this channel. */
export async function storedFingerprints(db: Kysely<Database>, channel: ChannelName): Promise<Map<string, string>> {
  const rows = await db.selectFrom('mail_fingerprints').select(['recipient', 'fingerprint']).where('channel', '=', channel).execute();
  return new Map(rows.map((r) => [r.recipient, r.fingerprint]));
}

/** Messages waiting on this channel, oldest first (this run's and those left by earlier runs). */
export async function pendingMessages(db: Kysely<Database>, channel: ChannelName): Promise<OutboxRow[]> {
  const rows = await db
    .selectFrom('mail_outbox')
    .select(['id', 'recipient', 'raw', 'to_address', 'cc_address', 'kind', 'subject', 'message_id', 'attempts', 'last_error'])
    .where('channel', '=', channel)
    .where('status', '=', 'pending')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    recipient: r.recipient,
    raw: r.raw,
    to: [r.to_address, ...(r.cc_address === null ? [] : [r.cc_address])],
    kind: r.kind,
    toAddress: r.to_address,
    subject: r.subject,
    messageId: r.message_id,
    attempts: r.attempts,
    lastError: r.last_error,
  }));
}

export async function markSent(db: Kysely<Database>, id: bigint, now: Date, note: string | null): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set((eb) => ({ status: 'sent', sent_at: utcTimestamp(now), attempts: eb('attempts', '+', 1), last_error: note }))
    .where('id', '=', id)
    .execute();
}

/** One failed attempt: `failed` for good, or still `pending` for the next round or run. */
export async function markAttemptFailed(db: Kysely<Database>, id: bigint, status: 'pending' | 'failed', error: string, now: Date): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set((eb) => ({ status, attempts: eb('attempts', '+', 1), last_error: error, next_attempt_at: utcTimestamp(now) }))
    .where('id', '=', id)
    .execute();
}
