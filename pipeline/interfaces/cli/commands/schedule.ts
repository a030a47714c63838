/**
 * `tally schedule`: one long-lived process that runs the pipeline on the configured cron
 * expression (default nightly 02:00 Asia/Shanghai). Runs never overlap; SIGTERM/SIGINT lets the
 * run in progress finish, then exits 0. Every line it logs starts with the time.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_CONFIG, loadConfig } from '../../../kernel/config/config.ts';
import { checkSchedule } from '../../../kernel/config/check-schedule.ts';
import { Scheduler, stamp } from '../../schedule/scheduler.ts';
import { runPipeline } from '../../../run.ts';
import { mailEnvironment } from '../../../stages/7-notify/open-mail-channel.ts';
import type { Command } from './command.ts';
import { RUN_OPTIONS, parseNotify } from './run-options.ts';

export const scheduleCommand: Command = {
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        ...RUN_OPTIONS,
        cron: { type: 'string' },
        'run-now': { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    const notify = parseNotify(values.notify);
    const config = loadConfig(values.config === undefined ? DEMO_CONFIG : resolve(values.config));
    const cron = values.cron ?? config.schedule.cron;
    const timezone = config.schedule.timezone;
    if (values.cron !== undefined) checkSchedule('--cron', { cron, timezone }, config.deadline);
    const out = resolve(values.out);
    const dbPath = resolve(values.db ?? `${out}/tally.duckdb`);
    const mail = mailEnvironment(process.env);
    const log = (line: string) => io.out.write(`[${stamp(new Date(), timezone)}] ${line}\n`);

    const scheduler = new Scheduler({
      cron,
      timezone,
      log,
      run: async () => {
        log('运行开始');
        const s = await runPipeline({
          config,
          inbox: resolve(values.inbox),
          out,
          dbPath,
          smtpUrl: mail.smtpUrl,
          notify,
          trigger: 'schedule',
          mail: { smtp: mail.smtp, log },
        });
        const n = s.notified;
        log(
          `运行 #${s.runId} 结束：读取 ${s.filesRead} 个文件（未变化 ${s.filesUnchanged} 个），错误 ${s.findings.错误} 个，警告 ${s.findings.警告} 个；` +
            `发信 ${n.sent} 封${n.failed > 0 ? `，无法投递 ${n.failed} 封` : ''}${n.pending > 0 ? `，${n.pending} 封待下次重发` : ''}`,
        );
        for (const q of n.queued) log(`  → ${q.to}：${q.subject}`);
      },
    });

    const stopped = new Promise<void>((done) => {
      let stopping = false;
      const onSignal = (signal: NodeJS.Signals) => {
        if (stopping) {
          log(`再次收到 ${signal}：立即退出`);
          process.exit(1);
        }
        stopping = true;
        log(scheduler.running ? `收到 ${signal}：等当前运行结束后退出` : `收到 ${signal}：退出`);
        void scheduler.stop().then(() => {
          process.off('SIGTERM', onSignal);
          process.off('SIGINT', onSignal);
          done();
        });
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
    });

    scheduler.start();
    log(`定时运行已启动：${cron}（${timezone}），${mail.smtpUrl === undefined ? `邮件写入 ${out}/outbox/` : '邮件经 SMTP 发出'}；下次运行 ${nextText(scheduler, timezone)}`);
    if (values['run-now']) scheduler.tick(new Date());
    await stopped;
    log('已退出');
    return 0;
  },
};

function nextText(scheduler: Scheduler, timezone: string): string {
  const next = scheduler.nextRun();
  return next === null ? '无' : stamp(next, timezone);
}
