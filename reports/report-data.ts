/**
 * Everything the report stage needs, computed by the earlier stages. The workbook writer, the
 * narrative and the mail composer read only this: no database, no files.
 */
import type { Finding } from '../pipeline/kernel/findings/findings.ts';
import type { FindingCount, OmittedFindings } from '../pipeline/kernel/findings/findings.ts';
import type { TraceRow } from '../pipeline/stages/5-rollup/trace-rows.ts';
import type { Written } from './wording.ts';

export const INDICATOR_STATUSES = ['正常', '有警告', '有错误', '缺报'] as const;
export type IndicatorStatus = (typeof INDICATOR_STATUSES)[number];

export const SUBMISSION_STATUSES = ['已报', '空表', '缺报'] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];

export interface IndicatorResult {
  readonly seq: number;
  readonly code: string;
  /** Section ids joined for display, e.g. `一(三)、三(三)`. */
  readonly section: string;
  readonly name: string;
  /** null when unknown (a ledger it needs is missing): never a silent 0. */
  readonly value: number | null;
  readonly unit: string;
  readonly written: Written;
  /** How the report writes it, e.g. `280余项`, `15次`, `66.7%`, `超过95%`; null when the value is unknown. */
  readonly wording: string | null;
  /** Departments and ledgers it is made of, e.g. `综合执法队·执法公示台账`. */
  readonly sources: string;
  readonly status: IndicatorStatus;
  /**
   * A derived share whose denominator is 0 (0 行政复议 → 复议纠错率): the denominator's 指标名称.
   * Its value and wording are null because nothing happened, not because data is missing;
   * 指标汇总 says 分母为0 in 报告表述.
   */
  readonly zeroDenominator?: string;
  /**
   * Last year's value (issue 4): absent when no earlier year is known, null when it was unknown
   * (or not in last year's report).
   */
  readonly previous?: number | null;
  /** (value − previous) ÷ previous, 0.25 for +25%; null when it cannot be computed. */
  readonly change?: number | null;
}

export interface SubmissionRow {
  /** Department display name (综合执法队). */
  readonly department: string;
  readonly departmentCode: string;
  /** Ledger display name (执法公示台账). */
  readonly ledger: string;
  readonly ledgerId: string;
  readonly status: SubmissionStatus;
  /** Files (relative to the inbox) the ledger was found in; empty when 缺报. */
  readonly files: readonly string[];
  /** Version numbers of those files, same order. */
  readonly versions: readonly number[];
  /** When the newest of those files arrived (ISO string), null when 缺报. */
  readonly receivedAt: string | null;
  readonly rows: number;
  readonly findings: number;
}

export interface DepartmentInfo {
  readonly code: string;
  readonly name: string;
  readonly email: string;
  readonly owes: readonly string[];
}

export interface ReportData {
  readonly year: number;
  readonly town: string;
  readonly district: string;
  /** The report title, e.g. 大兴区安定镇2020年度法治政府建设年度情况报告. */
  readonly title: string;
  /** What the report is about (`法治政府建设`: the pack's `kind`), for the mails' subjects; that when absent. */
  readonly kind?: string;
  readonly generatedAt: Date;
  readonly indicators: readonly IndicatorResult[];
  /**
   * The findings people read, sorted (错误 before 警告, then department, file, sheet, cell): at
   * most a few per file, sheet and rule (pipeline/kernel/findings/findings-store.ts); the rest are in
   * {@link findingsOmitted}, and all of them in the CSV beside the report.
   */
  readonly findings: readonly Finding[];
  /** Per file, sheet and rule, the findings left out of {@link findings}: one line each. */
  readonly findingsOmitted?: readonly OmittedFindings[];
  /** Every finding of the run counted by department, ledger and level. */
  readonly findingCounts?: readonly FindingCount[];
  readonly submissions: readonly SubmissionRow[];
  /** The filled report text (报告正文), paragraphs separated by blank lines. */
  readonly narrative: string;
  readonly departments: readonly DepartmentInfo[];
  readonly coordinator: { readonly name: string; readonly email: string };
  /**
   * Every candidate row behind each figure (the 溯源 sheet), in catalog order of the indicators:
   * the counted rows' amounts add up to the figure; left-out rows carry their reason.
   */
  /** Figures whose trace was cut for the workbook: how many rows it leaves out (tally explain lists all). */
  readonly traceOmitted?: readonly { readonly code: string; readonly omitted: number }[];
  readonly trace?: readonly TraceRow[];
  /** Figures the pack derives from others (rates, shares, sums), shown after the indicators in 指标汇总. */
  readonly derived?: readonly IndicatorResult[];
  /** Where 上年数值 comes from, when an earlier year is known. */
  readonly previousYear?: { readonly year: number; readonly source: string };
}
