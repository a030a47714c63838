/**
 * The tables of an OpenDocument spreadsheet's `content.xml` (and the table styles of its
 * `styles.xml`) as rows of cells, from htmlparser2's tokens in XML mode: fed text as it
 * inflates, holding one row at a time. Names are matched with the prefixes LibreOffice and WPS
 * write (`table:`, `office:`, `text:`); ODF fixes them in practice, as every reader assumes.
 *
 * - `table:table` (its `table:name`) is a sheet, hidden when its style (`style:style
 *   style:family="table"`) says `table:display="false"`. `table:table-row`s, also inside
 *   `table:table-header-rows`, `table:table-row-group` and `table:table-rows`, are its rows;
 *   `table:visibility="collapse"` or `"filter"` hides one (read like any row, as the xlsx reader
 *   reads a hidden row).
 * - `table:number-rows-repeated` and `table:number-columns-repeated`: what LibreOffice writes
 *   for the empty rest of a sheet (a row repeated ~1,048,000 times, a cell ~16,000 times) costs
 *   nothing: only rows and cells that hold something are made. A row with content repeated (a
 *   clerk's copied row) is that many rows, up to the row limit (the rest counted, as past the
 *   limit of any workbook); the copies are made as they are read (`RowCursor`), and every cell
 *   a repeat makes beyond those written is charged to the file's inflate budget (reported with
 *   {@link OdsEvents.repeated}): a few bytes of XML cannot stand for billions of cells.
 * - `table:table-cell` and `table:covered-table-cell` (a cell under a merge: read like any
 *   cell, as the xlsx reader reads one). `table:number-columns-spanned` and
 *   `table:number-rows-spanned` give the merged ranges.
 * - Values by `office:value-type`: float, percentage and currency (`office:value`), date
 *   (`office:date-value`, a UTC Date of its wall-clock time), time (`office:time-value`, an ISO
 *   8601 duration: a number of days, as a time of day is in xlsx), boolean
 *   (`office:boolean-value`), string (`office:string-value`, else the cell's `text:p`
 *   paragraphs joined by line breaks; `text:s` spaces, `text:tab`, `text:line-break`, the text
 *   of `text:span` and `text:a`; comments `office:annotation` and drawn shapes left out).
 *   A formula (`table:formula`) takes its cached value; one whose result is an error
 *   (`calcext:value-type="error"`, or a formula whose shown text is an error such as `Err:502`
 *   or `#DIV/0!`, as writers without LibreOffice's extension store it) is an error value, as
 *   xlsx's. A value its
 *   type cannot hold is thrown as {@link OdsCellError}: never a blank.
 * - A DOCTYPE or entity declaration never reaches here: the zip layer refuses the part.
 */
import { MESSAGE_DOCTYPE } from '../xlsx-reader.ts';
import { address, UnreadableFileError, type RawCell, type ReadLimits, type TruncationCounter, type RawRow } from '../raw-sheet.ts';
import { isoDateTime, MAX_UNFINISHED_ROW } from '../xlsx/sheet-scanner.ts';

/** A range in 0-based columns and 1-based rows. */
export interface CellRange {
  readonly top: number;
  readonly left: number;
  readonly right: number;
  readonly bottom: number;
}

export interface OdsEvents {
  /** A table begins: its number (from 1), name and table style. */
  tableStart?(table: number, name: string, style: string | undefined): void;
  /** A table style that hides the tables using it. */
  hiddenStyle?(name: string): void;
  merge?(table: number, range: CellRange): void;
  /** A row with content, `times` rows from `row.rowNumber` (all within the row limit). */
  row?(table: number, row: RawRow, times: number): void;
  tableEnd?(table: number): void;
  dropped?(table: number): TruncationCounter | undefined;
  /** Cells (and merged ranges) made by repeats beyond those the file writes out. */
  repeated?(count: number): void;
}

/** A cell the file holds but whose value its type cannot be: the sheet, the cell and why. */
export class OdsCellError extends Error {
  override readonly name = 'OdsCellError';
  constructor(
    readonly sheet: string,
    readonly cell: string,
    readonly reason: string,
  ) {
    super(`${sheet}!${cell}: ${reason}`);
  }
}

/** The most a repeat or span attribute is taken as: far past any sheet, far from overflowing. */
const MAX_REPEAT = 1 << 30;

/**
 * The most text one cell may hold (characters): as the xlsx reader's longest unfinished row.
 * `<text:s text:c="1000000000"/>` is a few bytes of XML; its spaces are not made past this.
 */
const MAX_CELL_TEXT = MAX_UNFINISHED_ROW;

