/**
 * The findings as people read them, in one list: each finding shown, and after the findings of
 * a file and sheet, one line per rule whose further findings were left out
 * (`同类问题另有 284,980 处（第 21–300,001 行）`). The report's 问题清单, the mail and the
 * portal all read this, so a flood reads the same everywhere.
 */
import type { Finding } from '../pipeline/kernel/findings/findings.ts';
import type { OmittedFindings } from '../pipeline/kernel/findings/findings.ts';

export type FindingLine = { readonly kind: 'finding'; readonly finding: Finding } | { readonly kind: 'omitted'; readonly omitted: OmittedFindings };

const blockOf = (f: Pick<Finding, 'level' | 'department' | 'file' | 'sheet'>) => [f.level, f.department, f.file, f.sheet].join('\u0000');

/**
 * @param shown findings in reading order (ReportData.findings, or one department's of them)
 * @param omitted the groups left out (ReportData.findingsOmitted, or one department's)
 */
export function findingLines(shown: readonly Finding[], omitted: readonly OmittedFindings[] = []): FindingLine[] {
  const pending = new Map<string, OmittedFindings[]>();
  for (const o of omitted) pending.set(blockOf(o), [...(pending.get(blockOf(o)) ?? []), o]);
  const out: FindingLine[] = [];
  const flush = (block: string | null) => {
    if (block === null) return;
    for (const o of pending.get(block) ?? []) out.push({ kind: 'omitted', omitted: o });
    pending.delete(block);
  };
  let current: string | null = null;
  for (const f of shown) {
    const block = blockOf(f);
    if (block !== current) flush(current);
    current = block;
    out.push({ kind: 'finding', finding: f });
  }
  flush(current);
  // Groups with nothing shown (a department's list reached its cap before them).
  for (const rest of pending.values()) for (const o of rest) out.push({ kind: 'omitted', omitted: o });
  return out;
}
