/**
 * How the report writes a figure against last year (`{{code:同比}}`, `{{code:较上年}}`,
 * `{{code:上年}}` in a template; reports/parse-template.ts):
 *
 * - `同比`: the change in percent of last year's value, one decimal at most (as 指标汇总's 同比):
 *   `增长25%`, `下降3.1%`, `持平`. From 0 there is no percentage: no change to state (上年为0).
 * - `较上年`: the difference, written as the figure is (its `written`, its `decimals`, its unit):
 *   `增加9件`, `减少1.20万元`, `增加120余件`, `持平`. From 0 it is the figure itself (`增加5件`).
 * - `上年`: last year's value as the figure is written (`36件`).
 * - A rate or share (unit `%`): `同比` and `较上年` both give the change in percentage points,
 *   never a percent of a percent: `提高2.5个百分点`, `下降2.5个百分点`, `持平`.
 *
 * `持平` when the two values are equal; `基本持平` when they differ by less than what the text
 * can write (0.04%, 0.3 of a figure written whole): never `增长0%`.
 */
import type { ChangeForm } from './parse-template.ts';
import { formatFigure, type FigureWording } from './wording.ts';

/** Why a change cannot be stated, the marker's word: `【无上年数据：名称】`, `【上年为0：名称】`. */
export const NO_CHANGE = ['无上年数据', '上年为0'] as const;
export type NoChange = (typeof NO_CHANGE)[number];

/** A figure with last year's value, as a change is worked out from it. */
export interface ChangeFigure extends FigureWording {
  /** This year's value; a change of an unknown figure is never asked for (its marker is printed). */
  readonly value: number;
  /** Last year's: undefined when no earlier year is known, null when it was unknown (缺报) or not in last year's report. */
  readonly previous: number | null | undefined;
  readonly unit: string;
}

/** A change in words, with the number it states (for `tally verify`), or why there is none. */
export type Change =
  | {
      readonly kind: 'stated';
      /** `增长25%`, `减少5件`, `提高2.5个百分点`, `持平`, `36件`. */
      readonly text: string;
      /** The signed change it states: a share (0.25) for 同比 of a count, points for a rate, the difference for 较上年, last year's value for 上年. */
      readonly amount: number;
      readonly previous: number;
    }
  | { readonly kind: 'none'; readonly why: NoChange };

/** A figure in percent (a rate, a share): its changes are in percentage points. */
export function isRate(figure: Pick<ChangeFigure, 'unit'>): boolean {
  return figure.unit === '%';
}

/**
 * The change of a figure against last year, in the report's words.
 *
 * @example
 * wordChange('同比', { value: 45, previous: 36, unit: '件', written: 'exact' }).text; // '增长25%'
 * wordChange('较上年', { value: 40, previous: 45, unit: '件', written: 'exact' }).text; // '减少5件'
 * wordChange('同比', { value: 12.5, previous: 10, unit: '%', written: 'percent' }).text; // '提高2.5个百分点'
 * wordChange('同比', { value: 5, previous: 0, unit: '件', written: 'exact' }); // { kind: 'none', why: '上年为0' }
 */
export function wordChange(form: ChangeForm, figure: ChangeFigure): Change {
  const { value, previous } = figure;
  if (previous === null || previous === undefined) return { kind: 'none', why: '无上年数据' };
  const options = { over: figure.over, decimals: figure.decimals };
  if (form === '上年') return { kind: 'stated', text: `${formatFigure(previous, figure.written, options)}${figure.unit}`, amount: previous, previous };
  const difference = atCellPrecision(value - previous);
  if (isRate(figure)) {
    const points = formatFigure(Math.abs(difference), 'percent', { decimals: figure.decimals });
    return { kind: 'stated', text: direction(difference, points, '提高', '下降', `${points}个百分点`), amount: difference, previous };
  }
  if (form === '同比') {
    if (previous === 0) return value === 0 ? { kind: 'stated', text: '持平', amount: 0, previous } : { kind: 'none', why: '上年为0' };
    const share = difference / previous;
    const percent = String(Math.round(Math.abs(share) * 1000) / 10);
    return { kind: 'stated', text: direction(difference, percent, '增长', '下降', `${percent}%`), amount: share, previous };
  }
  // 较上年: the difference written as the figure is (a step of `over` means nothing for a difference).
  const written = figure.written === 'over' || figure.written === 'percent' ? 'exact' : figure.written;
  const number = formatFigure(Math.abs(difference), written, { decimals: figure.decimals });
  return { kind: 'stated', text: direction(difference, number, '增加', '减少', `${number}${figure.unit}`), amount: difference, previous };
}

/** `增长25%` / `下降25%`; `持平` for no change, `基本持平` for one too small to write. */
function direction(difference: number, number: string, up: string, down: string, stated: string): string {
  if (difference === 0) return '持平';
  if (Number(number) === 0) return '基本持平';
  return `${difference > 0 ? up : down}${stated}`;
}

/** 123.45 − 120.2 = 3.25, not 3.2500000000000057. */
function atCellPrecision(n: number): number {
  return Number(n.toPrecision(15));
}

/** The marker a change without one prints: `【无上年数据：办理法律援助案件】`. */
export function noChangeMarker(why: NoChange, name: string): string {
  return `【${why}：${name}】`;
}