/** What a formula's cached text is when its result was an error (LibreOffice's Err:nnn, Excel's #…). */
const ERROR_TEXT = /^(Err:\d{3}|#NULL!|#DIV\/0!|#VALUE!|#REF!|#NAME\?|#NUM!|#N\/A|#GETTING_DATA)$/;

interface OpenRow {
  /** The first row's number. */
  readonly start: number;
  readonly times: number;
  /** Of the `times` rows, how many are within the row limit. */
  readonly kept: number;
  readonly hidden: boolean;
  readonly cells: (RawCell | undefined)[];
  /** Cells made (within the column limit) and cells written with content. */
  made: number;
  written: number;
  /** Cells with content past the column limit: the first's column, and how many. */
  overflow: { column: number; count: number } | undefined;
  cursor: number;
}

interface OpenCell {
  readonly column: number;
  readonly times: number;
  readonly attribs: Readonly<Record<string, string>>;
  /** The paragraphs' text so far (joined by line breaks), and whether any paragraph was opened. */
  text: string;
  paragraphs: number;
}

export class OdsContent {
  #table = 0;
  #tableName = '';
  #inTable = false;
  /** Rows read in the table so far (the next row is this + 1). */
  #rows = 0;
  #row: OpenRow | undefined;
  #cell: OpenCell | undefined;
  /** Inside a paragraph of the open cell: the depth of elements (1 = the paragraph itself). */
  #paragraph = 0;
  /** Inside an element whose text is no part of the cell (a comment, a shape): its depth. */
  #skip = 0;
  #style: string | undefined;
  #documentOpen = false;
  #documentClosed = false;
  #ending = false;

  constructor(
    private readonly events: OdsEvents,
    private readonly limits: Pick<ReadLimits, 'maxRowsPerSheet' | 'maxColumns'>,
  ) {}

  get tables(): number {
    return this.#table;
  }

  /** The end of the text is next: the elements closed now were never closed in the file. */
  ending(): void {
    this.#ending = true;
  }

  /** True when the text ended inside the document (a part cut short). */
  get cut(): boolean {
    return this.#documentOpen && !this.#documentClosed;
  }

  onprocessinginstruction(name: string): void {
    // Refused by the zip layer already; kept so that no path lets a declaration through.
    if (name.startsWith('!')) throw new UnreadableFileError(MESSAGE_DOCTYPE, { cause: new Error(`content.xml declares ${name}`) });
  }

  onopentag(name: string, attribs: Readonly<Record<string, string>>): void {
    if (this.#skip > 0) {
      this.#skip++;
      return;
    }
    const cell = this.#cell;
    if (cell !== undefined) {
      this.#inCell(cell, name, attribs);
      return;
    }
    switch (name) {
      case 'office:document-content':
      case 'office:document-styles':
      case 'office:document':
        this.#documentOpen = true;
        return;
      case 'style:style':
        this.#style = attribs['style:family'] === 'table' ? attribs['style:name'] : undefined;
        return;
      case 'style:table-properties':
        if (this.#style !== undefined && attribs['table:display'] === 'false') this.events.hiddenStyle?.(this.#style);
        return;
      case 'table:table':
        if (this.#inTable) return;
        this.#table++;
        this.#inTable = true;
        this.#rows = 0;
        this.#tableName = attribs['table:name'] ?? `Sheet${this.#table}`;
        this.events.tableStart?.(this.#table, this.#tableName, attribs['table:style-name']);
        return;
      case 'table:table-row':
        if (this.#inTable) this.#openRow(attribs);
        return;
      case 'table:table-cell':
      case 'table:covered-table-cell':
        if (this.#row !== undefined) this.#openCell(name, attribs);
        return;
      case 'office:annotation':
        // A comment outside a cell's paragraphs still holds paragraphs of its own.
        this.#skip = 1;
        return;
      default:
    }
  }

  onclosetag(name: string): void {
    if (this.#skip > 0) {
      this.#skip--;
      return;
    }
    if (this.#cell !== undefined) {
      if (this.#paragraph > 0) {
        this.#paragraph--;
        return;
      }
      if (name === 'table:table-cell' || name === 'table:covered-table-cell') this.#closeCell();
      return;
    }
    switch (name) {
      case 'office:document-content':
      case 'office:document-styles':
      case 'office:document':
        if (!this.#ending) this.#documentClosed = true;
        return;
      case 'style:style':
        this.#style = undefined;
        return;
      case 'table:table-row':
        this.#closeRow();
        return;
      case 'table:table':
        if (!this.#inTable) return;
        this.#closeRow();
        this.#inTable = false;
        this.events.tableEnd?.(this.#table);
        return;
      default:
    }
  }

  ontext(text: string): void {
    const cell = this.#cell;
    if (cell === undefined || this.#paragraph === 0 || this.#skip > 0) return;
    this.#append(cell, text);
  }

  /** An element inside the open cell: a paragraph, or what a paragraph holds. */
  #inCell(cell: OpenCell, name: string, attribs: Readonly<Record<string, string>>): void {
    if (this.#paragraph === 0) {
      if (name === 'text:p' || name === 'text:h') {
        if (cell.paragraphs > 0) this.#append(cell, '\n');
        cell.paragraphs++;
        this.#paragraph = 1;
      } else {
        // A comment, a shape anchored to the cell, anything else: not the cell's text.
        this.#skip = 1;
      }
      return;
    }
    switch (name) {
      case 'text:s': {
        const count = count1(attribs['text:c']);
        if (cell.text.length + count > MAX_CELL_TEXT) this.#fail(this.#at(cell), `文字超过 ${MAX_CELL_TEXT} 个字符`);
        this.#append(cell, ' '.repeat(count));
        break;
      }
      case 'text:tab':
        this.#append(cell, '\t');
        break;
      case 'text:line-break':
        this.#append(cell, '\n');
        break;
      case 'office:annotation':
      case 'text:note':
      case 'text:ruby-text':
        // Inline comments and notes: their text is not the cell's.
        this.#skip = 1;
        return;
      default:
        if (name.startsWith('draw:')) {
          this.#skip = 1;
          return;
        }
    }
    this.#paragraph++;
  }

  #append(cell: OpenCell, text: string): void {
    if (cell.text.length + text.length > MAX_CELL_TEXT) this.#fail(this.#at(cell), `文字超过 ${MAX_CELL_TEXT} 个字符`);
    cell.text += text;
  }

  #openRow(attribs: Readonly<Record<string, string>>): void {
    this.#closeRow();
    const start = this.#rows + 1;
    const times = count1(attribs['table:number-rows-repeated']);
    const kept = Math.max(0, Math.min(times, this.limits.maxRowsPerSheet - start + 1));
    const visibility = attribs['table:visibility'];
    this.#row = {
      start,
      times,
      kept,
      hidden: visibility === 'collapse' || visibility === 'filter',
      cells: [],
      made: 0,
      written: 0,
      overflow: undefined,
      cursor: 0,
    };
    this.#rows += times;
  }

  #closeRow(): void {
    this.#closeCell();
    const row = this.#row;
    if (row === undefined) return;
    this.#row = undefined;
    if (row.written === 0) return;
    if (row.kept > 0) {
      this.events.row?.(this.#table, { rowNumber: row.start, hidden: row.hidden, cells: row.cells }, row.kept);
      const overflow = row.overflow;
      if (overflow !== undefined) this.events.dropped?.(this.#table)?.droppedCell(overflow.column, row.start, overflow.count * row.kept);
      const made = row.made * row.kept - row.written;
      if (made > 0) this.events.repeated?.(made);
    }
    if (row.kept < row.times) this.events.dropped?.(this.#table)?.droppedRow(row.start + row.kept, row.times - row.kept);
  }

  #openCell(name: string, attribs: Readonly<Record<string, string>>): void {
    const row = this.#row;
    if (row === undefined) return;
    const column = row.cursor;
    const times = count1(attribs['table:number-columns-repeated']);
    row.cursor += times;
    if (name === 'table:table-cell') this.#merges(row, column, times, attribs);
    this.#cell = { column, times, attribs, text: '', paragraphs: 0 };
  }

  /** The ranges a cell spans, once for each of its repeats and of its row's, within the limits. */
  #merges(row: OpenRow, column: number, times: number, attribs: Readonly<Record<string, string>>): void {
    if (this.events.merge === undefined) return;
    const across = count1(attribs['table:number-columns-spanned']);
    const down = count1(attribs['table:number-rows-spanned']);
    if (across === 1 && down === 1) return;
    const max = this.limits.maxColumns;
    const columns = Math.max(0, Math.min(times, max - column));
    for (let r = 0; r < row.kept; r++) {
      const top = row.start + r;
      for (let c = 0; c < columns; c++) {
        const left = column + c;
        this.events.merge(this.#table, { top, left, right: Math.min(left + across - 1, max - 1), bottom: Math.min(top + down - 1, this.limits.maxRowsPerSheet) });
        // Each range past the one written is charged as it is made: a repeated merge stops at the budget.
        if (r > 0 || c > 0) this.events.repeated?.(1);
      }
    }
  }

  #closeCell(): void {
    const cell = this.#cell;
    if (cell === undefined) return;
    this.#cell = undefined;
    this.#paragraph = 0;
    this.#skip = 0;
    const row = this.#row;
    const value = this.#value(cell);
    if (row === undefined || value === undefined) return;
    row.written++;
    const max = this.limits.maxColumns;
    const end = Math.min(cell.column + cell.times, max);
    for (let c = cell.column; c < end; c++) {
      row.cells[c] = value;
      row.made++;
    }
    const past = cell.column + cell.times - Math.max(end, cell.column);
    if (past > 0 && row.kept > 0) {
      row.overflow ??= { column: Math.max(cell.column, max), count: 0 };
      row.overflow.count += past;
    }
  }

  /** The cell's value by its `office:value-type`, or undefined when it holds nothing. */
  #value(cell: OpenCell): RawCell | undefined {
    const a = cell.attribs;
    const formula = a['table:formula'] !== undefined;
    const type = a['office:value-type'];
    const text = cell.text.replace(/\r\n?/g, '\n');
    const stringValue = a['office:string-value'];
    const withFormula = (c: RawCell): RawCell => (formula ? { ...c, formula: true } : c);
    // A formula shown as an error text is an error whatever type it stored (a text formula may
    // compute such a text: then its office:string-value says so).
    const isError =
      a['calcext:value-type'] === 'error' || (formula && ERROR_TEXT.test(text.trim()) && !(type === 'string' && (stringValue ?? '') !== ''));
    if (isError) return withFormula({ value: null, error: text.trim() === '' ? '#VALUE!' : text.trim() });
    switch (type) {
      case undefined:
      case 'void':
        // No value type: an empty cell, or text some writers leave untyped.
        if (text !== '') return withFormula({ value: text });
        return formula ? { value: null, formula: true } : undefined;
      case 'float':
      case 'percentage':
      case 'currency': {
        const raw = a['office:value'] ?? '';
        const n = raw.trim() === '' ? NaN : Number(raw.trim());
        if (!Number.isFinite(n)) this.#fail(this.#at(cell), `数值单元格的值 office:value="${shown(raw)}" 不是数字`);
        return withFormula({ value: n });
      }
      case 'date': {
        const raw = a['office:date-value'] ?? '';
        const date = isoDateTime(raw);
        if (date === undefined) this.#fail(this.#at(cell), `日期单元格的值 office:date-value="${shown(raw)}" 不是日期`);
        return withFormula({ value: date });
      }
      case 'time': {
        const raw = a['office:time-value'] ?? '';
        const days = durationDays(raw);
        if (days === undefined) this.#fail(this.#at(cell), `时间单元格的值 office:time-value="${shown(raw)}" 不是时间`);
        return withFormula({ value: days });
      }
      case 'boolean': {
        const raw = (a['office:boolean-value'] ?? '').trim().toLowerCase();
        if (raw !== 'true' && raw !== 'false' && raw !== '1' && raw !== '0') this.#fail(this.#at(cell), `逻辑值单元格的值 office:boolean-value="${shown(raw)}" 不是 true 或 false`);
        return withFormula({ value: raw === 'true' || raw === '1' });
      }
      case 'string': {
        const value = stringValue ?? text;
        if (value === '' && !formula) return undefined;
        return withFormula({ value });
      }
      default:
        this.#fail(this.#at(cell), `未知的数据类型 office:value-type="${shown(type)}"`);
    }
  }

  #at(cell: OpenCell): string {
    return address(cell.column, this.#row?.start ?? this.#rows);
  }

  #fail(cell: string, reason: string): never {
    throw new OdsCellError(this.#tableName, cell, reason);
  }
}

/** A repeat or span count: a whole number from 1, clamped; 1 when absent or not one. */
function count1(text: string | undefined): number {
  if (text === undefined) return 1;
  const n = Number(text.trim());
  return Number.isInteger(n) && n >= 1 ? Math.min(n, MAX_REPEAT) : 1;
}

const DURATION = /^(-)?P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * An ISO 8601 duration (`PT10H30M00S`, `P1DT2H`, `-PT1H`) as a number of days, as xlsx stores a
 * time: seconds first, so that 10:30 is 0.4375 exactly. Undefined when it is no such duration.
 *
 * @example durationDays('PT10H30M00S') // 0.4375
 */
export function durationDays(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  if (m === null || text.trim() === 'P' || text.trim().endsWith('T')) return undefined;
  const seconds = Number(m[2] ?? 0) * 86_400 + Number(m[3] ?? 0) * 3_600 + Number(m[4] ?? 0) * 60 + Number(m[5] ?? 0);
  if (!Number.isFinite(seconds)) return undefined;
  return (m[1] === '-' ? -seconds : seconds) / 86_400;
}

function shown(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
