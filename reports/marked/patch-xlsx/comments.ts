/**
 * Notes (Excel comments) of a sheet: the comments part (`xl/commentsN.xml`), written new or
 * merged into the sheet's own (other notes kept, an annotated cell's note replaced by ours,
 * which quotes it), and the legacy VML drawing that shows them (a shape per new note).
 */
import { fallback } from './fallback.ts';
import { appendChild } from './package-parts.ts';
import { attrs, letters, MAIN_NS, parseA1, rootTag, setAttr, tElement, unescapeXml } from './xml.ts';

export interface Note {
  readonly row: number;
  readonly col: number;
  /** The whole text (findings, then the cell's earlier note). */
  readonly text: string;
}

const COMMENT = /<comment\s[^>]*?(?:\/>|>[\s\S]*?<\/comment>)/g;
const AUTHOR = 'tally';
/** A note's text as one run in Excel's note font (a run, not a bare `<t>`: some readers, exceljs among them, see only runs). */
const RUN_FONT = '<rPr><sz val="9"/><color indexed="81"/><rFont val="宋体"/><family val="3"/><charset val="134"/></rPr>';

/** The notes a comments part holds: A1 address (upper case) → plain text. */
export function readComments(xml: string): Map<string, string> {
  if (rootTag(xml, 'comments', MAIN_NS) === undefined) fallback('comments part not in the transitional main namespace');
  const out = new Map<string, string>();
  for (const m of xml.matchAll(COMMENT)) {
    const ref = (attrs(/^<comment\s[^>]*>/.exec(m[0])?.[0] ?? '').get('ref') ?? '').toUpperCase();
    const body = m[0].replace(/<rPh[\s>][\s\S]*?<\/rPh>/g, '');
    const text = [...body.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((t) => unescapeXml(t[1] ?? '')).join('');
    out.set(ref, text);
  }
  return out;
}

/** The comments part with `notes` written: the sheet's own part amended, or a new one. */
export function commentsXml(existing: string | undefined, notes: readonly Note[]): string {
  const byRef = new Map(notes.map((n) => [`${letters(n.col)}${n.row}`, n]));
  const comment = (ref: string, authorId: number, text: string, open?: string) =>
    `${open === undefined ? `<comment ref="${ref}" authorId="${authorId}">` : setAttr(open, 'authorId', String(authorId))}<text><r>${RUN_FONT}${tElement(text)}</r></text></comment>`;
  if (existing === undefined) {
    const list = notes.map((n) => comment(`${letters(n.col)}${n.row}`, 0, n.text)).join('');
    return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<comments xmlns="${MAIN_NS}"><authors><author>${AUTHOR}</author></authors><commentList>${list}</commentList></comments>`;
  }
  const authors = [.../<authors(?:\s[^>]*)?>([\s\S]*?)<\/authors>/.exec(existing)?.[1]?.matchAll(/<author[\s>/]/g) ?? []].length;
  let xml = /<authors[\s>/]/.test(existing) ? appendChild(existing, 'authors', `<author>${AUTHOR}</author>`) : existing.replace(/(<comments[^>]*>)/, `$1<authors><author>${AUTHOR}</author></authors>`);
  const done = new Set<string>();
  xml = xml.replace(COMMENT, (whole) => {
    const open = /^<comment\s[^>]*?\/?>/.exec(whole)?.[0] ?? '';
    const ref = (attrs(open).get('ref') ?? '').toUpperCase();
    const note = byRef.get(ref);
    if (note === undefined) return whole;
    done.add(ref);
    return comment(ref, authors, note.text, open.replace(/\s*\/>$/, '>'));
  });
  const added = [...byRef].filter(([ref]) => !done.has(ref)).map(([ref, n]) => comment(ref, authors, n.text));
  if (added.length === 0) return xml;
  if (!/<commentList[\s>/]/.test(xml)) return appendChild(xml, 'comments', `<commentList>${added.join('')}</commentList>`);
  return appendChild(xml, 'commentList', added.join(''));
}

/** The cells (A1, upper case) that have a note in a comments part, for shapes already drawn. */
export function commentRefs(xml: string | undefined): Set<string> {
  return new Set(xml === undefined ? [] : [...readComments(xml).keys()].filter((ref) => parseA1(ref) !== undefined));
}

const SHAPE_TYPE =
  '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">' +
  '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>';

const VML_NS = 'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel"';

/** A note's shape; `ns`: its own namespace declarations (appended to a drawing whose root may bind other prefixes, as openpyxl's does). */
function shape(id: number, note: Note, z: number, ns = ''): string {
  const col0 = note.col - 1;
  const row0 = note.row - 1;
  const top = Math.max(0, row0 - 1);
  const anchor = `${col0 + 1}, 15, ${top}, 10, ${col0 + 4}, 15, ${top + 6}, 4`;
  return (
    `<v:shape${ns} id="_x0000_s${id}" type="#_x0000_t202" style="position:absolute;margin-left:80pt;margin-top:2pt;width:240pt;height:110pt;z-index:${z};visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto">` +
    '<v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>' +
    '<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>' +
    `<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>${anchor}</x:Anchor><x:AutoFill>False</x:AutoFill>` +
    `<x:Row>${row0}</x:Row><x:Column>${col0}</x:Column></x:ClientData></v:shape>`
  );
}

/** A new VML drawing for a sheet's notes; `block` is its shape id block (o:idmap), unique in the package. */
export function newVml(notes: readonly Note[], block: number): string {
  const shapes = notes.map((n, i) => shape(block * 1024 + 1 + i, n, i + 1)).join('');
  return (
    `<xml ${VML_NS}>` +
    `<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="${block}"/></o:shapelayout>${SHAPE_TYPE}${shapes}</xml>`
  );
}

/** The sheet's own VML drawing with shapes for the notes that had none. */
export function extendVml(vml: string, notes: readonly Note[]): string {
  if (notes.length === 0) return vml;
  const close = vml.lastIndexOf('</xml>');
  if (close < 0) fallback('unexpected VML drawing');
  let max = 1024;
  for (const m of vml.matchAll(/_x0000_s(\d+)/g)) max = Math.max(max, Number(m[1]));
  const type = /id=["']_x0000_t202["']/.test(vml) ? '' : SHAPE_TYPE.replace('<v:shapetype', `<v:shapetype ${VML_NS}`);
  return vml.slice(0, close) + type + notes.map((n, i) => shape(max + 1 + i, n, max + 1 + i, ` ${VML_NS}`)).join('') + vml.slice(close);
}

/** The o:idmap blocks a VML drawing claims. */
export function idBlocks(vml: string): number[] {
  return [...vml.matchAll(/<[\w.-]+:idmap\s[^>]*>/g)].flatMap((m) => (attrs(m[0]).get('data') ?? '').split(',').map(Number).filter(Number.isInteger));
}

