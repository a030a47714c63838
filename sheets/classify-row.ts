/**
 * What a row below the header is: data, a blank line, a 合计 row, a note, a banner (a section
 * title merged across the table), a 栏次/单位 row, or the header repeated.
 */
import type { DetectedHeader } from './detect-header.ts';
import type { RawValue } from './raw-sheet.ts';
import { hasContent, isUncachedFormula, type SheetGrid } from './sheet-grid.ts';
import { foldText, normalizeLabel, toHalfWidth } from './values/index.ts';

export type RowKind = 'data' | 'blank' | 'total' | 'note' | 'banner' | 'column_numbers' | 'units' | 'header';

const TOTAL = /^(合计|总计|小计|共计|累计|总数|合\s*计|总\s*计)/;
const NOTE = /^(注|说明|填表说明|备注|附注|填报人|填表人|审核人|制表人|统计人|负责人|单位负责人|部门负责人|分管领导|主管领导|联系人|联系电话|填报日期|制表日期|填报单位)(\s|[:：、.．0-9一二三四五六七八九（(]|$)/;

/**
 * The text of the cells of a row that carry content, in column order (merged copies skipped).
 * A formula saved without its value stands as `(公式)`: the row is not blank, it is data whose
 * values are missing (a `cell.formula_error`), never dropped as empty.
 */
export function rowTexts(grid: SheetGrid, row: number): string[] {
  const out: string[] = [];
  for (let c = 0; c < grid.columnCount; c++) {
    const cell = grid.cell(row, c);
    if (cell === undefined || cell.copied) continue;
    if (isUncachedFormula(cell)) {
      out.push('(公式)');
      continue;
    }
    if (!hasContent(cell)) continue;
    out.push(cellText(cell.value) ?? cell.error ?? '');
  }
  return out;
}

/** A row's first text opens a note: 注：…, 说明一、…, 填报人：… . */
export function isNoteText(text: string): boolean {
  return NOTE.test(text.replace(/\s+/g, ''));
}

/**
 * A cell's text as far as telling rows apart needs it: a date or a boolean is never a 合计,
 * a note, a unit or a column number, so it is not formatted (the hot path of every row).
 */
function cellText(value: RawValue): string | null {
  if (value instanceof Date) return '(日期)';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  return foldText(value);
}

export function classifyRow(grid: SheetGrid, row: number, header: DetectedHeader): RowKind {
  const texts = rowTexts(grid, row);
  if (texts.length === 0) return 'blank';
  const first = (texts[0] ?? '').replace(/\s+/g, '');
  if (TOTAL.test(first) || (texts.length > 1 && TOTAL.test((texts[1] ?? '').replace(/\s+/g, '')) && /^\d*$/.test(first))) {
    return 'total';
  }
  if (NOTE.test(first)) return 'note';
  // One cell merged across most of the table: a title, a section line (一季度) or a note.
  const anchor = firstContentCell(grid, row);
  if (texts.length === 1 && anchor !== undefined && (anchor.span ?? 1) >= Math.max(2, Math.ceil(header.columns.length / 2))) {
    return 'banner';
  }
  if (isColumnNumbers(texts, header)) return 'column_numbers';
  if (texts.every((t) => /^(单位|计量单位)?[:：]?\s*[（(]?[件次人个份项元万%人次份]*[)）]?$/.test(t.replace(/\s+/g, '')) || /^单位[:：]/.test(t))) {
    return 'units';
  }
  // The header repeated further down (one block per month on one sheet), perhaps with an alias.
  const labels = labelsOf(header);
  const repeats = header.columns.filter((m) => {
    const value = grid.cell(row, m.column)?.value;
    // Only a short text can be a label: dates, numbers and long texts skip the folding.
    if (typeof value !== 'string' || value.length > 40) return false;
    const label = normalizeLabel(value);
    return label !== '' && (labels.get(m.field.id)?.has(label) ?? false);
  }).length;
  if (repeats >= Math.min(2, header.columns.length)) return 'header';
  return 'data';
}

const LABELS = new WeakMap<DetectedHeader, Map<string, Set<string>>>();

/** Each field's header and aliases, folded once per header. */
function labelsOf(header: DetectedHeader): Map<string, Set<string>> {
  let labels = LABELS.get(header);
  if (labels === undefined) {
    labels = new Map(header.columns.map((m) => [m.field.id, new Set([m.field.header, ...m.field.aliases].map(normalizeLabel))]));
    LABELS.set(header, labels);
  }
  return labels;
}

/** Labels a 栏次 row may start with: the word itself, or 甲, 乙 … for the descriptive columns. */
const COLUMN_NUMBER_LABEL = /^(栏次|栏号|[甲乙丙丁戊己庚辛壬癸])$/;

/**
 * A 栏次 row: the columns numbered 1, 2, 3 … (or from 0), every cell of the row, unmapped
 * columns such as 序号 included; it may start with 栏次 or 甲, 乙 … .
 */
function isColumnNumbers(texts: readonly string[], header: DetectedHeader): boolean {
  if (texts.length < Math.min(3, header.columns.length)) return false;
  const folded = texts.map((t) => toHalfWidth(t).replace(/\s+/g, ''));
  let i = 0;
  while (i < folded.length && COLUMN_NUMBER_LABEL.test(folded[i] ?? '')) i++;
  const numbers = folded.slice(i);
  if (!numbers.every((t) => /^\d{1,3}$/.test(t))) return false;
  const start = Number(numbers[0] ?? 0);
  return start <= 1 && numbers.every((t, k) => Number(t) === start + k);
}

function firstContentCell(grid: SheetGrid, row: number) {
  for (let c = 0; c < grid.columnCount; c++) {
    const cell = grid.cell(row, c);
    if (cell !== undefined && hasContent(cell)) return cell;
  }
  return undefined;
}
