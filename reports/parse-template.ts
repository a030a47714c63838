/**
 * Reads a report-text template (`template.txt`) into a tree: text, `{{code}}` placeholders,
 * a figure's change against last year `{{code:同比}}`, conditionals `{{code?ZERO:OTHER}}` whose texts may hold placeholders of their own (nested to any
 * depth), the wording `{}` of the conditional around it, and the variables `{year}`, `{town}`,
 * `{district}`, `{previousYear}`, `{nextYear}`. What cannot be read is a {@link TemplateProblem} naming the
 * line, never text left with `{{` in it: `tally pack check` refuses such a template, and
 * {@link renderNarrative} writes a 【模板错误】 marker in its place.
 *
 * The syntax is documented in reports/narrative.ts and the README (Writing a report pack).
 */

/** The variables a template (and pack.json's `title`) may name: `{year}` → `2021`, `{nextYear}` → `2022`. */
export const TEMPLATE_VARIABLES = ['year', 'town', 'district', 'previousYear', 'nextYear'] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

/**
 * What a placeholder says of its figure against last year, written after the code and a colon:
 * `{{aid.cases:同比}}` → `增长25%`, `{{aid.cases:较上年}}` → `增加9件`, `{{aid.cases:上年}}` → `36件`
 * (reports/change-wording.ts). Without one, the placeholder is the figure itself.
 */
export const CHANGE_FORMS = ['同比', '较上年', '上年'] as const;
export type ChangeForm = (typeof CHANGE_FORMS)[number];

export type TemplateNode =
  | { readonly kind: 'text'; readonly text: string }
  /** `{}`: the wording of the conditional it is written in. */
  | { readonly kind: 'wording'; readonly line: number }
  | { readonly kind: 'variable'; readonly name: TemplateVariable }
  | {
      readonly kind: 'figure';
      readonly code: string;
      readonly line: number;
      /** `{{code:同比}}`: the figure's change against last year, not the figure; null for the figure. */
      readonly change: ChangeForm | null;
      /**
       * The texts of `{{code?ZERO:OTHER}}`; null for a plain `{{code}}`. For a change
       * (`{{code:同比?NONE:OTHER}}`) the first text is taken when there is no change to state
       * (no last year's value, or, for 同比, a value of 0 last year).
       */
      readonly zero: readonly TemplateNode[] | null;
      readonly other: readonly TemplateNode[] | null;
    }
  /** A line that could not be read; rendered as a marker, refused by pack check. */
  | { readonly kind: 'error'; readonly line: number; readonly message: string };

export interface TemplateProblem {
  /** 1-based line of template.txt, comment lines counted. */
  readonly line: number;
  readonly message: string;
  /** The codes the line seems to name: not reported again as figures missing from the text. */
  readonly codes: readonly string[];
}

export interface ParsedTemplate {
  /** The body (comment lines dropped), lines joined by `\n` text nodes. */
  readonly nodes: readonly TemplateNode[];
  readonly problems: readonly TemplateProblem[];
}

/** A template's placeholder that names a figure, at any depth. */
export interface FigureUse {
  readonly code: string;
  readonly line: number;
  /** Written with a zero text of its own (`{{code?…:…}}`). */
  readonly conditional: boolean;
  /** `{{code:同比}}`: its change against last year, not the figure. */
  readonly change: ChangeForm | null;
  /** Codes of the conditionals whose non-zero text it is written in, outermost first. */
  readonly inOtherOf: readonly string[];
}

const CODE = /^\s*([A-Za-z0-9_.-]+)\s*/;
const VARIABLE = /^\{([A-Za-z][A-Za-z0-9_]*)\}/;

class LineError extends Error {}

/**
 * Parses a template.
 *
 * @example
 * parseTemplate('# 说明\n{year}年共{{a.b?无:{}，其中{{a.c}}}}').problems; // []
 */
