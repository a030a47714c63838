/**
 * A 说明 sheet of a template that lists the ledger's columns, each with how to fill it in
 * (日期 | 类别 | 参加人数, then 填写活动日期，如2020-03-05 | 会前学法、中心组学法… | 整数): its
 * first row matches the ledger's header, but what lies below describes the columns, it is no
 * data. Read as a ledger it gave an error for every description.
 */
import { classifyRow, rowTexts } from './classify-row.ts';
import type { DetectedHeader } from './detect-header.ts';
import { readCell } from './read-cell.ts';
import { hasContent, type SheetGrid } from './sheet-grid.ts';

/** A sheet named for instructions: 说明, 填表说明, 填报说明（勿删）, 填写须知, 注意事项 … */
const INSTRUCTIONS_NAME = /^[（(【[]?(?:(?:填表|填报|填写|使用|编制|模板|表格)?说明|(?:填表|填报|填写)(?:须知|要求)|注意事项)(?:$|[（(【[\s\d_-])/;

/** A heading above the header that says the sheet is instructions: 填表说明, 说明： . */
const INSTRUCTIONS_HEADING = /^(?:填表|填报|填写|使用)?说明[:：]?$/;

/** Column types whose values can be told from a description: a description of them never reads as one. */
const TYPED = new Set(['date', 'number', 'integer', 'bool', 'enum']);

/**
 * True when the sheet is the template's instructions, not a ledger: it says so (its name, or a
 * 填表说明 heading above the header), it has rows under the header, and not one of them holds a
 * value its columns can read (a date in the date column, a number in a number column, a listed
 * value in a list column). One such value and the sheet is a ledger, read as any other: a real
 * row is never dropped for the name of its sheet. `rows` are all the sheet's rows (a sheet
 * longer than the rows held to find the header is no 说明).
 *
 * @example
 *   // 说明: 填表说明 / 日期 | 类别 | 主题 / 填写活动日期，如2020-03-05 | 会前学法、中心组学法 | 学习内容
 *   describesColumns(grid, grid.rowNumbers, header, '说明', { year: 2020 }) // true
 */
export function describesColumns(
  grid: SheetGrid,
  rows: readonly number[],
  header: DetectedHeader,
  name: string,
  ctx: { readonly year: number },
): boolean {
  const top = header.rows[0] ?? 0;
  const bottom = header.rows[header.rows.length - 1] ?? 0;
  const named =
    INSTRUCTIONS_NAME.test(name.trim()) ||
    rows.some((r) => r < top && rowTexts(grid, r).some((t) => INSTRUCTIONS_HEADING.test(t.replace(/\s+/g, ''))));
  if (!named) return false;
  let described = 0;
  for (const r of rows) {
    if (r <= bottom || classifyRow(grid, r, header) !== 'data') continue;
    for (const m of header.columns) {
      if (!TYPED.has(m.field.type)) continue;
      const cell = grid.cell(r, m.column);
      if (cell !== undefined && hasContent(cell) && cell.error === undefined && readCell(m.field, cell.value, ctx).ok) return false;
    }
    described++;
  }
  return described > 0;
}
