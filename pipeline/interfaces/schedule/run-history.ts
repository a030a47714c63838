/**
 * The last runs and the state of the outbox, as `tally status` prints them. Reads only.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';

export interface RunRecord {
  readonly id: bigint;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
  readonly trigger: string;
  readonly status: string;
  readonly filesSeen: number;
  readonly filesRead: number;
  readonly errors: number;
  readonly warnings: number;
  readonly mailsSent: number;
  readonly mailsFailed: number;
  readonly mailsPending: number;
}

export interface OutboxState {
  readonly pending: readonly { readonly to: string; readonly subject: string; readonly attempts: number; readonly error: string | null }[];
  readonly failed: readonly { readonly to: string; readonly subject: string; readonly error: string | null; readonly at: Date }[];
}

export async function lastRuns(db: Kysely<Database>, limit: number): Promise<RunRecord[]> {
  const rows = await db
    .selectFrom('runs as r')
    .leftJoin('run_mail as m', 'm.run_id', 'r.id')
    .selectAll('r')
    .select(['m.trigger', 'm.mails_failed', 'm.mails_pending'])
    .orderBy('r.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    trigger: r.trigger ?? 'manual',
    status: r.status,
    filesSeen: r.files_seen,
    filesRead: r.files_read,
    errors: r.errors,
    warnings: r.warnings,
    mailsSent: r.mails,
    mailsFailed: r.mails_failed ?? 0,
    mailsPending: r.mails_pending ?? 0,
  }));
}

/** Messages waiting for a retry, and the last permanent failures. */
export async function outboxState(db: Kysely<Database>, limit = 20): Promise<OutboxState> {
  const pending = await db
    .selectFrom('mail_outbox')
    .select(['to_address', 'subject', 'attempts', 'last_error'])
    .where('status', '=', 'pending')
    .orderBy('id')
    .execute();
  const failed = await db
    .selectFrom('mail_outbox')
    .select(['to_address', 'subject', 'last_error', 'next_attempt_at'])
    .where('status', '=', 'failed')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return {
    pending: pending.map((r) => ({ to: r.to_address, subject: r.subject, attempts: r.attempts, error: r.last_error })),
    failed: failed.map((r) => ({ to: r.to_address, subject: r.subject, error: r.last_error, at: r.next_attempt_at })),
  };
}
