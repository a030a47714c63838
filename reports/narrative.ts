/**
 * Fills the report text (报告正文) from its template.
 *
 * Template syntax (also documented in the header of a pack's `template.txt`, e.g.
 * `packs/anding-2020/template.txt`):
 *
 * - Lines starting with `#` are comments and are dropped.
 * - `{{code}}` is replaced by the figure's wording, unit included: `{{x.disclosures}}`
 *   → `280余项`.
 * - `{{code?ZERO_TEXT:OTHER_TEXT}}` is replaced by ZERO_TEXT when the value is 0, otherwise by
 *   OTHER_TEXT with every `{}` in it replaced by the wording. For prose that says 未/无 for zero:
 *   `{{x.docs?未印发行政规范性文件:印发行政规范性文件{}}}`. The first ASCII `:`
 *   separates the two texts; use the full-width `：` inside them.
 * - A figure whose value is null renders as `【缺报：<指标名称>】` (a ledger it needs is missing) or
 *   `【无法统计：<指标名称>】` (a sheet of its ledger lacks a required column it reads), whichever
 *   form the placeholder has, so nobody publishes a blank or a silent zero.
 * - A placeholder naming a code not in `figures` is left as it is, and its code is returned in
 *   `unknownPlaceholders` (once per code, in order of appearance). `tally pack check` refuses
 *   such a template before any run ({@link placeholderCodes}).
 */

export interface NarrativeFigure {
  readonly value: number | null;
  /** How the text writes it, unit included (`280余项`); null when the value is null. */
  readonly wording: string | null;
  /** 指标名称, used in the 【缺报：…】 marker. */
  readonly name: string;
  /** Why a null value is unknown, the marker's word: 缺报 (the default) or 无法统计. */
  readonly unknown?: UnknownFigure;
}

/** The words a figure without a value is marked with in the text (see {@link renderNarrative}). */
export const UNKNOWN_FIGURE = ['缺报', '无法统计'] as const;
export type UnknownFigure = (typeof UNKNOWN_FIGURE)[number];

export interface RenderedNarrative {
  readonly text: string;
  /** Codes of placeholders that name no known figure; those placeholders are left in the text. */
  readonly unknownPlaceholders: string[];
}

// {{code}} or {{code?ZERO:OTHER}}; OTHER (and ZERO) may contain `{}` but no other braces.
const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*(?:\?((?:[^{}:]|\{\})*):((?:[^{}]|\{\})*))?\}\}/g;

/** The body of a template: its `#` comment lines dropped. */
function templateBody(template: string): string {
  return template
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .join('\n');
}

/**
 * The figure codes a template's placeholders name, once each, in order of appearance.
 *
 * @example
 * placeholderCodes('共{{a.b}}件，其中{{a.c?无:{}}}'); // ['a.b', 'a.c']
 */
export function placeholderCodes(template: string): string[] {
  const out: string[] = [];
  for (const m of templateBody(template).matchAll(PLACEHOLDER)) if (!out.includes(m[1] ?? '')) out.push(m[1] ?? '');
  return out;
}

/**
 * Renders a narrative template with the figures of one run.
 *
 * @example
 * const figures = new Map([['decision.docs', { value: 0, wording: '0件', name: '印发行政规范性文件' }]]);
 * renderNarrative('2020年我镇{{decision.docs?未印发行政规范性文件:印发行政规范性文件{}}}。', figures).text;
 * // '2020年我镇未印发行政规范性文件。'
 */
export function renderNarrative(
  template: string,
  figures: ReadonlyMap<string, NarrativeFigure>,
): RenderedNarrative {
  const unknown: string[] = [];
  const body = templateBody(template)
    .replace(/^\n+/, '')
    .replace(/\s+$/, '');

  const text = body.replace(
    PLACEHOLDER,
    (whole: string, code: string, zeroText: string | undefined, otherText: string | undefined) => {
      const figure = figures.get(code);
      if (figure === undefined) {
        if (!unknown.includes(code)) unknown.push(code);
        return whole;
      }
      if (figure.value === null) return `【${figure.unknown ?? '缺报'}：${figure.name}】`;
      const wording = figure.wording ?? String(figure.value);
      if (zeroText === undefined || otherText === undefined) return wording;
      const chosen = figure.value === 0 ? zeroText : otherText;
      return chosen.replaceAll('{}', wording);
    },
  );
  return { text, unknownPlaceholders: unknown };
}
