/**
 * Everything the district's outputs (workbook, docx, dashboard, mail) need, computed once by
 * `consolidate`: no writer opens a database or a file.
 */
import type { ZERO_DENOMINATOR } from '../../reports/narrative.ts';

/** A figure of the district: an indicator some town reports, or a figure computed from others. */
export interface DistrictFigure {
  readonly code: string;
  readonly name: string;
  readonly unit: string;
  /** `indicator`: summed over towns; `ratio`: Σ numerator ÷ Σ denominator (in %); `sum`: Σ of its parts. */
  readonly kind: 'indicator' | 'ratio' | 'sum' | 'rate-without-parts';
  /** For `ratio`: [numerator, denominator]; for `sum`: the parts. */
  readonly parts: readonly string[];
}

/**
 * One town's value of one figure:
 * - `value`: a number;
 * - `缺报`: the town's report has the figure but no value (a ledger missing);
 * - `无法读取`: the town's workbook writes its value as a text that is no number (十来件);
 * - `无法统计`: the town's report has the figure but no value though its ledgers came (a sheet
 *   lacks a column the figure needs: the town's own 状态 says 有错误, not 缺报);
 * - `分母为0`: a rate whose denominator is 0 in the town (no 行政诉讼, so no 出庭率): no value
 *   because nothing happened, not missing data;
 * - `无此指标`: the town's report pack does not have this figure;
 * - `未报送`: the town has sent nothing.
 */
export type TownCellState = 'value' | '缺报' | '无法统计' | '无法读取' | typeof ZERO_DENOMINATOR | '无此指标' | '未报送';

export interface TownCell {
  readonly state: TownCellState;
  readonly value: number | null;
  /** The town's own 状态 of the figure (正常/有警告/有错误/缺报) when it reported it. */
  readonly status: string | null;
  readonly previous: number | null;
  /** What a workbook wrote where no number could be read (state 无法读取). */
  readonly text?: string;
}

export const TOWN_STATUSES = ['已报', '逾期', '缺报'] as const;
export type TownStatus = (typeof TOWN_STATUSES)[number];

export interface TownLine {
  readonly town: string;
  /** `parquet`: its tally export; `xlsx`: its report workbook; null: nothing received. */
  readonly source: 'parquet' | 'xlsx' | null;
  readonly status: TownStatus;
  readonly reportedAt: Date | null;
  readonly errors: number;
  readonly warnings: number;
  /** Ledger rows in its export (0 for a workbook). */
  readonly ledgerRows: number;
  readonly coordinator: string | null;
  readonly email: string | null;
  /** Report title of its pack (when exported), e.g. 大兴区安定镇2020年度法治政府建设年度情况报告. */
  readonly report: string | null;
  readonly cells: ReadonlyMap<string, TownCell>;
}

export interface DistrictTotal {
  readonly code: string;
  /** Σ over the towns that have a value (ratios from the summed parts); null when none has. */
  readonly value: number | null;
  /** Towns whose value went into it (for a rate: whose denominator is not 0). */
  readonly towns: number;
  /** Towns that reported but lack the value (or whose rate has a denominator of 0), or the figure, or sent nothing. */
  readonly lacking: readonly string[];
  /** Σ of last year's values over the towns that have one (ratios from parts). */
  readonly previous: number | null;
  /**
   * A rate without a value because every town that has it had a denominator of 0 (shown
   * 分母为0, not 缺报).
   */
  readonly zeroDenominator: boolean;
}

export const ANOMALY_KINDS = ['同级偏离', '同比变动', '导出不一致'] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

export interface Anomaly {
  readonly kind: AnomalyKind;
  readonly town: string;
  readonly code: string;
  readonly value: number | null;
  /** The peers' median, last year's value, or the traced sum. */
  readonly reference: number | null;
  /** Modified z-score, or the change (0.25 = +25%). */
  readonly measure: number | null;
  /** Flagged by the stated rule (a 同比变动 line within the threshold is listed, not flagged). */
  readonly flagged: boolean;
  readonly note: string;
}

export interface TownRank {
  readonly rank: number;
  readonly of: number;
}

/** One row behind a district figure: a town's counted ledger row, from its export. */
export interface DistrictTraceRow {
  readonly code: string;
  readonly town: string;
  readonly department: string;
  readonly ledger: string;
  readonly file: string;
  readonly fileVersion: number;
  readonly sheet: string;
  readonly rowNo: number;
  readonly amount: number;
  /** The deciding cells: `调解结果=调解成功（E5）；结案日期=2020-03-02（F5）`. */
  readonly cells: string;
}

/** How much of one town's trace of one figure the workbook lists. */
export interface TraceExtent {
  readonly code: string;
  readonly town: string;
  /** Counted rows in the town's export, and their amounts added up. */
  readonly rows: number;
  readonly traced: number;
  readonly listed: number;
}

export interface DistrictData {
  readonly district: string;
  readonly year: number;
  readonly deadline: string | null;
  readonly generatedAt: Date;
  readonly figures: readonly DistrictFigure[];
  readonly towns: readonly TownLine[];
  readonly totals: ReadonlyMap<string, DistrictTotal>;
  readonly ranks: ReadonlyMap<string, ReadonlyMap<string, TownRank>>;
  readonly anomalies: readonly Anomaly[];
  readonly trace: readonly DistrictTraceRow[];
  readonly traceExtent: readonly TraceExtent[];
  /** The rules of 异常, stated in words (also printed in the workbook). */
  readonly rules: { readonly yoyThreshold: number; readonly outlierScore: number; readonly minPeers: number };
  readonly coordinator: { readonly name: string; readonly email: string } | null;
  /** How long the SQL over the towns' Parquet took, in ms. */
  readonly sqlMs: number;
}
