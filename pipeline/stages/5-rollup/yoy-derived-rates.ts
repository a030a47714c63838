/**
 * Derived rates (issue 4): figures the report states as a share of two of its indicators, e.g.
 * 出庭率 = 负责人出庭 ÷ 行政诉讼. They are not rolled up from ledgers but computed from the
 * figures, written as the report writes rates (`50%`, `66.7%`), and shown after the indicators in
 * 指标汇总 with last year's rate. A rate over 100% cannot happen unchecked: its numerator is bounded
 * by its denominator in the report definition (`indicator.bound`).
 */
import type { IndicatorResult, IndicatorStatus } from '../../../reports/report-data.ts';
import { yoyChange } from './yoy.ts';

export interface DerivedRateDef {
  readonly code: string;
  readonly name: string;
  readonly numerator: string;
  readonly denominator: string;
}

export const DERIVED_RATES: readonly DerivedRateDef[] = [
  { code: 'litigation.appearance_rate', name: '出庭率', numerator: 'litigation.leader_appearances', denominator: 'litigation.lawsuits' },
];

const STATUS_ORDER: readonly IndicatorStatus[] = ['缺报', '有错误', '有警告', '正常'];

/** A share in percent (0–100, one decimal) of two figures; null when either is unknown or the base is 0. */
export function ratePercent(numerator: number | null | undefined, denominator: number | null | undefined): number | null {
  if (numerator === null || numerator === undefined || denominator === null || denominator === undefined || denominator === 0) return null;
  return Math.round((numerator / denominator) * 1000) / 10;
}

/** `50%`, `66.7%`, `100%`. */
export function wordPercent(percent: number | null): string | null {
  return percent === null ? null : `${percent}%`;
}

/**
 * The derived rates whose two figures are in the report, numbered after its indicators.
 *
 * @example
 * deriveRates(indicators)[0]; // { code: 'litigation.appearance_rate', name: '出庭率', value: 50, wording: '50%', … }
 */
export function deriveRates(indicators: readonly IndicatorResult[], defs: readonly DerivedRateDef[] = DERIVED_RATES): IndicatorResult[] {
  const byCode = new Map(indicators.map((i) => [i.code, i]));
  const out: IndicatorResult[] = [];
  for (const def of defs) {
    const top = byCode.get(def.numerator);
    const base = byCode.get(def.denominator);
    if (top === undefined || base === undefined) continue;
    const value = ratePercent(top.value, base.value);
    const status = STATUS_ORDER.find((s) => top.status === s || base.status === s) ?? '正常';
    const withPrevious = top.previous !== undefined || base.previous !== undefined;
    const previous = withPrevious ? ratePercent(top.previous, base.previous) : undefined;
    out.push({
      seq: indicators.length + out.length + 1,
      code: def.code,
      section: top.section,
      name: def.name,
      value,
      unit: '%',
      written: 'exact',
      wording: wordPercent(value),
      sources: `派生：${top.name} ÷ ${base.name}`,
      status,
      ...(previous === undefined ? {} : { previous, change: yoyChange(value, previous) }),
    });
  }
  return out;
}
