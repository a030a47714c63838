/** `xl/workbook.xml` and its relationships: the sheets in tab order, their parts, the 1904 flag. */
import { attributes } from './xml.ts';

export interface ParsedWorkbook {
  readonly sheets: readonly { name: string; hidden: boolean; path: string }[];
  readonly date1904: boolean;
  readonly styles?: string | undefined;
  readonly sharedStrings?: string | undefined;
}

export function parseWorkbook(workbookXml: string, relsXml: string): ParsedWorkbook {
  const targets = new Map<string, string>();
  let styles: string | undefined;
  let sharedStrings: string | undefined;
  for (const m of relsXml.matchAll(/<(?:\w+:)?Relationship\b([^>]*)>/g)) {
    const attrs = attributes(m[1] ?? '');
    const id = attrs.get('Id');
    const target = attrs.get('Target');
    if (id === undefined || target === undefined || attrs.get('TargetMode') === 'External') continue;
    targets.set(id, resolvePart(target));
    const type = attrs.get('Type') ?? '';
    if (type.endsWith('/styles')) styles = resolvePart(target);
    if (type.endsWith('/sharedStrings')) sharedStrings = resolvePart(target);
  }
  const sheets: { name: string; hidden: boolean; path: string }[] = [];
  for (const m of workbookXml.matchAll(/<(?:\w+:)?sheet\b([^>]*)>/g)) {
    const attrs = attributes(m[1] ?? '');
    const relId = [...attrs].find(([k]) => /(^|:)id$/.test(k))?.[1];
    const path = relId === undefined ? undefined : targets.get(relId);
    const name = attrs.get('name') ?? '';
    // Chart sheets and dialog sheets have no cells.
    if (path !== undefined && !path.startsWith('xl/worksheets/')) continue;
    const state = attrs.get('state');
    sheets.push({ name, hidden: state === 'hidden' || state === 'veryHidden', path: path ?? `(no part for ${name})` });
  }
  const pr = /<(?:\w+:)?workbookPr\b([^>]*)>/.exec(workbookXml)?.[1];
  const date1904 = pr === undefined ? false : /^(1|true)$/.test(attributes(pr).get('date1904') ?? '');
  return { sheets, date1904, styles, sharedStrings };
}

/** A relationship target (relative to `xl/`, or absolute from the package root) as a zip path. */
export function resolvePart(target: string): string {
  const parts = target.startsWith('/') ? [] : ['xl'];
  for (const segment of target.replace(/^\/+/, '').split('/')) {
    if (segment === '..') parts.pop();
    else if (segment !== '.' && segment !== '') parts.push(segment);
  }
  return parts.join('/');
}

