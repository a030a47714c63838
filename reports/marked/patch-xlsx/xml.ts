/** Small XML helpers for patching OOXML parts as text. */

export const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
export const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
export const PKG_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
export const REL_TYPE = {
  worksheet: `${REL_NS}/worksheet`,
  styles: `${REL_NS}/styles`,
  comments: `${REL_NS}/comments`,
  vmlDrawing: `${REL_NS}/vmlDrawing`,
  calcChain: `${REL_NS}/calcChain`,
  officeDocument: `${REL_NS}/officeDocument`,
} as const;

/** XML-illegal control characters dropped, nothing else changed (as the exceljs path does). */
export function clean(text: string): string {
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
}

/** Text for an element or an attribute value: cleaned and escaped. */
export function esc(text: string): string {
  return clean(text).replace(/[&<>"\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#13;'));
}

export function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) => {
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'amp') return '&';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    const code = e.startsWith('#x') ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return String.fromCodePoint(code);
  });
}

/** The attributes of an element's start tag (`<c r="A1" s="3">`), unescaped. */
export function attrs(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of tag.matchAll(/\s([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) out.set(m[1] ?? '', unescapeXml(m[2] ?? m[3] ?? ''));
  return out;
}

/** The start tag with attribute `name` set to `value` (replaced, or added at its end). */
export function setAttr(tag: string, name: string, value: string): string {
  const re = new RegExp(`(\\s${name.replace(/[.:]/g, '\\$&')}\\s*=\\s*)(?:"[^"]*"|'[^']*')`);
  if (re.test(tag)) return tag.replace(re, `$1"${esc(value)}"`);
  const end = tag.endsWith('/>') ? tag.length - 2 : tag.length - 1;
  return `${tag.slice(0, end).replace(/\s+$/, '')} ${name}="${esc(value)}"${tag.slice(end)}`;
}

export function removeAttr(tag: string, name: string): string {
  return tag.replace(new RegExp(`\\s${name}\\s*=\\s*(?:"[^"]*"|'[^']*')`), '');
}

/**
 * The root element's start tag of a part, which must be `<local` in the default namespace `ns`
 * (no prefix: strict OOXML or a prefixed part is not patched). Undefined when it is not.
 */
export function rootTag(xml: string, local: string, ns: string): { tag: string; start: number; end: number } | undefined {
  const m = new RegExp(`<${local}[\\s>/]`).exec(xml);
  if (m === null) return undefined;
  const end = xml.indexOf('>', m.index);
  if (end < 0) return undefined;
  const tag = xml.slice(m.index, end + 1);
  if (attrs(tag).get('xmlns') !== ns) return undefined;
  // Nothing but the declaration (and whitespace) before it.
  if (!/^\uFEFF?\s*(<\?xml[^>]*\?>)?\s*$/.test(xml.slice(0, m.index))) return undefined;
  return { tag, start: m.index, end: end + 1 };
}

/** A1 column letters of a 1-based column. */
export function letters(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

export function columnNumber(lettersText: string): number {
  let n = 0;
  for (const ch of lettersText) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/** `B12` → { row: 12, col: 2 }; undefined when not an A1 address within Excel's grid. */
export function parseA1(a1: string): { row: number; col: number } | undefined {
  const m = /^\$?([A-Za-z]{1,3})\$?([1-9]\d{0,6})$/.exec(a1);
  if (m === null) return undefined;
  const col = columnNumber((m[1] ?? 'A').toUpperCase());
  const row = Number(m[2]);
  return col > 16384 || row > 1048576 ? undefined : { row, col };
}

/** A `<t>` element's content, with space preserved when it matters. */
export function tElement(text: string): string {
  const t = esc(text);
  return /^\s|\s$|\n/.test(t) ? `<t xml:space="preserve">${t}</t>` : `<t>${t}</t>`;
}
