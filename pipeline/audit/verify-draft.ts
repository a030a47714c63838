/**
 * Checks a draft report against the data: every figure of the draft (verify-figures.ts) is tied
 * to an indicator by the words around it, then judged against what the ledgers add up to.
 *
 * Tying a figure to an indicator, strongest evidence first:
 * 1. the indicator's 指标名称 just before the figure (`共化解矛盾纠纷131件`), the nearest and
 *    longest name winning (`行政复议、诉讼案件共计35件` is the total, not 行政复议; a name inside
 *    another's written there is that other's: `复议纠错率16.7%` is the rate, not 复议纠错); a rate's
 *    name may be shortened to its last characters before a percentage (`纠错率达到20%`);
 * 2. its 指标名称 just after it (`1人顺利通过执法资格考试`);
 * 3. the words of the narrative template around the placeholder (`对标的额较大的合同进行合法性审查
 *    {{x.contract_reviews}}`), for drafts that word a figure as the template does;
 * and the unit breaks near-ties (`人次` for 法律咨询, `件` for 法律援助).
 * A zero is often written in words: `未印发行政规范性文件`, `无具有法律职业资格的工作人员` (a
 * negation shortly before a 指标名称, or the template's own zero text) claims the figure is 0.
 *
 * Findings: `narrative.figure_mismatch` (错误) where the data says otherwise,
 * `narrative.unmatched_figure` (警告) where the figure cannot be tied to one indicator or cannot be
 * checked (a percentage, a 缺报 figure).
 *
 * A share whose denominator is 0 (复议纠错率 in a year without 行政复议) has no value because
 * nothing happened. A draft that gives it one (`复议纠错率为0`, `纠错率0%`) is wrong (错误): the
 * sentence should say there was no 行政复议 instead. One that writes it as `—` or `无` is not
 * wrong but still names a rate that does not exist (警告). The template's zero text
 * (`{{x.reconsiderations?未发生行政复议:…}}`) is what to write, and the draft need not name the rate.
 */
import { zeroDenominatorWording, type UnknownFigure } from '../../reports/narrative.ts';
import { finding, type Finding } from '../kernel/findings/findings.ts';
import { consistentWith, findFigures, unitsWith, type DraftFigure } from './verify-figures.ts';
import { wordFigure, type Written } from '../../reports/wording.ts';
import { parseTemplate, type TemplateNode } from '../../reports/parse-template.ts';
import { wordChange } from '../../reports/change-wording.ts';
import { changeClaim, FLAT, judgeChange } from './verify-changes.ts';

export interface VerifyIndicator {
  readonly code: string;
  readonly name: string;
  readonly unit: string;
  readonly written: Written;
  /** For `over`: the step the text says the figure exceeds (超过95%). */
  readonly over?: number | undefined;
  /** Decimals the text writes it with (`"decimals": 1` → 3.2万人次). */
  readonly decimals?: number | undefined;
  readonly ledgers: readonly string[];
  /** What the ledgers add up to; null when a ledger is missing (缺报) or lacks a column (无法统计). */
  readonly value: number | null;
  /** Why a null value is unknown; 缺报 when not said. */
  readonly unknown?: UnknownFigure | undefined;
  /** A derived share: 0% is written as one, so a conditional on it takes its other text. */
  readonly ratio?: boolean | undefined;
  /**
   * A share whose denominator is 0: that denominator's code. Its value is null because nothing
   * happened, not because data is missing (see the module's comment).
   */
  readonly zeroDenominator?: string | undefined;
  /**
   * Last year's value, for a draft's 同比增长25% (verify-changes.ts): undefined when no earlier
   * year is known, null when it was unknown (缺报) or not in last year's report.
   */
  readonly previous?: number | null | undefined;
  /** Where last year's value comes from (`report-2021.xlsx`), for the notes. */
  readonly previousSource?: string | undefined;
}

/** Why a figure without a value cannot be checked. */
function unknownNote(ind: VerifyIndicator): string {
  return ind.unknown === '无法统计' ? `“${ind.name}”无法统计（台账缺少必填列），无法核对` : `“${ind.name}”缺报（台账未报送），无法核对`;
}

export type Verdict = '一致' | '不一致' | '无法判断';

