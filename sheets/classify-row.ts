/**
 * What a row below the header is: data, a blank line, a 合计 row, a 小计 row, a note, a banner
 * (a section title merged across the table), a 栏次/单位 row, or the header repeated.
 */
import type { ColumnMatch, DetectedHeader } from './detect-header.ts';
import type { RawValue } from './raw-sheet.ts';
import { hasContent, isContentCell, isUncachedFormula, type GridCell, type SheetGrid } from './sheet-grid.ts';
import { foldText, normalizeLabel, parseNumber, toHalfWidth } from './values/index.ts';
import { hasWhitespace } from './values/fold-text.ts';

/**
 * `total`: a grand total (合计, 总计, 全年合计, 全镇合计, 本镇总计 …), whose stated sums and count
 * are compared with the sheet's data rows. `subtotal`: a partial total (小计, 一季度小计, 12月合计,
 * 上半年合计, 本年累计, 后安定村小计, 综合执法队合计, 其中：调解成功5件 …): not data, and compared with nothing, as the
 * sheet does not say which rows it adds up (those since the previous 小计, the months of a quarter
 * above their own 小计, every row so far for a 累计, the village's rows wherever they stand); a
 * guess at it would be a false finding. The grand total checks the data rows.
 */
export type RowKind = 'data' | 'blank' | 'total' | 'subtotal' | 'note' | 'banner' | 'column_numbers' | 'units' | 'header';

const TOTAL = /^(合计|总计|小计|共计|累计|总数|合\s*计|总\s*计)/;

/** A number in a period: 12, １２, 2020, 十二, 二〇二〇. */
const N = '(?:[0-9０-９]{1,4}|[一二三四五六七八九十〇零两]{1,4})';
/** One part of the period a total is labelled with: 2020年, 第三季度, 12月, 1-3月, 上半年, 本月 … */
const PERIOD = `(?:${N}年度?|第?${N}(?:季度|季|月份|月|周|旬)|第?${N}[-—–~～至到]${N}(?:季度|月份|月)?|前${N}个?(?:季度|月)|[Qq][1-4]|[上下]半年|[上下]半|全年|半年|年度|季度|月度|本年度?|本季度?|本月|本期|本周|当年|当季度?|当月|[上中下]旬|累计)`;
/**
 * A total labelled with its period, nothing after the word but a stated count (一季度小计,
 * 第三季度小计：3件, 12月合计, 2020年1-3月合计, 上半年合计, 本年累计): the whole text, so that
 * 十二月工作合计分析会 or 12月合计分析会, an activity's name, is data.
 */
export const PERIOD_TOTAL = new RegExp(
  `^(?:${PERIOD}[-—–~～至到、]?){1,4}(合计|总计|小计|共计|累计|总数|汇总)[:：]?[0-9０-９,，.共件次人项个份条元万()（）]*$`,
);
/** The months of the whole year: 1-12月, 1月-12月, 01至12月, 一至十二月. */
const ALL_MONTHS = '(?:0?1|一)月?份?[-—–~～至到](?:12|十二)月份?';
/** A period that is the whole year (2020年, 全年, 1-12月, 2020年1-12月): its 合计 is the sheet's grand total. */
export const WHOLE_YEAR = new RegExp(`^(?:${N}年度?|全年|年度|本年度?|当年|${ALL_MONTHS})+(合计|总计|共计|总数|汇总)`);
/** A stated count after a total's label: ：3件, 共3件, （3件）, 3. */
const COUNT = '[:：]?[0-9０-９,，.共件次人项个份条元万()（）]*';
/**
 * What a grand total may be named for besides its year: the whole town, office or unit the sheet
 * is about (全镇, 全所, 本镇, 本单位, 全部, 总, 本表), or all the rows above it (以上, 上述). 本页
 * is no whole: a printed page's 合计. Nor is a town's own name (安定镇合计): it cannot be told
 * from one town of several, and a subtotal taken for the grand total is a false mismatch.
 */
