/**
 * The workbook of `tally verify --out`: 问题清单 (the findings, with the columns of the report
 * workbook's 问题清单, contract §5) and 数字核对 (every figure found in the draft and its verdict).
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import ExcelJS from 'exceljs';
import type { DraftCheck } from '../pipeline/audit/verify-draft.ts';
import { REPORT_SHEETS } from './write-report-workbook.ts';
import { addTable } from './workbook-table.ts';

export const FIGURE_CHECK_SHEET = {
  name: '数字核对',
  headers: ['段落', '原文', '草稿数字', '指标编码', '指标名称', '台账数值', '报告表述', '结论', '说明'],
} as const;

/**
 * @example
 * await writeVerifyWorkbook(result, 'out/verify-草稿.xlsx');
 */
export async function writeVerifyWorkbook(result: DraftCheck, path: string, generatedAt = new Date()): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'tally';
  workbook.created = generatedAt;
  addTable(workbook, {
    ...REPORT_SHEETS.findings,
    rows: result.findings.map((f, i) => [i + 1, f.level, f.code, '（草稿）', f.file, f.sheet, f.cell, f.message, f.expected, f.actual]),
    statusColumns: [1],
  });
  addTable(workbook, {
    ...FIGURE_CHECK_SHEET,
    rows: result.checks.map((c) => [`第${c.paragraph}段`, c.clause, c.figure, c.code, c.name, c.actual, c.expected, c.verdict, c.note]),
    statusColumns: [7],
  });
  await mkdir(dirname(path), { recursive: true });
  await workbook.xlsx.writeFile(path);
}
