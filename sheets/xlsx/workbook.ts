/**
 * `xl/workbook.xml` and its relationships: the sheets in tab order, their parts, the 1904 flag,
 * and whether the formula results stored in the file were ever calculated (`fullCalcOnLoad`).
 */
import { attributes } from './xml.ts';

export interface ParsedSheet {
  readonly name: string;
  /** Hidden or very hidden. */
  readonly hidden: boolean;
  /** Very hidden (`state="veryHidden"`): not listed by Excel's 取消隐藏, only by the VBA editor. */
  readonly veryHidden: boolean;
  readonly path: string;
}

export interface ParsedWorkbook {
  readonly sheets: readonly ParsedSheet[];
  readonly date1904: boolean;
  /**
   * `<calcPr fullCalcOnLoad="1"/>`: "recalculate every formula when the file is opened", which
   * says the results stored with the formulas were not calculated by whoever saved it. Writers
   * that calculate nothing set it: XlsxWriter always (storing 0, or a value its caller gave,
   * as each result), openpyxl always (storing none), exceljs on request, and tools that fill
   * an Excel template and leave its old results in place. Excel and WPS calculate and write
   * `<calcPr calcId="…"/>` without it on an ordinary save, and LibreOffice writes none (checked
   * on 7.4's `--convert-to xlsx`). So with it, a formula's stored 0 (or empty text, or nothing)
   * is a placeholder, never a value to read; a non-zero result the writer stored was given to it
   * (sheet-scanner.ts `isPlaceholder`).
   */
  readonly fullCalcOnLoad: boolean;
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
  const sheets: ParsedSheet[] = [];
  for (const m of workbookXml.matchAll(/<(?:\w+:)?sheet\b([^>]*)>/g)) {
    const attrs = attributes(m[1] ?? '');
    const relId = [...attrs].find(([k]) => /(^|:)id$/.test(k))?.[1];
    const path = relId === undefined ? undefined : targets.get(relId);
    const name = attrs.get('name') ?? '';
    // Chart sheets and dialog sheets have no cells.
    if (path !== undefined && !path.startsWith('xl/worksheets/')) continue;
    const state = attrs.get('state');
    sheets.push({ name, hidden: state === 'hidden' || state === 'veryHidden', veryHidden: state === 'veryHidden', path: path ?? `(no part for ${name})` });
  }
  const pr = /<(?:\w+:)?workbookPr\b([^>]*)>/.exec(workbookXml)?.[1];
  const date1904 = pr === undefined ? false : /^(1|true)$/.test(attributes(pr).get('date1904') ?? '');
  const calc = /<(?:\w+:)?calcPr\b([^>]*)>/.exec(workbookXml)?.[1];
  const fullCalcOnLoad = calc === undefined ? false : /^(1|true)$/.test(attributes(calc).get('fullCalcOnLoad') ?? '');
  return { sheets, date1904, fullCalcOnLoad, styles, sharedStrings };
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

