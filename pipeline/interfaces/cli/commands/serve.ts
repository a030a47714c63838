/**
 * `tally serve`: the upload portal and the schedule in one process, the one owner of the
 * database (DuckDB takes one process per file). Departments upload through their private links,
 * the coordinator watches the dashboard; the configured schedule (`schedule.cron`) runs as
 * `tally schedule` would, serialized with the portal's own runs.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_CONFIG, loadConfig } from '../../../kernel/config/config.ts';
import { mailEnvironment } from '../../../stages/7-notify/open-mail-channel.ts';
import { Scheduler, stamp } from '../../schedule/scheduler.ts';
import type { ScheduleHook } from '../../portal/portal-runner.ts';
import { ensureTokens, tokensFileFor } from '../../portal/portal-tokens.ts';
import { startPortal } from '../../portal/start-portal.ts';
import { UsageError, type Command } from './command.ts';
import { writeLinks } from './tokens.ts';

export const serveCommand: Command = {
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        config: { type: 'string' },
        inbox: { type: 'string', default: 'inbox' },
        out: { type: 'string', default: 'out' },
        db: { type: 'string' },
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'string', default: '8080' },
        tokens: { type: 'string' },
        'base-url': { type: 'string' },
        'no-schedule': { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    if (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65535) throw new UsageError(`--port 应为 0–65535 的端口号，收到“${values.port}”`);
    const config = loadConfig(values.config === undefined ? DEMO_CONFIG : resolve(values.config));
    const out = resolve(values.out);
    const tokensFile = resolve(values.tokens ?? tokensFileFor(config.file));
    const { tokens, created } = await ensureTokens(config, tokensFile);
    const mail = mailEnvironment(process.env);
    const log = (line: string) => io.out.write(`[${stamp(new Date(), config.schedule.timezone)}] ${line}\n`);

    const schedule: ScheduleHook = ({ run }) => {
      const scheduler = new Scheduler({
        cron: config.schedule.cron,
        timezone: config.schedule.timezone,
        log,
        run: async () => {
          const s = await run('schedule');
          log(`定时运行 #${s.runId} 结束：错误 ${s.findings.错误} 个，警告 ${s.findings.警告} 个`);
        },
      });
      scheduler.start();
      log(`定时运行：${config.schedule.cron}（${config.schedule.timezone}），下次 ${scheduler.nextRun() === null ? '无' : stamp(scheduler.nextRun() as Date, config.schedule.timezone)}`);
      return scheduler;
    };

    const portal = await startPortal({
      config,
      inbox: resolve(values.inbox),
      out,
      dbPath: resolve(values.db ?? `${out}/tally.duckdb`),
      tokens,
      host: values.host,
      port: Number(values.port),
      smtpUrl: mail.smtpUrl,
      runOptions: { mail: { smtp: mail.smtp, log } },
      schedule: values['no-schedule'] ? undefined : schedule,
    });
    if (created.length > 0) log(`已为 ${created.join('、')} 生成令牌，保存在 ${tokensFile}`);
    log(`上传门户已启动：${portal.url}`);
    writeLinks(io, config, tokens, values['base-url'] ?? portal.url);

    await new Promise<void>((done) => {
      const onSignal = (signal: NodeJS.Signals) => {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
        log(`收到 ${signal}：等当前运行结束后退出`);
        void portal.close().then(done);
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
    });
    log('已退出');
    return 0;
  },
};
