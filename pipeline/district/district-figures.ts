/**
 * The district's arithmetic over the towns' figures, in memory (towns × figures, never rows):
 * totals, rates recomputed from their parts, ranks, peers far from the rest and year-over-year
 * moves, each by the rule stated in `DistrictData.rules`.
 */
import type { Anomaly, DistrictData, DistrictFigure, DistrictTotal, TownCell, TownLine, TownRank } from './district-data.ts';
import { ZERO_DENOMINATOR } from '../../reports/narrative.ts';

export interface FigureRow {
  town: string;
  year: number;
  seq: number;
  code: string;
  name: string;
  unit: string;
  kind: string;
  parts: string | null;
  value: number | null;
  status: string | null;
  previous: number | null;
  /** A rate a report workbook writes as 分母为0 (its 报告表述): no value because nothing happened. */
  zeroDenominator: boolean;
  /** A workbook's 数值 written as text that is no number: not read, asked for. */
  unreadable?: string | null;
}

export function districtFigures(current: readonly FigureRow[], townCount: number): DistrictFigure[] {
  const byCode = new Map<string, { rows: FigureRow[] }>();
  for (const f of current) {
    const e = byCode.get(f.code) ?? { rows: [] };
    e.rows.push(f);
    byCode.set(f.code, e);
  }
  const majority = Math.max(1, Math.ceil(new Set(current.map((f) => f.town)).size / 2));
  void townCount;
  const entries = [...byCode].map(([code, { rows: rs }]) => {
    // A definition with parts (from an export) wins over a workbook's bare rate.
    const defined = rs.find((r) => r.kind === 'ratio' || r.kind === 'sum');
    const first = defined ?? rs[0];
    const kind = (first?.kind ?? 'indicator') as DistrictFigure['kind'];
    return {
      fig: { code, name: mostCommon(rs.map((r) => r.name)), unit: first?.unit ?? '', kind, parts: first?.parts?.split(',').filter((p) => p !== '') ?? [] },
      common: new Set(rs.map((r) => r.town)).size >= majority,
      // Where the towns place it (the median, so one town's other pack does not reorder the rest).
      seq: median(rs.map((r) => r.seq)),
    };
  });
  entries.sort((a, b) => Number(b.common) - Number(a.common) || a.seq - b.seq || a.fig.code.localeCompare(b.fig.code));
  // Indicators first, then what is computed from them.
  const derived = (k: string) => k === 'ratio' || k === 'sum' || k === 'rate-without-parts';
  return [...entries.filter((e) => !derived(e.fig.kind)), ...entries.filter((e) => derived(e.fig.kind))].map((e) => e.fig);
}

function mostCommon(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
}

/** A ratio in percent, one decimal (as the towns' reports write it); null when a part is unknown or the base is 0. */
export function ratioPercent(numerator: number | null, denominator: number | null): number | null {
  if (numerator === null || denominator === null || denominator === 0) return null;
  return Math.round((numerator / denominator) * 1000) / 10;
}

/**
 * Whether a ratio has no value because its denominator is 0 while its numerator is known (as the
 * town's own report says 分母为0; pipeline/stages/5-rollup/derived-figures.ts).
 */
export function zeroDenominator(fig: DistrictFigure, parts: readonly (number | null)[]): boolean {
  return fig.kind === 'ratio' && parts[1] === 0 && parts[0] !== null && parts[0] !== undefined;
}

export function derive(fig: DistrictFigure, parts: readonly (number | null)[]): number | null {
  if (fig.kind === 'ratio') return ratioPercent(parts[0] ?? null, parts[1] ?? null);
  if (parts.some((p) => p === null)) return null;
  return parts.reduce<number>((s, p) => s + (p ?? 0), 0);
}

const STATUS_ORDER = ['缺报', '有错误', '有警告', '正常'];
export function worstStatus(statuses: readonly (string | null)[]): string | null {
  return STATUS_ORDER.find((s) => statuses.includes(s)) ?? null;
}

/**
 * The district's value of each figure: the sum over the towns that have it; a ratio from the
 * summed parts of the towns that have both parts, its denominator not 0 (never an average of the
 * towns' rates). A town whose denominator is 0 has no rate (分母为0): its numerator stays out
 * too (a 行政复议 of last year corrected this year would otherwise raise the district's rate),
 * and when no town is left the district's rate is 分母为0 as well.
 */
