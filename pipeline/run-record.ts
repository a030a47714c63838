/**
 * A run's own row (`runs`, `run_mail`): opened when it starts, closed in one transaction with
 * what it leaves for later runs (the files it saw, last year's figures given to it, its figures,
 * the hash of what its checks read) once everything else is done. A run that fails midway stays
 * `running` and is never taken as a baseline.
 */
import type { Kysely } from 'kysely';
import type { Level } from './kernel/findings/findings.ts';
import { recordRunFiles } from './stages/7-notify/changes.ts';
import { storePreviousFigures, type PreviousFigures } from './stages/5-rollup/yoy.ts';
import type { IndicatorResult } from '../reports/report-data.ts';
import { utcTimestamp, type Database } from './kernel/db/schema.ts';

export async function startRun(db: Kysely<Database>, input: { readonly year: number; readonly trigger: 'manual' | 'schedule'; readonly now: Date }): Promise<bigint> {
  const run = await db
    .insertInto('runs')
    .values({ started_at: utcTimestamp(input.now), year: input.year, status: 'running', files_seen: 0, files_read: 0, errors: 0, warnings: 0, mails: 0, finished_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('run_mail').values({ run_id: run.id, trigger: input.trigger, mails_sent: 0, mails_failed: 0, mails_pending: 0 }).execute();
  return run.id;
}

export interface FinishedRun {
  readonly runId: bigint;
  readonly year: number;
  readonly indicators: readonly IndicatorResult[];
  readonly inputs: string;
  readonly previous?: PreviousFigures | undefined;
  readonly filesSeen: number;
  readonly filesRead: number;
  readonly counts: Readonly<Record<Level, number>>;
  readonly mails: { readonly sent: number; readonly failed: number; readonly pending: number };
  readonly now: Date;
}

export async function finishRun(db: Kysely<Database>, run: FinishedRun): Promise<void> {
  const { runId } = run;
  await db.transaction().execute(async (trx) => {
    await recordRunFiles(trx, runId);
    if (run.previous !== undefined) await storePreviousFigures(trx, run.previous, run.now);
    await trx
      .insertInto('indicator_values')
      .values(run.indicators.map((i) => ({ run_id: runId, year: run.year, code: i.code, value: i.value, wording: i.wording, status: i.status, sources: i.sources })))
      .execute();
    await trx.insertInto('run_checks').values({ run_id: runId, inputs: run.inputs }).execute();
    await trx
      .updateTable('runs')
      .set({
        finished_at: utcTimestamp(run.now),
        status: 'done',
        files_seen: run.filesSeen,
        files_read: run.filesRead,
        errors: run.counts.错误,
        warnings: run.counts.警告,
        mails: run.mails.sent,
      })
      .where('id', '=', runId)
      .execute();
    await trx
      .updateTable('run_mail')
      .set({ mails_sent: run.mails.sent, mails_failed: run.mails.failed, mails_pending: run.mails.pending })
      .where('run_id', '=', runId)
      .execute();
  });
}