export interface FigureCheck {
  /** 1-based paragraph of the draft. */
  readonly paragraph: number;
  /** The clause the figure stands in. */
  readonly clause: string;
  /** The figure as written (`280余项`), or the words that say zero (`未印发行政规范性文件`). */
  readonly figure: string;
  readonly code: string | null;
  readonly name: string | null;
  /** What the ledgers add up to. */
  readonly actual: number | null;
  /** A change against last year (同比增长25%): last year's value, null when unknown. */
  readonly previous?: number | null;
  /** How the report writes that value (`283` → `280余项`). */
  readonly expected: string | null;
  readonly verdict: Verdict;
  /** Why 不一致 or 无法判断, in Chinese. */
  readonly note: string | null;
}

export interface DraftCheck {
  readonly checks: readonly FigureCheck[];
  readonly findings: readonly Finding[];
  /**
   * Indicators the draft never mentions (neither as a figure nor as a zero in words); never a
   * share whose denominator is 0, which the draft should not name.
   */
  readonly unmentioned: readonly string[];
}

export interface VerifyInput {
  /** The draft's file name, for the findings. */
  readonly file: string;
  readonly paragraphs: readonly string[];
  readonly indicators: readonly VerifyIndicator[];
  /** The narrative template (`reports/report-<year>.template.txt`) whose words surround each figure. */
  readonly template: string;
  /** Figures the pack shows in 指标汇总 only (`tableOnly`): checked where a draft has them, never missed where it has not. */
  readonly tableOnly?: readonly string[] | undefined;
}

/** Characters that end a clause. A comma between digits (1,200) does not. */
const BOUNDARY = /[，。；！？,;!?\n]/;
const NEGATION = '(?:未|无|暂无|没有|尚未|均未|并未)';
/** After a rate's name, words that say it has no value, ending the clause: 为—, ：无, 不适用. */
const NO_VALUE = '(?:为|是|:|：)?\\s*(?:[—－–-]+|/|无|暂无|不适用|不涉及)(?=$|[，。；,;！？!?\\n（(])';
/** Scores: a name next to the figure beats template wording, which beats nothing. */
const MATCH_AT_LEAST = 70;
const WEAK_MATCH_AT_LEAST = 100;
/** Closer than this and the draft could mean either: a warning, never a false 错误. */
const TIE_MARGIN = 8;

interface TemplateContext {
  readonly left: string;
  readonly right: string;
}

/**
 * Checks every figure of a draft.
 *
 * @example
 * const result = verifyDraft({ file: '草稿.txt', paragraphs: ['共化解矛盾纠纷131件；'], indicators, template });
 * result.findings[0]?.code; // 'narrative.figure_mismatch' when the ledgers add up to 129
 */
export function verifyDraft(input: VerifyInput): DraftCheck {
  const contexts = templateContexts(input.template);
  const zeroTexts = templateZeroTexts(input.template);
  const checks: FigureCheck[] = [];
  // The pack's units too: 3.2万人次 is 3.2 of a figure counted in 万人次, not 32000 人次.
  const units = unitsWith(input.indicators.map((i) => i.unit));
  input.paragraphs.forEach((paragraph, i) => {
    const n = i + 1;
    const figures = findFigures(paragraph, units);
    // The figures of this paragraph tied so far: the subject of a change written after one (45件，同比增长25%).
    const tied: { end: number; code: string }[] = [];
    for (const f of figures) {
      const { clause, left } = clauseAround(paragraph, f.start, f.end);
      const claim = changeClaim(paragraph, f, left);
      if (claim !== null) {
        checks.push(changeCheck(n, paragraph, claim, f, input.indicators, tied));
        continue;
      }
      const check = checkFigure(n, paragraph, f, input.indicators, contexts);
      if (check === null) continue;
      checks.push(check);
      if (check.code !== null && check.clause === clause) tied.push({ end: f.end, code: check.code });
    }
    for (const m of paragraph.matchAll(FLAT)) {
      checks.push(changeCheck(n, paragraph, { text: m[0], sign: 0, points: false, start: m.index }, null, input.indicators, tied));
    }
    checks.push(...zeroClaims(n, paragraph, figures, input.indicators, zeroTexts)); // bounded: one paragraph's claims
  });
  checks.sort((a, b) => a.paragraph - b.paragraph);
  const mentioned = new Set(checks.map((c) => c.code));
  const tableOnly = new Set(input.tableOnly ?? []);
  const unprinted = unprintedCodes(input.template, input.indicators);
  return {
    checks,
    findings: checks.flatMap((c) => toFinding(c, input, zeroTexts)),
    // A share whose denominator is 0 is not missed: the draft should not name it. Nor is a figure
    // the report itself does not print this year (报备 in the text after 制定…, when none were).
    unmentioned: input.indicators
      .filter((i) => !mentioned.has(i.code) && !tableOnly.has(i.code) && i.zeroDenominator === undefined && !unprinted.has(i.code))
      .map((i) => i.code),
  };
}

