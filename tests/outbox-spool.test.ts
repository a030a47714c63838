/**
 * A pending message's rendered bytes wait in a spool file beside the database, not in DuckDB: in
 * the table, a district's 120 mails (~150 MB) went through DuckDB's memory and made the notify
 * stage the run's peak (1,159 MB). These tests show:
 *
 * - a queued message's bytes are in its spool file, and nowhere in the database's files;
 * - once delivered, its spool file is gone; superseded, too;
 * - a message an older tally queued (bytes in `mail_outbox.raw`, no spool file) still goes,
 *   from a database upgraded after it was queued;
 * - a spool file no row names (a run that died between writing it and storing its row) is
 *   removed at the next run, a file a row names never, nor a file written after the run began;
 * - a message whose spool file is gone is recorded as failed, not retried for ever.
 *
 * Real DuckDB files, real spool files, real `.eml` file channel.
 */
import { readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../pipeline/kernel/config/config.ts';
import { openDatabase } from '../pipeline/kernel/db/open-database.ts';
import { deliverOutbox } from '../pipeline/stages/7-notify/deliver-outbox.ts';
import { fileChannel } from '../pipeline/stages/7-notify/file-channel.ts';
import { notify } from '../pipeline/stages/7-notify/notify-stage.ts';
import { enqueue, spoolDirOf, type NewMessage } from '../pipeline/stages/7-notify/outbox.ts';
import type { ReportData } from '../reports/report-data.ts';
import { missingLedgersReport } from './support/missing-ledgers-report.ts';
import { tmpDir } from './smtp-sink.ts';

const CATALOG = loadConfig().ledgers;
const NOW = new Date('2021-01-11T18:00:00Z');
const NO_WAIT = { rounds: 1, delayMs: () => 0 };
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

function fixture(name: string) {
  const dir = tmpDir(name);
  dirs.push(dir);
  const dbPath = join(dir, 'tally.duckdb');
  return { dir, dbPath, spool: spoolDirOf(dbPath), outbox: join(dir, 'outbox') };
}

/** A message whose bytes carry a marker found nowhere else (not in its fingerprint or Message-ID). */
function message(recipient: string, marker: string): NewMessage {
  const to = `${recipient}@anding.example.org`;
  const raw = `Subject: ${recipient}\r\n\r\n${marker}\r\n${'QUJD'.repeat(2_000)}\r\n`;
  const id = Buffer.from(marker).toString('hex');
  return { recipient, kind: 'findings', to, subject: recipient, fingerprint: id, rendered: { raw, messageId: `<${id}@anding.example.org>`, envelope: { from: 'tally@anding.example.org', to: [to] } } };
}

/** Every file DuckDB keeps for the database: the file itself and its write-ahead log. */
async function databaseBytes(dbPath: string): Promise<string> {
  const parts = await Promise.all([dbPath, `${dbPath}.wal`].map((p) => readFile(p).catch(() => Buffer.alloc(0))));
  return Buffer.concat(parts).toString('latin1');
}

describe('the outbox spool', () => {
  it("keeps a pending message's bytes in its spool file, not in the database, and removes the file once it is sent", async () => {
    const f = fixture('spool-pending');
    let tdb = await openDatabase(f.dbPath, CATALOG);
    let ids: bigint[];
    try {
      ids = await enqueue(tdb.db, f.spool, 1n, 'file', [message('justice', 'MARKER-JUSTICE-7f3a'), message('counsel', 'MARKER-COUNSEL-91c2')], NOW);
      const rows = await tdb.db.selectFrom('mail_outbox').leftJoin('mail_spool', 'mail_spool.outbox_id', 'mail_outbox.id').select(['mail_outbox.raw', 'mail_outbox.status', 'mail_spool.file']).orderBy('mail_outbox.id').execute();
      expect(rows.map((r) => [r.status, r.raw])).toEqual([
        ['pending', ''],
        ['pending', ''],
      ]);
      const files = rows.map((r) => r.file);
      expect(files.every((file) => file !== null && /^[0-9a-f-]{36}\.eml$/.test(file))).toBe(true);
      expect((await readdir(f.spool)).sort()).toEqual([...files].sort());
      expect(await readFile(join(f.spool, files[0] ?? ''), 'utf8')).toBe(message('justice', 'MARKER-JUSTICE-7f3a').rendered.raw);
    } finally {
      await tdb.close();
    }
    // Not in the table, nor anywhere in DuckDB's files.
    const stored = await databaseBytes(f.dbPath);
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.includes('MARKER-JUSTICE-7f3a')).toBe(false);
    expect(stored.includes('MARKER-COUNSEL-91c2')).toBe(false);

    tdb = await openDatabase(f.dbPath, CATALOG);
    try {
      const outcomes = await deliverOutbox(tdb.db, f.spool, fileChannel(f.outbox), { now: () => NOW, retry: NO_WAIT });
      expect(outcomes.map((o) => [o.message.id, o.status])).toEqual(ids.map((id) => [id, 'sent']));
      const sent = await readFile(outcomes[0]?.path ?? '', 'utf8');
      expect(sent).toBe(message('justice', 'MARKER-JUSTICE-7f3a').rendered.raw);
      expect(await readdir(f.spool)).toEqual([]);
      expect(await tdb.db.selectFrom('mail_spool').selectAll().execute()).toEqual([]);
      expect((await tdb.db.selectFrom('mail_outbox').select('status').execute()).map((r) => r.status)).toEqual(['sent', 'sent']);
    } finally {
      await tdb.close();
    }
  });

  it('removes the spool file of a message superseded before it was sent', async () => {
    const f = fixture('spool-superseded');
    const tdb = await openDatabase(f.dbPath, CATALOG);
    try {
      await enqueue(tdb.db, f.spool, 1n, 'file', [message('justice', 'FIRST')], NOW);
      const [first] = await readdir(f.spool);
      await enqueue(tdb.db, f.spool, 2n, 'file', [message('justice', 'SECOND')], NOW);
      const left = await readdir(f.spool);
      expect(left).toHaveLength(1);
      expect(left).not.toContain(first);
      expect(await readFile(join(f.spool, left[0] ?? ''), 'utf8')).toContain('SECOND');
      const rows = await tdb.db.selectFrom('mail_outbox').select(['status', 'run_id']).orderBy('id').execute();
      expect(rows.map((r) => r.status)).toEqual(['superseded', 'pending']);
    } finally {
      await tdb.close();
    }
  });

  it('still sends a message an older tally queued with its bytes in the table, after the database is upgraded', async () => {
    const f = fixture('spool-older-database');
    const old = message('justice', 'MARKER-OLD-QUEUED');
    let tdb = await openDatabase(f.dbPath, CATALOG);
    try {
      // The database as the tally before the spool left it: no mail_spool table, the message's
      // bytes in mail_outbox.raw, pending (the server was down).
      // (Nor what came after it: 0009's table.)
      await tdb.connection.run('drop table mail_spool');
      await tdb.connection.run('drop table sheet_other_columns');
      await tdb.connection.run("delete from kysely_migration where name >= '0008'");
      await tdb.connection.run('drop table schema_state');
      await tdb.db
        .insertInto('mail_outbox')
        .values({
          run_id: 1n,
          channel: 'file',
          recipient: 'justice',
          kind: 'findings',
          to_address: 'justice@anding.example.org',
          cc_address: null,
          subject: 'justice',
          message_id: old.rendered.messageId,
          raw: old.rendered.raw,
          status: 'pending',
          attempts: 1,
          created_at: '2021-01-10 18:00:00',
          next_attempt_at: '2021-01-10 18:00:00',
          sent_at: null,
          last_error: 'connect ECONNREFUSED',
        })
        .execute();
    } finally {
      await tdb.close();
    }

    tdb = await openDatabase(f.dbPath, CATALOG); // applies 0008 and 0009
    try {
      expect(await tdb.db.selectFrom('mail_spool').selectAll().execute()).toEqual([]);
      const outcomes = await deliverOutbox(tdb.db, f.spool, fileChannel(f.outbox), { now: () => NOW, retry: NO_WAIT });
      expect(outcomes.map((o) => [o.message.recipient, o.status, o.attempts])).toEqual([['justice', 'sent', 2]]);
      expect(await readFile(outcomes[0]?.path ?? '', 'utf8')).toBe(old.rendered.raw);
      const rows = await tdb.db.selectFrom('mail_outbox').select(['status', 'raw']).execute();
      expect(rows).toEqual([{ status: 'sent', raw: '' }]);
    } finally {
      await tdb.close();
    }
  });

  it('removes, at the next run, a spool file no row names; never one a row names, one written since the run began, or one tally did not name', async () => {
    const f = fixture('spool-orphans');
    const workbook = join(f.dir, 'report-2020.xlsx');
    await writeFile(workbook, Buffer.from('PK\u0003\u0004 not really a workbook, bytes to attach'));
    let tdb = await openDatabase(f.dbPath, CATALOG);
    try {
      // A message waiting from an earlier run, its file a day old.
      await enqueue(tdb.db, f.spool, 1n, 'file', [message('enforcement', 'MARKER-WAITING')], NOW);
    } finally {
      await tdb.close();
    }
    const [waiting] = await readdir(f.spool);
    const dayAgo = new Date(Date.now() - 86_400_000);
    const later = new Date(Date.now() + 3_600_000);
    const orphan = '0f8e2a6c-3b1d-4c5e-9a7f-2d4b6c8e0a1b.eml'; // written, then the run died before its row
    const halfWritten = '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d.eml.tmp'; // died while writing it
    const fresh = '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e.eml'; // modified after the run began
    const notOurs = 'README.txt';
    for (const name of [orphan, halfWritten, fresh, notOurs]) await writeFile(join(f.spool, name), 'bytes');
    for (const name of [waiting ?? '', orphan, halfWritten, notOurs]) await utimes(join(f.spool, name), dayAgo, dayAgo);
    await utimes(join(f.spool, fresh), later, later);

    // The next run's notify stage sweeps before it writes anything; the waiting message is sent
    // (its file read, then removed) with this run's.
    tdb = await openDatabase(f.dbPath, CATALOG);
    const names = new Map<string, string[]>();
    try {
      const channel = fileChannel(f.outbox);
      const result = await notify({
        db: tdb.db,
        spool: f.spool,
        runId: 2n,
        report: report(),
        workbook,
        settings: { from: 'tally 台账核查 <tally@anding.example.org>', timezone: 'Asia/Shanghai', reminderWorkdays: 3 },
        channel: {
          ...channel,
          async send(m) {
            names.set(m.recipient, await readdir(f.spool));
            return channel.send(m);
          },
        },
        now: () => NOW,
        retry: NO_WAIT,
      });
      expect(result.sent).toBe(3); // the one waiting, justice's, and the digest
      expect(result.outcomes.find((o) => o.message.recipient === 'enforcement')?.status).toBe('sent');
    } finally {
      await tdb.close();
    }
    // When the first message went: the orphan and the half-written file gone, the rest kept.
    expect(names.get('enforcement')?.sort()).toEqual(expect.arrayContaining([waiting, fresh, notOurs]));
    expect(names.get('enforcement')).not.toContain(orphan);
    expect(names.get('enforcement')).not.toContain(halfWritten);
    expect((await readdir(f.spool)).sort()).toEqual([fresh, notOurs].sort());
    expect(await readFile(join(f.outbox, (await readdir(f.outbox)).find((n) => n.endsWith('-enforcement.eml')) ?? ''), 'utf8')).toContain('MARKER-WAITING');
  });

  it('records a message whose spool file is gone as failed, and sends the others', async () => {
    const f = fixture('spool-missing');
    const tdb = await openDatabase(f.dbPath, CATALOG);
    try {
      await enqueue(tdb.db, f.spool, 1n, 'file', [message('justice', 'A'), message('counsel', 'B')], NOW);
      const justice = await tdb.db.selectFrom('mail_spool').innerJoin('mail_outbox', 'mail_outbox.id', 'mail_spool.outbox_id').select('file').where('recipient', '=', 'justice').executeTakeFirstOrThrow();
      await rm(join(f.spool, justice.file));
      // A name no tally made (a tampered database) is never followed out of the spool.
      await tdb.db.insertInto('mail_spool').values({ outbox_id: 999n, file: '../../../etc/passwd' }).execute();
      await tdb.db.updateTable('mail_spool').set({ file: '../tally.duckdb' }).where('file', '!=', '../../../etc/passwd').where('file', '!=', justice.file).execute();

      const outcomes = await deliverOutbox(tdb.db, f.spool, fileChannel(f.outbox), { now: () => NOW, retry: NO_WAIT });
      expect(outcomes.map((o) => [o.message.recipient, o.status])).toEqual([
        ['justice', 'failed'],
        ['counsel', 'failed'],
      ]);
      expect(outcomes[0]?.detail).toMatch(/邮件内容文件缺失/);
      expect(outcomes[1]?.detail).toMatch(/邮件内容文件名无效/);
      const again = await deliverOutbox(tdb.db, f.spool, fileChannel(f.outbox), { now: () => NOW, retry: NO_WAIT });
      expect(again).toEqual([]);
    } finally {
      await tdb.close();
    }
  });
});

/** One department on the roster owing a ledger: it gets a mail; the coordinator a digest. */
function report(): ReportData {
  return missingLedgersReport([{ code: 'justice', name: '司法所', ledger: 'legal_aid' }], NOW);
}