export function parseTemplate(template: string): ParsedTemplate {
  const nodes: TemplateNode[] = [];
  const problems: TemplateProblem[] = [];
  const lines = template.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  let first = true;
  for (const [i, text] of lines.entries()) {
    if (text.startsWith('#')) continue;
    if (!first) nodes.push({ kind: 'text', text: '\n' });
    first = false;
    const line = i + 1;
    try {
      // bounded: the pieces of one line of the pack's template
      nodes.push(...new LineParser(text, line).parse());
    } catch (cause) {
      if (!(cause instanceof LineError)) throw cause;
      const codes = [...text.matchAll(/\{\{\s*([A-Za-z0-9_.-]+)/g)].map((m) => m[1] ?? '');
      problems.push({ line, message: cause.message, codes });
      nodes.push({ kind: 'error', line, message: cause.message });
    }
  }
  return { nodes, problems };
}

/** Every placeholder naming a figure, at any depth, in order of appearance. */
export function figureUses(nodes: readonly TemplateNode[], inOtherOf: readonly string[] = []): FigureUse[] {
  const out: FigureUse[] = [];
  for (const n of nodes) {
    if (n.kind !== 'figure') continue;
    out.push({ code: n.code, line: n.line, conditional: n.zero !== null, change: n.change, inOtherOf });
    // bounded: the placeholders inside one placeholder of the pack's template
    if (n.zero !== null) out.push(...figureUses(n.zero, inOtherOf));
    // bounded: as above
    if (n.other !== null) out.push(...figureUses(n.other, [...inOtherOf, n.code]));
  }
  return out;
}

/** One line of the body, read left to right; a problem throws {@link LineError}. */
class LineParser {
  private i = 0;
  constructor(
    private readonly s: string,
    private readonly line: number,
  ) {}

  parse(): TemplateNode[] {
    const nodes = this.sequence('top', 0);
    return nodes;
  }

  private fail(message: string): never {
    throw new LineError(`第${this.line}行${message}`);
  }

  /** Text up to the end of the line (top), the first `:` of this level (zero) or the `}}` closing it (other). */
  private sequence(until: 'top' | 'zero' | 'other', depth: number): TemplateNode[] {
    const nodes: TemplateNode[] = [];
    let text = '';
    const flush = () => {
      if (text !== '') nodes.push({ kind: 'text', text });
      text = '';
    };
    const s = this.s;
    while (this.i < s.length) {
      const rest = s.slice(this.i);
      if (rest.startsWith('{{')) {
        flush();
        nodes.push(this.figure(depth));
        continue;
      }
      if (rest.startsWith('{}')) {
        if (depth === 0) this.fail('：“{}”只能写在条件占位符 {{编码?为零时的文字:其他文字{}}} 的文字里，它代表该指标的报告表述');
        flush();
        nodes.push({ kind: 'wording', line: this.line });
        this.i += 2;
        continue;
      }
      const variable = VARIABLE.exec(rest);
      if (variable !== null) {
        const name = variable[1] ?? '';
        if (!(TEMPLATE_VARIABLES as readonly string[]).includes(name)) {
          this.fail(`：不认识的变量“{${name}}”（可用：${TEMPLATE_VARIABLES.map((v) => `{${v}}`).join(' ')}）`);
        }
        flush();
        nodes.push({ kind: 'variable', name: name as TemplateVariable });
        this.i += variable[0].length;
        continue;
      }
      if (rest.startsWith('}}')) {
        if (until === 'other') {
          flush();
          return nodes;
        }
        if (until === 'zero') this.fail('：条件占位符缺少分隔两段文字的半角冒号“:”（写法 {{编码?为零时的文字:其他文字}}）');
        this.fail('：多出的“}}”，前面没有与之配对的“{{”');
      }
      if (rest.startsWith(':') && until === 'zero') {
        flush();
        return nodes;
      }
      text += s[this.i];
      this.i += 1;
    }
    if (until !== 'top') this.fail('：占位符“{{”没有在本行内用“}}”结束');
    flush();
    return nodes;
  }

  /** `{{code}}` or `{{code?ZERO:OTHER}}`, from its `{{`. */
  private figure(depth: number): TemplateNode {
    const start = this.i;
    this.i += 2;
    const code = CODE.exec(this.s.slice(this.i));
    if (code === null || code[1] === undefined) {
      this.fail(`：“{{”之后应是指标编码（字母、数字、点、下划线），看到的是“${this.s.slice(start, start + 20)}”`);
    }
    this.i += code[0].length;
    let change: ChangeForm | null = null;
    // `{{code:同比}}`: a colon right after the code names a change (the full-width one too).
    const form = /^[:：]\s*([^?}\s]*)\s*/.exec(this.s.slice(this.i));
    if (form !== null) {
      const name = form[1] ?? '';
      if (!(CHANGE_FORMS as readonly string[]).includes(name)) {
        this.fail(`：占位符 {{${code[1]}:${name}}} 中“${name}”不是可用的写法（可用：${CHANGE_FORMS.map((f) => `{{${code[1]}:${f}}}`).join(' ')}）`);
      }
      change = name as ChangeForm;
      this.i += form[0].length;
    }
    const rest = this.s.slice(this.i);
    if (rest.startsWith('}}')) {
      this.i += 2;
      return { kind: 'figure', code: code[1], line: this.line, change, zero: null, other: null };
    }
    if (!rest.startsWith('?')) this.fail(`：占位符 {{${code[1]} 之后应是“}}”或“?”，看到的是“${rest.slice(0, 10)}”`);
    this.i += 1;
    const zero = this.sequence('zero', depth + 1);
    this.i += 1; // the `:`
    const other = this.sequence('other', depth + 1);
    this.i += 2; // the `}}`
    return { kind: 'figure', code: code[1], line: this.line, change, zero, other };
  }
}
