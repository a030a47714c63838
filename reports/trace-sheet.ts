/**
 * The 溯源 sheet of the report workbook: one line per candidate row of each figure's ledgers.
 * Filter 指标编码 and add up 计入数量: that is the figure of 指标汇总. Left-out rows say why
 * (未计入原因) and point at the cells that decided it (判定依据).
 */
import { describeCells } from '../pipeline/stages/5-rollup/trace-rows.ts';
import type { ReportData } from './report-data.ts';
import type { TableSpec } from './workbook-table.ts';

export const TRACE_SHEET = {
  name: '溯源',
  headers: ['序号', '指标编码', '指标名称', '计入', '计入数量', '未计入原因', '部门', '台账', '文件', '版本', '工作表', '行号', '判定依据'],
} as const;

export function traceTable(data: ReportData): TableSpec {
  const departmentName = new Map(data.departments.map((d) => [d.code, d.name]));
  const ledgerName = new Map(data.submissions.map((s) => [s.ledgerId, s.ledger]));
  const indicatorName = new Map(data.indicators.map((i) => [i.code, i.name]));
  return {
    ...TRACE_SHEET,
    rows: [...(data.trace ?? []).map((r, index) => [
      index + 1,
      r.code,
      indicatorName.get(r.code) ?? r.code,
      r.counted ? '是' : '否',
      r.counted ? r.amount : null,
      r.reason,
      departmentName.get(r.department) ?? r.department,
      ledgerName.get(r.ledger) ?? r.ledger,
      r.file,
      r.fileVersion,
      r.sheet,
      r.rowNo,
      describeCells(r.cells),
    ]),
    // A figure on more rows than the sheet lists says so, and where to see them all.
    ...(data.traceOmitted ?? []).map((o) => [
      null,
      o.code,
      indicatorName.get(o.code) ?? o.code,
      null,
      null,
      `另有 ${o.omitted} 行未在此列出，请用 tally explain ${o.code} 查看全部`,
      null, null, null, null, null, null, null,
    ]),
    ],
    statusColumns: [],
  };
}
