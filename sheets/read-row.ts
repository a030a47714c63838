/**
 * One data row of a ledger, typed field by field (each value with its cell address), and a 合计
 * row's stated totals: what is wrong with a cell is a finding at that cell.
 */
import { finding, type Finding } from '../pipeline/kernel/findings/findings.ts';
import type { DetectedHeader } from './detect-header.ts';
import { rowTexts, WHOLE_PREFIX } from './classify-row.ts';
import type { ExtractContext, ExtractedRow, FindingSink, StatedTotal } from './extract-types.ts';
import { cellNoteFinding } from './cell-note.ts';
import type { FieldDef } from './ledger-catalog.ts';
import { address, columnLetters } from './raw-sheet.ts';
import { apostropheFinding, withoutApostrophe } from './leading-apostrophe.ts';
import { cellValue, quickValue, readCell, type FieldValue } from './read-cell.ts';
import { hasContent, isUncachedFormula, type GridCell, type SheetGrid } from './sheet-grid.ts';
import { columnUnit, foldText, parseNumber } from './values/index.ts';

/** The `actual` of a formula whose stored result was never calculated (`RawCell.uncalculated`). */
const NOT_CALCULATED = '公式未计算';

/**
 * What a clerk is told of such a formula at `where` (its cell and column): why its value is
 * unknown, what follows, and how to get a value. Excel and WPS calculate every formula of such
 * a file on opening; LibreOffice does not by default (it saved the placeholders unchanged), so
 * it is not named.
 */
function notCalculated(where: string, consequence: string): string {
  return (
    `${where}是公式，但它的结果从未计算过：这个文件是由不会计算公式的程序（如导出数据的软件或脚本）生成的，` +
    `文件里没有存真实结果（只有空值或占位的 0），${consequence}。请用 Excel 或 WPS 打开这个文件，确认公式显示出正确结果后保存，再报送。`
  );
}

/**
 * Fields whose 合计 cell states a sum: the amounts figures add up (人次, 参与人数, 罚款金额,
 * 标的额). Such an amount merged down over several rows is one amount for them all, counted once
 * at the range's top row (cell.merged_amount); a date, a category, a name, a yes/no or a key
 * merged down is each row's own and is read in every row it covers. An amount merged across
 * into another amount column (罚款金额 over 罚款金额 | 没收金额) is its first column's, as Excel
 * holds it: the others read empty, and the range is said the same way.
 */
const SUMMABLE = new Set(['number', 'integer']);

export interface ReadColumn {
  readonly field: FieldDef;
  readonly column: number;
  /** columnLetters(column), made once: a cell's address is these and its row number. */
  readonly letters: string;
}

/**
 * A data row as read: its values by column, made into the records of {@link ExtractedRow}
 * only when asked for. The pipeline's sink (RowBlockBuilder) takes the values by column
 * ({@link DataRow.valuesInOrder}) and never asks for the records; every finding already
 * names its cell.
 */
export class DataRow implements ExtractedRow {
  readonly rowNumber: number;
  /** The value of each of `#columns`, in their order. */
  readonly #list: readonly (FieldValue | null)[];
  readonly #columns: readonly ReadColumn[];
  #values: Readonly<Record<string, FieldValue | null>> | undefined;

  constructor(rowNumber: number, list: readonly (FieldValue | null)[], columns: readonly ReadColumn[]) {
    this.rowNumber = rowNumber;
    this.#list = list;
    this.#columns = columns;
  }

