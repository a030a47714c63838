/**
 * A town that does not run tally sends its `report-<year>.xlsx`: the district reads its 指标汇总
 * (指标编码, 指标名称, 数值, 单位, 报告表述, 状态, 上年数值 when present) and counts its 问题清单 by
 * level. Columns are found by their header, so a workbook laid out by hand in the same way reads
 * too. A 数值 typed as text is read as tally reads a ledger's number (12件, 1.2万); one that is no
 * number is said (`unreadable`). A figure with an empty 数值 is unknown, never 0: 缺报, or 无法统计 when its 状态 says the
 * ledgers came (有错误), unless its 报告表述 says 分母为0 (a rate whose denominator is 0: nothing
 * happened).
 */
import { stat } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { ZERO_DENOMINATOR } from '../../reports/narrative.ts';
import { cellNumber, cellText } from '../../reports/workbook-cells.ts';
import { columnUnit, parseNumber } from '../../sheets/values/index.ts';

export interface WorkbookFigure {
  readonly seq: number;
  readonly code: string;
  readonly name: string;
  readonly unit: string;
  readonly value: number | null;
  readonly status: string;
  readonly previous: number | null;
  /** A rate without a value whose 报告表述 says 分母为0. */
  readonly zeroDenominator: boolean;
  /** A 数值 written as text that is no number (十来件): not read, asked for. */
  readonly unreadable: string | null;
}

export interface TownWorkbook {
  readonly figures: readonly WorkbookFigure[];
  readonly errors: number;
  readonly warnings: number;
  /** When the file arrived (its modification time). */
  readonly receivedAt: Date;
}

export class TownWorkbookError extends Error {
  override readonly name = 'TownWorkbookError';
}

export async function readTownWorkbook(path: string): Promise<TownWorkbook> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.readFile(path);
  } catch (cause) {
    throw new TownWorkbookError(`${path} 无法读取（不是 .xlsx 工作簿？）`, { cause });
  }
  const sheet = workbook.getWorksheet('指标汇总');
  if (sheet === undefined) throw new TownWorkbookError(`${path} 中没有“指标汇总”工作表`);
  const header = headerIndex(sheet);
  const col = (name: string) => header.get(name) ?? 0;
  if (col('指标编码') === 0 || col('数值') === 0) throw new TownWorkbookError(`${path} 的“指标汇总”第1行缺少“指标编码”或“数值”列`);
  const figures: WorkbookFigure[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, n) => {
    if (n === 1) return;
    const get = (name: string) => (col(name) === 0 ? undefined : row.getCell(col(name)).value);
    const code = cellText(get('指标编码')).trim();
    if (code === '') return;
    const unit = cellText(get('单位')).trim();
    const { value, unreadable } = figureValue(get('数值'), unit);
    const status = cellText(get('状态')).trim();
    const zeroDenominator = value === null && cellText(get('报告表述')).trim().startsWith(ZERO_DENOMINATOR);
    figures.push({
      seq: figures.length + 1,
      code,
      name: cellText(get('指标名称')).trim() || code,
      unit,
      value,
      // No value: as its 状态 says (缺报, or 有错误 for a figure its ledgers could not give: 无法统计);
      // without a 状态, 缺报.
      status: value === null && !zeroDenominator ? status || '缺报' : status || '正常',
      previous: cellNumber(get('上年数值')),
      zeroDenominator,
      unreadable,
    });
  });
  let errors = 0;
  let warnings = 0;
  const issues = workbook.getWorksheet('问题清单');
  if (issues !== undefined) {
    const levelCol = headerIndex(issues).get('级别') ?? 0;
    if (levelCol > 0) {
      issues.eachRow({ includeEmpty: false }, (row, n) => {
        if (n === 1) return;
        const level = cellText(row.getCell(levelCol).value).trim();
        if (level === '错误') errors++;
        else if (level === '警告') warnings++;
      });
    }
  }
  return { figures, errors, warnings, receivedAt: (await stat(path)).mtime };
}

function headerIndex(sheet: ExcelJS.Worksheet): Map<string, number> {
  const out = new Map<string, number>();
  sheet.getRow(1).eachCell((cell, n) => {
    const name = cellText(cell.value).replace(/\s/g, '');
    if (!out.has(name)) out.set(name, n);
  });
  return out;
}

/**
 * A figure's 数值 as a town's workbook laid out by hand writes it: a number, or a text tally's
 * readers read as a number in a column of the figure's unit (`12件`, `1,234`, `1.2万` of 人次,
 * `96.5%` of a rate, `无` as 0). Any other text, an approximation (十来件, 200余) included, is
 * `unreadable`: never 0, never a guess, and never taken for 缺报.
 */
function figureValue(v: ExcelJS.CellValue | undefined, unit: string): { value: number | null; unreadable: string | null } {
  const number = cellNumber(v);
  if (number !== null) return { value: number, unreadable: null };
  const text = cellText(v).trim();
  if (text === '') return { value: null, unreadable: null };
  const percent = unit === '%' || unit === '％';
  const read = parseNumber(percent ? text.replace(/[%％]$/, '') : text, percent || unit === '' ? {} : { unit: columnUnit(`数值(${unit})`) });
  // A conversion (1.53万 of 次) is exact; an approximation (十来件, 200余) or a measure word of
  // another thing is no figure a district can add up.
  const exact = read.ok && read.value !== null && (read.notes ?? []).every((n) => n.kind === 'unit_mismatch');
  return exact ? { value: read.value, unreadable: null } : { value: null, unreadable: text };
}
