/**
 * Fills the report text (报告正文) from its template.
 *
 * Template syntax (also documented in the header of a pack's `template.txt`, e.g.
 * `packs/anding-2020/template.txt`, and in the README); reading it is reports/parse-template.ts:
 *
 * - Lines starting with `#` are comments and are dropped.
 * - `{year}`, `{town}`, `{district}` are the configuration's year, town and district, as in
 *   pack.json's `title`; `{previousYear}` is the year before, `{nextYear}` the year after (the
 *   section on next year's plans: `{nextYear}年，我街道将…`). Write the report's own year as
 *   `{year}年`, so the pack serves next year unchanged; a year that names a dated fact
 *   (`2020年8月`) stays written out.
 * - `{{code}}` is replaced by the figure's wording, unit included: `{{x.disclosures}}`
 *   → `280余项`.
 * - `{{code?ZERO_TEXT:OTHER_TEXT}}` is replaced by ZERO_TEXT when the value is 0, otherwise by
 *   OTHER_TEXT with every `{}` in it replaced by the wording. For prose that says 未/无 for zero:
 *   `{{x.docs?未印发行政规范性文件:印发行政规范性文件{}}}`. The first ASCII `:` of the
 *   placeholder's own level separates the two texts; use the full-width `：` inside them.
 *   Both texts may hold placeholders and variables of their own, to any depth; an inner one is
 *   rendered before the outer one chooses its text:
 *   `{{x.lawsuits?未发生行政诉讼:行政诉讼{}，出庭应诉率{{x.rate}}}}`.
 * - A derived share (a ratio) whose denominator is 0 has no value, and that is not unknown data:
 *   nothing happened. Its conditional takes ZERO_TEXT (a share of 0% is written `0%`, in
 *   OTHER_TEXT); a plain `{{rate}}` renders `【分母为0：<指标名称>】`, highlighted in the .docx.
 *   `tally pack check` warns of a ratio written without a zero text outside a conditional on its
 *   denominator.
 * - `{{code:同比}}`, `{{code:较上年}}`, `{{code:上年}}` are the figure against last year
 *   (reports/change-wording.ts): `增长25%`, `减少5件`, `36件`; for a rate `提高2.5个百分点`.
 *   Without last year's value (no previous report, a figure new this year, 缺报 last year) it
 *   renders `【无上年数据：<指标名称>】`, and `同比` of a figure that was 0 `【上年为0：<指标名称>】`,
 *   highlighted in the .docx. `{{code:同比?NONE:OTHER}}` takes NONE in those cases (and for a
 *   share whose denominator is 0 this year), else OTHER with `{}` the change:
 *   `全年办理法律援助案件{{aid.cases}}{{aid.cases:同比?:，同比{}}}。`. A figure unknown this year
 *   prints its own marker (【缺报：…】) either way.
 * - A figure whose value is null renders as `【缺报：<指标名称>】` (a ledger it needs is missing) or
 *   `【无法统计：<指标名称>】` (a sheet of its ledger lacks a required column it reads), whichever
 *   form the placeholder has, so nobody publishes a blank or a silent zero.
 * - No `{{` or `}}` reaches the text. A placeholder naming a code not in `figures` renders
 *   `【未知指标：code】` and its code is returned in `unknownPlaceholders` (once per code, in
 *   order of appearance); a line that cannot be read renders `【模板错误：…】`. `tally pack check`
 *   refuses both before any run, naming the line.
 */
import { figureUses, parseTemplate, type TemplateNode, type TemplateVariable } from './parse-template.ts';
import { noChangeMarker, wordChange } from './change-wording.ts';
import type { FigureWording } from './wording.ts';

export interface NarrativeFigure {
  readonly value: number | null;
  /** How the text writes it, unit included (`280余项`); null when the value is null. */
  readonly wording: string | null;
  /** 指标名称, used in the 【缺报：…】 marker. */
  readonly name: string;
  /** Why a null value is unknown, the marker's word: 缺报 (the default) or 无法统计. */
  readonly unknown?: UnknownFigure;
  /**
   * A derived share: its zero text is taken when its denominator is 0 (then `value` is null and
   * {@link zeroDenominator} true), never for a share of 0%.
   */
  readonly ratio?: boolean;
  /** A share whose denominator is 0: no value, because nothing happened. */
  readonly zeroDenominator?: boolean;
  /**
   * What `{{code:同比}}`, `{{code:较上年}}` and `{{code:上年}}` are worked out from: last year's
   * value (undefined when no earlier year is known, null when it was unknown) and how the figure
   * is written. Absent: no change can be stated (`【无上年数据：…】`).
   */
  readonly yoy?: FigureWording & { readonly unit: string; readonly previous: number | null | undefined };
}

/** The words a figure without a value is marked with in the text (see {@link renderNarrative}). */
export const UNKNOWN_FIGURE = ['缺报', '无法统计'] as const;
export type UnknownFigure = (typeof UNKNOWN_FIGURE)[number];

/** The marker word of a share whose denominator is 0. */
export const ZERO_DENOMINATOR = '分母为0';

/**
 * A share whose denominator is 0 in words, as 指标汇总's 报告表述 writes it and as `tally explain`
 * and `tally verify` name it.
 *
 * @example
 * zeroDenominatorWording('出庭率', '行政诉讼'); // '分母为0（行政诉讼为0，不计算出庭率）'
 */
export function zeroDenominatorWording(name: string, denominator: string): string {
  return `${ZERO_DENOMINATOR}（${denominator}为0，不计算${name}）`;
}

/** What `{year}`, `{town}`, `{district}`, `{previousYear}`, `{nextYear}` are replaced by. */
export type TemplateValues = Readonly<Record<TemplateVariable, string>>;

