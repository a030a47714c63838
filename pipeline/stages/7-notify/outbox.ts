/**
 * The persistent outbox (table `mail_outbox`) and the fingerprint of the last mail to each
 * recipient (`mail_fingerprints`). A message is stored, whole, before any attempt to send it and
 * marked `sent` only after the server accepted it; so a crash loses nothing, and at worst sends
 * the one message in flight a second time.
 */
import type { Kysely, Transaction } from 'kysely';
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

/** A stored message's envelope and state, without its rendered bytes (see {@link messageBody}). */
export interface OutboxRow extends Omit<QueuedMessage, 'raw'> {
  readonly kind: string;
  readonly toAddress: string;
  readonly subject: string;
  readonly messageId: string;
  readonly attempts: number;
  readonly lastError: string | null;
}

/**
 * Rendered bytes stored in one transaction, at most (a message is never split: one larger than
 * this is a transaction of its own). A commit that takes DuckDB's WAL past 16 MB checkpoints, and
 * a checkpoint rewrites the outbox's row group, stored messages included: a transaction a message
 * made a district's notify stage (120 mails, ~150 MB) take 29 s instead of 11; one transaction for
 * all of them kept every uncommitted message in DuckDB's memory (867 MB peak, 816 with this).
 */
export const ENQUEUE_BATCH_BYTES = 64 * 1024 * 1024;

/**
 * Stores new messages, and each recipient's fingerprint, in transactions of about
 * {@link ENQUEUE_BATCH_BYTES}. A message still pending for the same recipient is superseded: the
 * new one says everything the old one did, as of now.
 *
 * The messages are pulled one at a time, once the last one is stored: rendered mails carry the
 * report workbook and attachments (a district's 120 come to ~150 MB), so the caller renders them
 * as they are asked for and no more than one is held here. Pulling happens while a transaction
 * holds the database's one connection: `messages` must not query the database. A failure
 * part-way (a mail that cannot be rendered, a crash) keeps the transactions committed before it:
 * those messages wait, pending, with their fingerprints, and the next run queues the rest.
 */
export async function enqueue(
  db: Kysely<Database>,
  runId: bigint,
  channel: ChannelName,
  messages: AsyncIterable<NewMessage> | Iterable<NewMessage>,
  now: Date,
  batchBytes = ENQUEUE_BATCH_BYTES,
): Promise<bigint[]> {
  const at = utcTimestamp(now);
  const source = Symbol.asyncIterator in messages ? messages[Symbol.asyncIterator]() : messages[Symbol.iterator]();
  const pull = async (): Promise<NewMessage | undefined> => {
    const next = await source.next();
    return next.done === true ? undefined : next.value;
  };
  const ids: bigint[] = [];
  let next = await pull();
  while (next !== undefined) {
    const full = await db.transaction().execute(async (trx) => {
      let bytes = 0;
      while (next !== undefined) {
        ids.push(await store(trx, { runId, channel, at }, next));
        bytes += next.rendered.raw.length;
        next = undefined; // let it go before the next one is rendered
        if (bytes >= batchBytes) return true;
        next = await pull();
      }
      return false;
    });
    // A full batch is committed before the next message is rendered: its failure cannot undo it.
    if (full) next = await pull();
  }
  return ids;
}

/** One message, superseding the recipient's pending one (whose bytes will never be sent: let go), and its fingerprint; returns its id. */
async function store(trx: Transaction<Database>, where: { runId: bigint; channel: ChannelName; at: string }, m: NewMessage): Promise<bigint> {
  const { channel, at } = where;
  await trx
    .updateTable('mail_outbox')
    .set({ status: 'superseded', raw: '' })
    .where('channel', '=', channel)
    .where('recipient', '=', m.recipient)
    .where('status', '=', 'pending')
    .execute();
  const row = await trx
    .insertInto('mail_outbox')
    .values({
      run_id: where.runId,
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
  await trx.deleteFrom('mail_fingerprints').where('channel', '=', channel).where('recipient', '=', m.recipient).execute();
  await trx
    .insertInto('mail_fingerprints')
    .values({ channel, recipient: m.recipient, fingerprint: m.fingerprint, outbox_id: row.id, recorded_at: at })
    .execute();
  return row.id;
}

/** Recipient → fingerprint of the last mail queued for it on this channel. */
export async function storedFingerprints(db: Kysely<Database>, channel: ChannelName): Promise<Map<string, string>> {
  const rows = await db.selectFrom('mail_fingerprints').select(['recipient', 'fingerprint']).where('channel', '=', channel).execute();
  return new Map(rows.map((r) => [r.recipient, r.fingerprint]));
}

/**
 * Messages waiting on this channel, oldest first (this run's and those left by earlier runs), or
 * only those of `only`. Without their rendered bytes: {@link messageBody} fetches each one when
 * it is sent, so a delivery holds one rendered mail at a time, not every pending one.
 */
export async function pendingMessages(db: Kysely<Database>, channel: ChannelName, only?: readonly bigint[]): Promise<OutboxRow[]> {
  if (only !== undefined && only.length === 0) return [];
  let query = db
    .selectFrom('mail_outbox')
    .select(['id', 'recipient', 'to_address', 'cc_address', 'kind', 'subject', 'message_id', 'attempts', 'last_error'])
    .where('channel', '=', channel)
    .where('status', '=', 'pending');
  if (only !== undefined) query = query.where('id', 'in', only);
  const rows = await query.orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    recipient: r.recipient,
    to: [r.to_address, ...(r.cc_address === null ? [] : [r.cc_address])],
    kind: r.kind,
    toAddress: r.to_address,
    subject: r.subject,
    messageId: r.message_id,
    attempts: r.attempts,
    lastError: r.last_error,
  }));
}

/** The exact bytes stored for one message (MIME, attachments included), read just before sending it. */
export async function messageBody(db: Kysely<Database>, id: bigint): Promise<string> {
  const row = await db.selectFrom('mail_outbox').select('raw').where('id', '=', id).executeTakeFirstOrThrow();
  return row.raw;
}

/**
 * A message delivered: its rendered bytes are let go (the mail server, or the `.eml` file, has
 * them). Kept, every mail ever sent (a district's run that mails everyone is ~150 MB of them)
 * stayed in the table for good, and each later write to it moved them through DuckDB's memory.
 * The envelope, the message id and the fingerprint stay: what was sent, when, to whom.
 */
export async function markSent(db: Kysely<Database>, id: bigint, now: Date, note: string | null): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set((eb) => ({ status: 'sent', raw: '', sent_at: utcTimestamp(now), attempts: eb('attempts', '+', 1), last_error: note }))
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
