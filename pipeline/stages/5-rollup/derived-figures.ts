/**
 * Derived figures: what a report states as a rate, a share or a sum of its other figures
 * (出庭应诉率 = 负责人出庭 ÷ 行政诉讼; 持证比例; 共计 = a + b). Declared in the pack's
 * `derived`, never coded. They are not rolled up from ledgers but computed from the figures
 * (and from other derived figures, in dependency order), written as the pack says (`66.7%`,
 * `超过95%`), and shown after the indicators in 指标汇总 with last year's value.
 */
import type { IndicatorResult, IndicatorStatus } from '../../../reports/report-data.ts';
import type { DerivedDef } from '../../../reports/report-catalog.ts';
import { wordFigure } from '../../../reports/wording.ts';
import { derivedOrder } from '../../kernel/pack/derived-order.ts';
import { yoyChange } from './yoy.ts';
import { toCellPrecision } from './sum-amounts.ts';

const STATUS_ORDER: readonly IndicatorStatus[] = ['缺报', '有错误', '有警告', '正常'];

/** A share in percent (0–100, one decimal) of two figures; null when either is unknown or the base is 0. */
export function ratePercent(numerator: number | null | undefined, denominator: number | null | undefined): number | null {
  if (numerator === null || numerator === undefined || denominator === null || denominator === undefined || denominator === 0) return null;
  return Math.round((numerator / denominator) * 1000) / 10;
}

/** `50%`, `66.7%`, `100%`. */
export function wordPercent(percent: number | null): string | null {
  return wordFigure(percent, 'percent', '%');
}

type Values = Map<string, number | null | undefined>;

function compute(def: DerivedDef, values: Values): number | null {
  if (def.form.kind === 'ratio') return ratePercent(values.get(def.form.numerator), values.get(def.form.denominator));
  let sum = 0;
  for (const code of def.form.of) {
    const v = values.get(code);
    if (v === null || v === undefined) return null;
    sum += v;
  }
  return toCellPrecision(sum);
}

/**
 * The denominator's code when a share has no value because its denominator is 0 (and its
 * numerator is known): nothing happened, which the text and 指标汇总 say as 分母为0.
 */
function zeroDenominatorOf(def: DerivedDef, values: Values): string | undefined {
  if (def.form.kind !== 'ratio') return undefined;
  const numerator = values.get(def.form.numerator);
  if (values.get(def.form.denominator) !== 0 || numerator === null || numerator === undefined) return undefined;
  return def.form.denominator;
}

/**
 * The shares among the derived figures whose denominator is 0, each with its denominator's code
 * (for `tally explain` and `tally verify`, which read the values alone).
 *
 * @example
 * zeroDenominators(config.report.derived, values); // Map { 'x.correction_rate' => 'x.reconsiderations' } in a year without 行政复议
 */
export function zeroDenominators(defs: readonly DerivedDef[], values: ReadonlyMap<string, number | null>): Map<string, string> {
  const all: Values = new Map(values);
  const out = new Map<string, string>();
  for (const def of derivedOrder(defs).order ?? []) {
    all.set(def.code, compute(def, all));
    const base = zeroDenominatorOf(def, all);
    if (base !== undefined) out.set(def.code, base);
  }
  return out;
}

/** The values alone of the derived figures, from the indicators' (for `run_indicators`). */
export function derivedValues(defs: readonly DerivedDef[], values: ReadonlyMap<string, number | null>): Map<string, number | null> {
  const all: Values = new Map(values);
  const out = new Map<string, number | null>();
  for (const def of derivedOrder(defs).order ?? []) {
    const v = compute(def, all);
    all.set(def.code, v);
    out.set(def.code, v);
  }
  return out;
}

/**
 * The pack's derived figures over the run's indicators, numbered after them.
 *
 * @example
 * deriveFigures(config.report.derived, indicators)[0]; // { code: 'x.appearance_rate', value: 50, wording: '50%', … }
 */
export function deriveFigures(defs: readonly DerivedDef[], indicators: readonly IndicatorResult[]): IndicatorResult[] {
  const { order } = derivedOrder(defs);
  // A pack with a cycle never loads (pack check); no order, no derived figures.
  if (order === null) return [];
  const byCode = new Map<string, IndicatorResult>(indicators.map((i) => [i.code, i]));
  const current: Values = new Map(indicators.map((i) => [i.code, i.value]));
  const previous: Values = new Map(indicators.map((i) => [i.code, i.previous]));
  const computed = new Map<string, IndicatorResult>();
  for (const def of order) {
    const parts = (def.form.kind === 'ratio' ? [def.form.numerator, def.form.denominator] : def.form.of).map((c) => byCode.get(c));
    const known = parts.filter((p): p is IndicatorResult => p !== undefined);
    const value = compute(def, current);
    const status = STATUS_ORDER.find((s) => known.some((p) => p.status === s)) ?? '正常';
    const withPrevious = known.some((p) => p.previous !== undefined);
    const before = withPrevious ? compute(def, previous) : undefined;
    const names = known.map((p) => p.name);
    const zeroBaseCode = value === null ? zeroDenominatorOf(def, current) : undefined;
    const zeroBase = zeroBaseCode === undefined ? undefined : (byCode.get(zeroBaseCode)?.name ?? zeroBaseCode);
    const result: IndicatorResult = {
      seq: 0,
      code: def.code,
      section: def.sections?.join('、') ?? known[0]?.section ?? '',
      name: def.name,
      value,
      unit: def.unit,
      written: def.written,
      wording: wordFigure(value, def.written, def.unit, def),
      sources: `派生：${names.join(def.form.kind === 'ratio' ? ' ÷ ' : ' + ')}`,
      status,
      ...(zeroBase === undefined ? {} : { zeroDenominator: zeroBase }),
      ...(before === undefined ? {} : { previous: before, change: yoyChange(value, before) }),
    };
    computed.set(def.code, result);
    byCode.set(def.code, result);
    current.set(def.code, value);
    previous.set(def.code, before);
  }
  // Shown in the order the pack lists them.
  return defs.flatMap((d, i) => {
    const r = computed.get(d.code);
    return r === undefined ? [] : [{ ...r, seq: indicators.length + i + 1 }];
  });
}
