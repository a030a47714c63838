/**
 * xl/styles.xml amended: the two mark fills added, and for each (original style, level) a
 * marked cell uses one clone of its `<xf>` in cellXfs with the mark's fill; the 问题说明 sheet's
 * few styles (bold header, top-aligned wrapped text, the level fills, the red omitted line).
 * A workbook without a styles part gets a minimal one.
 */
import type { Level } from '../../../pipeline/kernel/findings/findings.ts';
import { MARK_FILLS } from '../marks.ts';
import { fallback } from './fallback.ts';
import { MAIN_NS, rootTag, setAttr } from './xml.ts';

export type NotesStyle = 'header' | 'data' | Level | 'omitted';

export const MINIMAL_STYLES =
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="${MAIN_NS}">` +
  '<fonts count="1"><font><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
  '</styleSheet>';

const XF = /<xf(?:\s[^>]*?)?(?:\/>|>[\s\S]*?<\/xf>)/g;
/** Excel's limit on cell formats. */
const MAX_XFS = 64_000;

export class StylesPatch {
  readonly #xml: string;
  readonly #xfs: readonly string[];
  readonly #fillCount: number;
  readonly #fontCount: number;
  readonly #hasStyleXf: boolean;
  readonly #newXfs: string[] = [];
  readonly #newFonts: string[] = [];
  readonly #byKey = new Map<string, number>();
  #fills: Record<Level, number> | undefined;

  constructor(xml: string) {
    if (rootTag(xml, 'styleSheet', MAIN_NS) === undefined) fallback('styles part not in the transitional main namespace');
    this.#xml = xml;
    this.#xfs = [...section(xml, 'cellXfs').inner.matchAll(XF)].map((m) => m[0]);
    this.#fillCount = [...section(xml, 'fills').inner.matchAll(/<fill[\s>/]/g)].length;
    this.#fontCount = [...section(xml, 'fonts').inner.matchAll(/<font[\s>/]/g)].length;
    this.#hasStyleXf = /<cellStyleXfs[\s>][\s\S]*?<xf[\s>/]/.test(xml);
  }

  /** Whether anything was added (else the part is copied as it was). */
  get changed(): boolean {
    return this.#fills !== undefined || this.#newFonts.length > 0;
  }

  /** The cellXfs index of a marked cell whose style was `s`. */
  markXf(s: number, level: Level): number {
    const base = s >= 0 && s < this.#xfs.length ? s : 0;
    return this.#cached(`${base}:${level}`, () => {
      const xf = this.#xfs[base] ?? '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>';
      const start = /^<xf[^>]*?\/?>/.exec(xf)?.[0] ?? '<xf/>';
      const tag = setAttr(setAttr(start, 'fillId', String(this.#fill(level))), 'applyFill', '1');
      return tag + xf.slice(start.length);
    });
  }

  /** A style of the 问题说明 sheet. */
  notesXf(style: NotesStyle): number {
    return this.#cached(`notes:${style}`, () => {
      const xfId = this.#hasStyleXf ? ' xfId="0"' : '';
      const aligned = ' applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>';
      if (style === 'header') return `<xf numFmtId="0" fontId="${this.#font('<font><b/><sz val="11"/><name val="宋体"/><family val="3"/><charset val="134"/></font>')}" fillId="0" borderId="0"${xfId} applyFont="1"/>`;
      if (style === 'omitted')
        return `<xf numFmtId="0" fontId="${this.#font('<font><b/><sz val="11"/><color rgb="FF9C0006"/><name val="宋体"/><family val="3"/><charset val="134"/></font>')}" fillId="0" borderId="0"${xfId} applyFont="1"/>`;
      if (style === 'data') return `<xf numFmtId="0" fontId="0" fillId="0" borderId="0"${xfId}${aligned}`;
      return `<xf numFmtId="0" fontId="0" fillId="${this.#fill(style)}" borderId="0"${xfId} applyFill="1"${aligned}`;
    });
  }

  toXml(): string {
    let xml = this.#xml;
    if (this.#fills !== undefined) {
      const fills = Object.values(MARK_FILLS).map((argb) => `<fill><patternFill patternType="solid"><fgColor rgb="${argb}"/><bgColor indexed="64"/></patternFill></fill>`);
      xml = extend(xml, 'fills', fills.join(''), this.#fillCount + fills.length);
    }
    if (this.#newFonts.length > 0) xml = extend(xml, 'fonts', this.#newFonts.join(''), this.#fontCount + this.#newFonts.length);
    if (this.#newXfs.length > 0) xml = extend(xml, 'cellXfs', this.#newXfs.join(''), this.#xfs.length + this.#newXfs.length);
    return xml;
  }

  #cached(key: string, make: () => string): number {
    const known = this.#byKey.get(key);
    if (known !== undefined) return known;
    const index = this.#xfs.length + this.#newXfs.length;
    if (index >= MAX_XFS) fallback('too many cell formats');
    this.#newXfs.push(make());
    this.#byKey.set(key, index);
    return index;
  }

  #fill(level: Level): number {
    this.#fills ??= { 错误: this.#fillCount, 警告: this.#fillCount + 1 };
    return this.#fills[level];
  }

  #font(font: string): number {
    const at = this.#newFonts.indexOf(font);
    if (at >= 0) return this.#fontCount + at;
    this.#newFonts.push(font);
    return this.#fontCount + this.#newFonts.length - 1;
  }
}

/** The element `local` of the stylesheet: where its content is. */
function section(xml: string, local: string): { open: string; start: number; inner: string; close: number } {
  const m = new RegExp(`<${local}(?:\\s[^>]*?)?(/?)>`).exec(xml);
  if (m === null) fallback(`styles part without ${local}`);
  const start = m.index + m[0].length;
  if (m[1] === '/') return { open: m[0], start: m.index, inner: '', close: -1 };
  const close = xml.indexOf(`</${local}>`, start);
  if (close < 0) fallback(`styles part: ${local} not closed`);
  return { open: m[0], start, inner: xml.slice(start, close), close };
}

/** `children` appended to the element `local`, its count set to `count`. */
function extend(xml: string, local: string, children: string, count: number): string {
  const s = section(xml, local);
  const open = setAttr(s.open.replace(/\s*\/>$/, '>'), 'count', String(count));
  if (s.close < 0) return `${xml.slice(0, s.start)}${open}${children}</${local}>${xml.slice(s.start + s.open.length)}`;
  const openAt = s.start - s.open.length;
  return `${xml.slice(0, openAt)}${open}${s.inner}${children}${xml.slice(s.close)}`;
}
