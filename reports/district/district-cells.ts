/** How a town's value and a district figure are shown: a number, or why there is none (never 0). */
import type { DistrictFigure, DistrictTotal, TownCell } from '../../pipeline/district/district-data.ts';
import { ZERO_DENOMINATOR } from '../narrative.ts';

/**
 * A number, or 缺报 / 无法统计 / 无法读取 / 分母为0 / 无此指标 / 未报送 in words: a town figure without
 * a value is 无法统计 when its status says its ledgers were sent (a sheet lacks a column it reads),
 * 无法读取 when its workbook wrote a text that is no exact number (十来件), and a rate is 分母为0
 * when its denominator is 0 in the town (nothing happened).
 */
export function cellShown(c: TownCell | undefined): number | string {
  if (c === undefined) return '无此指标';
  if (c.state === 'value' && c.value !== null) return c.value;
  if (c.state !== 'value') return c.state;
  return c.status === null || c.status === '缺报' ? '缺报' : '无法统计';
}

/**
 * The district's value of a figure, or why there is none: 分母为0 for a rate no town with its
 * parts had a case for, else 缺报.
 */
export function totalShown(t: DistrictTotal | undefined): number | string {
  if (t?.value !== null && t?.value !== undefined) return t.value;
  return t?.zeroDenominator === true ? ZERO_DENOMINATOR : '缺报';
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
