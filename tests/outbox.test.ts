/**
 * The persistent outbox against real SMTP servers on loopback: mail only what changed, never
 * twice; temporary failures (refused, timeout, 421) retried within the run and at the next run;
 * a 550 recorded and reported to the coordinator; a crash between send and mark gives at most
 * one duplicate. The notify stage runs on a real DuckDB file with a report made by code.
 */
import { writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../pipeline/kernel/config/config.ts';
import { openDatabase, type TallyDatabase } from '../pipeline/kernel/db/open-database.ts';
import { finding } from '../pipeline/kernel/findings/findings.ts';
import { notify, type NotifyMode, type NotifyOptions } from '../pipeline/stages/7-notify/notify-stage.ts';
import { spoolDirOf } from '../pipeline/stages/7-notify/outbox.ts';
import { smtpChannel } from '../pipeline/stages/7-notify/smtp-channel.ts';
import { smtpSettings, type SmtpExtras } from '../pipeline/stages/7-notify/smtp-settings.ts';
import type { RetryPolicy } from '../pipeline/stages/7-notify/retry-policy.ts';
import type { ReportData } from '../reports/report-data.ts';
import { freePort, startSilent, startSink, tmpDir, toOf, type Sink } from './smtp-sink.ts';

const FROM = 'tally 台账核查 <tally@anding.example.org>';
const COORDINATOR = 'fazhi@anding.example.org';
const GUWEN = 'guwen@anding.example.org';
const CATALOG = loadConfig().ledgers;
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** Three departments: enforcement with two findings, justice owing legal_aid, counsel clean. */
function report(change: { disclosures?: number; extraFinding?: boolean } = {}): ReportData {
  return {
    year: 2020,
    town: '安定镇',
    district: '大兴区',
    title: '大兴区安定镇2020年度法治政府建设年度情况报告',
    generatedAt: new Date('2021-01-11T18:00:00Z'),
    indicators: [
      { seq: 1, code: 'enforcement.disclosures', section: '一(一)', name: '公示执法信息', value: change.disclosures ?? 283, unit: '项', written: 'approx', wording: `${change.disclosures ?? 283}项`, sources: '综合执法队·执法公示台账', status: '有错误' },
      { seq: 2, code: 'service.aid_cases', section: '一(五)', name: '法律援助', value: null, unit: '件', written: 'exact', wording: null, sources: '司法所·法律援助台账', status: '缺报' },
    ],
    findings: [
      finding('cell.type', { department: 'enforcement', file: 'enforcement/公示.xlsx', sheet: '1月', cell: 'B7', expected: '日期', actual: '2020-13-45' }, '公示日期不是有效日期，请改正'),
      finding('row.duplicate', { department: 'enforcement', file: 'enforcement/公示.xlsx', sheet: '2月', cell: '12' }, '与第11行完全相同'),
      ...(change.extraFinding ? [finding('cell.required', { department: 'enforcement', file: 'enforcement/处罚.xlsx', sheet: 'Sheet1', cell: 'A9' }, '案件编号不能为空')] : []),
      finding('dept.missing_submission', { department: 'justice', file: null, ledger: 'legal_aid' }, '尚未报送法律援助台账'),
    ],
    submissions: [
      { department: '综合执法队', departmentCode: 'enforcement', ledger: '执法公示台账', ledgerId: 'disclosure', status: '已报', files: ['enforcement/公示.xlsx'], versions: [1], receivedAt: '2021-01-05T16:30:00Z', rows: 283, findings: 2 },
      { department: '司法所', departmentCode: 'justice', ledger: '法律援助台账', ledgerId: 'legal_aid', status: '缺报', files: [], versions: [], receivedAt: null, rows: 0, findings: 1 },
      { department: '法律顾问', departmentCode: 'counsel', ledger: '合法性审查台账', ledgerId: 'legality_review', status: '空表', files: ['counsel/审查.xlsx'], versions: [1], receivedAt: '2021-01-05T16:30:00Z', rows: 0, findings: 0 },
    ],
    narrative: '全年公示执法信息280余项。',
    departments: [
      { code: 'enforcement', name: '综合执法队', email: 'zhifadui@anding.example.org', owes: ['disclosure'] },
      { code: 'justice', name: '司法所', email: 'sifasuo@anding.example.org', owes: ['legal_aid'] },
      { code: 'counsel', name: '法律顾问', email: GUWEN, owes: ['legality_review'] },
    ],
    coordinator: { name: '安定镇司法所（法治建设办公室）', email: COORDINATOR },
  };
}

interface Fixture {
  readonly dir: string;
  readonly dbPath: string;
  readonly workbook: string;
}

async function fixture(name: string): Promise<Fixture> {
  const dir = tmpDir(name);
  dirs.push(dir);
  const workbook = join(dir, 'report-2020.xlsx');
  await writeFile(workbook, Buffer.from('PK\u0003\u0004 not really a workbook, bytes to attach'));
  return { dir, dbPath: join(dir, 'tally.duckdb'), workbook };
}

const FAST_TIMEOUTS: SmtpExtras = { connectionTimeout: 400, greetingTimeout: 400, socketTimeout: 2_000 };
const NO_WAIT: RetryPolicy = { rounds: 4, delayMs: () => 0 };

/** One notify stage on the fixture's database, through SMTP on `port`. */
async function notifyOnce(
  f: Fixture,
  port: number,
  opts: {
    data?: ReportData;
    mode?: NotifyMode;
    retry?: RetryPolicy;
    sleep?: (ms: number) => Promise<void>;
    afterAccepted?: NotifyOptions['afterAccepted'];
    log?: (line: string) => void;
  } = {},
) {
  const tdb: TallyDatabase = await openDatabase(f.dbPath, CATALOG);
  const channel = smtpChannel(smtpSettings(`smtp://127.0.0.1:${port}`, FAST_TIMEOUTS), 'tally@anding.example.org');
  try {
    return await notify({
      db: tdb.db,
      spool: spoolDirOf(f.dbPath),
      runId: 1n,
      report: opts.data ?? report(),
      workbook: f.workbook,
      settings: { from: FROM, timezone: 'Asia/Shanghai', reminderWorkdays: 3 },
      channel,
      mode: opts.mode ?? 'changed',
      now: () => new Date('2021-01-11T18:00:00Z'),
      retry: opts.retry ?? NO_WAIT,
      sleep: opts.sleep ?? (() => Promise.resolve()),
      ...(opts.afterAccepted === undefined ? {} : { afterAccepted: opts.afterAccepted }),
      ...(opts.log === undefined ? {} : { log: opts.log }),
    });
  } finally {
    channel.close();
    await tdb.close();
  }
}

async function outboxRows(f: Fixture) {
  const tdb = await openDatabase(f.dbPath, CATALOG);
  try {
    return await tdb.db.selectFrom('mail_outbox').selectAll().orderBy('id').execute();
  } finally {
    await tdb.close();
  }
}

const recipients = (sink: Sink) => sink.received.map((r) => toOf(r.mail).join(',')).sort();

describe('mail only when it matters, never twice', () => {
  it('sends each department and the coordinator one mail, then nothing when nothing changed, and everything with --notify always', async () => {
    const f = await fixture('outbox-dedup');
    const sink = await startSink();
    try {
      const first = await notifyOnce(f, sink.port);
      expect(first.sent).toBe(4);
      expect(recipients(sink)).toEqual([COORDINATOR, GUWEN, 'sifasuo@anding.example.org', 'zhifadui@anding.example.org'].sort());

      const second = await notifyOnce(f, sink.port);
      expect(second.queued).toEqual([]);
      expect(second.sent).toBe(0);
      expect(sink.received).toHaveLength(4);

      const forced = await notifyOnce(f, sink.port, { mode: 'always' });
      expect(forced.sent).toBe(4);
      expect(sink.received).toHaveLength(8);
    } finally {
      await sink.close();
    }
  });

  it("mails only the department whose findings changed (and the coordinator's digest), and every department when a figure changed", async () => {
    const f = await fixture('outbox-changes');
    const sink = await startSink();
    try {
      await notifyOnce(f, sink.port);
      sink.received.length = 0;

      const oneDepartment = await notifyOnce(f, sink.port, { data: report({ extraFinding: true }) });
      expect(oneDepartment.queued.map((q) => q.recipient)).toEqual(['enforcement', 'coordinator']);
      expect(recipients(sink)).toEqual([COORDINATOR, 'zhifadui@anding.example.org']);
      const digest = sink.received.find((r) => toOf(r.mail).includes(COORDINATOR))!;
      expect(digest.mail.text).toContain('本次给1个部门发信');
      expect(digest.mail.text).toContain('综合执法队（zhifadui@anding.example.org）：核查结果');
      sink.received.length = 0;

      const figure = await notifyOnce(f, sink.port, { data: report({ extraFinding: true, disclosures: 290 }) });
      expect(figure.queued.map((q) => q.recipient)).toEqual(['enforcement', 'justice', 'counsel', 'coordinator']);
      expect(sink.received).toHaveLength(4);
    } finally {
      await sink.close();
    }
  });
});

describe('nothing lost', () => {
  it('survives a refused connection, a timeout and a 421 within one run, and sends on the 250', async () => {
    const f = await fixture('outbox-flaky');
    const port = await freePort();
    const waits: number[] = [];
    let silent: Awaited<ReturnType<typeof startSilent>> | null = null;
    let busy: Sink | null = null;
    let sink: Sink | null = null;
    // The clock passed in: each "wait" between rounds changes the server instead of sleeping.
    const sleep = async (ms: number) => {
      waits.push(ms);
      if (waits.length === 1) silent = await startSilent(port);
      if (waits.length === 2) {
        await silent?.close();
        busy = await startSink({ port, answer421: true });
      }
      if (waits.length === 3) {
        await busy?.close();
        sink = await startSink({ port });
      }
    };
    try {
      const log: string[] = [];
      const result = await notifyOnce(f, port, { retry: { rounds: 4, delayMs: (n) => 5_000 * 4 ** (n - 1) }, sleep, log: (l) => log.push(l) });
      expect(waits).toEqual([5_000, 20_000, 80_000]);
      expect(log).toHaveLength(3);
      expect(log[0]).toMatch(/ECONNREFUSED.*5 秒后第 2 轮/);
      expect(log[1]).toMatch(/Greeting never received.*20 秒后第 3 轮/);
      expect(log[2]).toMatch(/421.*80 秒后第 4 轮/);
      // Three department mails, then the coordinator's digest once the server was back.
      expect(result.sent).toBe(4);
      expect(result.failed).toBe(0);
      expect(result.pending).toBe(0);
      const received = (sink as Sink | null)?.received ?? [];
      expect(received.map((r) => toOf(r.mail)[0])).toEqual(['zhifadui@anding.example.org', 'sifasuo@anding.example.org', GUWEN, COORDINATOR]);
      const rows = await outboxRows(f);
      expect(rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
      // The first message met all four servers: refused, silent (timeout), 421, then 250. The
      // others waited while the server was unreachable and went at the first try that could work.
      expect(rows.map((r) => r.attempts)).toEqual([4, 1, 1, 1]);
      expect(rows.every((r) => r.sent_at !== null)).toBe(true);
    } finally {
      await (silent as { close(): Promise<void> } | null)?.close();
      await (busy as Sink | null)?.close();
      await (sink as Sink | null)?.close();
    }
  });

  it('keeps what the server would not take in this run and sends it, once, at the next run', async () => {
    const f = await fixture('outbox-next-run');
    const port = await freePort();
    const down = await notifyOnce(f, port, { retry: { rounds: 2, delayMs: () => 0 } });
    expect(down.sent).toBe(0);
    expect(down.pending).toBe(4);
    expect((await outboxRows(f)).map((r) => r.status)).toEqual(['pending', 'pending', 'pending', 'pending']);

    const sink = await startSink({ port });
    try {
      const next = await notifyOnce(f, port);
      expect(next.queued).toEqual([]); // nothing changed: nothing new written
      expect(next.sent).toBe(4); // but what waited went
      expect(recipients(sink)).toEqual([COORDINATOR, GUWEN, 'sifasuo@anding.example.org', 'zhifadui@anding.example.org'].sort());
      const digest = sink.received.find((r) => toOf(r.mail).includes(COORDINATOR))!;
      expect(digest.mail.text).toContain('下次运行时自动重发');

      const again = await notifyOnce(f, port);
      expect(again.sent).toBe(0);
      expect(sink.received).toHaveLength(4);
    } finally {
      await sink.close();
    }
  });

  it('records a 550 for one address, sends the others, tells the coordinator, and does not retry it', async () => {
    const f = await fixture('outbox-550');
    const sink = await startSink({ reject550: GUWEN });
    try {
      const result = await notifyOnce(f, sink.port);
      expect(result.failed).toBe(1);
      expect(result.sent).toBe(3);
      expect(result.mails.find((m) => m.to === GUWEN)?.error).toMatch(/550/);
      expect(recipients(sink)).toEqual([COORDINATOR, 'sifasuo@anding.example.org', 'zhifadui@anding.example.org']);
      const digest = sink.received.find((r) => toOf(r.mail).includes(COORDINATOR))!;
      expect(digest.mail.text).toMatch(/无法投递[\s\S]*guwen@anding\.example\.org[\s\S]*550/);
      expect(digest.mail.html).toContain('guwen@anding.example.org');

      const rows = await outboxRows(f);
      const refused = rows.find((r) => r.to_address === GUWEN)!;
      expect(refused.status).toBe('failed');
      expect(refused.attempts).toBe(1);
      expect(refused.last_error).toMatch(/550/);

      const again = await notifyOnce(f, sink.port);
      expect(again.sent + again.failed).toBe(0);
      expect((await outboxRows(f)).find((r) => r.to_address === GUWEN)!.attempts).toBe(1);
    } finally {
      await sink.close();
    }
  });

  it('sends at most one duplicate, never loses a mail, when the process dies between the 250 and marking it sent', async () => {
    const f = await fixture('outbox-crash');
    const sink = await startSink();
    try {
      let accepted = 0;
      const crash = () => {
        if (++accepted === 2) throw new Error('simulated crash after the server accepted message 2');
      };
      await expect(notifyOnce(f, sink.port, { afterAccepted: crash })).rejects.toThrow('simulated crash');
      expect(sink.received).toHaveLength(2);
      expect((await outboxRows(f)).map((r) => r.status)).toEqual(['sent', 'pending', 'pending']);

      const restart = await notifyOnce(f, sink.port);
      expect(restart.sent).toBe(3); // message 2 again, message 3, and the digest
      const ids = sink.received.map((r) => r.mail.messageId);
      const counts = [...new Set(ids)].map((id) => ids.filter((x) => x === id).length);
      expect(counts.filter((c) => c === 2)).toHaveLength(1); // one duplicate, same Message-ID
      expect(counts.every((c) => c <= 2)).toBe(true);
      expect(new Set(sink.received.flatMap((r) => toOf(r.mail)))).toEqual(
        new Set([COORDINATOR, GUWEN, 'sifasuo@anding.example.org', 'zhifadui@anding.example.org']),
      );

      const third = await notifyOnce(f, sink.port);
      expect(third.sent).toBe(0);
    } finally {
      await sink.close();
    }
  });
});
