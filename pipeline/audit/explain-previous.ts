/**
 * `tally explain`'s lines about last year: the value a change (`{{code:同比}}`, 指标汇总's 上年数值
 * and 同比) is worked out from, where it comes from, and the change as the report writes it; or
 * why there is none.
 */
import { wordChange } from '../../reports/change-wording.ts';
import type { FigureWording } from '../../reports/wording.ts';
import type { PreviousFigures } from '../stages/5-rollup/yoy.ts';

/** The figure explained: how it is written, and its value this year. */
export interface ExplainedFigure extends FigureWording {
  readonly code: string;
  readonly name: string;
  readonly unit: string;
  readonly value: number | null;
  /** A derived figure: last year's is worked out from last year's parts. */
  readonly derived?: boolean;
}

/**
 * The lines, given last year's figures (null when none is known) and the figure's value then.
 *
 * @example
 * previousLines(aid, previous, 36, 2022);
 * // ['上年（2021年度）：36件，来源：report-2021.xlsx', '与上年比：同比增长25%，较上年增加9件（模板写法 {{aid.cases:同比}}、{{aid.cases:较上年}}）']
 */
export function previousLines(figure: ExplainedFigure, previous: PreviousFigures | null, before: number | null | undefined, year: number): string[] {
  const last = year - 1;
  if (previous === null) {
    return [`上年（${last}年度）：无上年数据。数据库中没有${last}年度的运行，运行时也没有用 --previous 给出上年的报告工作簿；正文中的 {{${figure.code}:同比}} 会印出“【无上年数据：${figure.name}】”。`];
  }
  const from = figure.derived === true ? `由上年的各部分算出，来源：${previous.source}` : `来源：${previous.source}`;
  if (before === null || before === undefined) {
    const why = figure.derived === true ? '上年缺少它的某一部分（或分母为0）' : '上年的报告中没有这一指标，或数值为空（缺报）';
    return [`上年（${last}年度）：无上年数据，${why}（${previous.source}）；正文中的 {{${figure.code}:同比}} 会印出“【无上年数据：${figure.name}】”。`];
  }
  const lines = [`上年（${last}年度）：${before}${figure.unit}，${from}`];
  if (figure.value === null) return [...lines, '与上年比：今年没有数值，无法比较。'];
  const value = figure.value;
  const said = (['同比', '较上年'] as const).map((form) => {
    const change = wordChange(form, { ...figure, value, previous: before });
    return change.kind === 'stated' ? `${form}${change.text}` : `${form}：${change.why}，没有百分比（正文印出“【${change.why}：${figure.name}】”）`;
  });
  lines.push(`与上年比：${[...new Set(said)].join('，')}（模板写法 {{${figure.code}:同比}}、{{${figure.code}:较上年}}）`);
  return lines;
}
