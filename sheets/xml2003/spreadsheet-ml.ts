/**
 * The worksheets of an XML Spreadsheet 2003 (SpreadsheetML: what Excel 2002–2003 writes as "XML
 * 表格", and many systems' exports) as rows of cells, from htmlparser2's tokens in XML mode:
 * fed text as it is decoded, holding one cell at a time.
 *
 * Element and attribute names are matched by their local name (`Cell`, `ss:Cell`; `ss:Index`,
 * `Index`), as writers prefix them differently.
 *
 * - `<Worksheet ss:Name>` is a sheet; `<WorksheetOptions><Visible>SheetHidden|SheetVeryHidden`
 *   hides it. `<Row ss:Index ss:Hidden>` a row, `<Cell ss:Index ss:MergeAcross ss:MergeDown
 *   ss:Formula ss:StyleID>` a cell: without an index, a row or cell follows the one before
 *   (after its merged range); an index that does not move forward is a damaged file. Cells
 *   under a MergeDown from above are not skipped (as Excel and LibreOffice read it: writers
 *   give the next cell its index).
 * - `<Data ss:Type>`: String (rich text's runs joined), Number (a date when its style's
 *   `<NumberFormat ss:Format>` shows one, as for xlsx), DateTime (a date), Boolean (1/0), Error
 *   (an error value as xlsx's). A value its type cannot hold (`<Data ss:Type="Number">abc`) is
 *   thrown as {@link SpreadsheetCellError}: never a blank.
 * - A DOCTYPE or entity declaration is refused (`MESSAGE_DOCTYPE`): Excel never writes one.
 */
import { MESSAGE_DOCTYPE } from '../xlsx-reader.ts';
import { address, UnreadableFileError, type RawCell, type RawRow, type ReadLimits, type TruncationCounter } from '../raw-sheet.ts';
import { isoDateTime, serialToDate } from '../xlsx/sheet-scanner.ts';
import { isDateFormat } from '../xlsx/styles.ts';
import { RowInProgress } from '../markup-rows.ts';

/** A range in 0-based columns and 1-based rows. */
export interface CellRange {
  readonly top: number;
  readonly left: number;
  readonly right: number;
  readonly bottom: number;
}

export interface WorksheetEvents {
  sheetStart?(sheet: number, name: string): void;
  row?(sheet: number, row: RawRow): void;
  merge?(sheet: number, range: CellRange): void;
  visibility?(sheet: number, state: 'hidden' | 'veryHidden'): void;
  tableEnd?(sheet: number): void;
  dropped?(sheet: number): TruncationCounter | undefined;
  /** A style that shows numbers as dates (read from `<Styles>` before the sheets). */
  dateStyle?(id: string): void;
}

/** A cell the file holds but whose value its type cannot be: the sheet, the cell and why. */
export class SpreadsheetCellError extends Error {
  override readonly name = 'SpreadsheetCellError';
  constructor(
    readonly sheet: string,
    readonly cell: string,
    readonly reason: string,
  ) {
    super(`${sheet}!${cell}: ${reason}`);
  }
}

interface OpenCell {
  readonly column: number;
  readonly formula: boolean;
  readonly style: string | undefined;
  type: string | undefined;
  text: string;
  hasData: boolean;
}

export class SpreadsheetMl {
  #sheet = 0;
  #sheetName = '';
  #inWorksheet = false;
  #inTable = false;
  readonly #line: RowInProgress;
  #cell: OpenCell | undefined;
  #inData = false;
  #inVisible = false;
  #visible = '';
  #style: string | undefined;
  #workbookOpen = false;
  #workbookClosed = false;
  #ending = false;

  constructor(
    private readonly events: WorksheetEvents,
    private readonly limits: Pick<ReadLimits, 'maxRowsPerSheet' | 'maxColumns'>,
    private readonly dateStyles: ReadonlySet<string> = new Set(),
  ) {
    this.#line = new RowInProgress(events, limits);
  }

  get sheets(): number {
    return this.#sheet;
  }

  /** The end of the text is next: the elements closed now were never closed in the file. */
  ending(): void {
    this.#ending = true;
  }

