/**
 * `tally status`: the last runs (start, end, how started, files, findings by level, mails) and
 * what waits in the outbox. The database is one process's at a time: while a run holds it, this
 * says so and exits 1.
 */
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_CONFIG, loadConfig } from '../../../kernel/config/config.ts';
import { openDatabase } from '../../../kernel/db/open-database.ts';
import { lastRuns, outboxState, type RunRecord } from '../../schedule/run-history.ts';
import { stamp } from '../../schedule/scheduler.ts';
import { UsageError, type Command } from './command.ts';

const TRIGGER: Readonly<Record<string, string>> = { manual: '手动', schedule: '定时' };
const STATUS: Readonly<Record<string, string>> = { done: '完成', running: '进行中/中断' };

export const statusCommand: Command = {
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        config: { type: 'string' },
        out: { type: 'string', default: 'out' },
        db: { type: 'string' },
        limit: { type: 'string', default: '10' },
      },
      strict: true,
      allowPositionals: false,
    });
    if (!/^\d{1,3}$/.test(values.limit) || Number(values.limit) < 1) throw new UsageError(`--limit 应为 1–999 的整数，收到“${values.limit}”`);
    const config = loadConfig(values.config === undefined ? DEMO_CONFIG : resolve(values.config));
    const dbPath = resolve(values.db ?? `${resolve(values.out)}/tally.duckdb`);
    const tz = config.schedule.timezone;
    const tdb = await openDatabase(dbPath, config.ledgers);
    try {
      const runs = await lastRuns(tdb.db, Number(values.limit));
      const outbox = await outboxState(tdb.db);
      const lines = [`数据库：${relative(process.cwd(), dbPath) || dbPath}；定时：${config.schedule.cron}（${tz}）${config.deadline === undefined ? '' : `；报送截止：${config.deadline}`}`];
      if (runs.length === 0) lines.push('尚无运行记录。');
      else {
        lines.push(`最近 ${runs.length} 次运行：`);
        // bounded: the runs asked for (--last)
        lines.push(...aligned([['#', '开始', '结束', '方式', '状态', '文件(收到/读取)', '错误', '警告', '发信', '失败', '待发'], ...runs.map((r) => cells(r, tz))]));
      }
      lines.push(`发件箱：待重发 ${outbox.pending.length} 封，无法投递 ${outbox.failed.length} 封`);
      for (const p of outbox.pending) lines.push(`  … ${p.to}《${p.subject}》已尝试 ${p.attempts} 次：${p.error ?? ''}`);
      for (const f of outbox.failed) lines.push(`  ✗ ${f.to}《${f.subject}》${stamp(f.at, tz)}：${f.error ?? ''}`);
      io.out.write(`${lines.join('\n')}\n`);
    } finally {
      await tdb.close();
    }
    return 0;
  },
};

function cells(r: RunRecord, tz: string): string[] {
  return [
    String(r.id),
    stamp(r.startedAt, tz).slice(0, 16),
    r.finishedAt === null ? '—' : stamp(r.finishedAt, tz).slice(0, 16),
    TRIGGER[r.trigger] ?? r.trigger,
    STATUS[r.status] ?? r.status,
    `${r.filesSeen}/${r.filesRead}`,
    String(r.errors),
    String(r.warnings),
    String(r.mailsSent),
    String(r.mailsFailed),
    String(r.mailsPending),
  ];
}

/** Columns padded to their widest cell, a CJK character counting two. */
function aligned(rows: readonly (readonly string[])[]): string[] {
  const width = (text: string) => [...text].reduce((n, ch) => n + (/[\u1100-\uffff]/u.test(ch) ? 2 : 1), 0);
  const widths = rows[0]?.map((_, col) => rows.reduce((w, r) => Math.max(w, width(r[col] ?? '')), 0)) ?? [];
  return rows.map((r) => `  ${r.map((cell, col) => cell + ' '.repeat((widths[col] ?? 0) - width(cell))).join('  ').trimEnd()}`);
}
