/**
 * The persistent outbox (table `mail_outbox`) and the fingerprint of the last mail to each
 * recipient (`mail_fingerprints`). A message is stored, whole, before any attempt to send it and
 * marked `sent` only after the server accepted it; so a crash loses nothing, and at worst sends
 * the one message in flight a second time.
 *
 * The table keeps each message's envelope and state; its rendered bytes (MIME, the report
 * workbook and attachments in base64: ~1.2 MB, up to ~10 MB) wait in a spool file beside the
 * database, `<database>.spool/<uuid>.eml`, named in `mail_spool`. Stored in the table, a
 * district's 120 mails (~150 MB) went through DuckDB's memory as they were written, then again as
 * each was emptied once sent: 1,159 MB resident in the notify stage, the run's peak.
 *
 * The order keeps every message: the file is written (under a temporary name, synced, renamed)
 * before the row that names it is committed; the row is marked sent, and stops naming it, before
 * the file is removed. A crash in between leaves a file no row names: {@link sweepSpool} removes
 * it at the next run. Mail queued by an older tally has its bytes in `mail_outbox.raw` and no
 * spool file: it is sent from there.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
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

/** The spool of the database at `dbPath`: beside it, as long-lived as it (`out/tally.duckdb.spool/`). */
export function spoolDirOf(dbPath: string): string {
  return `${dbPath}.spool`;
}

/** A spool file's name (`<uuid>.eml`): made here, never from a department's input. */
const SPOOL_FILE = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.eml';
const SPOOL_NAME = new RegExp(`^${SPOOL_FILE}$`);
/** A spool file, or one a crash left half-written. */
const SPOOL_LEFTOVER = new RegExp(`^${SPOOL_FILE}(\\.tmp)?$`);

/** The path of a spool file named in the table; null for a name tally could not have made (no path escapes the spool). */
function spoolPath(spool: string, file: string): string | null {
  return SPOOL_NAME.test(file) ? join(spool, file) : null;
}

/** A message's bytes, durably in the spool before any row names them; returns the file's name. */
async function writeSpoolFile(spool: string, raw: string): Promise<string> {
  await mkdir(spool, { recursive: true });
  const file = `${randomUUID()}.eml`;
  const temp = join(spool, `${file}.tmp`);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(raw, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, join(spool, file));
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(spool);
  return file;
}

/** Makes a rename in `dir` durable. Not every platform can open a directory (Windows): there the rename is as durable as the file system makes it. */
async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
  } catch {
    return;
  }
  try {
    await handle.sync();
  } catch {
    // EINVAL, EPERM on some file systems: nothing more can be done.
  } finally {
    await handle.close();
  }
}

async function removeSpoolFile(spool: string, file: string): Promise<void> {
  const path = spoolPath(spool, file);
  if (path !== null) await rm(path, { force: true });
}

/**
 * Stores new messages, and each recipient's fingerprint, one committed transaction each (the
 * rows are small: the bytes are in the spool). A message still pending for the same recipient is
 * superseded: the new one says everything the old one did, as of now.
 *
 * The messages are pulled one at a time, once the last one is stored: rendered mails carry the
 * report workbook and attachments (a district's 120 come to ~150 MB), so the caller renders them
 * as they are asked for and no more than one is held here. A failure part-way (a mail that cannot
 * be rendered, a crash) keeps the messages stored before it: they wait, pending, with their
 * fingerprints, and the next run queues the rest.
 */
export async function enqueue(
  db: Kysely<Database>,
  spool: string,
  runId: bigint,
  channel: ChannelName,
  messages: AsyncIterable<NewMessage> | Iterable<NewMessage>,
  now: Date,
): Promise<bigint[]> {
  const at = utcTimestamp(now);
  const source = Symbol.asyncIterator in messages ? messages[Symbol.asyncIterator]() : messages[Symbol.iterator]();
  const ids: bigint[] = [];
  for (;;) {
    const next = await source.next();
    if (next.done === true) break;
    // Block-scoped: let go once stored, before the next one is rendered.
    ids.push(await store(db, spool, { runId, channel, at }, next.value));
  }
  return ids;
}

/**
 * One message: its bytes to the spool, then, in one transaction, its row naming the file,
 * superseding the recipient's pending one, and its fingerprint; returns its id. The superseded
 * message's file (never to be sent) is removed once that is committed.
 */
async function store(db: Kysely<Database>, spool: string, where: { runId: bigint; channel: ChannelName; at: string }, m: NewMessage): Promise<bigint> {
  const file = await writeSpoolFile(spool, m.rendered.raw);
  let stored: { id: bigint; released: string[] };
  try {
    stored = await db.transaction().execute((trx) => storeRow(trx, where, m, file));
  } catch (error) {
    await removeSpoolFile(spool, file);
    throw error;
  }
  for (const released of stored.released) await removeSpoolFile(spool, released);
  return stored.id;
}

