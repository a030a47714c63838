/**
 * Year over year (issue 4): last year's figures, from the database (every run keeps its figures in
 * `indicator_values`, by year) or from last year's report workbook (`tally run --previous FILE`,
 * its 指标汇总 sheet: 指标编码 + 数值), and the `indicator.yoy_change` 警告 for a figure that moved
 * more than the configured share (`yoyThreshold`, default 0.5 = ±50%).
 */
import { basename } from 'node:path';
import type ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import type { IndicatorDef } from '../../../reports/report-catalog.ts';
import { formatFigure } from '../../../reports/wording.ts';
import { utcTimestamp, type Database } from '../../kernel/db/schema.ts';
import { finding, type Finding } from '../../kernel/findings/findings.ts';
import { cellNumber, cellText } from '../../../reports/workbook-cells.ts';

/** Last year's figures, by indicator code, and where they come from. */
export interface PreviousFigures {
  readonly year: number;
  /** For people: `数据库（2019年度的最近一次运行）` or the workbook's file name. */
  readonly source: string;
  /** null: the figure was unknown that year (缺报). A code absent here was not in that report. */
  readonly values: ReadonlyMap<string, number | null>;
}

/** `--previous FILE` is not a report workbook tally can read figures from. */
export class PreviousWorkbookError extends Error {
  override readonly name = 'PreviousWorkbookError';
}

const SHEET = '指标汇总';

/**
 * Reads 指标编码 and 数值 from the 指标汇总 sheet of a report workbook (tally's own, or one laid
 * out the same way); the figures are taken to be of `year`.
 *
 * @example
 * const prev = await readPreviousWorkbook('out-2019/report-2019.xlsx', 2019);
 * prev.values.get('x.lawsuits'); // 24: the 数值 of 指标编码 x.lawsuits
 */
export async function readPreviousWorkbook(path: string, year: number): Promise<PreviousFigures> {
  // Loaded here, not with the module: only `--previous` reads a workbook (~0.3 s of every start).
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  try {
    await workbook.xlsx.readFile(path);
  } catch (cause) {
    throw new PreviousWorkbookError(`上年报告工作簿 ${path} 无法读取（不是 .xlsx 工作簿？）`, { cause });
  }
  const sheet = workbook.getWorksheet(SHEET);
  if (sheet === undefined) throw new PreviousWorkbookError(`上年报告工作簿 ${path} 中没有“${SHEET}”工作表`);
  const header = (sheet.getRow(1).values as ExcelJS.CellValue[]).map((v) => cellText(v).replace(/\s/g, ''));
  const codeColumn = header.indexOf('指标编码');
  const valueColumn = header.indexOf('数值');
  if (codeColumn < 1 || valueColumn < 1) throw new PreviousWorkbookError(`上年报告工作簿 ${path} 的“${SHEET}”工作表第1行缺少“指标编码”或“数值”列`);
  const values = new Map<string, number | null>();
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber === 1) return;
    const code = cellText(row.getCell(codeColumn).value).trim();
    if (code === '') return;
    values.set(code, cellNumber(row.getCell(valueColumn).value));
  });
  return { year, source: basename(path), values };
}

/**
 * The latest figures of `year` the database holds: from the last completed run for that year, or
 * from a previous report workbook loaded later than that run.
 */