/**
 * The figures the template names that its text, filled with these values, does not print: those
 * in the other text of a conditional whose figure is 0 (`{{docs.issued?未制定…:制定{}，报备{{docs.filed}}}}`
 * with no document), in the zero text of one that is not, or under a figure without a value.
 */
function unprintedCodes(template: string, indicators: readonly VerifyIndicator[]): Set<string> {
  const named = new Set<string>();
  const printed = new Set<string>();
  const visit = (nodes: readonly TemplateNode[], shown: boolean): void => {
    for (const n of nodes) {
      if (n.kind !== 'figure') continue;
      const ind = indicators.find((i) => i.code === n.code);
      if (n.change !== null) {
        // {{code:同比?NONE:OTHER}} prints no figure of its own; NONE where no change can be stated.
        if (n.zero === null || n.other === null) continue;
        const none = ind === undefined || ind.value === null || wordChange(n.change, { ...ind, value: ind.value, previous: ind.previous }).kind === 'none';
        visit(n.zero, shown && none);
        visit(n.other, shown && !none);
        continue;
      }
      named.add(n.code);
      if (shown) printed.add(n.code);
      if (n.zero === null || n.other === null) continue;
      // As reports/narrative.ts chooses: the zero text for 0 (not a share's 0%) and for a share
      // whose denominator is 0; neither for a figure without a value (its 【缺报】 marker).
      const zero = ind !== undefined && (ind.zeroDenominator !== undefined || (ind.value === 0 && ind.ratio !== true));
      const other = ind === undefined || (!zero && ind.value !== null);
      visit(n.zero, shown && (zero || ind === undefined));
      visit(n.other, shown && other);
    }
  };
  visit(parseTemplate(template).nodes, true);
  return new Set([...named].filter((c) => !printed.has(c)));
}

/**
 * A change against last year, tied to the figure it is about: an indicator named in its clause
 * before the verb (人民调解成功率比上年提高2个百分点), else the figure stated last before it in the
 * same sentence (全年办理法律援助案件45件，同比增长25%).
 */
function changeCheck(
  paragraphNo: number,
  paragraph: string,
  claim: Parameters<typeof judgeChange>[1],
  f: DraftFigure | null,
  indicators: readonly VerifyIndicator[],
  tied: readonly { end: number; code: string }[],
): FigureCheck {
  const { clause, left } = clauseAround(paragraph, claim.start, f?.end ?? claim.start + claim.text.length);
  const base = { paragraph: paragraphNo, clause };
  const names = indicators.flatMap((ind) => nameVariants(ind.name));
  let best: { ind: VerifyIndicator; at: number; length: number } | null = null;
  for (const ind of indicators) {
    for (const name of nameVariants(ind.name)) {
      const at = left.lastIndexOf(name);
      if (at < 0 || insideLongerName(left, at, name, names)) continue;
      const end = at + name.length;
      if (best === null || end > best.at + best.length || (end === best.at + best.length && name.length > best.length)) best = { ind, at, length: name.length };
    }
  }
  // bounded: four sentence marks.
  const sentenceStart = Math.max(...['。', '；', ';', '\n'].map((c) => paragraph.lastIndexOf(c, claim.start - 1))) + 1;
  const before = [...tied].reverse().find((t) => t.end <= claim.start && t.end > sentenceStart);
  const ind = best?.ind ?? indicators.find((i) => i.code === before?.code);
  if (ind === undefined) {
    return { ...base, figure: claim.text, code: null, name: null, actual: null, expected: null, verdict: '无法判断', note: '与上年的比较：无法对应到任何指标' };
  }
  return judgeChange(base, claim, f, ind);
}

