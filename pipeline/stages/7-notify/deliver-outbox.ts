/**
 * Sends what waits in the outbox for one channel, in rounds (see retry-policy.ts), and says per
 * message what happened. A server that cannot be reached ends the round: the other messages are
 * not tried against it until the next round.
 *
 * The queue holds each message's envelope only; its rendered bytes (report workbook and
 * attachments, base64: up to ~10 MB) are read from its spool file just before it is sent and
 * dropped after, so a delivery holds one rendered mail at a time however many wait. Once sent,
 * the spool file is removed.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { classifyFailure } from './classify-failure.ts';
import type { MailChannel } from './mail-channel.ts';
import { markAttemptFailed, markSent, messageBody, MissingMessageBody, pendingMessages, type OutboxRow } from './outbox.ts';
import { DEFAULT_RETRY, realSleep, type RetryPolicy } from './retry-policy.ts';

export interface DeliveryOutcome {
  readonly message: OutboxRow;
  readonly status: 'sent' | 'failed' | 'pending';
  /** Attempts so far, over every run. */
  readonly attempts: number;
  /** The server's answer when sent; why not, otherwise (password removed). */
  readonly detail: string;
  /** The .eml file, for the file channel. */
  readonly path?: string;
}

export interface DeliverOptions {
  readonly now: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly retry?: RetryPolicy;
  /** Only these outbox ids (default: everything pending on the channel). */
  readonly only?: readonly bigint[];
  /** Called when the server accepted a message, before it is marked sent (a test simulates a crash here). */
  readonly afterAccepted?: (message: OutboxRow) => void;
  readonly log?: (line: string) => void;
}

/**
 * `spool`: the database's spool directory (`spoolDirOf`, outbox.ts), where the messages' bytes wait.
 *
 * @example
 * const outcomes = await deliverOutbox(db, spoolDirOf(dbPath), smtpChannel(settings, from), { now: () => new Date() });
 * outcomes.filter((o) => o.status === 'pending'); // left for the next run
 */
export async function deliverOutbox(db: Kysely<Database>, spool: string, channel: MailChannel, opts: DeliverOptions): Promise<DeliveryOutcome[]> {
  const retry = opts.retry ?? DEFAULT_RETRY;
  const sleep = opts.sleep ?? realSleep;
  const log = opts.log ?? (() => {});
  let queue = await pendingMessages(db, channel.name, opts.only);
  const outcomes = new Map<bigint, DeliveryOutcome>();
  let reason = '';

  for (let round = 1; round <= retry.rounds && queue.length > 0; round++) {
    if (round > 1) {
      const wait = retry.delayMs(round - 1);
      log(`邮件：${queue.length} 封暂未发出（${reason}），${Math.round(wait / 1000)} 秒后第 ${round} 轮尝试`);
      await sleep(wait);
    }
    const again: OutboxRow[] = [];
    let unreachable: string | null = null;
    for (const message of queue) {
      const before = outcomes.get(message.id);
      const attempts = before?.attempts ?? message.attempts;
      if (unreachable !== null) {
        again.push(message);
        if (before === undefined) outcomes.set(message.id, { message, status: 'pending', attempts, detail: unreachable });
        continue;
      }
      let raw: string;
      try {
        raw = await messageBody(db, spool, message.id);
      } catch (error) {
        if (!(error instanceof MissingMessageBody)) throw error;
        // Nothing to send, now or at any later run: recorded, and told to the coordinator.
        await markAttemptFailed(db, message.id, 'failed', error.message, opts.now());
        outcomes.set(message.id, { message, status: 'failed', attempts: attempts + 1, detail: error.message });
        continue;
      }
      let accepted;
      try {
        accepted = await channel.send({ id: message.id, recipient: message.recipient, to: message.to, raw });
      } catch (error) {
        const failure = classifyFailure(error);
        const detail = channel.redact(failure.message);
        const status = failure.kind === 'permanent' ? 'failed' : 'pending';
        await markAttemptFailed(db, message.id, status, detail, opts.now());
        outcomes.set(message.id, { message, status, attempts: attempts + 1, detail });
        if (status === 'pending') again.push(message);
        reason = detail;
        if (failure.unreachable) unreachable = detail;
        continue;
      }
      opts.afterAccepted?.(message);
      const note = accepted.rejected.length === 0 ? null : `服务器拒收：${accepted.rejected.join(', ')}`;
      await markSent(db, spool, message.id, opts.now(), note);
      outcomes.set(message.id, {
        message,
        status: 'sent',
        attempts: attempts + 1,
        detail: note ?? accepted.response,
        ...(accepted.path === undefined ? {} : { path: accepted.path }),
      });
    }
    queue = again;
  }
  return [...outcomes.values()];
}
