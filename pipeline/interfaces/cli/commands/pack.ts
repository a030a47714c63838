/**
 * `tally pack check DIR [--config FILE]`: validates a report pack before any run and lists every
 * problem in Chinese with its file and key. Exit 0 when the pack can run (warnings allowed), 1
 * when it has errors (the same lines `tally run` refuses it with), 2 on a usage error.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { checkPack, type Roster } from '../../../kernel/pack/check-pack.ts';
import { readPack } from '../../../kernel/pack/load-pack.ts';
import { problemLine } from '../../../kernel/pack/pack-problem.ts';
import { UsageError, type Command } from './command.ts';
import { CHECK_CODES } from '../../../kernel/findings/findings.ts';

export const packCommand: Command = {
  async run(args, io) {
    const { values, positionals } = parseArgs({ args: [...args], options: { config: { type: 'string' } }, strict: true, allowPositionals: true });
    const [sub, dirArg, ...rest] = positionals;
    if (sub !== 'check' || dirArg === undefined || rest.length > 0) throw new UsageError('用法：tally pack check 报告包目录 [--config 配置文件]');
    const dir = resolve(dirArg);
    const roster = values.config === undefined ? undefined : readRoster(resolve(values.config));
    const problems = await checkPack(dir, roster);
    const errors = problems.filter((p) => p.level === '错误');
    for (const p of problems) io.out.write(`${problemLine(p)}\n`);
    if (errors.length > 0) {
      io.out.write(`报告包 ${dirArg} 有 ${errors.length} 处错误、${problems.length - errors.length} 处警告：改正后才能运行。\n`);
      return 1;
    }
    const { pack } = readPack(dir);
    const r = pack?.report;
    // A check under a contract code (row.date_order …) is the pack's query for tally's rule; only
    // the others are rules of the pack's own.
    const contract = new Set<string>(CHECK_CODES);
    const own = r?.checks.filter((c) => !contract.has(c.code)).length ?? 0;
    const underContract = (r?.checks.length ?? 0) - own;
    io.out.write(
      `报告包 ${dirArg} 检查通过：${r?.indicators.length ?? 0} 个指标、${r?.derived.length ?? 0} 个派生指标、${pack?.ledgers.ledgers.length ?? 0} 本台账、` +
        `${own} 条自有检查规则${underContract > 0 ? `、${underContract} 条合同规则编码的检查` : ''}${problems.length > 0 ? `；${problems.length} 处警告` : ''}。\n`,
    );
    if (roster === undefined) io.out.write('（未给出 --config：没有核对各台账是否有部门报送。）\n');
    return 0;
  },
};

/** The roster of a configuration file, read without loading its pack (it may point elsewhere). */
function readRoster(file: string): Roster {
  let json: { departments?: unknown; year?: unknown; town?: unknown; district?: unknown };
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as typeof json;
  } catch {
    throw new UsageError(`配置文件 ${file} 无法读取或不是有效的 JSON`);
  }
  const departments = Array.isArray(json.departments) ? json.departments : [];
  const settings = typeof json.year === 'number' ? { year: json.year, town: String(json.town ?? ''), district: String(json.district ?? '') } : undefined;
  return {
    file,
    ...(settings === undefined ? {} : { settings }),
    departments: departments.map((d: { code?: unknown; owes?: unknown }) => ({
      code: String(d.code ?? ''),
      owes: Array.isArray(d.owes) ? d.owes.map(String) : [],
    })),
  };
}