function checkFigure(
  paragraphNo: number,
  paragraph: string,
  f: DraftFigure,
  indicators: readonly VerifyIndicator[],
  contexts: ReadonlyMap<string, readonly TemplateContext[]>,
): FigureCheck | null {
  const { clause, left, right } = clauseAround(paragraph, f.start, f.end);
  const base = { paragraph: paragraphNo, clause, figure: f.text };
  const names = indicators.flatMap((ind) => nameVariants(ind.name));
  const scored = indicators
    .map((ind) => ({ ind, score: score(ind, left, right, f, contexts.get(ind.code) ?? [], names) }))
    .sort((a, b) => b.score - a.score);
  const best = scored[0];
  const second = scored[1];
  const floor = f.weak ? WEAK_MATCH_AT_LEAST : MATCH_AT_LEAST;
  if (best === undefined || best.score < floor) {
    if (f.weak) return null;
    const note = f.kind === 'percent' ? '百分比：无法对应到报告包中的比率或占比' : '无法对应到任何指标';
    return { ...base, code: null, name: null, actual: null, expected: null, verdict: '无法判断', note };
  }
  if (second !== undefined && best.score - second.score < TIE_MARGIN) {
    return {
      ...base,
      code: null,
      name: null,
      actual: null,
      expected: null,
      verdict: '无法判断',
      note: `可能是“${best.ind.name}”，也可能是“${second.ind.name}”`,
    };
  }
  const ind = best.ind;
  const known = { ...base, code: ind.code, name: ind.name, actual: ind.value, expected: wordFigure(ind.value, ind.written, ind.unit, ind) };
  // Whatever the draft gives a share whose denominator is 0, it has no value to give.
  const zeroBase = denominatorOf(ind, indicators);
  if (zeroBase !== null) return { ...known, expected: zeroDenominatorWording(ind.name, zeroBase.name), verdict: '不一致', note: `${zeroBaseNote(ind, zeroBase)}（不是0%）` };
  if (ind.value === null) return { ...known, verdict: '无法判断', note: unknownNote(ind) };
  // A rate or share of the pack (unit %) is checked against a percentage, and only against one.
  if (f.kind === 'percent' && ind.unit !== '%') return { ...known, verdict: '无法判断', note: `“${ind.name}”是数量，草稿写的是百分比` };
  if (f.kind !== 'percent' && ind.unit === '%') return { ...known, verdict: '无法判断', note: `“${ind.name}”是百分比，草稿写的不是` };
  if (f.kind === 'percent') {
    const over = /^(超过|逾|高于|超)/.test(f.text);
    const fits = over ? ind.value > f.value : Math.abs(ind.value - f.value) < 0.05 + 1e-9;
    return fits ? { ...known, verdict: '一致', note: null } : { ...known, verdict: '不一致', note: over ? `不超过${f.value}%` : '百分比不同' };
  }
  if (!consistentWith(f, ind.value)) return { ...known, verdict: '不一致', note: inconsistency(f) };
  if (f.unit !== null && !sameUnit(f.unit, ind.unit)) {
    return { ...known, verdict: '无法判断', note: `数值相符，但单位是“${f.unit}”，指标的单位是“${ind.unit}”` };
  }
  return { ...known, verdict: '一致', note: null };
}

function score(
  ind: VerifyIndicator,
  left: string,
  right: string,
  f: DraftFigure,
  contexts: readonly TemplateContext[],
  allNames: readonly string[],
): number {
  let best = 0;
  for (const name of nameVariants(ind.name)) {
    // Where another figure's longer name holds this one (复议纠错 in 复议纠错率16.7%), the words
    // are that figure's name: the exact longer name next to the figure wins, no near-tie.
    for (let at = left.lastIndexOf(name); at >= 0; at = at === 0 ? -1 : left.lastIndexOf(name, at - 1)) {
      const gap = left.length - (at + name.length);
      if (gap > 8) break;
      if (!insideLongerName(left, at, name, allNames)) {
        best = Math.max(best, 100 + 2 * name.length - gap);
        break;
      }
    }
    for (let after = right.indexOf(name); after >= 0 && after <= 6; after = right.indexOf(name, after + 1)) {
      if (!insideLongerName(right, after, name, allNames)) {
        best = Math.max(best, 95 + 2 * name.length - after);
        break;
      }
    }
    // A rate is often named short: 纠错率达到20% for 复议纠错率, 应诉率 for 出庭应诉率. Its name's
    // last three characters or more, just before a percentage, tie it (less firmly than the name).
    if (f.kind === 'percent' && ind.unit === '%') {
      for (let len = name.length - 1; len >= 3; len--) {
        const tail = name.slice(-len);
        const at = left.lastIndexOf(tail);
        if (at < 0) continue;
        const gap = left.length - (at + tail.length);
        if (gap <= 8 && !insideLongerName(left, at, tail, allNames)) best = Math.max(best, 70 + 2 * len - gap);
        break;
      }
    }
  }
  for (const c of contexts) {
    const l = commonSuffix(bare(left), bare(c.left));
    const r = commonPrefix(bare(right), bare(c.right));
    if (l >= 4) best = Math.max(best, 70 + Math.min(l, 20));
    if (r >= 4) best = Math.max(best, 70 + Math.min(r, 20));
    // A name the figure stands inside, as the template writes it: 涉及{{x}}社区 → 涉及12个社区.
    if (l >= 2 && r >= 2) best = Math.max(best, 70 + Math.min(l + r, 20));
  }
  if (best > 0 && f.unit !== null) best += sameUnit(f.unit, ind.unit) ? 5 : -5;
  // A percentage is a rate's, a count is not one: the unit of a percentage is its % sign.
  if (best > 0 && f.kind === 'percent') best += ind.unit === '%' ? 5 : -5;
  return best;
}

