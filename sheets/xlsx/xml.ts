/**
 * The little XML this reader needs: the five named entities, character references, CDATA,
 * end-of-line handling, attributes in either quote, and OOXML's `_xHHHH_` escapes.
 */

const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes `&amp;`, `&#20013;`, `&#x4E2D;` …; anything else is left as written (no DTD, no expansion). */
export function decodeXml(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (whole, e: string) => {
    if (e.charCodeAt(0) === 35 /* # */) {
      const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[e] ?? whole;
  });
}

/**
 * The text of an element's content as a cell shows it, the way an XML parser and then Excel
 * read it: line breaks as written (`\r\n`, a lone `\r`) become `\n` (XML end-of-line handling;
 * a `&#13;` stays a carriage return), `<![CDATA[…]]>` is taken literally, references are
 * decoded, and then OOXML's `_xHHHH_` escapes (ECMA-376 ST_Xstring) become their character:
 * `_x000D_` a carriage return, `_x005F_x000D_` the literal text `_x000D_`.
 *
 * @example decodeText('a\r\nb_x000D_&amp;<![CDATA[<c>]]>') // 'a\nb\r&<c>'
 */
export function decodeText(raw: string): string {
  let s = raw.indexOf('\r') < 0 ? raw : raw.replace(/\r\n?/g, '\n');
  if (s.indexOf('<![CDATA[') >= 0) {
    let out = '';
    let at = 0;
    for (let open = s.indexOf('<![CDATA[', at); open >= 0; open = s.indexOf('<![CDATA[', at)) {
      const close = s.indexOf(']]>', open + 9);
      if (close < 0) break;
      out += decodeXml(s.slice(at, open)) + s.slice(open + 9, close);
      at = close + 3;
    }
    s = out + decodeXml(s.slice(at));
  } else {
    s = decodeXml(s);
  }
  return s.indexOf('_x') < 0 ? s : s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The attributes of a start tag's inner text (`r="A1" s='3'`), values decoded. */
export function attributes(source: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const m of source.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    if (m[1] !== undefined && !map.has(m[1])) map.set(m[1], decodeXml(m[2] ?? m[3] ?? ''));
  }
  return map;
}

/**
 * One attribute of a start tag, without building a map (the hot path: r, s, t of a cell), value
 * as written. The form every writer uses, ` name="value"`, is found by searching; single
 * quotes, spaces around `=` or a line break before the name take {@link attributes}.
 */
export function attribute(source: string, name: string): string | undefined {
  if (source.indexOf("'") >= 0) return rawAttribute(source, name);
  const at = source.indexOf(` ${name}="`);
  if (at < 0) {
    if (source.startsWith(`${name}="`)) {
      const end = source.indexOf('"', name.length + 2);
      return end < 0 ? undefined : source.slice(name.length + 2, end);
    }
    return source.indexOf(name) < 0 ? undefined : rawAttribute(source, name);
  }
  const start = at + name.length + 3;
  const end = source.indexOf('"', start);
  return end < 0 ? undefined : source.slice(start, end);
}

/** The first `name` attribute in any legal form, value as written. */
function rawAttribute(source: string, name: string): string | undefined {
  for (const m of source.matchAll(/(?:^|\s)([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    if (m[1] === name) return m[2] ?? m[3] ?? '';
  }
  return undefined;
}

const PHONETIC = /<((?:[\w.-]+:)?)rPh\b[\s\S]*?<\/\1rPh>/g;
// The empty form first: `<t xml:space="preserve"/>` is not the start of a `<t>…</t>`.
const TEXT = /<(?:[\w.-]+:)?t(?:\s[^>]*)?\/>|<(?:[\w.-]+:)?t(?:\s[^>]*)?>([\s\S]*?)<\/(?:[\w.-]+:)?t>/g;

/**
 * The text of every `<t>` element in a string item (`<si>` or `<is>`: one `<t>`, or rich text
 * runs `<r><rPr>…</rPr><t>…</t></r>`), with any namespace prefix, phonetic runs (`<rPh>`, the
 * reading guide over CJK text) left out as Excel shows them. Undefined when the item holds no
 * `<t>` at all but is not empty: text this reader cannot find is an error, never a blank.
 */
export function textRuns(fragment: string): string | undefined {
  const body = fragment.indexOf('rPh') >= 0 ? fragment.replace(PHONETIC, '') : fragment;
  let out = '';
  let found = false;
  for (const m of body.matchAll(TEXT)) {
    found = true;
    if (m[1] !== undefined) out += decodeText(m[1]);
  }
  if (found) return out;
  return /^\s*$/.test(body.replace(/<(?:[\w.-]+:)?phoneticPr\b[^>]*>/g, '')) ? '' : undefined;
}
