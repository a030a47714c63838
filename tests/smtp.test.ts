/**
 * Real SMTP settings against real TLS servers on loopback: STARTTLS and implicit TLS (smtps://)
 * with a self-signed certificate that the test trusts explicitly, login, From and Reply-To, a
 * plain-text alternative next to the HTML, an attachment with a Chinese file name, and the
 * password never in a log, an error or the database.
 */
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingMail } from '../pipeline/stages/7-notify/compose-mails.ts';
import { classifyFailure } from '../pipeline/stages/7-notify/classify-failure.ts';
import { renderMessage } from '../pipeline/stages/7-notify/render-message.ts';
import { smtpChannel } from '../pipeline/stages/7-notify/smtp-channel.ts';
import { smtpSettings } from '../pipeline/stages/7-notify/smtp-settings.ts';
import { runCli } from './support/cli.ts';
import { ccOf, selfSignedCertificate, startSink, tmpDir, toOf } from './smtp-sink.ts';

const PASSWORD = 'S3cr@t-pw!';
const URL_PASSWORD = encodeURIComponent(PASSWORD);
const FROM = 'tally 台账核查 <tally@anding.example.org>';
const REPLY_TO = '安定镇司法所 <fazhi@anding.example.org>';
const ATTACHMENT = '司法所 问题清单（2020年度）.xlsx';

let dir: string;
let tls: ReturnType<typeof selfSignedCertificate>;
let attachmentBytes: Buffer;

beforeAll(async () => {
  dir = tmpDir('smtp-tls');
  tls = selfSignedCertificate(dir);
  attachmentBytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 251));
  await writeFile(join(dir, 'attachment.bin'), attachmentBytes);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function mail(): OutgoingMail {
  return {
    to: 'sifasuo@anding.example.org',
    cc: 'fazhi@anding.example.org',
    subject: '【法治政府建设年度报告】司法所 2020年度报送核查：3个错误、1个警告',
    text: '司法所：\n\n贵部门报送的台账中发现以下问题。',
    html: '<!DOCTYPE html><html><body style="font-size:14px;"><table style="border-collapse:collapse;"><tr><td style="border:1px solid #bfbfbf;">错误</td></tr></table></body></html>',
    attachments: [{ filename: ATTACHMENT, path: join(dir, 'attachment.bin') }],
    recipient: 'justice',
    kind: 'overdue',
  };
}

async function sendOnce(url: string, ca: Buffer | undefined) {
  const settings = smtpSettings(url, { ca, connectionTimeout: 3_000, greetingTimeout: 3_000, socketTimeout: 5_000 });
  const channel = smtpChannel(settings, 'tally@anding.example.org');
  const rendered = await renderMessage(mail(), { from: FROM, replyTo: REPLY_TO, date: new Date('2021-01-16T02:00:00+08:00') });
  try {
    return await channel.send({ id: 1n, recipient: 'justice', raw: rendered.raw, to: rendered.envelope.to });
  } finally {
    channel.close();
  }
}

describe('SMTP over TLS with a self-signed certificate the test trusts', () => {
  it('upgrades with STARTTLS, logs in, and delivers a mail people can read', async () => {
    const sink = await startSink({ secure: 'starttls', tls, auth: { user: 'tally', pass: PASSWORD } });
    try {
      const accepted = await sendOnce(`smtp://tally:${URL_PASSWORD}@127.0.0.1:${sink.port}?requireTLS=true`, tls.cert);
      expect(accepted.response).toMatch(/^250/);
      expect(sink.logins).toEqual([{ user: 'tally', ok: true }]);
      expect(sink.sessionsSecure).toEqual([true]);
      expect(sink.received).toHaveLength(1);
      const got = sink.received[0]!;
      expect(got.rcpt).toEqual(['sifasuo@anding.example.org', 'fazhi@anding.example.org']);
      expect(toOf(got.mail)).toEqual(['sifasuo@anding.example.org']);
      expect(ccOf(got.mail)).toEqual(['fazhi@anding.example.org']);
      expect(got.mail.from?.text).toContain('tally@anding.example.org');
      expect(got.mail.replyTo?.value[0]?.address).toBe('fazhi@anding.example.org');
      expect(got.mail.subject).toBe('【法治政府建设年度报告】司法所 2020年度报送核查：3个错误、1个警告');
      expect(got.mail.text).toContain('贵部门报送的台账中发现以下问题');
      expect(got.mail.html).toContain('border:1px solid #bfbfbf');
      expect(got.mail.html).not.toMatch(/<img|https?:\/\//);
      expect(got.raw.toString()).toMatch(/multipart\/alternative/);
      expect(got.mail.attachments).toHaveLength(1);
      expect(got.mail.attachments[0]!.filename).toBe(ATTACHMENT);
      expect(Buffer.compare(got.mail.attachments[0]!.content, attachmentBytes)).toBe(0);
      expect(got.raw.toString()).not.toContain(PASSWORD);
    } finally {
      await sink.close();
    }
  });

  it('speaks implicit TLS on smtps://', async () => {
    const sink = await startSink({ secure: 'implicit', tls, auth: { user: 'tally', pass: PASSWORD } });
    try {
      const accepted = await sendOnce(`smtps://tally:${URL_PASSWORD}@127.0.0.1:${sink.port}`, tls.cert);
      expect(accepted.response).toMatch(/^250/);
      expect(sink.sessionsSecure).toEqual([true]);
      expect(sink.received[0]?.mail.attachments[0]?.filename).toBe(ATTACHMENT);
    } finally {
      await sink.close();
    }
  });

  it('refuses a certificate nobody said to trust, as a temporary failure that keeps the mail', async () => {
    const sink = await startSink({ secure: 'implicit', tls, auth: { user: 'tally', pass: PASSWORD } });
    try {
      const error = await sendOnce(`smtps://tally:${URL_PASSWORD}@127.0.0.1:${sink.port}`, undefined).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).not.toBeNull();
      expect(String((error as Error).message)).toMatch(/self[- ]signed|certificate/i);
      expect(classifyFailure(error).kind).toBe('temporary');
      expect(sink.received).toHaveLength(0);
    } finally {
      await sink.close();
    }
  });

  it('keeps the password out of the failure of a wrong login', async () => {
    const sink = await startSink({ secure: 'implicit', tls, auth: { user: 'tally', pass: 'another' } });
    try {
      const settings = smtpSettings(`smtps://tally:${URL_PASSWORD}@127.0.0.1:${sink.port}`, { ca: tls.cert });
      expect(settings.display).toBe(`smtps://tally@127.0.0.1:${sink.port}`);
      const error = await sendOnce(`smtps://tally:${URL_PASSWORD}@127.0.0.1:${sink.port}`, tls.cert).then(() => null, (e: unknown) => e);
      const failure = classifyFailure(error);
      expect(failure.kind).toBe('temporary'); // a password can be fixed: the mail waits for it
      expect(settings.redact(`${failure.message} ${PASSWORD} ${URL_PASSWORD}`)).not.toMatch(/S3cr/);
    } finally {
      await sink.close();
    }
  });
});

