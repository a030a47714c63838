/**
 * `tally explain` of a derived figure (a rate, a share or a sum of other figures): it has no
 * rows of its own, so it is taken apart into its formula and its parts, each with its value and
 * the `tally explain` that shows the rows behind it. A share whose denominator is 0 has no value
 * because nothing happened (分母为0), which is said in so many words: never 0%, never 无法计算.
 */
import { partsOf, type DerivedDef, type ReportCatalog } from '../../reports/report-catalog.ts';
import { wordFigure } from '../../reports/wording.ts';
import { ZERO_DENOMINATOR, zeroDenominatorWording } from '../../reports/narrative.ts';
import { derivedValues, zeroDenominators } from '../stages/5-rollup/derived-figures.ts';
import { toCellPrecision } from '../stages/5-rollup/sum-amounts.ts';

/** What is known of each figure of the report: its value, or why it has none. */
export interface KnownFigure {
  readonly value: number | null;
  /** Why a null value is unknown. */
  readonly unknown?: '缺报' | '无法统计' | undefined;
}

/**
 * The lines explaining one derived figure.
 *
 * @example
 * explainDerived(rate, report, figures, 2021, '--config wsz.json').join('\n');
 * // litigation.correction_rate 复议纠错率（2021年度）：16.7%，报告写作“16.7%”
 * // 派生指标，由其他指标计算：复议纠错 ÷ 行政复议 × 100%（保留一位小数）
 * //   复议纠错（litigation.reconsideration_corrected）：1件　逐行明细：tally explain litigation.reconsideration_corrected --config wsz.json
 * //   …
 * // 计算：1 ÷ 6 × 100% = 16.7%
 * // and in a year without 行政复议:
 * // litigation.correction_rate 复议纠错率（2022年度）：分母为0（行政复议为0，不计算复议纠错率）
 * // …
 * // 分母为0：“行政复议”为0件，“复议纠错率”没有数值（不是0%）。报告中写明没有行政复议即可，不写这一比率。
 */
export function explainDerived(def: DerivedDef, report: ReportCatalog, figures: ReadonlyMap<string, KnownFigure>, year: number, options: string): string[] {
  const all = new Map<string, KnownFigure>(figures);
  const indicatorValues = new Map([...figures].map(([code, f]) => [code, f.value]));
  const zeroBases = zeroDenominators(report.derived, indicatorValues);
  for (const [code, value] of derivedValues(report.derived, indicatorValues)) {
    // A derived figure without a value is unknown because one of its parts is.
    // A sum of decimal figures is shown at cell precision, as its parts are.
    all.set(code, { value: value === null ? null : toCellPrecision(value), unknown: value === null ? unknownOf(report, code, figures) : undefined });
  }
  const figureOf = (code: string) => {
    const ind = report.indicators.find((i) => i.code === code);
    const der = report.derived.find((d) => d.code === code);
    return { name: ind?.name ?? der?.name ?? code, unit: ind?.unit ?? der?.unit ?? '', known: all.get(code) ?? { value: null } };
  };
  const self = figureOf(def.code);
  const value = self.known.value;
  const zeroBase = zeroBases.get(def.code);
  const out: string[] = [];
  const wording = wordFigure(value, def.written, def.unit, def);
  const shown =
    zeroBase !== undefined ? zeroDenominatorWording(def.name, figureOf(zeroBase).name)
    : value === null || wording === null ? (self.known.unknown ?? '无法计算')
    : `${value}${def.unit}，报告写作“${wording}”`;
  out.push(`${def.code} ${def.name}（${year}年度）：${shown}`);
  const parts = partsOf(def);
  const names = parts.map((p) => figureOf(p).name);
  out.push(
    def.form.kind === 'ratio'
      ? `派生指标，由其他指标计算：${names[0]} ÷ ${names[1]} × 100%（保留一位小数）`
      : `派生指标，由其他指标相加：${names.join(' + ')}`,
  );
  for (const code of parts) {
    const p = figureOf(code);
    const partShown = p.known.value !== null ? `${p.known.value}${p.unit}` : zeroBases.has(code) ? ZERO_DENOMINATOR : (p.known.unknown ?? '无值');
    out.push(`  ${p.name}（${code}）：${partShown}　逐行明细：tally explain ${code}${options === '' ? '' : ` ${options}`}`);
  }
  const partValues = parts.map((p) => figureOf(p).known.value);
  if (partValues.some((v) => v === null)) {
    const lacking = parts.filter((p) => figureOf(p).known.value === null).map((p) => `“${figureOf(p).name}”`);
    out.push(`无法计算：${lacking.join('、')}没有数值。`);
  } else if (zeroBase !== undefined) {
    const base = figureOf(zeroBase);
    out.push(`${ZERO_DENOMINATOR}：“${base.name}”为0${base.unit}，“${def.name}”没有数值（不是0%）。报告中写明没有${base.name}即可，不写这一比率。`);
  } else if (def.form.kind === 'ratio') {
    out.push(`计算：${partValues[0]} ÷ ${partValues[1]} × 100% = ${value}%`);
  } else {
    out.push(`计算：${partValues.join(' + ')} = ${value}${def.unit}`);
  }
  return out;
}

function unknownOf(report: ReportCatalog, code: string, figures: ReadonlyMap<string, KnownFigure>): '缺报' | '无法统计' | undefined {
  const def = report.derived.find((d) => d.code === code);
  if (def === undefined) return undefined;
  const reasons = partsOf(def).map((p) => figures.get(p)?.unknown ?? unknownOf(report, p, figures));
  if (reasons.includes('缺报')) return '缺报';
  return reasons.includes('无法统计') ? '无法统计' : undefined;
}