  /** Characters of text in the row's values. */
  get textLength(): number {
    let n = 0;
    for (const v of this.#list) if (typeof v === 'string') n += v.length;
    return n;
  }

  /** Characters in the row's values longer than `over` characters. */
  longTextLength(over: number): number {
    let n = 0;
    for (const v of this.#list) if (typeof v === 'string' && v.length > over) n += v.length;
    return n;
  }

  /** Field id → value, in the header's column order. */
  get values(): Readonly<Record<string, FieldValue | null>> {
    if (this.#values === undefined) {
      const values: Record<string, FieldValue | null> = {};
      for (const [k, m] of this.#columns.entries()) values[m.field.id] = this.#list[k] ?? null;
      this.#values = values;
    }
    return this.#values;
  }

  /** Field id → A1 address, as `address(column, rowNumber)` gives it. */
  get cells(): Readonly<Record<string, string>> {
    const cells: Record<string, string> = {};
    for (const m of this.#columns) cells[m.field.id] = `${m.letters}${this.rowNumber}`;
    return cells;
  }

  /**
   * The values in the order of `fields` — `fields.map((f) => values[f.id] ?? null)` — when
   * `fields` are this row's fields in their order (the builder's, made from the same header);
   * otherwise undefined, and the caller reads {@link values}.
   */
  valuesInOrder(fields: readonly FieldDef[]): readonly (FieldValue | null)[] | undefined {
    if (fields.length !== this.#columns.length) return undefined;
    for (let k = 0; k < fields.length; k++) if (fields[k] !== this.#columns[k]?.field) return undefined;
    return this.#list;
  }

  /** The row as a plain object, its records made: what {@link SheetExtraction.rows} holds. */
  plain(): ExtractedRow {
    return { rowNumber: this.rowNumber, values: this.values, cells: this.cells };
  }
}

/** The columns of a header as {@link readRow} reads them. */
export function readColumns(header: DetectedHeader): ReadColumn[] {
  return header.columns.map((m) => ({ field: m.field, column: m.column, letters: columnLetters(m.column) }));
}

export function readRow(
  grid: SheetGrid,
  r: number,
  columns: readonly ReadColumn[],
  ctx: ExtractContext,
  here: { department: string | null; file: string; sheet: string; ledger: string },
  findings: FindingSink,
): DataRow {
  // Made at its size (a growing array was made again as it grew), each value null until read.
  const values = nulls(columns.length);
  // An index, not `entries()`: its [k, m] pairs were garbage made for every cell.
  for (let k = 0; k < columns.length; k++) {
    const m = columns[k] as ReadColumn;
    const cell = grid.cell(r, m.column);
    // A row under the top of an amount merged down holds none of it: it is counted at the top.
    if (cell?.top !== undefined && cell.top < r && SUMMABLE.has(m.field.type) && countedAbove(m.field, cell, ctx)) continue;
    // Nor does a column right of an amount merged across amount columns: it is counted in the first.
    if (cell?.left !== undefined && cell.left !== m.column && !(cell.top !== undefined && cell.top < r) && SUMMABLE.has(m.field.type) && amountColumnAt(columns, cell.left)) {
      continue;
    }
    if (cell?.error !== undefined) {
      findings.push(
        finding(
          'cell.formula_error',
          { ...here, cell: `${m.letters}${r}`, actual: cell.error },
          `“${m.field.header}”是错误值 ${cell.error}${cell.formula === true ? '（公式计算出错）' : ''}，请改正公式或直接填写数值。`,
        ),
      );
      continue;
    }
    if (isUncachedFormula(cell)) {
      const a1 = `${m.letters}${r}`;
      findings.push(
        cell?.uncalculated === true
          ? finding('cell.formula_error', { ...here, cell: a1, actual: NOT_CALCULATED }, notCalculated(`${a1}“${m.field.header}”`, '因此未读取'))
          : finding(
              'cell.formula_error',
              { ...here, cell: a1, actual: '无计算结果' },
              `“${m.field.header}”是公式，但文件保存时没有保存计算结果（多由其他软件生成，或 Excel 关闭了自动计算）。请在 Excel 中打开文件，按 F9 重新计算后保存，再报送。`,
            ),
      );
      continue;
    }
    const raw = cellValue(m.field, cell, ctx.date1904 === true);
    if (raw === null) {
      if (m.field.required) {
        findings.push(
          finding('cell.required', { ...here, cell: `${m.letters}${r}` }, `“${m.field.header}”是必填项，此处为空，请补填。`),
        );
      }
      continue;
    }
    const quick = quickValue(m.field, raw);
    if (quick !== undefined) {
      values[k] = quick;
    } else {
      const parsed = readCell(m.field, raw, ctx);
      if (!parsed.ok) {
        findings.push(cellTypeFinding(m.field, `${m.letters}${r}`, raw, parsed.reason, here, ctx.year));
        continue;
      }
      values[k] = parsed.value;
      // Read after Excel's text mark (`'2020-03-05`): counted, and the clerk told.
      if (typeof raw === 'string' && parsed.value !== null && withoutApostrophe(m.field, raw) !== undefined) {
        findings.push(apostropheFinding(m.field, `${m.letters}${r}`, raw, parsed.value, here));
      }
      // An approximation, a unit not the column's: the value as counted, and one word at its cell.
      if (parsed.notes !== undefined) {
        const written = typeof raw === 'string' ? (foldText(raw) ?? '') : String(raw);
        const said = cellNoteFinding(parsed.notes, columns, m.field, `${m.letters}${r}`, written, parsed.value, here);
        if (said !== undefined) findings.push(said);
      }
    }
    const value = values[k];
    // The top-left cell of an amount merged down, or across amount columns: counted here, once,
    // and said. Zero is the same counted once or for every row: nothing to say.
    if (
      cell !== undefined &&
      cell.copied !== true &&
      (cell.top === r || cell.left !== undefined) &&
      typeof value === 'number' &&
      value !== 0 &&
      SUMMABLE.has(m.field.type)
    ) {
      const across = amountColumnsWithin(columns, m.column + 1, m.column + (cell.span ?? 1) - 1);
      if (cell.top === r || across.length > 0) findings.push(mergedAmount(m, cell, r, value, across, here));
    }
  }
  return new DataRow(r, values, columns);
}

/**
 * Whether a cell under the top of a range merged down, in a column of amounts, holds what the
 * top row counted: a number, nothing, an error or a formula without its value, all said at the
 * top. Text that is no number (a header label merged down into the data) was not counted at
 * the top (that row is no data row): it is read in each row, and its error said there, as
 * before, not dropped without a word.
 */
function countedAbove(field: FieldDef, cell: GridCell, ctx: ExtractContext): boolean {
  if (cell.error !== undefined || isUncachedFormula(cell) || !hasContent(cell) || cell.value === null) return true;
  return quickValue(field, cell.value) !== undefined || readCell(field, cell.value, ctx).ok;
}

/** Whether the ledger reads an amount (a number or integer field) in `column`. */
function amountColumnAt(columns: readonly ReadColumn[], column: number): boolean {
  for (const c of columns) if (c.column === column) return SUMMABLE.has(c.field.type);
  return false;
}

/** The ledger's amount columns from `first` to `last`, in order (none when `last` < `first`). */
function amountColumnsWithin(columns: readonly ReadColumn[], first: number, last: number): ReadColumn[] {
  const out: ReadColumn[] = [];
  if (last < first) return out;
  for (const c of columns) if (c.column >= first && c.column <= last && SUMMABLE.has(c.field.type)) out.push(c);
  return out.sort((a, b) => a.column - b.column);
}

/**
 * cell.merged_amount: the amount at the top-left cell (row r, column m) of a range merged over
 * `cell.rows` rows, or `across` the ledger's other amount columns, or both, counted once there.
 */
function mergedAmount(
  m: ReadColumn,
  cell: GridCell,
  r: number,
  value: number,
  across: readonly ReadColumn[],
  here: { department: string | null; file: string; sheet: string; ledger: string },
): Finding {
  const rows = cell.rows ?? 1;
  const bottom = r + rows - 1;
  const range = `${m.letters}${r}:${columnLetters(m.column + (cell.span ?? 1) - 1)}${bottom}`;
  const amount = String(value);
  const at = { ...here, cell: range, actual: amount };
  if (across.length === 0) {
    return finding(
      'cell.merged_amount',
      at,
      `“${m.field.header}”的 ${amount} 合并了 ${range} 共 ${rows} 行（第 ${r}–${bottom} 行），统计时只计一次（计在第 ${r} 行），不按每行各 ${amount} 计。` +
        `如果 ${amount} 是这 ${rows} 行合起来的数，无需修改；如果每一行各有 ${amount}，请取消合并，在每一行分别填写。`,
    );
  }
  // Merged across: the value is the first column's, as Excel holds it (the others are empty there).
  const own = `“${m.field.header}”`;
  const others = across.map((c) => `“${c.field.header}”`).join('、');
  const spanned = across.length === 1 ? `${own}和${others}两栏` : `${own}、${others}共 ${across.length + 1} 栏`;
  const a1 = `${m.letters}${r}`;
  return finding(
    'cell.merged_amount',
    at,
    rows === 1
      ? `${own}的 ${amount} 合并了 ${range}，跨${spanned}，统计时只计一次，计在${own}（${a1}），${others}按空计，不按每栏各 ${amount} 计。` +
          `如果 ${amount} 只是${own}，请取消合并，另填${others}；如果每一栏各有 ${amount}，请取消合并，在每一栏分别填写。`
      : `${own}的 ${amount} 合并了 ${range} 共 ${rows} 行（第 ${r}–${bottom} 行），跨${spanned}，统计时只计一次，计在第 ${r} 行的${own}（${a1}），不按每行、每栏各 ${amount} 计。` +
          `如果 ${amount} 是这 ${rows} 行合起来的${own}，请取消合并，另填${others}；如果每一行、每一栏各有 ${amount}，请取消合并，分别填写。`,
  );
}

/** What a row holds of the ledger's columns: see {@link rowFill}. */
export interface RowFill {
  /** The required columns left empty, in the header's order. */
  readonly empty: readonly FieldDef[];
  /** Columns of the ledger with content (an uncalculated formula too). */
  readonly filled: number;
  /**
   * Of those, typed columns (date, enum, number, integer, bool) whose cell reads as its type: a
   * date of the reporting year or before (a 填报日期 comes after it), a listed value, a number, a
   * yes/no.
   */
  readonly typed: number;
  /** Of those, date columns: a date and a name alone are a signature, not a case. */
  readonly dated: number;
  /**
   * Numbers in a text column other than 序号, or in a listed column: a count where the ledger
   * has none, a row of a summary table of its own (婚姻家庭 | 2 | 调解成功), not a case.
   */
  readonly misplaced: number;
}

/**
 * What a row holds of the ledger, read as {@link readRow} reads it but reporting nothing. Tells
 * a case from a footer line: a case has a date of the year, a result or a count; a footer has
 * names, a unit and the date it was signed.
 *
 * @example
 *   rowFill(grid, 7, columns, { year: 2020 }) // { empty: [调解结果], filled: 5, typed: 1, dated: 1, misplaced: 0 }
 */
export function rowFill(grid: SheetGrid, r: number, columns: readonly ReadColumn[], ctx: { readonly year: number }): RowFill {
  const empty: FieldDef[] = [];
  let filled = 0;
  let typed = 0;
  let dated = 0;
  let misplaced = 0;
  const lastDay = `${ctx.year}-12-31`;
  for (const m of columns) {
    const cell = grid.cell(r, m.column);
    if (isUncachedFormula(cell) || cell?.error !== undefined) {
      filled++;
      continue;
    }
    if (cell === undefined || !hasContent(cell) || cell.value === null) {
      if (m.field.required) empty.push(m.field);
      continue;
    }
    filled++;
    if (m.field.type === 'date') dated++;
    if (typeof cell.value === 'number' && (m.field.type === 'enum' || (m.field.type === 'text' && m.field.header !== '序号'))) misplaced++;
    if (m.field.type === 'text' || m.field.type === 'key') continue;
    const read = readCell(m.field, cell.value, ctx);
    if (read.ok && read.value !== null && !(m.field.type === 'date' && typeof read.value === 'string' && read.value > lastDay)) typed++;
  }
  return { empty, filled, typed, dated, misplaced };
}

/** The array {@link nulls} copies: the last length asked for (a sheet's rows all ask for one). */
let NULLS: (FieldValue | null)[] = [];

/** A new array of `n` nulls: a copy of one made before, cheaper than making and filling one. */
function nulls(n: number): (FieldValue | null)[] {
  if (NULLS.length !== n) {
    NULLS = [];
    for (let i = 0; i < n; i++) NULLS.push(null);
  }
  return NULLS.slice();
}

function cellTypeFinding(
  field: FieldDef,
  a1: string,
  raw: unknown,
  reason: string,
  here: { department: string | null; file: string; sheet: string; ledger: string },
  year: number,
): Finding {
  const actual = foldText(raw instanceof Date || typeof raw !== 'object' ? (raw as string | number | boolean | Date) : null) ?? '';
  if (field.type === 'enum') {
    return finding(
      'cell.enum',
      { ...here, cell: a1, expected: (field.values ?? []).join('、'), actual },
      `“${field.header}”填写为“${actual}”，不在可选值内，请改为以下之一：${(field.values ?? []).join('、')}。`,
    );
  }
  // A date's example is of the reporting year: a 2021 clerk told 2020-03-05 wonders which year is meant.
  const expected = field.type === 'date' ? `日期（如 ${year}-03-05）` : (EXPECTED_FORM[field.type] ?? field.type);
  return finding('cell.type', { ...here, cell: a1, expected, actual }, `“${field.header}”无法读取：${reason}。请填写${expected}。`);
}

const EXPECTED_FORM: Partial<Record<FieldDef['type'], string>> = {
  number: '数字',
  integer: '整数',
  bool: '“是”或“否”',
};

/** A count stated in a grand total's label: 合计35件, 共计：35, 全镇合计：35件, 2020年合计35件. */
const LABELLED_COUNT = new RegExp(`^${WHOLE_PREFIX}(合计|总计|共计|累计|总数)[:：]?(?:共)?(\\d+)(件|次|人|项|个|份|条|人次)?`);

export function readTotals(
  grid: SheetGrid,
  r: number,
  header: DetectedHeader,
  here: { department: string | null; file: string; sheet: string; ledger: string },
  findings: FindingSink,
): StatedTotal[] {
  const out: StatedTotal[] = [];
  const texts = rowTexts(grid, r);
  // 小计 rows are partial sums (per month, per village): only a grand total is compared.
  if (texts.some((t) => /^小计/.test(t.replace(/\s+/g, '')))) return out;
  for (const m of header.columns) {
    if (!SUMMABLE.has(m.field.type)) continue;
    const cell = grid.cell(r, m.column);
    if (isUncachedFormula(cell) && cell?.copied !== true) {
      const a1 = address(m.column, r);
      findings.push(
        cell?.uncalculated === true
          ? finding('cell.formula_error', { ...here, cell: a1, actual: NOT_CALCULATED }, notCalculated(`合计行 ${a1}“${m.field.header}”`, '无法核对合计'))
          : finding(
              'cell.formula_error',
              { ...here, cell: a1, actual: '无计算结果' },
              `合计行的“${m.field.header}”是公式，但文件保存时没有保存计算结果，无法核对合计。请在 Excel 中打开文件，按 F9 重新计算后保存，再报送。`,
            ),
      );
      continue;
    }
    if (cell === undefined || cell.copied || !hasContent(cell)) continue;
    if (cell.error !== undefined) {
      // A SUM that shows #VALUE! states nothing the total check could compare: say so here.
      findings.push(
        finding(
          'cell.formula_error',
          { ...here, cell: address(m.column, r), actual: cell.error },
          `合计行的“${m.field.header}”是错误值 ${cell.error}${cell.formula === true ? '（公式计算出错）' : ''}，无法核对合计，请改正公式或直接填写数值。`,
        ),
      );
      continue;
    }
    const n = parseNumber(cell.value, { unit: columnUnit(m.field.header) });
    if (n.ok && n.value !== null) out.push({ field: m.field.id, stated: n.value, cell: address(m.column, r) });
  }
  // A stated count: 合计35件 / 共计：35 / 全镇合计：35件 in the label, or a bare number in a non-numeric column.
  for (let c = 0; c < grid.columnCount; c++) {
    const cell = grid.cell(r, c);
    if (cell === undefined || cell.copied || !hasContent(cell)) continue;
    const isNumericField = header.columns.some((m) => m.column === c && SUMMABLE.has(m.field.type));
    if (isNumericField) continue;
    const text = (foldText(cell.value) ?? '').replace(/\s+/g, '');
    const labelled = LABELLED_COUNT.exec(text);
    const bare = /^(?:共)?(\d+)(件|次|人|项|个|份|条)?$/.exec(text);
    const count = labelled?.[2] ?? (bare !== null && header.columns.some((m) => m.column === c) ? bare[1] : undefined);
    if (count !== undefined) {
      out.push({ field: null, stated: Number(count), cell: address(c, r) });
      break;
    }
  }
  return out;
}