export function districtTotals(figures: readonly DistrictFigure[], towns: readonly TownLine[]): Map<string, DistrictTotal> {
  const out = new Map<string, DistrictTotal>();
  const sumOf = (code: string, pick: (c: TownCell) => number | null, among: readonly TownLine[]) =>
    among.reduce<{ sum: number; n: number }>((acc, t) => {
      const c = t.cells.get(code);
      const v = c === undefined ? null : pick(c);
      return v === null ? acc : { sum: acc.sum + v, n: acc.n + 1 };
    }, { sum: 0, n: 0 });
  for (const fig of figures) {
    const has = towns.filter((t) => t.cells.get(fig.code)?.state === 'value');
    const lacking = towns.filter((t) => t.cells.get(fig.code)?.state !== 'value').map((t) => t.town);
    const zeroBased = towns.some((t) => t.cells.get(fig.code)?.state === ZERO_DENOMINATOR);
    if (fig.kind === 'ratio') {
      const [top = '', base = ''] = fig.parts;
      const partOf = (t: TownLine, code: string, pick: (c: TownCell) => number | null) => {
        const c = t.cells.get(code);
        return c === undefined ? null : pick(c);
      };
      const counted = (pick: (c: TownCell) => number | null) =>
        towns.filter((t) => {
          const d = partOf(t, base, pick);
          return partOf(t, top, pick) !== null && d !== null && d !== 0;
        });
      const now = counted((c) => (c.state === 'value' ? c.value : null));
      const before = counted((c) => c.previous);
      const value = now.length === 0 ? null : ratioPercent(sumOf(top, (c) => c.value, now).sum, sumOf(base, (c) => c.value, now).sum);
      const previous = before.length === 0 ? null : ratioPercent(sumOf(top, (c) => c.previous, before).sum, sumOf(base, (c) => c.previous, before).sum);
      out.set(fig.code, {
        code: fig.code, value, towns: now.length, lacking: towns.filter((t) => !now.includes(t)).map((t) => t.town), previous,
        zeroDenominator: now.length === 0 && zeroBased,
      });
      continue;
    }
    if (fig.kind === 'rate-without-parts') {
      // A rate nobody gave the parts of cannot be added up, nor averaged; 分母为0 when no town has a rate at all.
      const anyRate = towns.some((t) => t.cells.get(fig.code)?.state === 'value');
      out.set(fig.code, { code: fig.code, value: null, towns: 0, lacking: towns.map((t) => t.town), previous: null, zeroDenominator: zeroBased && !anyRate });
      continue;
    }
    const now = sumOf(fig.code, (c) => (c.state === 'value' ? c.value : null), towns);
    const before = sumOf(fig.code, (c) => c.previous, towns);
    out.set(fig.code, { code: fig.code, value: has.length === 0 ? null : now.sum, towns: has.length, lacking, previous: before.n === 0 ? null : before.sum, zeroDenominator: false });
  }
  return out;
}

/**
 * Each town's place per figure, most first (1, 2, 2, 4 on ties), where that means something: at
 * least three towns have the figure and they do not all have the same value.
 */
export function rankTowns(figures: readonly DistrictFigure[], towns: readonly TownLine[]): Map<string, Map<string, TownRank>> {
  const out = new Map<string, Map<string, TownRank>>();
  for (const fig of figures) {
    const have = towns
      .map((t) => ({ town: t.town, v: t.cells.get(fig.code) }))
      .filter((x): x is { town: string; v: TownCell & { value: number } } => x.v?.state === 'value' && x.v.value !== null);
    if (have.length < 3 || new Set(have.map((h) => h.v.value)).size === 1) continue;
    const sorted = [...have].sort((a, b) => b.v.value - a.v.value);
    const ranks = new Map<string, TownRank>();
    sorted.forEach((h) => ranks.set(h.town, { rank: sorted.findIndex((x) => x.v.value === h.v.value) + 1, of: sorted.length }));
    out.set(fig.code, ranks);
  }
  return out;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/**
 * 同级偏离: a town whose figure is far from its peers', by the modified z-score of Iglewicz and
 * Hoaglin: M = 0.6745 × (x − median) ÷ MAD, flagged when |M| > outlierScore (3.5), with at least
 * five towns having the figure. When more than half the towns share one value (MAD = 0: most
 * towns have no 全国民主法治示范村), there is no spread to judge against and nobody is flagged.
 */
export function peerOutliers(figures: readonly DistrictFigure[], towns: readonly TownLine[], rules: DistrictData['rules']): Anomaly[] {
  const out: Anomaly[] = [];
  for (const fig of figures) {
    const have = towns.flatMap((t) => {
      const c = t.cells.get(fig.code);
      return c?.state === 'value' && c.value !== null ? [{ town: t.town, value: c.value }] : [];
    });
    if (have.length < rules.minPeers) continue;
    const values = have.map((h) => h.value);
    const med = median(values);
    const mad = median(values.map((v) => Math.abs(v - med)));
    if (mad === 0) continue;
    for (const h of have) {
      const score = (0.6745 * (h.value - med)) / mad;
      if (Math.abs(score) <= rules.outlierScore) continue;
      out.push({
        kind: '同级偏离', town: h.town, code: fig.code, value: h.value, reference: med, measure: Math.round(score * 10) / 10, flagged: true,
        note: `${fig.name} ${h.value}${fig.unit}，${have.length} 个街镇的中位数为 ${med}${fig.unit}：${score > 0 ? '明显高于' : '明显低于'}同级街镇，请核实是否漏计、重复计入或口径不同`,
      });
    }
  }
  return out.sort((a, b) => Math.abs(b.measure ?? 0) - Math.abs(a.measure ?? 0));
}

/** 同比变动: every town's move against last year; flagged beyond ±yoyThreshold, or from 0 to something. */
export function yoyMoves(figures: readonly DistrictFigure[], towns: readonly TownLine[], rules: DistrictData['rules']): Anomaly[] {
  const out: Anomaly[] = [];
  for (const t of towns) {
    for (const fig of figures) {
      const c = t.cells.get(fig.code);
      if (c?.state !== 'value' || c.value === null || c.previous === null) continue;
      const change = c.previous === 0 ? null : (c.value - c.previous) / c.previous;
      const flagged = change === null ? c.value !== 0 : Math.abs(change) > rules.yoyThreshold;
      const pct = change === null ? '' : `${change >= 0 ? '+' : ''}${(change * 100).toFixed(1)}%`;
      out.push({
        kind: '同比变动', town: t.town, code: fig.code, value: c.value, reference: c.previous, measure: change, flagged,
        note: flagged
          ? `${fig.name}由上年 ${c.previous} 变为 ${c.value}${pct === '' ? '' : `（${pct}）`}，超过 ±${rules.yoyThreshold * 100}%：请核实是否有行漏计或重复计入`
          : `${fig.name}由上年 ${c.previous} 变为 ${c.value}${pct === '' ? '' : `（${pct}）`}`,
      });
    }
  }
  return out.sort((a, b) => Number(b.flagged) - Number(a.flagged) || Math.abs(b.measure ?? Infinity) - Math.abs(a.measure ?? Infinity));
}
