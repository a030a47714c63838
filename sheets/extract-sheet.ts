/**
 * One sheet → the ledger it holds: its header, its typed data rows (each value with its cell
 * address), the totals it states about itself, and what is wrong in it (reader findings).
 */
import type { Finding } from '../pipeline/kernel/findings/findings.ts';
import { finding } from '../pipeline/kernel/findings/findings.ts';
import { classifyRow, fillsRequiredColumns, hasFooterText, hasSignatureText, isFooterText, isNoteText, isNumberedItem, isSignatureRow, PERIOD_ONLY, rowTexts } from './classify-row.ts';
import { detectHeader, type DetectedHeader } from './detect-header.ts';
import { describesColumns } from './instruction-sheet.ts';
import type { ExtractContext, ExtractedRow, FindingSink, Here, SheetExtraction, StatedTotal } from './extract-types.ts';
import type { LedgerCatalog } from './ledger-catalog.ts';
import type { RawRow, RawSheet, SheetStream, SheetTruncation } from './raw-sheet.ts';
import { readColumns, readRow, readTotals, rowFill, type ReadColumn } from './read-row.ts';
import { RowWindow } from './row-window.ts';
import { hasContent, type SheetGrid } from './sheet-grid.ts';
import { foldText, normalizeLabel } from './values/index.ts';
import { BlankColumns, besideLedger, hiddenSheetFinding, truncationFindings, unitMismatchFinding } from './sheet-findings.ts';

export type { ExtractContext, ExtractedRow, SheetExtraction, StatedTotal } from './extract-types.ts';
export { DataRow } from './read-row.ts';

/**
 * Characters of text one sheet's data rows may hold: 190 characters a row on a full-height sheet
 * (1,048,574 data rows). Long texts have their own, lower limit (below): DuckDB stores short
 * text inline, so this one bounds the reader's and the loader's work, not a blow-up. The rows
 * past it are a `sheet.truncated` finding, as for the row limit.
 */
export const MAX_SHEET_TEXT_CHARS = 200_000_000;

/** A cell of more characters than this is a long text (a pasted paragraph, not a ledger value). */
export const LONG_TEXT_CHARS = 1_000;

/**
 * Characters one sheet's long texts may hold in all. DuckDB keeps a long string out of line, in
 * blocks of its own: 1,525 cells of 32,767 characters (50,000,000 characters) held ~850 MB
 * while they were appended, and 128 MB of DuckDB memory could not commit them at
 * all. 10,000,000 characters is ~300 cells of Excel's longest text, ~5,000 of 2,000 characters.
 */
export const MAX_SHEET_LONG_TEXT_CHARS = 10_000_000;


/** Where a streaming read sends each data row, with the header it was read by. */
export type RowSink = (row: ExtractedRow, header: DetectedHeader) => void;

/** Header rows are looked for among the first rows with content (title, 填报单位 … above). */
const HEADER_WINDOW = 41;

/**
 * Reads one sheet as it streams in: the first rows are held until the header is found, then
 * each row is classified, read and let go. Data rows go to `sink` as they are read (the
 * pipeline turns them into columns); without a sink they are collected in the result.
 *
 * @example
 *   const x = new SheetExtractor(stream, catalog, { year: 2020, department: 'justice', file });
 *   for await (const rows of stream.rows()) x.push(rows);
 *   const extraction = x.end(stream.truncation());
 */
