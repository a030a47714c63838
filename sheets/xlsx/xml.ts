/** The little XML this reader needs: the five named entities, character references, attributes. */

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

/** The attributes of a start tag's inner text (`r="A1" s="3"`), values decoded. */
export function attributes(source: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const m of source.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    if (m[1] !== undefined) map.set(m[1], decodeXml(m[2] ?? m[3] ?? ''));
  }
  return map;
}

/** One attribute of a start tag, without building a map (the hot path: r, s, t of a cell). */
export function attribute(source: string, name: string): string | undefined {
  const at = source.indexOf(` ${name}="`);
  if (at < 0) {
    if (source.startsWith(`${name}="`)) {
      const end = source.indexOf('"', name.length + 2);
      return end < 0 ? undefined : source.slice(name.length + 2, end);
    }
    return undefined;
  }
  const start = at + name.length + 3;
  const end = source.indexOf('"', start);
  return end < 0 ? undefined : source.slice(start, end);
}

/** The text of every `<t>` element in a fragment (rich text runs), phonetic runs (`<rPh>`) left out. */
export function textRuns(fragment: string): string {
  const body = fragment.indexOf('<rPh') >= 0 ? fragment.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '') : fragment;
  let out = '';
  for (const m of body.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>|<t(?:\s[^>]*)?\/>/g)) out += m[1] ?? '';
  return decodeXml(out);
}