const WHOLE_SCOPE =
  '(?:全部|全(?:镇|乡|街道?|村|居|社区|所|队|站|办|局|委|院|科|单位|部门|系统)|本(?:镇|乡|街道?|村|居|社区|所|队|站|办|局|委|院|科|单位|部门|表)|总|以上|上述)';
/** A name made only of the whole and its year (全镇, 2020年全镇, 本镇全年): its 合计 is the grand total. */
export const WHOLE_NAME = new RegExp(`^(?:${WHOLE_SCOPE}|${N}年度?|全年|年度|本年度?|当年|${ALL_MONTHS}|[-—–、])+$`);
/** A whole's label as a grand total's count is read after it (readTotals: 全镇合计：35件). */
export const WHOLE_PREFIX = `(?:${WHOLE_SCOPE}|${N}年度?|全年|年度|本年度?|当年|${ALL_MONTHS})*`;
/**
 * A total named for its group, the name before the word, the whole text (后安定村小计, 前安定村
 * 小计, 综合执法队合计, 司法所小计：5件, 后安定村：小计, 东庄村（小计）). The name: at most 20
 * characters, no sentence in it (no ，。；：！？). 汇总, 累计 and 总数 are not taken: they end the
 * names of activities and documents (普法材料汇总) more often than a group's total.
 */
export const NAMED_TOTAL = new RegExp(`^([^，,。；;：:！!？?]{1,20}?)[-—–:：]?[（(【\\[]?(小计|合计|总计|共计)[)）】\\]]?${COUNT}$`);
/**
 * A total with its group's name in brackets after the word (合计（后安定村）): a subtotal when
 * the name is a place or a unit (its last character or word says so) or a period other than the
 * year. Anything else in the brackets stays as the word says: 合计（人次）, 合计（全镇）,
 * 合计（含补录） are the grand total. (小计（…） is a subtotal whatever the brackets hold.)
 */
export const BRACKETED_TOTAL = new RegExp(`^(?:合计|总计|共计)[（(【\\[]([^)）】\\]]{2,20})[)）】\\]]${COUNT}$`);
/** The last word of a place's or a unit's name: 后安定村, 东庄社区, 综合执法队, 司法所, 一组 … */
export const GROUP_NAME = /.(?:村|社区|居委会|村委会|居|组|队|所|站|办|科|室|中心|庭|院|局|委|镇|乡|街道|片区|网格)$/;
/** A 序号 standing before a name: 一, 12, 一、, 3． (not a group's name). */
export const NUMBERING = /^(?:[0-9０-９]{1,3}|[一二三四五六七八九十]{1,3})[、.．]?$/;
/** The word alone after a group's name in the cell before it (西庄村 | 小计), with a stated count. */
export const TOTAL_WORD = new RegExp(`^(小计|合计|总计|共计)${COUNT}$`);
/**
 * A text that opens with the word and goes on as a name (小计算器采购合同, 合计分析会暨年终总结,
 * 合计人数): not followed by a colon, a bracket, a digit or nothing, as a label is (合计, 合计：12件,
 * 小计（东庄村）, 合计35件). Such a text is a total's label only in a row of counts.
 */