export class SheetExtractor {
  readonly #meta: { readonly name: string; readonly hidden: boolean; readonly veryHidden?: boolean | undefined };
  readonly #catalog: LedgerCatalog;
  readonly #ctx: ExtractContext;
  readonly #sink: RowSink | undefined;
  readonly #window: RowWindow;
  readonly #at: Here;
  readonly #rows: ExtractedRow[] = [];
  readonly #totals: StatedTotal[] = [];
  /** Findings collected here (none when they are handed on as they come). */
  readonly #kept: Finding[] = [];
  readonly #findings: FindingSink;
  #pending: number[] = [];
  #decided = false;
  #header: DetectedHeader | null = null;
  #grid: SheetGrid;
  #here: Here & { ledger: string } = { department: null, file: '', sheet: '', ledger: '' };
  /** Rows with content of a sheet without a header (all of them: the warning counts them). */
  #contentRows = 0;
  /** Of those, rows that are no note (注, 填表说明 and its numbered items): any makes the warning. */
  #otherRows = 0;
  /** The last row with content was a note: a numbered item (2．…, （三）…) below it continues it. */
  #inNote = false;
  /**
   * A sheet without a header has held a typed number or date (not a formula's): it may be a ledger
   * tally could not recognise. A sheet named 汇总 or 统计 whose figures are all formulas adds up the
   * other sheets and holds nothing to read: no warning ({@link SUMMARY_NAME}).
   */
  #typedFigures = false;
  /** Characters of text read so far (all of it, and in long texts), and where reading stopped once either reached its limit. */
  #textChars = 0;
  #longTextChars = 0;
  readonly #maxTextChars: number;
  readonly #maxLongTextChars: number;
  #textCut: { first: number; count: number; long: boolean } | undefined;
  #rowCount = 0;
  #blank: BlankColumns | undefined;
  #columns: readonly ReadColumn[] = [];
  /** Data rows read since the header (or its last repetition). */
  #tableRows = 0;
  /**
   * A footer (注, 说明, 填报人, 审核人, （盖章）…) came after data rows: the table has ended, and
   * the rows below are the footer's (a 填报日期 typed alone, a stamp) unless they fill the
   * ledger's columns (see {@link fillsRequiredColumns}) and are no signature (a unit's name and a
   * date, {@link isSignatureRow}), or the header starts another table. One
   * that holds a case with a required cell empty is not read either, but said
   * ({@link #belowFooter}).
   */
  #ended = false;
  /** The footer's first line (its row and first text), named to the clerk by {@link #belowFooter}. */
  #footer: { readonly row: number; readonly text: string } = { row: 0, text: '' };
  /**
   * The last row of the footer with its labels in cells of their own (填报人 | 审核人 | 单位负责人)
   * and the columns they stand in: the row right under them holds the names that signed, each
   * under its label ({@link signsUnderLabels}), not a case nor a person of a roster.
   */
  #footerLabels: { readonly row: number; readonly columns: ReadonlySet<number> } = { row: 0, columns: new Set() };
  /**
   * Under the footer a table of its own began (分类统计, 统计 | 纠纷类型 | 件数): its rows are a
   * summary's, not cases, and are not said, until the header starts the ledger again.
   */
  #summaryTable = false;

  constructor(
    meta: {
      readonly name: string;
      readonly hidden: boolean;
      readonly veryHidden?: boolean | undefined;
      readonly date1904?: boolean | undefined;
      readonly merges: readonly string[];
    },
    catalog: LedgerCatalog,
    ctx: ExtractContext,
    sink?: RowSink,
  ) {
    this.#meta = meta;
    this.#catalog = catalog;
    // The sheet's calendar goes with the context its rows are read in (read-cell.ts cellValue).
    this.#ctx = meta.date1904 === true && ctx.date1904 !== true ? { ...ctx, date1904: true } : ctx;
    this.#sink = sink;
    this.#window = new RowWindow(meta.name, meta.merges);
    this.#grid = this.#window;
    this.#at = { department: ctx.department, file: ctx.file, sheet: meta.name };
    this.#maxTextChars = ctx.maxTextChars ?? MAX_SHEET_TEXT_CHARS;
    this.#maxLongTextChars = ctx.maxLongTextChars ?? MAX_SHEET_LONG_TEXT_CHARS;
    const onFinding = ctx.onFinding;
    this.#findings =
      onFinding === undefined
        ? this.#kept
        : {
            push: (...found: Finding[]) => {
              for (const f of found) onFinding(f);
              return 0;
            },
          };
  }

  push(rows: readonly RawRow[]): void {
    for (const raw of rows) this.#window.addEach(raw, this.#taker);
  }

  /** {@link #take}, made once: the window hands it every row. */
  readonly #taker = (r: number): void => this.#take(r);