/** Whether `name` at `at` of `text` is part of a longer name written there (复议纠错 of 复议纠错率). */
function insideLongerName(text: string, at: number, name: string, allNames: readonly string[]): boolean {
  return allNames.some((longer) => {
    if (longer.length <= name.length) return false;
    for (let k = longer.indexOf(name); k >= 0; k = longer.indexOf(name, k + 1)) {
      if (at - k >= 0 && text.startsWith(longer, at - k)) return true;
    }
    return false;
  });
}

/** Claims of zero written in words: 未印发行政规范性文件, 无具有法律职业资格的工作人员; 出庭率：无 for a rate. */
function zeroClaims(
  paragraphNo: number,
  paragraph: string,
  figures: readonly DraftFigure[],
  indicators: readonly VerifyIndicator[],
  zeroTexts: ReadonlyMap<string, readonly string[]>,
): FigureCheck[] {
  const out: FigureCheck[] = [];
  for (const ind of indicators) {
    // `template`: the template's own zero text, what the report writes for 0 (or for a share whose denominator is 0).
    const hits: { at: number; text: string; template: boolean }[] = [];
    for (const name of nameVariants(ind.name)) {
      const re = new RegExp(`${NEGATION}[^，。；,;！？!?\\n]{0,6}?${escapeRegExp(name)}`, 'g');
      for (const m of paragraph.matchAll(re)) hits.push({ at: m.index, text: m[0], template: false });
      if (ind.unit !== '%') continue;
      // A rate written as having no value: 复议纠错率为—, 出庭率：无.
      for (const m of paragraph.matchAll(new RegExp(`${escapeRegExp(name)}${NO_VALUE}`, 'g'))) hits.push({ at: m.index, text: m[0], template: false });
    }
    for (const z of zeroTexts.get(ind.code) ?? []) {
      const at = paragraph.indexOf(z);
      if (at >= 0) hits.push({ at, text: z, template: true });
    }
    const zeroBase = denominatorOf(ind, indicators);
    const seen = new Set<string>();
    for (const h of hits.sort((a, b) => a.at - b.at)) {
      const { clause, start, end } = clauseAround(paragraph, h.at, h.at + h.text.length);
      // A clause that also states a number (2人未通过执法资格考试) is about that number.
      if (figures.some((f) => !f.weak && f.start >= start && f.end <= end)) continue;
      if (seen.has(clause)) continue;
      seen.add(clause);
      const known = {
        paragraph: paragraphNo,
        clause,
        figure: h.text,
        code: ind.code,
        name: ind.name,
        actual: ind.value,
        expected: ind.value === 0 ? h.text : wordFigure(ind.value, ind.written, ind.unit, ind),
      };
      if (zeroBase !== null) {
        // The template's zero text is what the report says; other words still name the rate.
        if (h.template) out.push({ ...known, expected: h.text, verdict: '一致', note: null });
        else out.push({ ...known, expected: zeroDenominatorWording(ind.name, zeroBase.name), verdict: '无法判断', note: zeroBaseNote(ind, zeroBase) });
      } else if (ind.value === null) out.push({ ...known, verdict: '无法判断', note: unknownNote(ind) });
      else if (ind.value !== 0) out.push({ ...known, verdict: '不一致', note: '草稿写的是没有（0）' });
      else out.push({ ...known, verdict: '一致', note: null });
    }
  }
  return out;
}

