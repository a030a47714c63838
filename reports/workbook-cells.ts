/**
 * A cell of a report workbook (ours, read back with exceljs: last year's report for year over
 * year, a town's report for the district) as text or as a number: rich text joined, a formula's
 * cached result, thousands separators dropped.
 */
import type ExcelJS from 'exceljs';

export function cellText(v: ExcelJS.CellValue | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((r) => r.text).join('');
  if (typeof v === 'object' && 'result' in v) return cellText(v.result as ExcelJS.CellValue);
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

export function cellNumber(v: ExcelJS.CellValue | undefined): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (v !== null && typeof v === 'object' && 'result' in v) return cellNumber(v.result as ExcelJS.CellValue);
  const text = cellText(v).replace(/[,，\s]/g, '');
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : null;
}
