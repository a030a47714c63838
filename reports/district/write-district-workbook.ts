/**
 * `district-<year>.xlsx`: 各街镇指标 (one row per town, one column per figure, then the district's
 * total, rates from their parts), 报送情况, 异常 (the rule stated, then each line), 溯源 (each
 * district figure → each town's value → rows of its departments' ledgers, from its export).
 * Text cells are inert strings (see write-report-workbook.ts); a value a town lacks is written
 * in words (缺报, 无法统计, 无法读取, 分母为0, 无此指标, 未报送), never as 0.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import ExcelJS from 'exceljs';
import type { DistrictData } from '../../pipeline/district/district-data.ts';
import { addTable, cellValue, FONT, type Value } from '../workbook-table.ts';
import { beijing, cellShown, changeText, figureLabel, totalShown } from './district-cells.ts';
import { ZERO_DENOMINATOR } from '../narrative.ts';

export const DISTRICT_SHEETS = {
  towns: '各街镇指标',
  submissions: { name: '报送情况', headers: ['序号', '街镇', '报送方式', '状态', '报送时间', '截止日期', '指标数', '缺报指标数', '错误', '警告', '台账行数', '报告'] },
  anomalies: { name: '异常', headers: ['序号', '类型', '街镇', '指标编码', '指标名称', '数值', '参照', '偏离', '需核实', '说明'] },
  trace: { name: '溯源', headers: ['指标编码', '指标名称', '全区', '街镇', '街镇数值', '部门', '台账', '文件', '版本', '工作表', '行号', '计入数量', '判定依据'] },
} as const;

/** The first column's label of the district's row in 各街镇指标. */
export const TOTAL_LABEL = '全区合计';

const GREY = 'FFD9D9D9';
const HEADER_FILL = 'FFDDEBF7';

export async function writeDistrictWorkbook(data: DistrictData, path: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'tally';
  workbook.created = data.generatedAt;
  workbook.modified = data.generatedAt;
  addTownsSheet(workbook, data);
  addTable(workbook, {
    ...DISTRICT_SHEETS.submissions,
    rows: data.towns.map((t, i) => {
      // A rate whose denominator is 0 lacks nothing: nothing happened.
      const lacking = [...t.cells.values()].filter((c) => c.state !== 'value' && c.state !== ZERO_DENOMINATOR).length;
      return [
        i + 1, t.town, t.source === 'parquet' ? 'tally 导出' : t.source === 'xlsx' ? '报告工作簿' : null, t.status, beijing(t.reportedAt) || null,
        data.deadline, t.source === null ? 0 : [...t.cells.values()].filter((c) => c.state !== '无此指标').length, t.source === null ? null : lacking,
        t.errors, t.warnings, t.ledgerRows, t.report,
      ];
    }),
    statusColumns: [3],
  });
  const name = new Map(data.figures.map((f) => [f.code, f.name]));
  const rule: Value[] = [
    null, '规则', null, null, null, null, null, null, null,
    `同级偏离：修正 z 分数 M = 0.6745 ×（数值 − 中位数）÷ MAD，|M| > ${data.rules.outlierScore} 即列出（至少 ${data.rules.minPeers} 个街镇有该指标）；` +
      `同比变动：逐镇逐项列出，变动超过 ±${data.rules.yoyThreshold * 100}% 或由 0 变为非 0 的需核实；导出不一致：街镇导出的数值不等于其计入行数量之和。`,
  ];
  addTable(workbook, {
    ...DISTRICT_SHEETS.anomalies,
    rows: [
      rule,
      ...data.anomalies.map((a, i): Value[] => [
        i + 1, a.kind, a.town, a.code, name.get(a.code) ?? a.code, a.value, a.reference,
        a.kind === '同比变动' ? changeText(a.measure) : a.measure, a.flagged ? '是' : '否', a.note,
      ]),
    ],
    statusColumns: [],
  });
  addTable(workbook, { ...DISTRICT_SHEETS.trace, rows: traceRows(data), statusColumns: [] });
  await mkdir(dirname(path), { recursive: true });
  await workbook.xlsx.writeFile(path);
}