/** The variables' values of a configuration. */
export function templateValues(config: { readonly year: number; readonly town: string; readonly district: string }): TemplateValues {
  return { year: String(config.year), previousYear: String(config.year - 1), nextYear: String(config.year + 1), town: config.town, district: config.district };
}

/**
 * Every `{year}`, `{town}`, `{district}`, `{previousYear}`, `{nextYear}` of a text (pack.json's `title`) replaced.
 *
 * @example
 * fillVariables('{district}{town}{year}年度…', templateValues({ year: 2021, town: '安定镇', district: '大兴区' })); // '大兴区安定镇2021年度…'
 */
export function fillVariables(text: string, values: TemplateValues): string {
  return text.replace(/\{(year|town|district|previousYear|nextYear)\}/g, (_, name: TemplateVariable) => values[name]);
}

export interface RenderedNarrative {
  readonly text: string;
  /** Codes of placeholders that name no known figure; each is marked 【未知指标：…】 in the text. */
  readonly unknownPlaceholders: string[];
}

/**
 * The figure codes a template's placeholders name, at any depth, once each, in order of appearance.
 *
 * @example
 * placeholderCodes('共{{a.b}}件，其中{{a.c?无:{}，{{a.d}}}}'); // ['a.b', 'a.c', 'a.d']
 */
export function placeholderCodes(template: string): string[] {
  return [...new Set(figureUses(parseTemplate(template).nodes).map((u) => u.code))];
}

/**
 * Renders a narrative template with the figures of one run.
 *
 * @example
 * const figures = new Map([['decision.docs', { value: 0, wording: '0件', name: '印发行政规范性文件' }]]);
 * renderNarrative('{year}年我镇{{decision.docs?未印发行政规范性文件:印发行政规范性文件{}}}。', figures, templateValues(config)).text;
 * // '2020年我镇未印发行政规范性文件。'
 */
export function renderNarrative(
  template: string,
  figures: ReadonlyMap<string, NarrativeFigure>,
  values: TemplateValues,
): RenderedNarrative {
  const unknown: string[] = [];
  const render = (nodes: readonly TemplateNode[], wording: string | null): string => {
    let out = '';
    for (const n of nodes) out += node(n, wording);
    return out;
  };
  const node = (n: TemplateNode, wording: string | null): string => {
    switch (n.kind) {
      case 'text':
        return n.text;
      case 'variable':
        return values[n.name];
      case 'wording':
        // A `{}` outside any conditional is refused by the parser; kept visible all the same.
        return wording ?? `【模板错误：第${n.line}行的“{}”不在条件占位符中】`;
      case 'error':
        return `【模板错误：${n.message}】`;
      case 'figure': {
        const figure = figures.get(n.code);
        if (figure === undefined) {
          if (!unknown.includes(n.code)) unknown.push(n.code);
          return `【未知指标：${n.code}】`;
        }
        if (n.change !== null && figure.value !== null) {
          const change = wordChange(n.change, { ...(figure.yoy ?? { written: 'exact', unit: '', previous: undefined }), value: figure.value });
          if (change.kind === 'none') {
            const marker = noChangeMarker(change.why, figure.name);
            return n.zero === null ? marker : render(n.zero, marker);
          }
          return n.zero === null || n.other === null ? change.text : render(n.other, change.text);
        }
        if (figure.value === null) {
          if (figure.zeroDenominator === true) {
            const marker = `【${ZERO_DENOMINATOR}：${figure.name}】`;
            return n.zero === null ? marker : render(n.zero, marker);
          }
          return `【${figure.unknown ?? '缺报'}：${figure.name}】`;
        }
        const own = figure.wording ?? String(figure.value);
        if (n.zero === null || n.other === null) return own;
        // A share of 0% is written as one: its zero text is for a zero denominator (above).
        return render(figure.value === 0 && figure.ratio !== true ? n.zero : n.other, own);
      }
    }
  };
  const text = render(parseTemplate(template).nodes, null)
    .replace(/^\n+/, '')
    .replace(/\s+$/, '');
  return { text, unknownPlaceholders: unknown };
}

/** `大兴区安定镇2020年度法治政府建设年度情况报告`: one line, no sentence punctuation, not a 一、/（一） heading. */
function isTitleLine(paragraph: string, title: string): boolean {
  if (paragraph === title) return true;
  return (
    !paragraph.includes('\n') &&
    paragraph.length <= 80 &&
    !/[。，；！？：,;!?:]/.test(paragraph) &&
    !/^[一二三四五六七八九十]+、|^[（(][一二三四五六七八九十]+[）)]/.test(paragraph) &&
    /(报告|情况|总结)$/.test(paragraph)
  );
}

/**
 * The rendered text headed by the report's one title. pack.json's `title` wins: a template whose
 * first paragraph is a title of its own (`大兴区安定镇2020年度…` in a 2021 run) has it replaced,
 * so the .docx and 报告正文 print one title, the configured one. `tally pack check` warns of such a
 * first line ({@link templateTitle}).
 */
export function withTitle(text: string, title: string): string {
  const [first = '', ...rest] = text.split('\n\n');
  if (!isTitleLine(first.trim(), title.trim())) return text;
  return [title, ...rest].join('\n\n');
}

/**
 * The template's first paragraph as rendered when it is a title line, else null (for pack check).
 */
export function templateTitle(template: string, values: TemplateValues, title: string): string | null {
  const rendered = renderNarrative(template, new Map(), values).text;
  const first = (rendered.split('\n\n')[0] ?? '').trim();
  return isTitleLine(first, title.trim()) ? first : null;
}
