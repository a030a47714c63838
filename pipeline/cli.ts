/**
 * `tally` on the command line (contract §6). Exit codes: 0 the run completed (whatever it
 * found), 1 it could not run, 2 a usage error.
 */
import { rm } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from './config-error.ts';
import { loadConfig, DEMO_CONFIG } from './config.ts';
import { DatabaseError } from './db/open-database.ts';
import { runPipeline, type RunProgress, type RunSummary } from './run.ts';

const USAGE = `用法：
  tally run [--config 文件] [--inbox 目录] [--out 目录] [--db 文件] [--year 年份]
  tally demo [--dir 目录]     生成演示收件箱并运行一次（npm start）

  --config  配置文件（默认：内置的安定镇 2020 演示配置）
  --inbox   收件箱目录，每个部门一个子文件夹（默认 ./inbox）
  --out     输出目录：报告工作簿、邮件、原件存档（默认 ./out）
  --db      数据库文件（默认 <out>/tally.duckdb）
  --year    报告年度（默认取配置）
  环境变量 SMTP_URL（smtp://用户:密码@主机:端口 或 smtps://…）：设置则经该服务器发信，否则写入 <out>/outbox/*.eml`;

class UsageError extends Error {}

export async function main(argv: readonly string[], io: { out: NodeJS.WriteStream; err: NodeJS.WriteStream } = { out: process.stdout, err: process.stderr }): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'run') return await runCommand(rest, io);
    if (command === 'demo') return await demoCommand(rest, io);
    if (command === '--help' || command === '-h' || command === 'help') {
      io.out.write(`${USAGE}\n`);
      return 0;
    }
    throw new UsageError(command === undefined ? '缺少命令' : `未知命令“${command}”`);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err.write(`tally：${(error as Error).message}\n\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof ConfigError || error instanceof DatabaseError) {
      io.err.write(`tally：无法运行：${error.message}\n`);
      return 1;
    }
    io.err.write(`tally：运行失败：${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

async function runCommand(args: readonly string[], io: { out: NodeJS.WriteStream; err: NodeJS.WriteStream }): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      config: { type: 'string' },
      inbox: { type: 'string', default: 'inbox' },
      out: { type: 'string', default: 'out' },
      db: { type: 'string' },
      year: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  let year: number | undefined;
  if (values.year !== undefined) {
    if (!/^\d{4}$/.test(values.year)) throw new UsageError(`--year 应为四位年份，收到“${values.year}”`);
    year = Number(values.year);
  }
  const config = loadConfig(values.config === undefined ? DEMO_CONFIG : resolve(values.config), year === undefined ? {} : { year });
  const out = resolve(values.out);
  const summary = await runPipeline({
    config,
    inbox: resolve(values.inbox),
    out,
    dbPath: resolve(values.db ?? `${out}/tally.duckdb`),
    smtpUrl: process.env['SMTP_URL'] || undefined,
    progress: progressFor(io.err),
  });
  io.out.write(summaryText(summary));
  return 0;
}

async function demoCommand(args: readonly string[], io: { out: NodeJS.WriteStream; err: NodeJS.WriteStream }): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: { dir: { type: 'string', default: 'demo-run' } }, strict: true });
  const dir = resolve(values.dir);
  const started = Date.now();
  // The demo starts from nothing each time, so its output is always the same story.
  await rm(dir, { recursive: true, force: true });
  const { generateDemoInbox } = await import('../demo/demo-inbox.ts');
  const manifest = await generateDemoInbox(resolve(dir, 'inbox'));
  io.out.write(`演示收件箱：${relative(process.cwd(), resolve(dir, 'inbox'))}（${manifest.files.length} 个文件，预埋 ${manifest.planted.length} 处问题）\n`);
  const code = await runCommand(['--inbox', resolve(dir, 'inbox'), '--out', resolve(dir, 'out')], io);
  io.out.write(`用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒\n`);
  return code;
}

function progressFor(stream: NodeJS.WriteStream): RunProgress {
  if (stream.isTTY !== true) {
    return { stage: (label) => stream.write(`· ${label}\n`), file: () => {} };
  }
  let open = false;
  const clear = () => {
    if (open) stream.write('\r\x1b[2K');
    open = false;
  };
  return {
    stage: (label) => {
      clear();
      stream.write(`· ${label}\n`);
    },
    file: (i, n, path) => {
      clear();
      stream.write(`  [${i}/${n}] ${path}`);
      open = true;
      if (i === n) clear();
    },
  };
}

function summaryText(s: RunSummary): string {
  const lines = [
    '',
    `${s.report.title}：本次运行完成`,
    `  文件：收到 ${s.filesSeen} 个，读取 ${s.filesRead} 个，未变化 ${s.filesUnchanged} 个`,
    `  问题：错误 ${s.findings.错误} 个，警告 ${s.findings.警告} 个`,
    `  指标：已填 ${s.indicatorsFilled}/${s.indicatorsTotal}`,
    `  报告工作簿：${relative(process.cwd(), s.workbook) || s.workbook}`,
  ];
  const sent = s.mails.filter((m) => m.error === undefined);
  const failed = s.mails.filter((m) => m.error !== undefined);
  const via = s.mails[0]?.via === 'smtp' ? '经 SMTP 发出' : '写入发件箱';
  lines.push(`  邮件：${sent.length} 封${via}${failed.length > 0 ? `，${failed.length} 封失败` : ''}`);
  for (const m of s.mails) {
    lines.push(`    ${m.error === undefined ? '✓' : '✗'} ${m.to}  ${m.path !== undefined ? relative(process.cwd(), m.path) : ''}${m.error !== undefined ? `  ${m.error}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
