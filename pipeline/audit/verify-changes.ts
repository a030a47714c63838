/**
 * A draft's sentences about last year (`同比增长25%`, `较上年减少5件`, `提高2.5个百分点`,
 * `与上年持平`): a figure after a verb of change in a clause that names last year is a change,
 * not the figure itself, and is judged against this year's and last year's values as the report
 * writes a change (reports/change-wording.ts). Which figure it is about is decided by the caller
 * (verify-draft.ts): a name in the clause, else the figure stated just before it.
 */
import { isRate, wordChange } from '../../reports/change-wording.ts';
import type { DraftFigure } from './verify-figures.ts';
import { consistentWith } from './verify-figures.ts';
import type { FigureCheck, VerifyIndicator } from './verify-draft.ts';

/** A verb of change just before the number: 增长, 减少, 提高了 …; up or down. */
const VERB = /(增长|增加|上升|提高|下降|减少|降低)了?(?:约|近)?$/;
const UP = new Set(['增长', '增加', '上升', '提高']);
/** Words that make a change one against last year. */
const LAST_YEAR = /同比|较上年|比上年|较去年|比去年|上年/;
/** No change claimed: 同比持平, 与上年持平, 较上年基本持平. */
export const FLAT = /(?:同比|较上年|比上年|与上年|较去年|比去年|与去年)(?:相比)?(?:基本)?持平/g;

/** What a clause says changed, and how. */
export interface ChangeClaim {
  /** `增长25%`, `减少5件`, `提高2.5个百分点`, `持平`: as written. */
  readonly text: string;
  /** +1 up, −1 down, 0 no change. */
  readonly sign: 1 | -1 | 0;
  /** Written in percentage points (个百分点). */
  readonly points: boolean;
  /** Where the verb starts in the paragraph (the subject is before it). */
  readonly start: number;
}

/**
 * The change a figure states, or null when it is a figure of its own: a verb of change just
 * before it, and last year named in its clause (or 个百分点 after it).
 *
 * @example
 * changeClaim('全年办理法律援助案件45件，同比增长25%。', figure25, '同比增长'); // { text: '增长25%', sign: 1, points: false, … }
 */
export function changeClaim(paragraph: string, f: DraftFigure, left: string): ChangeClaim | null {
  const verb = VERB.exec(paragraph.slice(0, f.start));
  if (verb === null) return null;
  const points = /^个?百分点/.exec(paragraph.slice(f.numberEnd));
  if (!LAST_YEAR.test(left) && points === null) return null;
  const end = points === null ? f.end : f.numberEnd + points[0].length;
  return { text: paragraph.slice(verb.index, end), sign: UP.has(verb[1] ?? '') ? 1 : -1, points: points !== null, start: verb.index };
}

/**
 * A change claimed by a draft, judged: 一致 when it is what the report would write (at the
 * precision the draft writes it), 不一致 when it says otherwise, 无法判断 without last year's value.
 */
export function judgeChange(
  base: Pick<FigureCheck, 'paragraph' | 'clause'>,
  claim: ChangeClaim,
  f: DraftFigure | null,
  ind: VerifyIndicator,
): FigureCheck {
  const previous = ind.previous ?? null;
  const known = { ...base, figure: claim.text, code: ind.code, name: `${ind.name}（与上年比）`, actual: ind.value, previous, expected: null };
  if (ind.value === null) return { ...known, verdict: '无法判断', note: `“${ind.name}”今年没有数值，无法与上年比较` };
  if (previous === null) {
    return { ...known, verdict: '无法判断', note: `“${ind.name}”没有上年数值（没有上年报告、上年缺报或今年新设的指标），无法核对与上年的比较` };
  }
  const rate = isRate(ind);
  const form = f !== null && f.kind === 'percent' ? '同比' : '较上年';
  const said = wordChange(form, { ...ind, value: ind.value, previous });
  const expected = said.kind === 'stated' ? said.text : null;
  const facts = `今年${ind.value}${ind.unit}，上年${previous}${ind.unit}${ind.previousSource === undefined ? '' : `（${ind.previousSource}）`}`;
  const checked = { ...known, expected };
  const difference = Number((ind.value - previous).toPrecision(15));
  if (claim.sign === 0) {
    // 持平: what the report itself would call 持平 or 基本持平.
    const flat = expected === '持平' || expected === '基本持平' || difference === 0;
    return flat ? { ...checked, verdict: '一致', note: null } : { ...checked, verdict: '不一致', note: `${facts}，不是持平` };
  }
  if (f === null) return { ...checked, verdict: '无法判断', note: '没有写出变动的数' };
  if (rate && !claim.points) return { ...checked, verdict: '无法判断', note: `“${ind.name}”是比率，与上年相比应写“提高/下降N个百分点”，草稿写的是${f.kind === 'percent' ? '百分比' : '数量'}` };
  if (!rate && claim.points) return { ...checked, verdict: '无法判断', note: `“${ind.name}”不是比率，草稿写的是百分点` };
  if (Math.sign(difference) !== claim.sign) {
    return { ...checked, verdict: '不一致', note: `${facts}，${difference === 0 ? '持平' : difference > 0 ? '是增加' : '是减少'}，草稿写的是${claim.sign > 0 ? '增加' : '减少'}` };
  }
  const half = f.precision / 2 + 1e-9;
  if (claim.points) {
    return Math.abs(Math.abs(difference) - f.value) <= half ? { ...checked, verdict: '一致', note: null } : { ...checked, verdict: '不一致', note: `${facts}，相差${Math.abs(difference)}个百分点` };
  }
  if (f.kind === 'percent') {
    if (previous === 0) return { ...checked, verdict: '不一致', note: `上年为0，没有增长的百分比：应写“较上年增加${ind.value}${ind.unit}”` };
    const percent = (Math.abs(difference) / previous) * 100;
    return Math.abs(percent - f.value) <= half ? { ...checked, verdict: '一致', note: null } : { ...checked, verdict: '不一致', note: `${facts}，变动${Math.round(percent * 10) / 10}%` };
  }
  return consistentWith(f, Math.abs(difference)) ? { ...checked, verdict: '一致', note: null } : { ...checked, verdict: '不一致', note: `${facts}，相差${Math.abs(difference)}${ind.unit}` };
}
