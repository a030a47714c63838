/**
 * `tally schedule`: runs on a cron expression in Asia/Shanghai, never two at once (a run due
 * while one is going is skipped and logged), SIGTERM lets the run finish, every run recorded and
 * shown by `tally status`; and a simulated week of nightly runs through a real SMTP server.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Cron } from 'croner';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDemoInbox } from '../demo/demo-inbox.ts';
import { Scheduler } from '../pipeline/interfaces/schedule/scheduler.ts';
import { runCli, startCli } from './support/cli.ts';
import { startSink, tmpDir, toOf } from './smtp-sink.ts';
import { at0200, COORDINATOR, EMAIL, LEGAL_AID, makeTown, STUDY } from './schedule-town.ts';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('Scheduler', () => {
  it('skips a due time while a run is still going, logs it, and runs again once it is over', async () => {
    const log: string[] = [];
    const started: Date[] = [];
    let release = () => {};
    const scheduler = new Scheduler({
      cron: '0 2 * * *',
      timezone: 'Asia/Shanghai',
      log: (l) => log.push(l),
      run: (at) => {
        started.push(at);
        return new Promise<void>((done) => (release = done));
      },
    });
    const first = scheduler.tick(at0200('2021-01-11'));
    expect(first.started).toBe(true);
    expect(scheduler.tick(at0200('2021-01-12')).started).toBe(false);
    expect(log).toEqual(['跳过 2021-01-12 02:00:00 的运行：2021-01-11 02:00:00 开始的运行仍在进行']);
    release();
    await first.done;
    expect(scheduler.tick(at0200('2021-01-13')).started).toBe(true);
    release();
    await scheduler.stop();
    expect(started).toEqual([at0200('2021-01-11'), at0200('2021-01-13')]);
    expect(scheduler.skipped).toBe(1);
    expect(scheduler.tick(at0200('2021-01-14')).started).toBe(false); // stopped: no more runs
  });

  it('on the real clock, with a run longer than the interval, never runs two at once; stop() waits for the run', async () => {
    let concurrent = 0;
    let most = 0;
    let finished = 0;
    const log: string[] = [];
    const scheduler = new Scheduler({
      cron: '* * * * * *',
      timezone: 'Asia/Shanghai',
      log: (l) => log.push(l),
      run: async () => {
        most = Math.max(most, ++concurrent);
        await new Promise((r) => setTimeout(r, 1_500));
        concurrent--;
        finished++;
      },
    });
    scheduler.start();
    expect(scheduler.nextRun()).toBeInstanceOf(Date);
    await new Promise((r) => setTimeout(r, 3_300));
    await scheduler.stop();
    expect(most).toBe(1);
    expect(concurrent).toBe(0); // stop() waited for the run in progress
    expect(finished).toBeGreaterThanOrEqual(1);
    expect(log.some((l) => l.startsWith('跳过'))).toBe(true);
  });

  it('reads the default expression as 02:00 in Shanghai (18:00 UTC the day before)', () => {
    const next = new Cron('0 2 * * *', { timezone: 'Asia/Shanghai' }).nextRuns(2, new Date('2021-01-10T19:00:00Z'));
    expect(next.map((d) => d.toISOString())).toEqual(['2021-01-11T18:00:00.000Z', '2021-01-12T18:00:00.000Z']);
  });
});

describe('a simulated week of tally schedule (deadline Friday 2021-01-15, reminders 3 working days before)', () => {
  it('sends 3, 3, 0, 3, 0, 2, 0 mails: first findings, reminders, a submission, overdue notices, and nothing when nothing changed', async () => {
    const town = await makeTown('schedule-week', '2021-01-15');
    dirs.push(town.dir);
    const sink = await startSink();
    try {
      await town.submit('office/学法活动台账.xlsx', [STUDY]);
      // The due times croner gives for the configured expression, from Sunday evening on.
      const dueTimes = new Cron('0 2 * * *', { timezone: 'Asia/Shanghai' }).nextRuns(7, new Date('2021-01-10T12:00:00Z'));
      const week: { day: string; mails: string[] }[] = [];
      const scheduler = new Scheduler({
        cron: '0 2 * * *',
        timezone: 'Asia/Shanghai',
        log: () => {},
        run: async (at) => {
          if (at.getTime() === at0200('2021-01-14').getTime()) await town.submit('justice/法律援助台账.xlsx', [LEGAL_AID]);
          const before = sink.received.length;
          await town.run(at, sink.port);
          week.push({
            day: at.toISOString().slice(0, 10),
            mails: sink.received.slice(before).map((r) => `${toOf(r.mail)[0]} ${r.mail.subject ?? ''}`),
          });
        },
      });
      for (const at of dueTimes) await scheduler.tick(at).done;
      await scheduler.stop();

      expect(week.map((d) => d.mails.length)).toEqual([3, 3, 0, 3, 0, 2, 0]);
      const [mon, tue, , thu, , sat] = week.map((d) => d.mails);
      expect(mon!.filter((m) => m.includes('报送核查'))).toHaveLength(2);
      expect(tue!.filter((m) => m.includes('报送提醒（1月15日截止）'))).toHaveLength(2);
      expect(thu!.find((m) => m.startsWith(EMAIL.justice))).toContain('报送核查：未发现问题');
      expect(sat!.find((m) => m.startsWith(EMAIL.office))).toContain('报送逾期（1月15日已截止）');
      expect(sat!.filter((m) => m.startsWith(COORDINATOR))).toHaveLength(1);
      for (const d of week.filter((x) => x.mails.length > 0)) expect(d.mails.some((m) => m.startsWith(COORDINATOR))).toBe(true);

      // Every run recorded; `tally status` prints them, newest first.
      const status = await runCli(['status', '--config', town.configFile, '--db', town.dbPath]);
      expect(status.code, status.stderr).toBe(0);
      const rows = status.stdout.split('\n').filter((l) => /^\s+\d+\s+2021-/.test(l));
      expect(rows).toHaveLength(7);
      expect(rows.map((r) => r.trim().split(/\s+/).slice(-3)[0])).toEqual(['0', '2', '0', '3', '0', '3', '3']);
      expect(rows[6]).toMatch(/^\s+1\s+2021-01-11 02:00\s+2021-01-11 02:00\s+定时\s+完成/);
      expect(status.stdout).toContain('发件箱：待重发 0 封，无法投递 0 封');
    } finally {
      await sink.close();
    }
  });
});

describe('tally schedule as a process', () => {
  it('runs on its cron expression, and on SIGTERM finishes the run in progress and exits 0', async () => {
    const dir = tmpDir('schedule-cli');
    dirs.push(dir);
    const inbox = join(dir, 'inbox');
    await mkdir(inbox, { recursive: true });
    await generateDemoInbox(inbox);
    const out = join(dir, 'out');
    const { child, done } = startCli(['schedule', '--inbox', inbox, '--out', out, '--cron', '* * * * * *']);
    let stdout = '';
    await new Promise<void>((started, failed) => {
      const timer = setTimeout(() => failed(new Error(`no run started:\n${stdout}`)), 30_000);
      child.stdout?.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('运行开始')) {
          clearTimeout(timer);
          started();
        }
      });
    });
    child.kill('SIGTERM');
    const result = await done;
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    const at = (text: string) => lines.findIndex((l) => l.includes(text));
    expect(at('定时运行已启动：* * * * * *（Asia/Shanghai）')).toBe(0);
    expect(at('收到 SIGTERM：等当前运行结束后退出')).toBeGreaterThan(at('运行开始'));
    expect(at('运行 #1 结束')).toBeGreaterThan(at('收到 SIGTERM'));
    expect(at('已退出')).toBeGreaterThan(at('运行 #1 结束'));
    expect(result.stdout).not.toContain('运行 #2');

    const status = await runCli(['status', '--out', out]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/\n\s+1\s+\S+ \S+\s+\S+ \S+\s+定时\s+完成\s+14\/14\s+\d+\s+\d+\s+5\s+0\s+0/);
  });
});
