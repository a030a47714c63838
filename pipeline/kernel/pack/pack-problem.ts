/**
 * What is wrong with a report pack, in Chinese, naming the file and the key: the same lines
 * from `tally pack check` and from a `tally run` that refuses the pack.
 */
import type * as z from 'zod';
import { ConfigError } from '../config/config-error.ts';

export interface PackProblem {
  /** 错误: the pack cannot run. 警告: it runs, but a figure may not mean what it says. */
  readonly level: '错误' | '警告';
  /** The pack's file the problem is in (`pack.json`, `indicators/x.sql` …), as given. */
  readonly file: string;
  /** The key inside it (`indicators.3.ledgers`), or '' for the whole file. */
  readonly key: string;
  readonly message: string;
}

/** `packs/x/pack.json indicators.3.ledgers：台账“foo”没有定义`. */
export function problemLine(p: PackProblem): string {
  return `[${p.level}] ${p.file}${p.key === '' ? '' : ` ${p.key}`}：${p.message}`;
}

/** A pack with errors: the run cannot go on (exit 1). Carries every problem, not only the first. */
export class PackError extends ConfigError {
  readonly problems: readonly PackProblem[];
  constructor(dir: string, problems: readonly PackProblem[]) {
    const errors = problems.filter((p) => p.level === '错误');
    super(`报告包 ${dir} 有 ${errors.length} 处错误，无法运行（tally pack check ${dir} 可逐项查看）：\n${errors.map(problemLine).join('\n')}`);
    this.problems = problems;
  }
}

/** One problem per zod issue, its path as the key. */
export function zodProblems(file: string, error: z.ZodError, prefix = ''): PackProblem[] {
  return error.issues.map((i) => ({
    level: '错误' as const,
    file,
    key: [prefix, ...i.path.map(String)].filter((k) => k !== '').join('.'),
    message: i.message,
  }));
}
