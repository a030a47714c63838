/**
 * Writes the filled report workbook `report-<year>.xlsx` (contract §5): four sheets with fixed
 * names and headers, laid out to open cleanly in Excel and WPS.
 *
 * On formula injection: every text value is written as an xlsx string cell (exceljs writes a JS
 * string as a shared string, `t="s"`, never as `<f>`), so a department's `=SUM(A1)` or `@cmd` is
 * displayed, never evaluated. Text is never passed as `{ formula }`. exceljs 4.4 has no
 * `quotePrefix` cell style (nothing in its style code reads or writes it), so text that starts with
 * `= + - @`, a tab or a CR is kept exactly as written; it stays inert as long as the cell is not
 * re-typed by hand.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type ExcelJS from 'exceljs';
import { Workbook } from './exceljs-workbook.ts';
import type { ReportData } from './report-data.ts';
import { traceTable } from './trace-sheet.ts';
import { addTable, cellValue, FONT, type Value } from './workbook-table.ts';
import { shanghaiMinute } from './shanghai-time.ts';
import { findingLines } from './finding-lines.ts';
import { omittedLine } from '../pipeline/kernel/findings/findings.ts';
import { shareStyles } from './share-styles.ts';
import { writeXlsxFile } from './xlsx-file.ts';
import { ZERO_DENOMINATOR } from './narrative.ts';

/** Sheet names and headers of contract §5: the interface people and tools rely on. */
export const REPORT_SHEETS = {
  indicators: {
    name: '指标汇总',
    headers: ['序号', '指标编码', '板块', '指标名称', '数值', '单位', '报告表述', '来源', '状态'],
    /** Issue 4, after the contract's columns: last year's value and the change (a % number cell). */
    extensionHeaders: ['上年数值', '同比'],
  },
  findings: {
    name: '问题清单',
    headers: ['序号', '级别', '规则编码', '部门', '文件', '工作表', '单元格', '说明', '期望', '实际'],
  },
  submissions: {
    name: '报送情况',
    headers: ['部门', '台账', '状态', '文件', '版本', '接收时间', '行数', '问题数'],
  },
  narrative: { name: '报告正文' },
} as const;

const NARRATIVE_WIDTH = 100;

/**
 * 问题清单's rows: each finding shown, numbered, and for each file, sheet and rule with more, one
 * unnumbered line saying how many and on which rows (the complete list is the CSV beside the report).
 */
function findingRows(data: ReportData, department: (code: string | null) => string): Value[][] {
  let n = 0;
  return findingLines(data.findings, data.findingsOmitted).map((line) => {
    if (line.kind === 'omitted') {
      const o = line.omitted;
      return [null, o.level, o.code, department(o.department), o.file, o.sheet, null, omittedLine(o), null, null];
    }
    const f = line.finding;
    return [++n, f.level, f.code, department(f.department), f.file, f.sheet, f.cell, f.message, f.expected, f.actual];
  });
}

/** 同比 as a signed percentage: +25.0%, -50.0%. */
const CHANGE_FORMAT = '+0.0%;-0.0%;0.0%';

/**
 * Writes the report workbook for one run.
 *
 * @example
 * await writeReportWorkbook(data, 'out/report-2020.xlsx');
 */
export async function writeReportWorkbook(data: ReportData, path: string): Promise<void> {
  const workbook = new Workbook();
  workbook.creator = 'tally';
  workbook.lastModifiedBy = 'tally';
  workbook.created = data.generatedAt;
  workbook.modified = data.generatedAt;

  const departmentName = new Map(data.departments.map((d) => [d.code, d.name]));

  // The 20 figures, then the rates derived from them (出庭率): same columns, numbered on.
  addTable(workbook, {
    name: REPORT_SHEETS.indicators.name,
    headers: [...REPORT_SHEETS.indicators.headers, ...REPORT_SHEETS.indicators.extensionHeaders],
    rows: [...data.indicators, ...(data.derived ?? [])].map((i) => [
      i.seq,
      i.code,
      i.section,
      i.name,
      i.value,
      i.unit,
      i.wording ?? (i.zeroDenominator === undefined ? null : `${ZERO_DENOMINATOR}（${i.zeroDenominator}为0，不计算${i.name}）`),
      i.sources,
      i.status,
      i.previous ?? null,
      i.change ?? null,
    ]),
    statusColumns: [8],
    numberFormats: { 10: CHANGE_FORMAT },
  });

  addTable(workbook, {
    ...REPORT_SHEETS.findings,
    rows: findingRows(data, (d) => (d === null ? '（未归属）' : (departmentName.get(d) ?? d))),
    statusColumns: [1],
  });

  addTable(workbook, {
    ...REPORT_SHEETS.submissions,
    rows: data.submissions.map((s) => [
      s.department,
      s.ledger,
      s.status,
      s.files.length === 0 ? null : s.files.join('、'),
      s.versions.length <= 1 ? (s.versions[0] ?? null) : s.versions.join('、'),
      s.receivedAt === null ? null : shanghaiMinute(s.receivedAt),
      s.rows,
      s.findings,
    ]),
    statusColumns: [2],
  });

  addNarrative(workbook, data.title, data.narrative);

  // An extension of contract §5, after its four sheets: the rows behind every figure.
  if (data.trace !== undefined) addTable(workbook, traceTable(data));

  // Last, once every cell is styled: ~5,000 cells of 溯源 and 问题清单, a few distinct styles.
  shareStyles(workbook);
  await mkdir(dirname(path), { recursive: true });
  await writeXlsxFile(workbook, path);
}

function addNarrative(workbook: ExcelJS.Workbook, title: string, narrative: string): void {
  const sheet = workbook.addWorksheet(REPORT_SHEETS.narrative.name);
  sheet.getColumn(1).width = NARRATIVE_WIDTH;
  const paragraphs = narrative
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  // The narrative usually starts with the title itself: write it once.
  if (paragraphs[0] === title.trim()) paragraphs.shift();

  const titleCell = sheet.addRow([cellValue(title)]).getCell(1);
  titleCell.font = { ...FONT, bold: true };
  titleCell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  for (const paragraph of paragraphs) {
    const cell = sheet.addRow([cellValue(paragraph)]).getCell(1);
    cell.font = FONT;
    cell.alignment = { vertical: 'top', wrapText: true };
  }
}