/** The denominator, by name and unit, of a share whose denominator is 0; null for any other figure. */
function denominatorOf(ind: VerifyIndicator, indicators: readonly VerifyIndicator[]): { readonly code: string; readonly name: string; readonly unit: string } | null {
  if (ind.zeroDenominator === undefined) return null;
  const base = indicators.find((i) => i.code === ind.zeroDenominator);
  return { code: ind.zeroDenominator, name: base?.name ?? ind.zeroDenominator, unit: base?.unit ?? '' };
}

/** `“行政复议”为0件，“复议纠错率”分母为0，没有数值`. */
function zeroBaseNote(ind: VerifyIndicator, base: { readonly name: string; readonly unit: string }): string {
  return `“${base.name}”为0${base.unit}，“${ind.name}”分母为0，没有数值`;
}

function toFinding(c: FigureCheck, input: VerifyInput, zeroTexts: ReadonlyMap<string, readonly string[]>): Finding[] {
  const where = { department: null, file: input.file, sheet: `第${c.paragraph}段`, cell: null };
  const ind = input.indicators.find((i) => i.code === c.code);
  const ledger = ind?.ledgers[0] ?? null;
  const zeroBase = ind === undefined ? null : denominatorOf(ind, input.indicators);
  if (zeroBase !== null && c.verdict !== '一致') {
    // What to write instead: the template's zero text for the rate or for its denominator.
    const example = zeroTexts.get(c.code ?? '')?.[0] ?? zeroTexts.get(zeroBase.code)?.[0];
    const instead = `改写为没有${zeroBase.name}${example === undefined ? '' : `（如“${example}”）`}`;
    return [
      c.verdict === '不一致'
        ? finding(
            'narrative.figure_mismatch',
            { ...where, ledger, expected: c.expected, actual: c.figure },
            `草稿第${c.paragraph}段“${c.clause}”写${c.figure}，但${c.note}。请不写这一比率，${instead}；逐行明细：tally explain ${c.code}。`,
          )
        : finding(
            'narrative.unmatched_figure',
            { ...where, ledger, expected: c.expected, actual: c.figure },
            `草稿第${c.paragraph}段“${c.clause}”：${c.note}。建议不写这一比率，${instead}。`,
          ),
    ];
  }
  if (c.previous !== undefined && c.verdict === '不一致') {
    return [
      finding(
        'narrative.figure_mismatch',
        { ...where, ledger, expected: c.expected, actual: c.figure },
        `草稿第${c.paragraph}段“${c.clause}”写${c.figure}，但${c.note}${c.expected === null ? '' : `，报告应写作“${c.expected}”`}。` +
          `请改正草稿，或核对台账（逐行明细：tally explain ${c.code}）。`,
      ),
    ];
  }
  if (c.verdict === '不一致') {
    return [
      finding(
        'narrative.figure_mismatch',
        { ...where, ledger, expected: c.expected, actual: c.figure },
        `草稿第${c.paragraph}段“${c.clause}”写${c.figure}，但各台账合计“${c.name}”为${c.actual}` +
          `${c.expected === null ? '' : `，报告应写作“${c.expected}”`}（${c.note}）。` +
          `请改正草稿，或核对台账（逐行明细：tally explain ${c.code}）。`,
      ),
    ];
  }
  if (c.verdict === '无法判断') {
    return [
      finding(
        'narrative.unmatched_figure',
        { ...where, ledger, expected: c.expected, actual: c.figure },
        `草稿第${c.paragraph}段“${c.clause}”中的“${c.figure}”无法核对：${c.note}。请人工确认。`,
      ),
    ];
  }
  return [];
}

function inconsistency(f: DraftFigure): string {
  switch (f.kind) {
    case 'more':
      return `“${f.text}”只适用于比${f.value}略多、不到下一档的数`;
    case 'nearly':
      return `“${f.text}”只适用于比${f.value}略少的数`;
    case 'about':
      return `与“${f.text}”相差过大`;
    case 'over':
      return `不超过${f.value}`;
    case 'under':
      return `不少于${f.value}`;
    default:
      return '数值不同';
  }
}

/** Units that say the same (人/名/位, 件/起/宗, 次/场/期, 项/条). */
const UNIT_GROUPS: readonly (readonly string[])[] = [
  ['件', '起', '宗'],
  ['项', '条'],
  ['人', '名', '位'],
  ['次', '场', '期'],
];
function sameUnit(a: string, b: string): boolean {
  return a === b || UNIT_GROUPS.some((g) => g.includes(a) && g.includes(b));
}

