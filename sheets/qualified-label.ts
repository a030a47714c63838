/**
 * The words clerks put around a column's name that do not change which column it is: the
 * core of 行政机关负责人是否出庭应诉 is 负责人出庭, of 法制审核时间 法制审核日期, of 当事人信息
 * 当事人. Header matching falls back on the core only where no label of a ledger names the
 * column as written (sheets/match-label.ts `matchQualified`).
 *
 * Only words that never tell two columns apart are taken off, and only where clerks put them:
 * - `是否` anywhere: it makes a label a yes/no question (负责人是否出庭), so a core reached by
 *   taking it off may name a bool column only;
 * - 行政机关 or 机关 at the start: whose leader or act it is (行政机关负责人出庭);
 * - 基本情况, 情况, 信息, 应诉 at the end, one after another (出庭应诉情况): a heading's filler;
 * - 时间 as the last word is read as 日期 (法制审核时间): a core reached so names a date column only.
 */

/** Taken off the start of a label (the longer first). */
const LEADING = ['行政机关', '机关'] as const;
/** Taken off the end of a label, as often as one is there (the longer first). */
const TRAILING = ['基本情况', '情况', '信息', '应诉'] as const;
const QUESTION = '是否';
const TIME = '时间';
const DATE = '日期';

/** A core shorter than this names nothing: what is left of 情况 or 是否 alone. */
const MIN_CORE = 2;

/** A label with its qualifiers taken off, and what taking them off allows it to name. */
export interface QualifiedLabel {
  readonly core: string;
  /** `是否` was taken out: only a bool column fits. */
  readonly question: boolean;
  /** A last 时间 was read as 日期: only a date column fits. */
  readonly time: boolean;
}

/** `label` without its trailing qualifiers (as often as one is there), or as it was. */
function withoutTrailing(label: string): string {
  let s = label;
  for (let again = true; again; ) {
    again = false;
    for (const word of TRAILING) {
      if (s.endsWith(word)) {
        s = s.slice(0, -word.length);
        again = true;
        break;
      }
    }
  }
  return s;
}

/**
 * The core of a folded label (sheets/values/normalize-label.ts), or undefined when it holds
 * no qualifier (nearly every cell of a sheet), or nothing of two characters is left.
 *
 * @example
 *   qualifiedLabel('行政机关负责人是否出庭应诉') // { core: '负责人出庭', question: true, time: false }
 *   qualifiedLabel('法制审核时间') // { core: '法制审核日期', question: false, time: true }
 *   qualifiedLabel('负责人出庭') // undefined
 */
export function qualifiedLabel(label: string): QualifiedLabel | undefined {
  let s = label;
  const question = s.includes(QUESTION);
  if (question) s = s.replaceAll(QUESTION, '');
  for (const word of LEADING) {
    if (s.startsWith(word)) {
      s = s.slice(word.length);
      break;
    }
  }
  s = withoutTrailing(s);
  const time = s.length > TIME.length && s.endsWith(TIME);
  if (time) s = s.slice(0, -TIME.length) + DATE;
  if (s === label || s.length < MIN_CORE) return undefined;
  return { core: s, question, time };
}

/**
 * The group label of a two-level header without its trailing filler, to be joined to the labels
 * under it (受理情况 over 日期 is 受理日期, 案件信息 over 类别 案件类别), or undefined when it has
 * none or is nothing else (基本情况).
 *
 * @example
 *   groupStem('受理情况') // '受理'
 *   groupStem('法制审核') // undefined
 */
export function groupStem(label: string): string | undefined {
  const s = withoutTrailing(label);
  return s === label || s.length === 0 ? undefined : s;
}
