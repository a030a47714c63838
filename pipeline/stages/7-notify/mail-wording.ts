/** Wording shared by every mail: the subject prefix, the signature, counts and a finding's explanation. */
import { levelTotals, type Finding, type FindingCount, type Level } from '../../kernel/findings/findings.ts';
import type { ReportData } from '../../../reports/report-data.ts';

/**
 * The mails' subject prefix, in the words of the pack's report (its `kind`):
 * `【法治政府建设年度报告】`, `【普法依法治理年度报告】`.
 */
export function subjectPrefix(data: Pick<ReportData, 'kind'>): string {
  return `【${data.kind ?? '法治政府建设'}年度报告】`;
}
export const UNOWNED = '（未归属）';
export const SIGNATURE = '—— tally 台账核查（本邮件由系统自动发送）';

export function countsText(totals: Readonly<Record<Level, number>>): string {
  const parts = [totals.错误 > 0 ? `${totals.错误}个错误` : '', totals.警告 > 0 ? `${totals.警告}个警告` : ''].filter((s) => s !== '');
  return parts.length === 0 ? '未发现问题' : parts.join('、');
}

/** Every finding of the run counted (the list shows only some): from the database's counts, else the list itself. */
export function counted(data: ReportData): readonly FindingCount[] {
  return data.findingCounts ?? data.findings.map((f) => ({ department: f.department, ledger: f.ledger, level: f.level, count: 1 }));
}

/** Totals by level, of the whole run or of one department. */
export function totalsOf(data: ReportData, department?: string | null): Record<Level, number> {
  return levelTotals(counted(data), department);
}

/**
 * Where a finding is, in a finding's line: `单元格：D7` for a cell, `第33行` for a whole row (the
 * cell of a row-level finding, row.duplicate, is its row number), `单元格：—` for none.
 *
 * @example
 * placeText('D7') // '单元格：D7'
 * placeText('33') // '第33行'
 */
export function placeText(cell: string | null): string {
  if (cell === null) return '单元格：—';
  return /^\d+$/.test(cell) ? `第${cell}行` : `单元格：${cell}`;
}

/** Where a finding is, in the 位置 column of a table of findings: `D7`, `第33行`, or empty. */
export function placeCell(cell: string | null): string {
  if (cell === null) return '';
  return /^\d+$/.test(cell) ? `第${cell}行` : cell;
}

/** The message, with 期望/实际 when present. */
export function explain(f: Finding): string {
  const extra = [
    f.expected === null ? '' : `期望：${f.expected}`,
    f.actual === null ? '' : `实际：${f.actual}`,
  ].filter((s) => s !== '');
  return extra.length === 0 ? f.message : `${f.message}（${extra.join('；')}）`;
}