  /** True when the text ended inside the workbook (a file cut short). */
  get cut(): boolean {
    return this.#workbookOpen && !this.#workbookClosed;
  }

  onprocessinginstruction(name: string): void {
    // `<!DOCTYPE …>`, `<!ENTITY …>`: the door to entity expansion and external entities.
    if (name.startsWith('!')) throw new UnreadableFileError(MESSAGE_DOCTYPE, { cause: new Error(`SpreadsheetML declares ${name}`) });
  }

  onopentag(rawName: string, attribs: Readonly<Record<string, string>>): void {
    const name = local(rawName);
    if (this.#inData) return; // rich text's <B>, <Font>, …: only their text counts
    switch (name) {
      case 'Workbook':
        this.#workbookOpen = true;
        return;
      case 'Style':
        this.#style = attr(attribs, 'ID');
        return;
      case 'NumberFormat': {
        const format = attr(attribs, 'Format');
        if (this.#style !== undefined && format !== undefined && !this.#inWorksheet && isNamedDate(format)) this.events.dateStyle?.(this.#style);
        return;
      }
      case 'Worksheet':
        this.#sheet++;
        this.#inWorksheet = true;
        this.#sheetName = attr(attribs, 'Name') ?? `Sheet${this.#sheet}`;
        this.#line.number = 0;
        this.events.sheetStart?.(this.#sheet, this.#sheetName);
        return;
      case 'Table':
        if (this.#inWorksheet) this.#inTable = true;
        return;
      case 'Row':
        if (this.#inTable) this.#openRow(attribs);
        return;
      case 'Cell':
        if (this.#line.isOpen) this.#openCell(attribs);
        return;
      case 'Data':
        if (this.#cell !== undefined) {
          this.#inData = true;
          this.#cell.type = attr(attribs, 'Type');
          this.#cell.hasData = true;
        }
        return;
      case 'Visible':
        if (this.#inWorksheet && !this.#inTable) {
          this.#inVisible = true;
          this.#visible = '';
        }
        return;
      default:
    }
  }

  onclosetag(rawName: string): void {
    const name = local(rawName);
    if (this.#inData) {
      if (name === 'Data') this.#inData = false;
      return;
    }
    switch (name) {
      case 'Workbook':
        if (!this.#ending) this.#workbookClosed = true;
        return;
      case 'Style':
        this.#style = undefined;
        return;
      case 'Cell':
        this.#closeCell();
        return;
      case 'Row':
        this.#closeRow();
        return;
      case 'Table':
        this.#closeRow();
        this.#inTable = false;
        return;
      case 'Visible':
        if (this.#inVisible) {
          const v = this.#visible.trim();
          if (v === 'SheetHidden') this.events.visibility?.(this.#sheet, 'hidden');
          else if (v === 'SheetVeryHidden') this.events.visibility?.(this.#sheet, 'veryHidden');
        }
        this.#inVisible = false;
        return;
      case 'Worksheet':
        this.#closeRow();
        this.#inTable = false;
        this.#inWorksheet = false;
        this.events.tableEnd?.(this.#sheet);
        return;
      default:
    }
  }

  ontext(text: string): void {
    if (this.#inData && this.#cell !== undefined) this.#cell.text += text;
    else if (this.#inVisible) this.#visible += text;
  }

  #openRow(attribs: Readonly<Record<string, string>>): void {
    this.#closeRow();
    const index = attr(attribs, 'Index');
    const next = index === undefined ? this.#line.number + 1 : positiveInteger(index);
    if (next === undefined || next <= this.#line.number) this.#fail(`第 ${this.#line.number + 1} 行`, `行号 ss:Index="${index ?? ''}" 无效或没有递增`);
    this.#line.begin(next, /^(1|true)$/i.test(attr(attribs, 'Hidden') ?? ''));
  }

  #closeRow(): void {
    this.#closeCell();
    this.#line.end(this.#sheet);
  }

  #openCell(attribs: Readonly<Record<string, string>>): void {
    this.#closeCell();
    const index = attr(attribs, 'Index');
    const column = index === undefined ? this.#line.cursor : (positiveInteger(index) ?? 0) - 1;
    if (column < this.#line.cursor) this.#fail(address(Math.max(this.#line.cursor, 0), this.#line.number), `列号 ss:Index="${index ?? ''}" 无效或没有递增`);
    const across = nonNegativeInteger(attr(attribs, 'MergeAcross'));
    const down = nonNegativeInteger(attr(attribs, 'MergeDown'));
    this.#line.cursor = column + 1 + across;
    this.#cell = { column, formula: attr(attribs, 'Formula') !== undefined, style: attr(attribs, 'StyleID'), type: undefined, text: '', hasData: false };
    const max = this.limits.maxColumns;
    if ((across > 0 || down > 0) && column < max && this.#line.number <= this.limits.maxRowsPerSheet) {
      const right = Math.min(column + across, max - 1);
      const bottom = Math.min(this.#line.number + down, this.limits.maxRowsPerSheet);
      this.events.merge?.(this.#sheet, { top: this.#line.number, left: column, right, bottom });
    }
  }

  #closeCell(): void {
    const cell = this.#cell;
    if (cell === undefined) return;
    this.#cell = undefined;
    this.#inData = false;
    const value = cell.hasData ? this.#value(cell) : undefined;
    if (value === undefined) return;
    this.#line.set(this.#sheet, cell.column, cell.formula ? { ...value, formula: true } : value);
  }

  /** The cell's value by its `ss:Type`, or undefined for an empty string. */
  #value(cell: OpenCell): RawCell | undefined {
    const text = cell.text;
    const at = () => address(cell.column, this.#line.number);
    switch (cell.type ?? 'String') {
      case 'String':
        return text === '' ? undefined : { value: text.replace(/\r\n?/g, '\n') };
      case 'Number': {
        const n = text.trim() === '' ? NaN : Number(text.trim());
        if (!Number.isFinite(n)) this.#fail(at(), `数值单元格的内容“${shown(text)}”不是数字`);
        if (cell.style !== undefined && this.dateStyles.has(cell.style)) return { value: serialToDate(n, false) ?? n };
        return { value: n };
      }
      case 'DateTime': {
        const date = isoDateTime(text);
        if (date === undefined) this.#fail(at(), `日期单元格的内容“${shown(text)}”不是日期`);
        return { value: date };
      }
      case 'Boolean': {
        const t = text.trim().toLowerCase();
        if (t !== '1' && t !== '0' && t !== 'true' && t !== 'false') this.#fail(at(), `逻辑值单元格的内容“${shown(text)}”不是 1 或 0`);
        return { value: t === '1' || t === 'true' };
      }
      case 'Error':
        return { value: null, error: text.trim() === '' ? '#N/A' : text.trim() };
      default:
        this.#fail(at(), `未知的数据类型 ss:Type="${cell.type ?? ''}"`);
    }
  }

  #fail(cell: string, reason: string): never {
    throw new SpreadsheetCellError(this.#sheetName, cell, reason);
  }
}

/** The local part of a qualified name. */
function local(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/** An attribute by its local name, with any prefix (`ss:Index`, `Index`). */
function attr(attribs: Readonly<Record<string, string>>, name: string): string | undefined {
  const plain = attribs[`ss:${name}`] ?? attribs[name];
  if (plain !== undefined) return plain;
  for (const key in attribs) if (local(key) === name) return attribs[key];
  return undefined;
}

function positiveInteger(text: string): number | undefined {
  const n = Number(text.trim());
  return Number.isInteger(n) && n >= 1 ? n : undefined;
}

function nonNegativeInteger(text: string | undefined): number {
  const n = Number(text?.trim() ?? 0);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/** SpreadsheetML's named date formats, or a format code that shows a date (the xlsx rule). */
function isNamedDate(format: string): boolean {
  if (/^(General Date|Long Date|Medium Date|Short Date)$/i.test(format)) return true;
  if (/^(General|General Number|Fixed|Standard|Percent|Scientific|Currency|Euro Currency|Yes\/No|True\/False|On\/Off|@)$/i.test(format)) return false;
  if (/^(Long Time|Medium Time|Short Time)$/i.test(format)) return false;
  return isDateFormat(format);
}

function shown(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
