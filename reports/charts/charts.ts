/**
 * The three pictures of issue 15, as option builders over plain data (no database): towns (or
 * departments) ranked per figure, completeness against the deadline, this year against last.
 * Each returns SVG text (render-chart.ts); the district's .docx rasterizes the same SVG.
 */
import { renderChart, type ChartSize } from './render-chart.ts';

const RED = '#8b1a1a';
const GREY = '#9aa4b2';

/** Past this many bars a ranking shows the first and last ones and says how many it left out. */
export const RANK_BARS = 30;

export interface RankedBar {
  readonly label: string;
  readonly value: number;
  /** Drawn in the accent colour (the town the chart is for, or an outlier). */
  readonly highlight?: boolean;
}

/** Horizontal bars, most at the top. */
export function rankingChart(title: string, unit: string, bars: readonly RankedBar[], opts: { width?: number } = {}): string {
  const sorted = [...bars].sort((a, b) => b.value - a.value);
  const shown = sorted.length <= RANK_BARS ? sorted : [...sorted.slice(0, 20), { label: `…（另 ${sorted.length - 30} 个）`, value: 0 }, ...sorted.slice(-10)];
  const size: ChartSize = { width: opts.width ?? 560, height: 70 + shown.length * 18 };
  return renderChart(
    {
      title: { text: title, subtext: unit === '' ? '' : `单位：${unit}`, left: 'center', textStyle: { fontSize: 14 }, subtextStyle: { fontSize: 11 } },
      grid: { left: 8, right: 56, top: 52, bottom: 8, containLabel: true },
      xAxis: { type: 'value', splitLine: { lineStyle: { color: '#eee' } } },
      yAxis: { type: 'category', inverse: true, data: shown.map((b) => b.label), axisLabel: { fontSize: 11 } },
      series: [
        {
          type: 'bar',
          barMaxWidth: 14,
          data: shown.map((b) => ({ value: b.value, itemStyle: { color: b.highlight === true ? RED : '#5470c6' } })),
          label: { show: true, position: 'right', fontSize: 10 },
        },
      ],
    },
    size,
  );
}

export interface CompletenessPoint {
  /** `YYYY-MM-DD`. */
  readonly date: string;
  /** How many had reported by the end of that day. */
  readonly done: number;
}

/** Reports received by day against the total expected, with the deadline marked. */
export function completenessChart(title: string, points: readonly CompletenessPoint[], expected: number, deadline: string | null, unit: string): string {
  const dates = [...new Set([...points.map((p) => p.date), ...(deadline === null ? [] : [deadline])])].sort();
  let last = 0;
  const series = dates.map((d) => {
    const p = points.find((x) => x.date === d);
    if (p !== undefined) last = p.done;
    return last;
  });
  return renderChart(
    {
      title: { text: title, subtext: `应报 ${expected} ${unit}${deadline === null ? '' : `，截止 ${deadline}`}`, left: 'center', textStyle: { fontSize: 14 }, subtextStyle: { fontSize: 11 } },
      grid: { left: 8, right: 24, top: 60, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: dates, axisLabel: { fontSize: 10, rotate: dates.length > 8 ? 30 : 0 } },
      yAxis: { type: 'value', max: expected, minInterval: 1 },
      series: [
        {
          type: 'line',
          step: 'end',
          data: series,
          areaStyle: { opacity: 0.15 },
          lineStyle: { color: '#5470c6' },
          itemStyle: { color: '#5470c6' },
          label: { show: dates.length <= 12, fontSize: 10 },
          markLine: {
            symbol: 'none',
            data: [
              { yAxis: expected, lineStyle: { color: GREY, type: 'dashed' }, label: { formatter: `应报 ${expected}`, fontSize: 10 } },
              ...(deadline === null ? [] : [{ xAxis: deadline, lineStyle: { color: RED }, label: { formatter: '截止', fontSize: 10 } }]),
            ],
          },
        },
      ],
    },
    { width: 560, height: 300 },
  );
}

export interface YearPair {
  readonly label: string;
  readonly current: number | null;
  readonly previous: number | null;
}

/**
 * This year against last, as the change in percent per figure (figures of different units side
 * by side would make the big ones flatten the rest); the two values are in each bar's label.
 */
export function yoyChart(title: string, year: number, pairs: readonly YearPair[]): string {
  const known = pairs.filter((p) => p.current !== null && p.previous !== null && p.previous !== 0);
  const changes = known.map((p) => Math.round((((p.current ?? 0) - (p.previous ?? 0)) / (p.previous ?? 1)) * 1000) / 10);
  return renderChart(
    {
      title: { text: title, subtext: `${year}年 对比 ${year - 1}年，变动（%）`, left: 'center', textStyle: { fontSize: 14 }, subtextStyle: { fontSize: 11 } },
      grid: { left: 8, right: 64, top: 56, bottom: 8, containLabel: true },
      xAxis: { type: 'value', axisLabel: { formatter: '{value}%' }, splitLine: { lineStyle: { color: '#eee' } } },
      yAxis: { type: 'category', inverse: true, data: known.map((p) => p.label), axisLabel: { fontSize: 11 } },
      series: [
        {
          type: 'bar',
          barMaxWidth: 14,
          data: changes.map((c, i) => ({
            value: c,
            itemStyle: { color: c >= 0 ? '#5470c6' : RED },
            label: { show: true, position: c >= 0 ? 'right' : 'left', fontSize: 10, formatter: `${c >= 0 ? '+' : ''}${c}%（${known[i]?.previous} → ${known[i]?.current}）` },
          })),
        },
      ],
    },
    { width: 640, height: 70 + known.length * 20 },
  );
}