/** One row per town, a column per figure; the district's row last; codes in a second header row. */
function addTownsSheet(workbook: ExcelJS.Workbook, data: DistrictData): void {
  const sheet = workbook.addWorksheet(DISTRICT_SHEETS.towns, { views: [{ state: 'frozen', ySplit: 2, xSplit: 2 }] });
  const fixed = ['序号', '街镇', '状态'];
  const header = sheet.addRow([...fixed, ...data.figures.map(figureLabel)]);
  const codes = sheet.addRow(['', '指标编码', '', ...data.figures.map((f) => f.code)]);
  for (const row of [header, codes]) {
    row.eachCell((cell) => {
      cell.font = { ...FONT, bold: row === header, ...(row === codes ? { size: 9, color: { argb: 'FF666666' } } : {}) };
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: HEADER_FILL } };
      cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    });
  }
  header.height = 45;
  data.towns.forEach((t, i) => {
    const values = data.figures.map((f) => cellShown(t.cells.get(f.code)));
    const row = sheet.addRow([i + 1, cellValue(t.town), t.status, ...values]);
    row.eachCell((cell, col) => {
      cell.font = FONT;
      if (col > fixed.length && typeof cell.value === 'string') cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: GREY } };
      if (col === 3 && t.status !== '已报') cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: t.status === '缺报' ? GREY : 'FFFFEB9C' } };
    });
  });
  const totals = data.figures.map((f) => totalShown(data.totals.get(f.code)));
  const total = sheet.addRow(['', TOTAL_LABEL, '', ...totals]);
  total.eachCell((cell) => (cell.font = { ...FONT, bold: true }));
  const counted = sheet.addRow(['', '计入街镇数', '', ...data.figures.map((f) => `${data.totals.get(f.code)?.towns ?? 0}/${data.towns.length}`)]);
  counted.eachCell((cell) => (cell.font = { ...FONT, color: { argb: 'FF666666' } }));
  const note = sheet.addRow(['', '说明', '', `全区合计为有该指标数值的街镇之和；比率（%）由各街镇分项之和重新计算（如出庭率 = Σ负责人出庭 ÷ Σ行政诉讼），不取平均。缺报、无法统计、无法读取、无此指标、未报送的街镇不计入，也不以 0 计入；比率的分母为0的街镇（如当年没有行政诉讼，不计算出庭率）也不计入。`]);
  note.getCell(4).font = { ...FONT, color: { argb: 'FF666666' } };
  sheet.getColumn(1).width = 6;
  sheet.getColumn(2).width = 14;
  sheet.getColumn(3).width = 8;
  data.figures.forEach((_, i) => (sheet.getColumn(fixed.length + 1 + i).width = 12));
  sheet.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2 + data.towns.length, column: fixed.length + data.figures.length } };
}

function traceRows(data: DistrictData): Value[][] {
  const out: Value[][] = [];
  const extent = new Map(data.traceExtent.map((e) => [`${e.town}\u0000${e.code}`, e]));
  const rowsOf = new Map<string, DistrictData['trace'][number][]>();
  for (const r of data.trace) {
    const key = `${r.town}\u0000${r.code}`;
    const list = rowsOf.get(key) ?? [];
    list.push(r);
    rowsOf.set(key, list);
  }
  for (const f of data.figures) {
    out.push([f.code, f.name, totalShown(data.totals.get(f.code)), null, null, null, null, null, null, null, null, null,
      f.kind === 'ratio' ? `比率：由各街镇的 ${f.parts.join(' ÷ ')} 之和计算` : `全区 = 下列各街镇数值之和（${data.totals.get(f.code)?.towns ?? 0} 个街镇）`]);
    if (f.kind !== 'indicator') continue;
    for (const t of data.towns) {
      const c = t.cells.get(f.code);
      const e = extent.get(`${t.town}\u0000${f.code}`);
      const how = t.source === 'xlsx' ? '该街镇报送报告工作簿（未使用 tally），无法下钻到台账行'
        : t.source === null ? '未报送'
        : e === undefined ? '导出中无该指标的行'
        : `计入 ${e.rows} 行，数量合计 ${e.traced}${e.listed < e.rows ? `；下列前 ${e.listed} 行（全部见该街镇 tally explain ${f.code}）` : ''}`;
      out.push([f.code, f.name, null, t.town, cellShown(c), null, null, null, null, null, null, null, how]);
      for (const r of rowsOf.get(`${t.town}\u0000${f.code}`) ?? []) {
        out.push([f.code, f.name, null, t.town, null, r.department, r.ledger, r.file, r.fileVersion, r.sheet, r.rowNo, r.amount, r.cells]);
      }
    }
  }
  return out;
}
