/** How a town's value and a district figure are shown: a number, or why there is none (never 0). */
import type { DistrictFigure, TownCell } from '../../pipeline/district/district-data.ts';

/**
 * A number, or 缺报 / 无法统计 / 无此指标 / 未报送 in words: a town figure without a value is
 * 无法统计 when its status says its ledgers were sent (a sheet lacks a column it reads).
 */
export function cellShown(c: TownCell | undefined): number | string {
  if (c === undefined) return '无此指标';
  if (c.state === 'value' && c.value !== null) return c.value;
  if (c.state !== 'value') return c.state;
  return c.status === null || c.status === '缺报' ? '缺报' : '无法统计';
}

/** `公示执法信息（项）`, `出庭率（%）`. */
export function figureLabel(f: DistrictFigure): string {
  return f.unit === '' ? f.name : `${f.name}（${f.unit}）`;
}

/** `+25.0%`, `-50.0%`; '' when unknown. */
export function changeText(change: number | null): string {
  return change === null ? '' : `${change >= 0 ? '+' : ''}${(change * 100).toFixed(1)}%`;
}

/** 2021-01-18 10:05 in Beijing time. */
export function beijing(d: Date | null): string {
  if (d === null) return '';
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}