  end(truncated: SheetTruncation | undefined): SheetExtraction {
    for (const r of this.#window.finish()) this.#take(r);
    if (!this.#decided) this.#decide(true);
    const base = { sheet: this.#meta.name, hidden: this.#meta.hidden, rows: this.#rows, rowCount: this.#rowCount, totals: this.#totals };
    const header = this.#header;
    if (header === null) {
      const findings = truncationFindings(this.#meta.name, truncated, this.#at);
      // A hidden sheet that is no ledger is a lookup list or scratch: not worth a warning.
      // A 汇总 sheet of formulas over the other sheets is no ledger either: nothing in it to read.
      const summary = SUMMARY_NAME.test(this.#meta.name.trim()) && !this.#typedFigures;
      if (!this.#meta.hidden && this.#otherRows > 0 && !summary) {
        findings.push(
          finding(
            'sheet.unrecognized',
            this.#at,
            `工作表“${this.#meta.name}”有内容，但找不到任何台账的表头（共 ${this.#contentRows} 行未读取）。如果这是台账，请把表头改为规定的列名；如果不是，请删除该工作表或另存。`,
          ),
        );
      }
      return { ...base, ledger: null, header: null, findings, otherColumns: 0 };
    }
    const findings = [...truncationFindings(this.#meta.name, truncated, this.#here), ...this.#kept];
    const cut = this.#textCut;
    if (cut !== undefined && cut.count > 0) {
      const limit = (cut.long ? this.#maxLongTextChars : this.#maxTextChars).toLocaleString('en-US');
      const what = cut.long ? `超过 ${LONG_TEXT_CHARS.toLocaleString('en-US')} 字的长文本单元格合计` : '文字总量';
      findings.push(
        finding(
          'sheet.truncated',
          { ...this.#here, cell: String(cut.first), expected: `${cut.long ? '长文本' : '文字'}至多 ${limit} 字`, actual: `多出 ${cut.count} 行` },
          `工作表“${this.#meta.name}”的${what}超过 ${limit} 字的读取上限，从第 ${cut.first} 行起的 ${cut.count} 行未读取，不计入统计。请检查是否有整段粘贴的超长文字，删去后重新报送。`,
        ),
      );
    }
    for (const f of this.#blank?.findings() ?? []) findings.push(f);
    if (this.#meta.hidden) findings.push(hiddenSheetFinding(this.#meta, header, this.#rowCount, this.#here));
    return { ...base, ledger: header.ledger, header, findings, otherColumns: otherColumns(this.#grid, header) };
  }

  /** A row made available by the window: held until the header is known, then read. */
  #take(r: number): void {
    if (!this.#decided) {
      this.#pending.push(r);
      if (this.#pending.length >= HEADER_WINDOW) this.#decide(false);
      return;
    }
    this.#read(r);
  }

  /** Finds the header among the rows held; `whole`: they are the whole sheet (it ended first). */
  #decide(whole: boolean): void {
    this.#decided = true;
    const detected = detectHeader(this.#window, this.#catalog);
    const pending = this.#pending;
    this.#pending = [];
    if (detected !== null && whole && describesColumns(this.#window, pending, detected, this.#meta.name, this.#ctx)) {
      // A 说明 sheet listing the columns: instructions, like a sheet of notes (no finding).
      for (const r of pending) this.#window.drop(r);
      return;
    }
    if (detected !== null) {
      const ledger = detected.ledger;
      this.#here = { ...this.#at, ledger: ledger.id };
      // A second ledger beside the first (outside its columns) is reported, not guessed at: the
      // first is read on its own columns, the other is left for the clerk to move to its own sheet.
      const { grid, header } = besideLedger(this.#window, detected, this.#catalog, this.#here, this.#findings);
      this.#grid = grid;
      this.#header = header;
      this.#blank = new BlankColumns(grid, header, this.#here);
      this.#columns = readColumns(header);
      for (const f of header.missing) {
        this.#findings.push(
          finding(
            'header.missing_column',
            { ...this.#here, cell: String(header.rows[0]), expected: f.header },
            `${ledger.name}缺少必填列“${f.header}”${f.aliases.length > 0 ? `（也可写作：${f.aliases.join('、')}）` : ''}。请在第 ${header.rows.join('、')} 行表头中补上这一列。`,
          ),
        );
      }
      for (const d of header.duplicates) {
        const first = header.columns.find((m) => m.field.id === d.field.id);
        this.#findings.push(
          finding(
            'header.duplicate_column',
            { ...this.#here, cell: d.address, expected: first?.address ?? null, actual: d.label },
            `表头中有两列都表示“${d.field.header}”（${first?.address ?? ''} 和 ${d.address}），只读取了前一列。请删除或改名重复的一列。`,
          ),
        );
      }
      for (const u of header.unitMismatches) this.#findings.push(unitMismatchFinding(u, ledger.name, this.#here));
    }
    for (const r of pending) this.#read(r);
  }

  /**
   * Row r, under the footer, does not fill the ledger's required columns: the footer's (not read,
   * nothing said) unless it holds a case. A case holds, besides its dates, two of the ledger's
   * columns or more, one a date of the year, a listed value or a number ({@link rowFill}), and no
   * footer text (制表：, 盖章, 注：) in any cell. Not a case: a date with a unit's or a person's
   * name (安定镇司法所 | 2020-12-31, the footer's signature and the day it was signed), and the
   * rows of a summary table of its own under the footer: its title or its header (分类统计,
   * 统计 | 纠纷类型 | 件数), a period for a name (全年 | 法律咨询 | 12), a count where the ledger
   * has none (婚姻家庭 | 2 | 调解成功). A case was added under the signatures with a cell
   * forgotten: it is not read either (a guess at its empty cell would be a figure nobody wrote),
   * but it is said at its row, or the figure comes out short and nobody is told.
   */
  /**
   * Whether row `r` lies right under the footer's labels, two of its cells or more, each under
   * one of them (a text alone there is a name or a title, told apart in {@link #belowFooter}).
   */
  #signsUnderLabels(r: number): boolean {
    const { row, columns } = this.#footerLabels;
    if (row !== r - 1 || columns.size < 2) return false;
    let under = 0;
    for (let c = 0; c < this.#grid.columnCount; c++) {
      if (!hasContent(this.#grid.cell(r, c))) continue;
      if (!columns.has(c)) return false;
      under++;
    }
    return under >= 2;
  }

  #belowFooter(r: number): void {
    if (this.#summaryTable || hasFooterText(this.#grid, r)) return;
    const fill = rowFill(this.#grid, r, this.#columns, this.#ctx);
    const texts = rowTexts(this.#grid, r).map((t) => t.replace(/\s+/g, ''));
    if (fill.typed === 0 && (texts.some((t) => SUMMARY_TITLE.test(t)) || (texts.length === 1 && LIST_TITLE.test(texts[0] ?? '')))) {
      this.#summaryTable = true;
      return;
    }
    // A roster's row (姓名 | 执法证号: names only, every required one there) with cells beside it
    // (序号 4, 单位): one person added under the signatures, whom the figure would miss; a name
    // alone, or with its label (审核人：), is the footer's.
    if (fill.empty.length === 0 && fill.typed === 0 && fill.dated === 0 && fill.misplaced === 0 && contentCells(this.#grid, r) >= 3) {
      if (texts.some((t) => PERIOD_ONLY.test(t))) return;
      this.#findings.push(
        finding(
          'row.below_footer',
          { ...this.#here, cell: String(r), expected: null },
          `第 ${r} 行在表尾落款（第 ${this.#footer.row} 行“${quoted(this.#footer.text)}”）的下方，这一行没有读取，未计入统计。` +
            '如果这是一条台账记录，请把它移到填报人、审核人、盖章等落款行的上方；如果不是台账记录，请删除这一行。',
        ),
      );
      return;
    }
    if (fill.filled - fill.dated < 2 || fill.typed === 0 || fill.empty.length === 0) return;
    if (fill.misplaced > 0 || texts.some((t) => PERIOD_ONLY.test(t))) {
      this.#summaryTable = true;
      return;
    }
    const names = fill.empty.map((f) => f.header);
    this.#findings.push(
      finding(
        'row.below_footer',
        { ...this.#here, cell: String(r), expected: names.join('、') },
        `第 ${r} 行在表尾落款（第 ${this.#footer.row} 行“${quoted(this.#footer.text)}”）的下方，必填项“${names.join('”“')}”为空，这一行没有读取，未计入统计。` +
          '如果这是一条台账记录，请把它移到填报人、审核人、盖章等落款行的上方，并补填必填项；如果不是台账记录，请删除这一行。',
      ),
    );
  }

  #read(r: number): void {
    const header = this.#header;
    if (header === null) {
      // A sheet of notes only (填表说明, 说明一、…) is instructions, not an unrecognised ledger.
      const texts = rowTexts(this.#window, r);
      if (texts.length > 0) {
        const first = texts[0] ?? '';
        this.#inNote = isNoteText(first) || (this.#inNote && texts.length === 1 && isNumberedItem(first));
        this.#contentRows++;
        if (!this.#inNote) this.#otherRows++;
        if (!this.#typedFigures) this.#typedFigures = holdsTypedFigure(this.#window, r);
      }
      this.#window.drop(r);
      return;
    }
    // Header rows stay in the window: the blank-header check reads them to the end.
    if (r <= (header.rows[header.rows.length - 1] ?? 0)) {
      if (!header.rows.includes(r)) this.#window.drop(r);
      return;
    }
    // Past the text limit a row with anything in it is counted as left out, unclassified:
    // classifying folds its texts, and 100,000 rows of pasted paragraphs made gigabytes of that.
    if (this.#textCut !== undefined && this.#textCut.first !== 0) {
      if (rowHasContent(this.#grid, r)) this.#textCut.count++;
      this.#window.drop(r);
      return;
    }
    let kind = classifyRow(this.#grid, r, header);
    if (kind === 'header') {
      this.#tableRows = 0;
      this.#ended = false;
      this.#summaryTable = false;
    } else if (kind === 'note') {
      if (this.#tableRows > 0 && !this.#ended) {
        this.#ended = true;
        this.#footer = { row: r, text: rowTexts(this.#grid, r)[0] ?? '' };
      }
      if (this.#ended) this.#footerLabels = { row: r, columns: footerLabelColumns(this.#grid, r) };
    } else if (kind === 'data' && this.#ended && namesOwnColumn(this.#grid, r, header)) {
      // 序号 | 姓名 | 岗位 | 单位 under the footer: the header of a list of its own (协管人员), whose
      // rows are not the ledger's, until the ledger's header starts it again.
      this.#summaryTable = true;
      kind = 'note';
    } else if (kind === 'data' && this.#ended && (hasSignatureText(this.#grid, r) || this.#signsUnderLabels(r))) {
      // 刘洋 | 联系电话 | 010-80231234, 安定镇人民政府 | （盖章） | 2020年12月30日, or the names
      // under 填报人 | 审核人 | 单位负责人: the footer's, though they fill 姓名 and 执法证号.
      kind = 'note';
    } else if (kind === 'data' && this.#ended && !fillsRequiredColumns(this.#grid, r, header)) {
      this.#belowFooter(r);
      kind = 'note';
    } else if (kind === 'data' && this.#ended && (this.#summaryTable || isSignatureRow(this.#grid, r, header))) {
      // The unit that signed and the day (2020-12-30 | 安定镇综合执法队) fill 日期 and 活动名称, but
      // are the footer's; so is a summary table's row.
      kind = 'note';
    }
    // A 合计 of the summary table under the footer adds up that table, not the ledger's rows.
    if (kind === 'total' && this.#ended && this.#summaryTable) kind = 'note';
    if (kind === 'total') {
      for (const t of readTotals(this.#grid, r, header, this.#here, this.#findings)) this.#totals.push(t);
    } else if (kind === 'data' && this.#textCut !== undefined) {
      // Past the text limit: counted, not read (sheet.truncated says from which row).
      this.#textCut.first ||= r;
      this.#textCut.count++;
    } else if (kind === 'data') {
      this.#blank?.see(r);
      this.#tableRows++;
      const row = readRow(this.#grid, r, this.#columns, this.#ctx, this.#here, this.#findings);
      this.#rowCount++;
      const chars = row.textLength;
      this.#textChars += chars;
      // A row of no more text than that holds no long text: its cells are not looked at again.
      if (chars > LONG_TEXT_CHARS) this.#longTextChars += row.longTextLength(LONG_TEXT_CHARS);
      if (this.#longTextChars >= this.#maxLongTextChars) this.#textCut = { first: 0, count: 0, long: true };
      else if (this.#textChars >= this.#maxTextChars) this.#textCut = { first: 0, count: 0, long: false };
      if (this.#sink === undefined) this.#rows.push(row.plain());
      else this.#sink(row, header);
    }
    this.#window.drop(r);
  }
}

/** A summary table's title or header under the footer: 分类统计, 统计, 汇总表, 情况一览, 件数. */
const SUMMARY_TITLE = /统计|汇总|分类|一览|件数|次数|数量|小计|合计/;

/**
 * A title alone under the footer that opens a list of its own: 二、协管人员名单, （二）辅助执法人员,
 * 协管人员 (numbered as a part, or named a list or a group of people), not a name that signed.
 */
const LIST_TITLE = /^(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[)）])|(?:名单|名册|名录|清单|明细|一览表?|情况|人员)$/;

/** Whether a cell of row `r` in one of the ledger's columns holds that column's own name (姓名 under 姓名): a header. */
function namesOwnColumn(grid: SheetGrid, r: number, header: DetectedHeader): boolean {
  for (const m of header.columns) {
    const cell = grid.cell(r, m.column);
    if (cell === undefined || typeof cell.value !== 'string') continue;
    const text = normalizeLabel(foldText(cell.value) ?? '');
    if (text !== '' && (text === normalizeLabel(foldText(m.label) ?? '') || text === normalizeLabel(m.field.header))) return true;
  }
  return false;
}

/** A footer line as a message quotes it: its first 20 characters. */
function quoted(text: string): string {
  return text.length > 20 ? `${text.slice(0, 20)}…` : text;
}

/** One sheet, whole, to its ledger (tests and small sheets; the pipeline streams). */
export function extractSheet(sheet: RawSheet, catalog: LedgerCatalog, ctx: ExtractContext): SheetExtraction {
  const x = new SheetExtractor(sheet, catalog, ctx);
  x.push(sheet.rows);
  return x.end(sheet.truncated);
}

/** One streamed sheet to its ledger, rows handed to `sink` as they are read. */
export async function extractStream(
  stream: SheetStream,
  catalog: LedgerCatalog,
  ctx: ExtractContext,
  sink?: RowSink,
): Promise<SheetExtraction> {
  const x = new SheetExtractor(stream, catalog, ctx, sink);
  for await (const rows of stream.rows()) x.push(rows);
  return x.end(stream.truncation());
}

/** The columns of row `r` whose cells hold a text of the footer (填报人, 审核人：, （盖章）). */
function footerLabelColumns(grid: SheetGrid, r: number): Set<number> {
  const out = new Set<number>();
  for (let c = 0; c < grid.columnCount; c++) {
    const cell = grid.cell(r, c);
    if (cell !== undefined && typeof cell.value === 'string' && hasContent(cell) && isFooterText(cell.value)) out.add(c);
  }
  return out;
}

/** How many cells of row `r` hold something, in the ledger's columns or not. */
function contentCells(grid: SheetGrid, r: number): number {
  let n = 0;
  for (let c = 0; c < grid.columnCount; c++) if (hasContent(grid.cell(r, c))) n++;
  return n;
}

function rowHasContent(grid: SheetGrid, r: number): boolean {
  for (let c = 0; c < grid.columnCount; c++) if (hasContent(grid.cell(r, c))) return true;
  return false;
}

/** A sheet named for adding the others up: 汇总, 统计, 合计, 全年汇总, 汇总表, 统计表（自动计算）… */
const SUMMARY_NAME = /^(?:\d{4}年度?|全年|年度|全镇|本镇)?(?:汇总|统计|合计|总计)(?:表|数据)?(?:$|[（(【[\s\d_-])/;

/** Whether row `r` holds a number or a date typed in (a formula's result is none). */
function holdsTypedFigure(grid: SheetGrid, r: number): boolean {
  for (let c = 0; c < grid.columnCount; c++) {
    const cell = grid.cell(r, c);
    if (cell === undefined || cell.formula === true) continue;
    if (typeof cell.value === 'number' || cell.value instanceof Date) return true;
  }
  return false;
}

/** A header label for a running number, which tells copies apart by nothing but the copying. */
const SEQUENCE = /^(?:序号|序|编号|no\.?|#)$/i;

/**
 * How many labelled columns of the header name no field of the ledger, 序号 aside
 * (SheetExtraction.otherColumns): 咨询人, 咨询事项, 备注. The header's rows stay in the window to
 * the end of the sheet.
 */
function otherColumns(grid: SheetGrid, header: DetectedHeader): number {
  const named = new Set<number>();
  for (const m of [...header.columns, ...header.duplicates, ...header.unitMismatches]) named.add(m.column);
  let n = 0;
  for (let c = 0; c < grid.columnCount; c++) {
    if (named.has(c)) continue;
    let label = '';
    for (const r of header.rows) {
      const cell = grid.cell(r, c);
      if (hasContent(cell) && cell !== undefined && typeof cell.value === 'string') label = normalizeLabel(foldText(cell.value) ?? '');
    }
    if (label !== '' && !SEQUENCE.test(label)) n++;
  }
  return n;
}