/** 行政复议、诉讼案件 is also written 行政复议诉讼案件. */
function nameVariants(name: string): string[] {
  return [...new Set([name, name.replace(/、/g, '')])].filter((n) => n.length >= 2);
}

/** The clause holding [start, end) of a paragraph, and its text before and after that span. */
function clauseAround(text: string, start: number, end: number): { clause: string; left: string; right: string; start: number; end: number } {
  let from = start;
  while (from > 0 && !isBoundary(text, from - 1)) from--;
  let to = end;
  while (to < text.length && !isBoundary(text, to)) to++;
  return { clause: text.slice(from, to).trim(), left: text.slice(from, start), right: text.slice(end, to), start: from, end: to };
}

function isBoundary(text: string, i: number): boolean {
  const c = text[i] ?? '';
  if (!BOUNDARY.test(c)) return false;
  return !(c === ',' && /[0-9]/.test(text[i - 1] ?? '') && /^[0-9]{3}(?![0-9])/.test(text.slice(i + 1)));
}

// {{code}}, {{code:同比}} or {{code?ZERO:OTHER}}, as reports/narrative.ts reads them.
const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*((?:[:：]\s*(?:同比|较上年|上年)\s*)?)(?:\?((?:[^{}:]|\{\})*):((?:[^{}]|\{\})*))?\}\}/g;

function templateBody(template: string): string {
  return template
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .join('\n');
}

/** The words the template puts just before and after each placeholder, per indicator code. */
export function templateContexts(template: string): Map<string, TemplateContext[]> {
  const body = templateBody(template);
  const out = new Map<string, TemplateContext[]>();
  for (const m of body.matchAll(PLACEHOLDER)) {
    // The words around a change ({{x:同比}}) are not the figure's: kept apart, under `x:同比`.
    const code = `${m[1] ?? ''}${(m[2] ?? '').replace(/[\s：]/g, (c) => (c === '：' ? ':' : ''))}`;
    const before = body.slice(0, m.index).replace(PLACEHOLDER, '');
    const after = body.slice(m.index + m[0].length).replace(PLACEHOLDER, '');
    let left = lastClause(before);
    let right = firstClause(after);
    const other = m[4];
    if (other !== undefined && other.includes('{}')) {
      const [pre = '', post = ''] = other.split('{}');
      left = lastClause(left + pre);
      right = firstClause(post + right);
    }
    out.set(code, [...(out.get(code) ?? []), { left, right }]);
  }
  return out;
}

/**
 * The zero texts of `{{code?ZERO:OTHER}}` placeholders, per code, at any depth: a conditional
 * whose non-zero text holds placeholders of its own
 * (`{{x.reconsiderations?未发生行政复议:办理行政复议{}，复议纠错率{{x.rate}}}}`) has one too. A zero
 * text is its words up to the first placeholder or variable in it.
 */
export function templateZeroTexts(template: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const visit = (nodes: readonly TemplateNode[]): void => {
    for (const n of nodes) {
      if (n.kind !== 'figure') continue;
      // The text for no change to state ({{code:同比?…:…}}) says nothing of the figure being 0.
      if (n.zero !== null && n.change === null) {
        const words = leadingText(n.zero).trim();
        if (words !== '') out.set(n.code, [...(out.get(n.code) ?? []), words]);
        visit(n.zero);
      }
      if (n.zero !== null && n.change !== null) visit(n.zero);
      if (n.other !== null) visit(n.other);
    }
  };
  visit(parseTemplate(template).nodes);
  return out;
}

/** The text nodes at the start of a template's nodes, joined. */
function leadingText(nodes: readonly TemplateNode[]): string {
  let text = '';
  for (const n of nodes) {
    if (n.kind !== 'text') break;
    text += n.text;
  }
  return text;
}

function lastClause(text: string): string {
  const parts = text.split(BOUNDARY);
  return parts[parts.length - 1] ?? '';
}

function firstClause(text: string): string {
  return text.split(BOUNDARY)[0] ?? '';
}

/** Without spaces and quotation marks, so published punctuation does not hide a match. */
function bare(text: string): string {
  return text.replace(/[\s“”"《》（）()]/g, '');
}

function commonSuffix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

function commonPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
