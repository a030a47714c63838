/**
 * xl/workbook.xml: its sheets, and the 问题说明 sheet put first in the tab order, which shifts
 * every position-based reference (`localSheetId` of defined names, `activeTab`/`firstSheet`
 * of the book views) by one so that they keep pointing at the same sheets.
 */
import { NOTES_SHEET } from '../marks.ts';
import { fallback } from './fallback.ts';
import { attrs, esc, MAIN_NS, REL_NS, rootTag, setAttr } from './xml.ts';

export interface WorkbookSheet {
  readonly name: string;
  readonly sheetId: number;
  readonly rid: string;
}

export interface WorkbookPart {
  readonly xml: string;
  readonly sheets: readonly WorkbookSheet[];
  /** Whether the root binds `r` to the relationships namespace (else a new sheet declares it). */
  readonly rootR: boolean;
}

export function readWorkbook(xml: string): WorkbookPart {
  const root = rootTag(xml, 'workbook', MAIN_NS);
  if (root === undefined) fallback('workbook not in the transitional main namespace');
  const rootAttrs = attrs(root.tag);
  const sheets = [...xml.matchAll(/<sheet\s[^>]*>/g)].map((m) => {
    const a = attrs(m[0]);
    // The relationships prefix, bound on the root or (openpyxl) on each <sheet>.
    const prefix = [...a, ...rootAttrs].find(([k, v]) => k.startsWith('xmlns:') && v === REL_NS)?.[0].slice('xmlns:'.length);
    return { name: a.get('name') ?? '', sheetId: Number(a.get('sheetId') ?? '0'), rid: (prefix === undefined ? undefined : a.get(`${prefix}:id`)) ?? '' };
  });
  if (sheets.length === 0 || sheets.some((s) => s.rid === '' || s.name === '')) fallback('unexpected sheets in the workbook');
  return { xml, sheets, rootR: rootAttrs.get('xmlns:r') === REL_NS };
}

/** A name for 问题说明 that no sheet has (Excel compares sheet names without case). */
export function notesSheetName(book: WorkbookPart): string {
  const taken = new Set(book.sheets.map((s) => s.name.toLowerCase()));
  let name = NOTES_SHEET;
  for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${NOTES_SHEET}${i}`;
  return name;
}

/** The workbook with a sheet `name` (relationship `rid`) first in the tab order. */
export function addFirstSheet(book: WorkbookPart, name: string, rid: string): string {
  const sheetId = Math.max(0, ...book.sheets.map((s) => s.sheetId)) + 1;
  const sheets = /<sheets(?:\s[^>]*)?>/.exec(book.xml);
  if (sheets === null) fallback('no <sheets> in the workbook');
  const at = sheets.index + sheets[0].length;
  let xml = `${book.xml.slice(0, at)}<sheet name="${esc(name)}" sheetId="${sheetId}"${book.rootR ? '' : ` xmlns:r="${REL_NS}"`} r:id="${esc(rid)}"/>${book.xml.slice(at)}`;
  xml = xml.replace(/<definedName\s[^>]*>/g, (tag) => {
    const local = attrs(tag).get('localSheetId');
    return local === undefined ? tag : setAttr(tag, 'localSheetId', String(Number(local) + 1));
  });
  // No book view: the first sheet was the active one; it stays so.
  if (!/<workbookView[\s>/]/.test(xml)) xml = xml.replace(/<sheets[\s>]/, (m) => `<bookViews><workbookView/></bookViews>${m}`);
  xml = xml.replace(/<workbookView(?:\s[^>]*)?\/?>/g, (tag) => {
    const a = attrs(tag);
    let out = setAttr(tag, 'activeTab', String(Number(a.get('activeTab') ?? '0') + 1));
    const first = a.get('firstSheet');
    if (first !== undefined) out = setAttr(out, 'firstSheet', String(Number(first) + 1));
    return out;
  });
  return xml;
}
