/**
 * A district's run mails 120 departments, each mail carrying the report workbook and its
 * attachments (~1.2 MB rendered, up to ~10 MB): held all at once they made the notify stage the
 * run's peak (1,287 MB). These tests show the notify stage holds one rendered mail at a time:
 *
 * - delivery reads each message's bytes from its spool file only when it sends that message
 *   (the channel rewrites the spool file of every message still waiting as it sends one: each
 *   later send sees the rewrite, which it could not if the bytes had been read before);
 * - the outbox stores each message before it asks for the next (whose rendering it waits for),
 *   and a failure part-way keeps the messages stored before it; a mail that cannot be rendered
 *   loses nothing and sends nothing twice at the next run.
 *
 * Real DuckDB file, real outbox, real `.eml` file channel; nothing of the part under test mocked.
 */
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../pipeline/kernel/config/config.ts';
import { openDatabase } from '../pipeline/kernel/db/open-database.ts';
import { deliverOutbox } from '../pipeline/stages/7-notify/deliver-outbox.ts';
import { fileChannel } from '../pipeline/stages/7-notify/file-channel.ts';
import type { MailChannel } from '../pipeline/stages/7-notify/mail-channel.ts';
import { notify } from '../pipeline/stages/7-notify/notify-stage.ts';
import { enqueue, spoolDirOf, type NewMessage } from '../pipeline/stages/7-notify/outbox.ts';
import type { ReportData } from '../reports/report-data.ts';
import { missingLedgersReport } from './support/missing-ledgers-report.ts';
import { tmpDir } from './smtp-sink.ts';

const CATALOG = loadConfig().ledgers;
const NOW = new Date('2021-01-11T18:00:00Z');
const NO_WAIT = { rounds: 4, delayMs: () => 0 };
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

function fixtureDir(name: string): string {
  const dir = tmpDir(name);
  dirs.push(dir);
  return dir;
}

/** Three departments on the roster, nothing submitted yet: each gets a mail. */
function report(): ReportData {
  return missingLedgersReport(
    [
      { code: 'enforcement', name: '综合执法队', ledger: 'disclosure' },
      { code: 'justice', name: '司法所', ledger: 'legal_aid' },
      { code: 'counsel', name: '法律顾问', ledger: 'legality_review' },
    ],
    NOW,
  );
}

/** A message as the outbox stores it, with `raw` standing for its rendered bytes. */
function message(recipient: string, raw: string): NewMessage {
  const to = `${recipient}@anding.example.org`;
  return { recipient, kind: 'findings', to, subject: recipient, fingerprint: raw, rendered: { raw, messageId: `<${recipient}-${raw.length}@anding.example.org>`, envelope: { from: 'tally@anding.example.org', to: [to] } } };
}