describe('tally run with SMTP_URL over TLS', () => {
  it('mails through smtps:// with SMTP_CA_FILE, and the password is in no output and not in the database', async () => {
    const sink = await startSink({ secure: 'implicit', tls, auth: { user: 'tally', pass: PASSWORD } });
    const run = join(dir, 'cli');
    try {
      const inbox = join(run, 'inbox');
      await import('node:fs/promises').then((fs) => fs.mkdir(inbox, { recursive: true }));
      const r = await runCli(['run', '--inbox', inbox, '--out', join(run, 'out')], {
        SMTP_URL: `smtps://tally:${URL_PASSWORD}@127.0.0.1:${sink.port}`,
        SMTP_CA_FILE: tls.certFile,
      });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('邮件：5 封经 SMTP 发出');
      expect(sink.received).toHaveLength(5);
      expect(`${r.stdout}${r.stderr}`).not.toContain('S3cr');
      // The database's files, and what waits in its outbox spool (`tally.duckdb.spool/`, a folder).
      const spool = join(run, 'out', 'tally.duckdb.spool');
      const stored = [...(await readdir(join(run, 'out'))).map((n) => join(run, 'out', n)), ...(await readdir(spool)).map((n) => join(spool, n))];
      for (const path of stored) {
        if (!path.startsWith(join(run, 'out', 'tally.duckdb')) || path === spool) continue;
        expect((await readFile(path)).includes(Buffer.from('S3cr')), path).toBe(false);
      }
      // DuckDB compresses short strings, so the bytes alone prove little: every text column of
      // every table is searched too. Sanity check of that search: it finds a recipient address.
      const recipient = sink.received[0]?.rcpt[0] ?? 'no recipient';
      const found = await textColumnsContaining(join(run, 'out', 'tally.duckdb'), ['S3cr', recipient]);
      expect(found.get('S3cr')).toEqual([]);
      expect(found.get(recipient)).toContain('mail_outbox.to_address');
    } finally {
      await sink.close();
    }
  });
});

/** For each needle, the `table.column`s (text columns of every table) where some value contains it. */
async function textColumnsContaining(path: string, needles: readonly string[]): Promise<Map<string, string[]>> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    const columns = (await connection.runAndReadAll("select table_name, column_name from duckdb_columns() where schema_name = 'main' and data_type = 'VARCHAR' and not internal")).getRowsJS();
    const tables = new Set((await connection.runAndReadAll("select table_name from duckdb_tables() where schema_name = 'main'")).getRowsJS().map((r) => String(r[0])));
    const out = new Map<string, string[]>(needles.map((n) => [n, []]));
    for (const [table, column] of columns) {
      if (!tables.has(String(table))) continue; // a view's columns are its tables'
      for (const needle of needles) {
        const hit = await connection.runAndReadAll(`select count(*) from "${String(table)}" where contains("${String(column)}", $needle)`, { needle });
        if (Number(hit.getRowsJS()[0]?.[0]) > 0) out.get(needle)?.push(`${String(table)}.${String(column)}`);
      }
    }
    return out;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
