/**
 * The 问题说明 worksheet part: the findings with no cell to mark (and the line about findings
 * past the cap), laid out as the exceljs path lays it out. Every text is an inline string,
 * escaped and cleaned: never a formula, never a shared string.
 */
import type { Finding } from '../../../pipeline/kernel/findings/findings.ts';
import { NOTES_HEADERS, NOTES_WIDTHS, notesRow, omittedLine } from '../marks.ts';
import type { StylesPatch } from './styles.ts';
import { letters, MAIN_NS, REL_NS, tElement } from './xml.ts';

export function notesSheetXml(findings: readonly Finding[], omitted: number, marked: number, styles: StylesPatch): string {
  const rows: string[] = [];
  const cell = (row: number, col: number, value: string | number | null, s: number) => {
    const r = `${letters(col)}${row}`;
    if (value === null) return `<c r="${r}" s="${s}"/>`;
    if (typeof value === 'number') return `<c r="${r}" s="${s}"><v>${value}</v></c>`;
    return `<c r="${r}" s="${s}" t="inlineStr"><is>${tElement(value)}</is></c>`;
  };
  const header = styles.notesXf('header');
  rows.push(`<row r="1">${NOTES_HEADERS.map((h, i) => cell(1, i + 1, h, header)).join('')}</row>`);
  const data = styles.notesXf('data');
  findings.forEach((f, n) => {
    const r = n + 2;
    const values = notesRow(f, n);
    rows.push(`<row r="${r}">${values.map((v, i) => cell(r, i + 1, v, i === 1 ? styles.notesXf(f.level) : data)).join('')}</row>`);
  });
  if (omitted > 0) {
    const r = findings.length + 2;
    rows.push(`<row r="${r}">${cell(r, 6, omittedLine(marked, omitted), styles.notesXf('omitted'))}</row>`);
  }
  const cols = NOTES_WIDTHS.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join('');
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">` +
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' +
    '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>' +
    `<sheetFormatPr defaultRowHeight="15"/><cols>${cols}</cols><sheetData>${rows.join('')}</sheetData>` +
    '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>'
  );
}