async function storeRow(trx: Transaction<Database>, where: { runId: bigint; channel: ChannelName; at: string }, m: NewMessage, file: string) {
  const { channel, at } = where;
  const older = await trx
    .selectFrom('mail_outbox')
    .select('id')
    .where('channel', '=', channel)
    .where('recipient', '=', m.recipient)
    .where('status', '=', 'pending')
    .execute();
  const released: string[] = [];
  if (older.length > 0) {
    const olderIds = older.map((r) => r.id);
    for (const r of await trx.deleteFrom('mail_spool').where('outbox_id', 'in', olderIds).returning('file').execute()) released.push(r.file);
    await trx.updateTable('mail_outbox').set({ status: 'superseded', raw: '' }).where('id', 'in', olderIds).execute();
  }
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
      raw: '',
      status: 'pending',
      attempts: 0,
      created_at: at,
      next_attempt_at: at,
      sent_at: null,
      last_error: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx.insertInto('mail_spool').values({ outbox_id: row.id, file }).execute();
  await trx.deleteFrom('mail_fingerprints').where('channel', '=', channel).where('recipient', '=', m.recipient).execute();
  await trx
    .insertInto('mail_fingerprints')
    .values({ channel, recipient: m.recipient, fingerprint: m.fingerprint, outbox_id: row.id, recorded_at: at })
    .execute();
  return { id: row.id, released };
}

/**
 * Removes the spool files no row names, last modified before `before` (ms since the epoch, the
 * real clock): a file written by a run that died before storing its row, or kept by one that
 * died after marking its message sent. A file a row names is never removed, nor anything in the
 * spool tally did not name. Returns how many went.
 */
export async function sweepSpool(db: Kysely<Database>, spool: string, before: number): Promise<number> {
  let names: string[];
  try {
    names = await readdir(spool);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  const candidates = names.filter((n) => SPOOL_LEFTOVER.test(n));
  if (candidates.length === 0) return 0;
  const named = new Set((await db.selectFrom('mail_spool').select('file').execute()).map((r) => r.file));
  let removed = 0;
  for (const name of candidates) {
    if (named.has(name)) continue;
    const path = join(spool, name);
    const info = await stat(path).catch(() => null);
    if (info === null || !info.isFile() || info.mtimeMs >= before) continue;
    await rm(path, { force: true });
    removed++;
  }
  return removed;
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

/** The message's bytes are gone (its spool file removed or the database copied without it): it can never be sent. */
export class MissingMessageBody extends Error {
  override readonly name = 'MissingMessageBody';
}

/**
 * The exact bytes stored for one message (MIME, attachments included), read just before sending
 * it: from its spool file, or, queued by an older tally, from the table.
 */
export async function messageBody(db: Kysely<Database>, spool: string, id: bigint): Promise<string> {
  const row = await db
    .selectFrom('mail_outbox')
    .leftJoin('mail_spool', 'mail_spool.outbox_id', 'mail_outbox.id')
    .select(['mail_outbox.raw', 'mail_spool.file'])
    .where('mail_outbox.id', '=', id)
    .executeTakeFirstOrThrow();
  if (row.file !== null) {
    const path = spoolPath(spool, row.file);
    if (path === null) throw new MissingMessageBody(`邮件内容文件名无效，无法发送（发件箱第 ${id} 封）`);
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new MissingMessageBody(`邮件内容文件缺失，无法发送：${path}`);
      throw error;
    }
  }
  if (row.raw !== '') return row.raw;
  throw new MissingMessageBody(`邮件内容缺失，无法发送（发件箱第 ${id} 封）`);
}

/**
 * A message delivered: its rendered bytes are let go (the mail server, or the `.eml` file, has
 * them): the row stops naming its spool file, then the file goes. The envelope, the message id
 * and the fingerprint stay: what was sent, when, to whom.
 */
export async function markSent(db: Kysely<Database>, spool: string, id: bigint, now: Date, note: string | null): Promise<void> {
  const file = await db.transaction().execute(async (trx) => {
    const named = await trx.deleteFrom('mail_spool').where('outbox_id', '=', id).returning('file').executeTakeFirst();
    await trx
      .updateTable('mail_outbox')
      .set((eb) => ({ status: 'sent', raw: '', sent_at: utcTimestamp(now), attempts: eb('attempts', '+', 1), last_error: note }))
      .where('id', '=', id)
      .execute();
    return named?.file;
  });
  if (file !== undefined) await removeSpoolFile(spool, file);
}

/** One failed attempt: `failed` for good, or still `pending` for the next round or run. */
export async function markAttemptFailed(db: Kysely<Database>, id: bigint, status: 'pending' | 'failed', error: string, now: Date): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set((eb) => ({ status, attempts: eb('attempts', '+', 1), last_error: error, next_attempt_at: utcTimestamp(now) }))
    .where('id', '=', id)
    .execute();
}