export async function previousFromDatabase(db: Kysely<Database>, year: number): Promise<PreviousFigures | null> {
  const run = await db
    .selectFrom('runs as r')
    .where('r.status', '=', 'done')
    .where((eb) => eb.exists(eb.selectFrom('indicator_values as v').select('v.code').whereRef('v.run_id', '=', 'r.id').where('v.year', '=', year)))
    .select(['r.id', 'r.finished_at'])
    .orderBy('r.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const imported = await db
    .selectFrom('previous_indicator_values')
    .where('year', '=', year)
    .select(['imported_at', 'source'])
    .orderBy('imported_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const runAt = run?.finished_at?.getTime() ?? -Infinity;
  if (imported !== undefined && imported.imported_at.getTime() >= runAt) {
    const rows = await db
      .selectFrom('previous_indicator_values')
      .where('year', '=', year)
      .where('imported_at', '=', (eb) => eb.selectFrom('previous_indicator_values').where('year', '=', year).select((e) => e.fn.max('imported_at').as('at')))
      .select(['code', 'value'])
      .execute();
    return { year, source: imported.source, values: new Map(rows.map((r) => [r.code, r.value])) };
  }
  if (run === undefined) return null;
  const rows = await db.selectFrom('indicator_values').where('run_id', '=', run.id).where('year', '=', year).select(['code', 'value']).execute();
  return { year, source: `数据库（${year}年度最近一次运行）`, values: new Map(rows.map((r) => [r.code, r.value])) };
}

/** Keeps figures read from a previous report workbook, so later runs compare with them too. */
export async function storePreviousFigures(db: Kysely<Database>, previous: PreviousFigures, now: Date): Promise<void> {
  if (previous.values.size === 0) return;
  const imported_at = utcTimestamp(now);
  await db
    .insertInto('previous_indicator_values')
    .values([...previous.values].map(([code, value]) => ({ year: previous.year, code, value, source: previous.source, imported_at })))
    .execute();
}

/**
 * (value − previous) ÷ previous: 0.25 for +25%. null when either is unknown, or when last year
 * was 0 and this year is not (no ratio to a zero).
 */
export function yoyChange(value: number | null, previous: number | null | undefined): number | null {
  if (value === null || previous === null || previous === undefined) return null;
  if (previous === 0) return value === 0 ? 0 : null;
  return (value - previous) / previous;
}

/** `+25%`, `-50%`, `+12.5%`: a change as the report would write it. */
export function formatChange(change: number): string {
  const pct = Math.round(change * 1000) / 10;
  return `${pct > 0 ? '+' : ''}${pct}%`;
}

/**
 * One `indicator.yoy_change` 警告 per figure that moved more than `threshold` (a share: 0.5 =
 * ±50%) against last year, or that went from 0 to something. Unknown figures are not judged.
 */
export function yoyFindings(
  indicators: readonly IndicatorDef[],
  values: ReadonlyMap<string, number | null>,
  previous: PreviousFigures | null,
  threshold: number,
): Finding[] {
  if (previous === null) return [];
  const bound = formatChange(threshold).replace(/^\+/, '±');
  const out: Finding[] = [];
  for (const ind of indicators) {
    const value = values.get(ind.code) ?? null;
    const before = previous.values.get(ind.code);
    if (value === null || before === null || before === undefined) continue;
    const change = yoyChange(value, before);
    const fromZero = before === 0 && value !== 0;
    // A hair of tolerance: 2 → 3 is exactly +50%, not beyond it.
    if (!fromZero && (change === null || Math.abs(change) <= threshold + 1e-9)) continue;
    const now = `${formatFigure(value, 'exact')}${ind.unit}`;
    const then = `${formatFigure(before, 'exact')}${ind.unit}`;
    const moved = change === null ? '上年为0' : `同比${formatChange(change)}`;
    const low = Math.ceil(before * (1 - threshold) - 1e-9);
    const high = Math.floor(before * (1 + threshold) + 1e-9);
    out.push(
      finding(
        'indicator.yoy_change',
        {
          department: null,
          file: null,
          ledger: ind.ledgers[0] ?? null,
          expected: before === 0 ? `与上年（${then}）相近` : `上年${then}的${bound}以内（${Math.max(0, low)}–${high}）`,
          actual: `${now}（${moved}）`,
        },
        `“${ind.name}”${previous.year + 1}年为${now}，上年为${then}（${moved}），变动超过${bound}。请核对台账是否漏报、重报，或统计口径是否有变。`,
      ),
    );
  }
  return out;
}

