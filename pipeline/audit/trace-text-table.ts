/**
 * Plain-text tables for the terminal (`tally explain`, `tally verify`): columns padded to the
 * widest cell, CJK characters counted double so the columns line up in a terminal.
 */
import { displayWidth } from '../../reports/workbook-table.ts';

/**
 * @example
 * textTable(['部门', '行'], [['司法所', '7']]); // '部门    行\n司法所  7\n'
 */
export function textTable(headers: readonly string[], rows: readonly (readonly (string | number | null)[])[], indent = ''): string {
  const cells = [headers, ...rows].map((r) => r.map((c) => (c === null ? '' : String(c).replace(/\s*\n\s*/g, ' '))));
  // A reduce, not Math.max(...): a figure can have hundreds of thousands of rows (no spread of them).
  const widths = headers.map((_, col) => cells.reduce((w, r) => Math.max(w, displayWidth(r[col] ?? '')), 0));
  return cells
    .map((r) => indent + r.map((c, col) => (col === r.length - 1 ? c : c + ' '.repeat((widths[col] ?? 0) - displayWidth(c) + 2))).join('').trimEnd())
    .join('\n')
    .concat('\n');
}
