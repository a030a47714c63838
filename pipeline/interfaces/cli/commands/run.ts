/** `tally run`: one run of the pipeline over the inbox as it is now. */
import { dirname, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_CONFIG, loadConfig } from '../../../kernel/config/config.ts';
import { runPipeline, type RunOptions, type RunProgress, type RunSummary } from '../../../run.ts';
import { UsageError, type Command, type CommandIO } from './command.ts';
import { mailEnvironment } from '../../../stages/7-notify/open-mail-channel.ts';
import { RUN_OPTIONS, parseNotify } from './run-options.ts';
import { PreviousWorkbookError, readPreviousWorkbook } from '../../../stages/5-rollup/yoy.ts';

export const runCommand: Command = {
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        ...RUN_OPTIONS,
        year: { type: 'string' },
        previous: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    });
    const year = parseYear(values.year);
    const notify = parseNotify(values.notify);
    const mail = mailEnvironment(process.env);
    const config = loadConfig(values.config === undefined ? DEMO_CONFIG : resolve(values.config), year === undefined ? {} : { year });
    const out = resolve(values.out);
    const previous = values.previous === undefined ? undefined : await readPrevious(resolve(values.previous), config.year - 1);
    return runAndReport(
      {
        ...(previous === undefined ? {} : { previous }),
        config,
        inbox: resolve(values.inbox),
        out,
        dbPath: resolve(values.db ?? `${out}/tally.duckdb`),
        smtpUrl: mail.smtpUrl,
        notify,
        mail: { smtp: mail.smtp },
      },
      io,
    );
  },
};

/**
 * One run, its progress on stderr and its summary on stdout (exit code 0): what `tally run` does
 * once its arguments are read, and what the demo does with the inbox it wrote.
 */
export async function runAndReport(opts: Omit<RunOptions, 'progress'>, io: CommandIO): Promise<number> {
  const summary = await runPipeline({ ...opts, progress: progressFor(io.err) });
  io.out.write(summaryText(summary));
  return 0;
}

/** `--previous FILE`: a file that is not a readable report workbook is a usage error (exit 2). */
async function readPrevious(path: string, year: number) {
  try {
    return await readPreviousWorkbook(path, year);
  } catch (error) {
    if (error instanceof PreviousWorkbookError) throw new UsageError(`--previous：${error.message}`);
    throw error;
  }
}

export function parseYear(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{4}$/.test(text)) throw new UsageError(`--year 应为四位年份，收到“${text}”`);
  return Number(text);
}

export function progressFor(stream: CommandIO["err"]): RunProgress {
  if (stream.isTTY !== true) {
    // Plain lines for logs (cron, systemd): every stage, and the files as they are read.
    return { stage: (label) => stream.write(`· ${label}\n`), file: fewer((i, n, path) => stream.write(`  [${i}/${n}] ${path}\n`)) };
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
    file: fewer((i, n, path) => {
      clear();
      stream.write(`  [${i}/${n}] ${path}`);
      open = true;
      if (i === n) clear();
    }),
  };
}

/** A run of up to this many files shows every one; a bigger one, a file a second and the last. */
const EVERY_FILE_UP_TO = 100;
const PROGRESS_EVERY_MS = 1_000;

/**
 * Progress for people, not a record (the findings and the run's summary are that): a district's
 * 5,000 lines, each a write to stderr on the thread that loads the rows, cost that thread ~2.5 s
 * when the pipe's reader was slow.
 */
function fewer(file: RunProgress['file']): RunProgress['file'] {
  let last = -Infinity;
  return (i, n, path) => {
    const now = performance.now();
    if (n > EVERY_FILE_UP_TO && i < n && now - last < PROGRESS_EVERY_MS) return;
    last = now;
    file(i, n, path);
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
  if (s.report.previousYear !== undefined) lines.push(`  上年数值：${s.report.previousYear.year}年度，来自${s.report.previousYear.source}`);
  if (s.marked !== undefined && s.marked.files.length > 0) {
    const dir = relative(process.cwd(), dirname(dirname(s.marked.files[0]?.path ?? ''))) || '.';
    lines.push(`  批注版：${s.marked.files.length} 个文件（${dir}/<部门>/）`);
  }
  for (const skipped of s.marked?.skipped ?? []) lines.push(`    未生成批注版：${skipped.file}：${skipped.reason}`);
  const sent = s.mails.filter((m) => m.error === undefined);
  const failed = s.mails.filter((m) => m.error !== undefined);
  const via = s.mails[0]?.via === 'smtp' ? '经 SMTP 发出' : '写入发件箱';
  if (s.mails.length === 0) lines.push('  邮件：无变化，未发信');
  else lines.push(`  邮件：${sent.length} 封${via}${failed.length > 0 ? `，${failed.length} 封失败` : ''}`);
  for (const m of s.mails) {
    lines.push(`    ${m.error === undefined ? '✓' : '✗'} ${m.to}  ${m.path !== undefined ? relative(process.cwd(), m.path) : ''}${m.error !== undefined ? `  ${m.error}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