export const OPENS_NAME = /^(?:合计|总计|小计|共计|累计|总数)[^:：（(【[0-9０-９]/;
/**
 * A period's parts only (一季度, 12月, 上半年): a total of that is a subtotal unless it is the year.
 * A part does not end inside a number: 2020-03-20, a day typed as text, is no 2020-0 and 3-20.
 */
export const PERIOD_ONLY = new RegExp(`^(?:${PERIOD}(?!(?<=[0-9０-９])[0-9０-９])[-—–~～至到、]?){1,4}$`);

/** A bracketed part at the end of a text (一季度（1-3月）). */
const TRAILING_BRACKET = /[(（][^()（）]*[)）]$/;

/** A stamp or signature line under the table: （盖章）, 单位（公章）：, 负责人签字： . */
export const STAMP = /^[（(【[]?[^（()）]{0,8}[（(【[]?(盖章|公章|签章|印章|签字|签名)[)）】\]]?[:：]?$/;
const NOTE = /^(注|说明|填表说明|备注|附注|填报人|填表人|审核人|制表人|统计人|负责人|单位负责人|部门负责人|分管领导|主管领导|联系人|联系电话|填报日期|制表日期|填报单位)(\s|[:：、.．0-9一二三四五六七八九（(]|$)/;

/**
 * The cells of a row that carry content, in column order (merged copies skipped), each with
 * the text {@link rowTexts} gives it. A formula saved without its value stands as `(公式)`:
 * the row is not blank, it is data whose values are missing (a `cell.formula_error`), never
 * dropped as empty.
 */
function contentCells(grid: SheetGrid, row: number): GridCell[] {
  const out: GridCell[] = [];
  for (let c = 0; c < grid.columnCount; c++) {
    const cell = grid.cell(row, c);
    if (isContentCell(cell)) out.push(cell);
  }
  return out;
}

/** The text of one of {@link contentCells}. */
function textOf(cell: GridCell): string {
  if (isUncachedFormula(cell)) return '(公式)';
  return cellText(cell.value) ?? cell.error ?? '';
}

/** The text of the cells of a row that carry content, in column order (see {@link contentCells}). */
export function rowTexts(grid: SheetGrid, row: number): string[] {
  return contentCells(grid, row).map(textOf);
}

/**
 * {@link rowTexts}, each text made only when a test asks for it: most rows are data, told
 * apart by their first cells, and folding all of them would be the cost of every row.
 * One is reused from row to row ({@link ROW_TEXTS}): its arrays were garbage made for every row.
 */
class RowTexts {
  /**
   * The row's cells and their texts once made are the first {@link length} entries. Past them
   * are a longer row's, left there: emptying an array lets its storage go, to be made again.
   */
  readonly #cells: GridCell[] = [];
  readonly #columns: number[] = [];
  readonly #texts: (string | undefined)[] = [];
  #length = 0;

  /** Now the texts of `row`. */
  of(grid: SheetGrid, row: number): this {
    let n = 0;
    for (let c = 0; c < grid.columnCount; c++) {
      const cell = grid.cell(row, c);
      if (!isContentCell(cell)) continue;
      this.#cells[n] = cell;
      this.#columns[n] = c;
      this.#texts[n] = undefined;
      n++;
    }
    this.#length = n;
    return this;
  }

  get length(): number {
    return this.#length;
  }

  /** The column of the i-th text (i < length). */
  columnAt(i: number): number {
    return i < this.#length ? (this.#columns[i] ?? -1) : -1;
  }

  /** The value of the i-th text's cell, unformatted (a test on it costs less than the text). */
  valueAt(i: number): RawValue | undefined {
    return i < this.#length ? this.#cells[i]?.value : undefined;
  }

  /** rowTexts(grid, row)[i] (i < length). */
  at(i: number): string {
    if (i >= this.#length) return '';
    let text = this.#texts[i];
    if (text === undefined) {
      const cell = this.#cells[i];
      text = cell === undefined ? '' : textOf(cell);
      this.#texts[i] = text;
    }
    return text;
  }
}

/** A row's first text opens a note: 注：…, 说明一、…, 填报人：… . */
export function isNoteText(text: string): boolean {
  return NOTE.test(squeeze(text));
}

/** An item of a numbered list: 1．…, 2、…, 三、…, （一）…, ① … . */
const NUMBERED_ITEM = /^(?:(?:[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})[、.．]|[（(](?:[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})[)）]|[①-⑳])/;

/** A text that opens an item of a numbered list (under a 填表说明: the note goes on). */
export function isNumberedItem(text: string): boolean {
  return NUMBERED_ITEM.test(squeeze(text));
}

/** The text with all whitespace removed. */
function squeeze(text: string): string {
  // The replace would give back the same text when there is no whitespace, the common case.
  return hasWhitespace(text) ? text.replace(/\s+/g, '') : text;
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

const UNITS = /^(单位|计量单位)?[:：]?\s*[（(]?[件次人个份项元万%人次份]*[)）]?$/;

/**
 * What the row is. Each test reads only the texts it needs, in the order written here; a row
 * of data fails the first tests on its first cell or two.
 */
export function classifyRow(grid: SheetGrid, row: number, header: DetectedHeader): RowKind {
  return classifyTexts(ROW_TEXTS.of(grid, row), grid, row, header);
}

/** The one {@link RowTexts} classifyRow uses (it calls nothing that classifies another row). */
const ROW_TEXTS = new RowTexts();

/** A module constant, not a literal in isUnits: a literal is a new RegExp object each time it runs. */
const UNIT_LABEL = /^单位[:：]/;

/*
 * The tests below answer for the texts of a data row without calling a regular expression
 * where its first character already decides (a 序号 of digits starts most rows): each call
 * cost more than the row's other work. Exactly the expressions' answers (tests/read-fast-paths.test.ts).
 */

/**
 * A text whose first character is ASCII: no match for TOTAL, NOTE, COLUMN_NUMBER_LABEL or
 * UNIT_LABEL, which all begin with a CJK character.
 */
function startsAscii(s: string): boolean {
  return s.charCodeAt(0) < 0x80;
}

/** `/^\d*$/.test(s)` (without the u flag, \d is ASCII 0-9). */
function isDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** `TOTAL.test(s)`. */
export function opensTotal(s: string): boolean {
  return !startsAscii(s) && TOTAL.test(s);
}

/**
 * `PERIOD_TOTAL.test(s)`: a text of no 计 and no 总 (nearly every first cell of a data row: a
 * 序号, a date, a name) is answered without the expression.
 */
export function isPeriodTotal(s: string): boolean {
  return (s.includes('计') || s.includes('总')) && PERIOD_TOTAL.test(s);
}

/**
 * The kind of a row whose label (its first text, or its second after a 序号) is `label`, when it
 * is a total: a 小计, or a total labelled with a period (12月合计) other than the whole year, is a
 * subtotal; undefined when the label is no total. A label that names its group or the whole
 * (后安定村小计, 全镇合计) is read by {@link namedTotal}, which looks at the rest of the row too.
 */
function totalKind(label: string): 'total' | 'subtotal' | undefined {
  if (isPeriodTotal(label)) return WHOLE_YEAR.test(label) ? 'total' : 'subtotal';
  if (!opensTotal(label)) return undefined;
  return label.startsWith('小计') ? 'subtotal' : 'total';
}

/**
 * The kind of a total named `name` with the word `word` (小计, 合计, 总计, 共计): the whole
 * (全镇, 本所, 2020年全镇, 总) with any word but 小计 is the grand total; a 序号 before the word
 * (一、合计) names nothing, and the word decides as it does alone; any other name is a group's or
 * a period's, a subtotal.
 */
function namedKind(name: string, word: string): 'total' | 'subtotal' {
  if (word === '小计') return 'subtotal';
  return WHOLE_NAME.test(name) || NUMBERING.test(name) ? 'total' : 'subtotal';
}

/**
 * A total whose brackets name a group or a period (合计（后安定村）, 总计（一季度）): a
 * subtotal. See {@link BRACKETED_TOTAL}.
 */
function bracketsGroup(label: string): boolean {
  if (label.length < 5) return false;
  const name = BRACKETED_TOTAL.exec(label)?.[1];
  if (name === undefined || WHOLE_NAME.test(name)) return false;
  return GROUP_NAME.test(name) || PERIOD_ONLY.test(name);
}

/**
 * A first text that may be a group's name with its total's word in the next cell (西庄村 |
 * 小计): two to twenty characters, starting with a CJK ideograph (no date, no case number), no
 * 序号 and no sentence.
 */
function mayNameGroup(text: string): boolean {
  const c = text.charCodeAt(0);
  return c >= 0x4e00 && c <= 0x9fff && text.length >= 2 && text.length <= 20 && !NUMBERING.test(text) && !/[，,。；;：:！!？?]/.test(text);
}

/**
 * A total named for its group or for the whole, as {@link NAMED_TOTAL} and {@link TOTAL_WORD}
 * read it: the label is the first text (or the second after a 序号: 7 | 司法所小计：1件), or the
 * first two when the first is a name, a period (1月, 3月份, Q1) or a date (a month typed 2020年3月,
 * a subtotal whatever the word) and the second the word alone (西庄村 | 小计, 2020-03-01 | 小计). Held to the
 * rest of the row by {@link holdsOnlyCounts}: a name says less than 小计 alone, and an activity
 * or a person may be called so (王小计).
 */
function namedTotal(texts: RowTexts, first: string, grid: SheetGrid, row: number, header: DetectedHeader): 'total' | 'subtotal' | undefined {
  const at = isDigits(first) && texts.length > 1 ? 1 : 0;
  const label = at === 0 ? first : squeeze(texts.at(1));
  if (label.includes('计')) {
    const m = NAMED_TOTAL.exec(label);
    if (m !== null) return holdsOnlyCounts(texts, [at], grid, row, header, true) ? namedKind(m[1] ?? '', m[2] ?? '') : undefined;
  }
  if (at !== 0 || texts.length < 2) return undefined;
  const second = texts.valueAt(1);
  if (typeof second !== 'string' || !second.includes('计')) return undefined;
  // A month typed 2020年3月 is stored as a date: 2020年3月 | 小计 is the month's subtotal.
  const dated = texts.valueAt(0) instanceof Date;
  // A month or a period in digits (1月 | 小计, 3月份 | 小计, Q1 | 合计) names its rows as 一月 does.
  if (!dated && !mayNameGroup(first) && !PERIOD_ONLY.test(first)) return undefined;
  const word = TOTAL_WORD.exec(squeeze(texts.at(1)))?.[1];
  if (word === undefined || !holdsOnlyCounts(texts, [0, 1], grid, row, header, true)) return undefined;
  return dated ? 'subtotal' : namedKind(first, word);
}

/**
 * The rest of a row labelled as a total (its label the texts at `labels`) holds what a total row
 * holds: in each of the ledger's columns a count (3, 3件, 共3件, 无), a formula, an error value or
 * nothing; no date, no yes/no, no text. And it leaves a required column unfilled: a row that
 * fills them all is data whatever its label says (法律咨询合计 | 1200 in a 年度统计表 is a 指标
 * and its 数值). Filled as a data row fills it: the label a text or key column (a name is a
 * value there, not in a date column), a count a number column (2件 under 调解结果 is not a
 * result), a formula any column; a merged copy of the label nothing. With `listed`, a value of a
 * listed column's own (后安定村小计 | | 法律咨询 | 30: the category the group's rows share) is held
 * too, as a value that fills it.
 */
function holdsOnlyCounts(texts: RowTexts, labels: readonly number[], grid: SheetGrid, row: number, header: DetectedHeader, listed = false): boolean {
  const labelColumns = labels.map((i) => texts.columnAt(i));
  let unfilled = false;
  for (const m of header.columns) {
    const cell = grid.cell(row, m.column);
    const type = m.field.type;
    let fills: boolean;
    if (!isContentCell(cell)) {
      fills = false;
    } else if (labelColumns.includes(m.column)) {
      fills = type === 'text' || type === 'key';
    } else if (isUncachedFormula(cell) || cell.error !== undefined) {
      fills = true;
    } else if (listed && type === 'enum' && typeof cell.value === 'string' && (m.field.values ?? []).includes(squeeze(foldText(cell.value) ?? ''))) {
      fills = true;
    } else {
      const value = cell.value;
      if (typeof value !== 'number') {
        if (typeof value !== 'string') return false;
        const n = parseNumber(value);
        if (!n.ok || n.value === null) return false;
      }
      fills = type === 'number' || type === 'integer';
    }
    if (m.field.required && !fills) unfilled = true;
  }
  return unfilled;
}

/**
 * A line of the footer written without 人 or in a cell of its own: 制表：王五, 审核：李四,
 * 经办人签字：, or a stamp named anywhere in the text (安定镇司法所（盖章）2021年1月5日).
 */
const FOOTER_LINE = /^(?:制表|制单|填报|填表|审核|审批|审定|复核|核稿|校对|统计|经办|签发|分管|主管|负责|联系)(?:人|员|领导)?(?:签字|签名)?[:：]|盖章|公章|签章/;

/**
 * A row with a text of the footer in it, in any cell: a note's or a signature's opening (填报人：,
 * 制表：, 注：), a stamp. Under the footer such a row is the footer's, whatever else it holds.
 */
export function hasFooterText(grid: SheetGrid, row: number): boolean {
  for (const text of rowTexts(grid, row)) if (isFooterText(text)) return true;
  return false;
}

/** A text of the footer ({@link hasFooterText}): 填报人, 审核人：, 制表：王五, 联系电话, （盖章）. */
export function isFooterText(text: string): boolean {
  const t = squeeze(text);
  return opensNote(t) || isStampText(t) || FOOTER_LINE.test(t);
}

/** A note's opening a case's own cell may hold (备注：已回访, 说明：…): not a signature's. */
const CASE_NOTE = /^(?:注|说明|填表说明|备注|附注)/;

/**
 * A row with a signature's text in any cell (填报人：, 审核人, 联系电话, （盖章）), not a note's
 * opening (备注：已回访 is a case's 备注): under the footer, the footer's whatever columns it fills.
 */
export function hasSignatureText(grid: SheetGrid, row: number): boolean {
  for (const text of rowTexts(grid, row)) {
    const t = squeeze(text);
    if (isFooterText(t) && !CASE_NOTE.test(t)) return true;
  }
  return false;
}

/** `STAMP.test(s)`: only a short text with 章 or 签 in it can be one. */
export function isStampText(s: string): boolean {
  return s.length <= 16 && (s.includes('章') || s.includes('签')) && STAMP.test(s);
}

/** `UNITS.test(s)`: it admits no ASCII letter or digit, first or anywhere. */
export function isUnitText(s: string): boolean {
  const c = s.charCodeAt(0);
  if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) return false;
  return UNITS.test(s);
}

/** `COLUMN_NUMBER_LABEL.test(s)`. */
export function isColumnNumberLabel(s: string): boolean {
  return !startsAscii(s) && COLUMN_NUMBER_LABEL.test(s);
}

/** `NOTE.test(s)`, for tests. */
export function opensNote(s: string): boolean {
  return !startsAscii(s) && NOTE.test(s);
}

function classifyTexts(texts: RowTexts, grid: SheetGrid, row: number, header: DetectedHeader): RowKind {
  if (texts.length === 0) return 'blank';
  const first = squeeze(texts.at(0));
  // The second text counts only after a 序号 (digits or nothing): asked first, as it is cheaper.
  let at = 0;
  let label = first;
  let total = totalKind(first);
  if (total === undefined && texts.length > 1 && isDigits(first)) {
    at = 1;
    label = squeeze(texts.at(1));
    total = totalKind(label);
  }
  if (total !== undefined) {
    // 合计（后安定村）: the word first, the group after it.
    if (total === 'total' && bracketsGroup(label) && holdsOnlyCounts(texts, [at], grid, row, header)) return 'subtotal';
    // 小计算器采购合同 with its 审查类别 and 审查日期 is a contract: read on as any row.
    if (!OPENS_NAME.test(label) || holdsOnlyCounts(texts, [at], grid, row, header)) return total;
  }
  // 其中：调解成功5件 under the 合计 breaks the total down: not data, compared with nothing.
  if (opensBreakdown(label) && !fillsRequiredColumns(grid, row, header)) return 'subtotal';
  // A stamp (（盖章）) stands under the table as 填报人 does: layout, not data.
  if (opensNote(first) || isStampText(first)) return 'note';
  const named = namedTotal(texts, first, grid, row, header);
  if (named !== undefined) return named;
  // One cell merged across most of the table: a title, a section line (一季度) or a note. Or a
  // period alone, merged or not (第二季度, 2020年3月, 一季度（1-3月）): the title of the part of
  // the table under it, which a clerk who keeps one table a quarter writes above its header.
  if (texts.length === 1) {
    const anchor = firstContentCell(grid, row);
    if (anchor !== undefined && (anchor.span ?? 1) >= Math.max(2, Math.ceil(header.columns.length / 2))) return 'banner';
    if (PERIOD_ONLY.test(first.replace(TRAILING_BRACKET, ''))) return 'banner';
  }
  if (isColumnNumbers(texts, header)) return 'column_numbers';
  if (isUnits(texts)) return 'units';
  if (repeatsHeader(grid, row, header)) return 'header';
  return 'data';
}

/**
 * A label that breaks a total down (其中：调解成功5件, 其中 | … | 调解成功, 内含：…): a part of the
 * total above it, as a 小计 is.
 */
function opensBreakdown(label: string): boolean {
  return label.startsWith('其中') || label.startsWith('内含');
}

/** Every text is a unit: 单位：件, （人次）, 件 … . */
function isUnits(texts: RowTexts): boolean {
  for (let i = 0; i < texts.length; i++) {
    const t = texts.at(i);
    if (!(isUnitText(squeeze(t)) || (!startsAscii(t) && UNIT_LABEL.test(t)))) return false;
  }
  return true;
}

/** The labels of one field (its header and aliases, folded) and the characters they begin with. */
interface FieldLabels {
  readonly labels: ReadonlySet<string>;
  /**
   * The first UTF-16 code unit of each label (NaN for an empty one), as `charAt(0)` would give
   * it: a few, in an array (includes() on it cost less than a Set's has()).
   */
  readonly initials: readonly number[];
}

const LABELS = new WeakMap<DetectedHeader, readonly FieldLabels[]>();

/**
 * Each column's field's header and aliases, folded once per header, in the order of
 * `header.columns` (looked up by position: a lookup by field id was a cost of every cell).
 */
function labelsOf(header: DetectedHeader): readonly FieldLabels[] {
  let labels = LABELS.get(header);
  if (labels === undefined) {
    labels = header.columns.map((m) => {
      // The label the header itself has (人次（人）) too: a repeated header repeats it.
      const folded = new Set([m.field.header, ...m.field.aliases].map(normalizeLabel)).add(m.label);
      return { labels: folded, initials: [...new Set([...folded].map((l) => l.charCodeAt(0)))] };
    });
    LABELS.set(header, labels);
  }
  return labels;
}

/**
 * True when `value` cannot fold to any of the labels, seen from its first character alone:
 * an ASCII digit or a CJK ideograph (U+4E00–9FFF) is the first character of
 * `normalizeLabel(value)` too (NFKC composes nothing onto it, and no later step removes or
 * changes it), so if no label begins with it, none is equal. Other first characters (letters,
 * spaces, brackets, *, full-width forms) may change or go, and are not judged here.
 */
function cannotBeLabel(value: string, initials: readonly number[]): boolean {
  const c = value.charCodeAt(0);
  const stable = (c >= 0x30 && c <= 0x39) || (c >= 0x4e00 && c <= 0x9fff);
  // By code unit: `charAt(0)` of a CJK character is a new string each time.
  return stable && !initials.includes(c);
}

/** The header repeated further down (one block per month on one sheet), perhaps with an alias. */
function repeatsHeader(grid: SheetGrid, row: number, header: DetectedHeader): boolean {
  const labels = labelsOf(header);
  const columns = header.columns;
  let repeats = 0;
  for (let k = 0; k < columns.length; k++) {
    const m = columns[k] as ColumnMatch;
    const value = grid.cell(row, m.column)?.value;
    // Only a short text can be a label: dates, numbers and long texts skip the folding.
    if (typeof value !== 'string' || value.length > 40) continue;
    const field = labels[k];
    if (field === undefined || cannotBeLabel(value, field.initials)) continue;
    const label = normalizeLabel(value);
    if (label !== '' && field.labels.has(label)) repeats++;
  }
  return repeats >= Math.min(2, header.columns.length);
}

/** Labels a 栏次 row may start with: the word itself, or 甲, 乙 … for the descriptive columns. */
const COLUMN_NUMBER_LABEL = /^(栏次|栏号|[甲乙丙丁戊己庚辛壬癸])$/;

/**
 * A 栏次 row: the columns numbered 1, 2, 3 … (or from 0), every cell of the row, unmapped
 * columns such as 序号 included; it may start with 栏次 or 甲, 乙 … . Stops at the first text
 * that is not the next number (a data row: at its second cell at the latest).
 */
function isColumnNumbers(texts: RowTexts, header: DetectedHeader): boolean {
  if (texts.length < Math.min(3, header.columns.length)) return false;
  let i = 0;
  while (i < texts.length && isColumnNumberLabel(halfWidthSqueezed(texts.at(i)))) i++;
  let start = 0;
  for (let k = i; k < texts.length; k++) {
    const t = halfWidthSqueezed(texts.at(k));
    if (t.length < 1 || t.length > 3 || !isDigits(t)) return false;
    if (k === i) start = Number(t);
    if (start > 1 || Number(t) !== start + (k - i)) return false;
  }
  return true;
}

/** A text as the 栏次 test compares it: half-width, without whitespace. */
function halfWidthSqueezed(text: string): string {
  return squeeze(toHalfWidth(text));
}

function firstContentCell(grid: SheetGrid, row: number) {
  for (let c = 0; c < grid.columnCount; c++) {
    const cell = grid.cell(row, c);
    if (cell !== undefined && hasContent(cell)) return cell;
  }
  return undefined;
}

/**
 * A row that stands as a data row on its own: something in two of the ledger's columns at least,
 * and in every required column the header has. Below a footer (填报人, 审核人, （盖章）) only
 * such a row is still data (one added under the signatures); a date, a name or a stamp alone
 * belongs to the footer, and a case with a required cell empty is said (`row.below_footer`).
 */
export function fillsRequiredColumns(grid: SheetGrid, row: number, header: DetectedHeader): boolean {
  let filled = 0;
  for (const m of header.columns) {
    const cell = grid.cell(row, m.column);
    if (hasContent(cell) || isUncachedFormula(cell)) filled++;
    else if (m.field.required) return false;
  }
  return filled >= 2;
}

/**
 * The name of a unit as it signs under the table: 安定镇司法所, 安定镇综合执法队, 安定镇人民政府,
 * 安定镇综合保障办, 后安定村民委员会 (its last word says it is a unit).
 */
const UNIT_NAME = /^[^，,。；;：:！!？?\d]{1,30}(?:镇|乡|街道|办事处|所|队|局|委员会|委|中心|政府|办公室|办|站|院|庭|科|室)(?:[（(](?:盖章|公章|章)[)）])?$/;

/** A date written out in full as a signature's: 2020年12月31日, 2020-12-31, 2020.12.31. */
const DATE_TEXT = /^\d{4}\s*[年.\-/]\s*\d{1,2}\s*[月.\-/]\s*\d{1,2}\s*日?$/;

/**
 * A row of a unit's name and a date only (2020-12-30 | 安定镇综合执法队): under the footer, the
 * unit that signed and the day, not an activity, whatever columns they stand in.
 */
export function isSignatureRow(grid: SheetGrid, row: number, header: DetectedHeader): boolean {
  let names = 0;
  let dates = 0;
  for (let c = 0; c < grid.columnCount; c++) {
    const cell = grid.cell(row, c);
    if (!isContentCell(cell)) continue;
    const value = cell.value;
    if (value instanceof Date) {
      dates++;
      continue;
    }
    if (typeof value !== 'string') return false;
    const text = squeeze(foldText(value) ?? '');
    const dateColumn = header.columns.some((m) => m.column === c && m.field.type === 'date');
    if (DATE_TEXT.test(text) || (dateColumn && !UNIT_NAME.test(text))) dates++;
    else if (UNIT_NAME.test(text)) names++;
    else return false;
  }
  return names === 1 && dates >= 1;
}