describe('the notify stage holds one rendered mail at a time', () => {
  it("reads each waiting message's bytes only when it sends that message, and keeps none of them after", async () => {
    const dir = fixtureDir('outbox-one-at-a-time');
    const tdb = await openDatabase(join(dir, 'tally.duckdb'), CATALOG);
    const spool = spoolDirOf(join(dir, 'tally.duckdb'));
    try {
      const ids = await enqueue(tdb.db, spool, 1n, 'file', ['enforcement', 'justice', 'counsel'].map((r) => message(r, `original bytes for ${r}`)), NOW);

      // Sends through real .eml files, and, once a message is written, rewrites the spool file
      // of every message still waiting: a later send sees the rewrite only if its bytes are read
      // after this one went.
      const files = fileChannel(join(dir, 'outbox'));
      const seen: string[] = [];
      const channel: MailChannel = {
        ...files,
        async send(message) {
          seen.push(message.raw);
          const accepted = await files.send(message);
          const waiting = await tdb.db
            .selectFrom('mail_spool')
            .innerJoin('mail_outbox', 'mail_outbox.id', 'mail_spool.outbox_id')
            .select('mail_spool.file')
            .where('mail_outbox.status', '=', 'pending')
            .where('mail_outbox.id', '!=', message.id)
            .execute();
          for (const w of waiting) await writeFile(join(spool, w.file), `rewritten after ${message.id}`);
          return accepted;
        },
      };
      const outcomes = await deliverOutbox(tdb.db, spool, channel, { now: () => NOW, retry: NO_WAIT });

      expect(seen).toEqual(['original bytes for enforcement', `rewritten after ${ids[0]}`, `rewritten after ${ids[1]}`]);
      expect(outcomes.map((o) => [o.message.id, o.status])).toEqual(ids.map((id) => [id, 'sent']));
      // The outcomes (returned for the whole run) carry each message's envelope, not its bytes.
      expect(outcomes.every((o) => !('raw' in o.message))).toBe(true);
      // Sent, the bytes are let go: the table keeps what was sent to whom, the spool nothing.
      const stored = await tdb.db.selectFrom('mail_outbox').select(['status', 'raw', 'message_id']).execute();
      expect(stored.map((r) => [r.status, r.raw])).toEqual(ids.map(() => ['sent', '']));
      expect(stored.every((r) => r.message_id.length > 0)).toBe(true);
      expect(await readdir(spool)).toEqual([]);
      expect(await tdb.db.selectFrom('mail_spool').selectAll().execute()).toEqual([]);
    } finally {
      await tdb.close();
    }
  });

  it('stores each message, committed, before it asks for the next', async () => {
    const dir = fixtureDir('outbox-enqueue-pulls');
    const tdb = await openDatabase(join(dir, 'tally.duckdb'), CATALOG);
    const spool = spoolDirOf(join(dir, 'tally.duckdb'));
    try {
      // Asked for message n, the source counts the rows stored so far.
      const storedWhenAsked: number[] = [];
      async function* source(): AsyncGenerator<NewMessage> {
        for (const r of ['enforcement', 'justice', 'counsel', 'office']) {
          const count = await tdb.connection.runAndReadAll('select count(*)::integer from mail_outbox');
          storedWhenAsked.push(Number(count.getRows()[0]?.[0]));
          yield message(r, `bytes for ${r} `.repeat(10));
        }
      }
      const ids = await enqueue(tdb.db, spool, 1n, 'file', source(), NOW);
      expect(ids).toHaveLength(4);
      expect(storedWhenAsked).toEqual([0, 1, 2, 3]);

      // A transaction per message: a source that fails at its third message keeps the first two.
      async function* failing(): AsyncGenerator<NewMessage> {
        yield message('enforcement', 'x'.repeat(60));
        yield message('justice', 'y'.repeat(60));
        throw new Error('cannot render the third');
      }
      await expect(enqueue(tdb.db, spool, 2n, 'file', failing(), NOW)).rejects.toThrow('cannot render the third');
      const rows = await tdb.db.selectFrom('mail_outbox').select(['recipient', 'status', 'run_id']).where('run_id', '=', 2n).orderBy('id').execute();
      expect(rows.map((r) => [r.recipient, r.status])).toEqual([
        ['enforcement', 'pending'],
        ['justice', 'pending'],
      ]);
      // The ones they replace are superseded (their spool files gone), their fingerprints recorded.
      // Left: counsel's and office's from the first source, and the two new ones.
      expect(await readdir(spool)).toHaveLength(4);
      const earlier = await tdb.db.selectFrom('mail_outbox').select(['recipient', 'status']).where('run_id', '=', 1n).orderBy('id').execute();
      expect(earlier.map((r) => r.status)).toEqual(['superseded', 'superseded', 'pending', 'pending']);
      const prints = await tdb.db.selectFrom('mail_fingerprints').select(['recipient', 'fingerprint']).orderBy('recipient').execute();
      expect(prints.find((p) => p.recipient === 'justice')?.fingerprint).toBe('y'.repeat(60));
    } finally {
      await tdb.close();
    }
  });

  it('loses nothing and sends nothing twice when a mail cannot be rendered: the next run sends every mail once', async () => {
    const dir = fixtureDir('notify-one-at-a-time');
    const workbook = join(dir, 'report-2020.xlsx');
    await writeFile(workbook, Buffer.from('PK\u0003\u0004 not really a workbook, bytes to attach'));
    const marked = join(dir, '法律援助台账-标注.xlsx'); // justice's marked copy: missing at first
    const outboxDir = join(dir, 'outbox');
    /** One notify stage; what it returned (or threw), and the outbox afterwards. */
    const run = async (runId: bigint) => {
      const tdb = await openDatabase(join(dir, 'tally.duckdb'), CATALOG);
      try {
        const outcome = await notify({
          db: tdb.db,
          spool: spoolDirOf(join(dir, 'tally.duckdb')),
          runId,
          report: report(),
          workbook,
          extras: { marked: new Map([['justice', [{ filename: '法律援助台账-标注.xlsx', path: marked, bytes: 10 }]]]) },
          settings: { from: 'tally 台账核查 <tally@anding.example.org>', timezone: 'Asia/Shanghai', reminderWorkdays: 3 },
          channel: fileChannel(outboxDir),
          now: () => NOW,
          retry: NO_WAIT,
        }).then(
          (result) => ({ result, error: null }),
          (error: unknown) => ({ result: null, error }),
        );
        const rows = await tdb.db.selectFrom('mail_outbox').select(['recipient', 'status']).orderBy('id').execute();
        return { ...outcome, rows };
      } finally {
        await tdb.close();
      }
    };

    const broken = await run(1n);
    expect(String(broken.error)).toMatch(/ENOENT/);
    // enforcement's mail was stored before justice's could not be rendered: it waits.
    expect(broken.rows).toEqual([{ recipient: 'enforcement', status: 'pending' }]);

    await writeFile(marked, Buffer.from('PK\u0003\u0004 marked copy'));
    const next = await run(2n);
    expect(next.error).toBeNull();
    // enforcement's fingerprint is stored with its mail: not queued again, but sent from the outbox.
    expect(next.result?.queued.map((q) => q.recipient)).toEqual(['justice', 'counsel', 'coordinator']);
    expect(next.result?.sent).toBe(4);
    expect(next.rows).toEqual(['enforcement', 'justice', 'counsel', 'coordinator'].map((recipient) => ({ recipient, status: 'sent' })));
    expect(await readdir(outboxDir)).toHaveLength(4);
    expect(await readdir(spoolDirOf(join(dir, 'tally.duckdb')))).toEqual([]);
  });
});
