/**
 * Reads a worksheet's XML as it streams in, row by row, into RawRows: the reader's hot path.
 * No DOM and no generic XML parser: a worksheet is a flat list of `<row>`s of `<c>`s, read
 * chunk by chunk with the unfinished tail carried to the next. Rows and cells in the form
 * spreadsheet programs write are read by hand, in place ({@link SheetScanner.push}'s fast
 * paths); anything else by regular expressions, which define what the fast paths must match.
 * Entities are never expanded beyond the five of XML (a DOCTYPE is refused before this).
 *
 * One piece, past the ~350 lines a file here keeps to: the fast paths and the general paths
 * share the scanner's carried state (buffer, tail, row and column positions when `r` is
 * absent) and are tested against each other (tests/xlsx-scan-speed.test.ts); split, each half
 * would have to expose that state, and V8 inlines the hot loop only while it is one class.
 */
import { columnLetters, type RawCell, type RawRow, type RawValue, type TruncationCounter } from '../raw-sheet.ts';
import { sharedString, type StringTable } from './string-table.ts';
import { utf8Text, type TextPiece } from './utf8.ts';
import { attribute, decodeText, textRuns } from './xml.ts';

/** What reading a sheet's cells needs from the rest of the workbook, and its limits. */
export interface ScanContext {
  /** The shared strings: the reader's compact table, or an array of them. */
  readonly sharedStrings: StringTable;
  /** cellXfs index → the style shows a date. */
  readonly dateStyles: readonly boolean[];
  readonly date1904: boolean;
  /**
   * The workbook asks for a full recalculation on opening (`workbook.ts`): a formula's stored
   * result is a placeholder, read as no result (absent: false).
   */
  readonly fullCalcOnLoad?: boolean;
  readonly maxRows: number;
  readonly maxColumns: number;
  /** Told of every row and cell left out at the limits. */
  readonly dropped: TruncationCounter;
}

const ROW = /<((?:\w+:)?)row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/\1row>)/g;
const CELL = /<(?:\w+:)?c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?c>)/g;
const VALUE = /<(?:\w+:)?v(?:\s[^>]*)?>([\s\S]*?)<\/(?:\w+:)?v>/;
const END_OF_DATA = /<\/(?:\w+:)?sheetData>|<(?:\w+:)?sheetData\s*\/>/;

/** One worksheet's rows, fed its XML piece by piece: `push` each piece, then `end`. */
export class SheetScanner {
  #buffer = '';
  /**
   * Pieces held back, not yet joined to the buffer, while a row runs on across them: see
   * {@link mayCloseRow}. Their length in bytes (characters, for text), with the buffer's.
   */
  readonly #held: TextPiece[] = [];
  #heldLength = 0;
  /** The end of the last piece, where a marker {@link mayCloseRow} looks for may have begun. */
  #edge = '';
  #inTail = false;
  #rows = 0;
  #lastRow = 0;
  readonly #ctx: ScanContext;
  /** Reused from row to row: cells past the column limit, counted once the row is kept. */
  readonly #overflow: number[] = [];
  /**
   * One cell per date (Excel serial), handed to every cell of that date: dates repeat down a
   * ledger, and a Date and a cell object for each of them was garbage the reader paid for
   * (~5-10% of a 100,000-row read). Safe because a RawCell is never changed once made (the
   * merge window copies a cell it needs to mark).
   */
  readonly #dateCells = new Map<number, RawCell>();
  /** Where #nextRow found the next row: one object, reused (one for each row was garbage). */
  readonly #span: RowSpan = { attrsStart: 0, attrsEnd: 0, bodyStart: -1, bodyEnd: -1, end: 0, cells: 'unread' };
  /** What {@link #plainRowAttributes} read. */
  #rowR = NaN;
  #rowHidden = false;

  constructor(ctx: ScanContext) {
    this.#ctx = ctx;
  }

  /** Feeds the next piece of the sheet XML; returns the rows it completed. */
  push(piece: TextPiece): RawRow[] {
    // After </sheetData> nothing is a row (the merges are read in a pass of their own).
    if (this.#inTail) return [];
    const edge = this.#edge;
    this.#edge = tailText(piece);
    if (this.#buffer !== '' && piece.length > 0 && !mayCloseRow(edge, piece)) {
      // Joined now, a long row would be copied whole again at every piece it spans (quadratic:
      // a row of 200 cells of 32,767 characters, 19.7 MB, took 7.2 s in 256 kB pieces, 0.3 s
      // held); it is joined once, when a piece may end it. A row never closed is held until it
      // passes MAX_UNFINISHED_ROW.
      this.#heldLength += piece.length;
      this.#checkUnfinished(this.#buffer.length + this.#heldLength);
      this.#held.push(piece);
      return [];
    }
    this.#held.push(piece);
    const buffer = joined(this.#buffer, this.#held);
    this.#held.length = 0;
    this.#heldLength = 0;
    const out: RawRow[] = [];
    const overflow = this.#overflow;
    // Past the last `</row>` no row is whole: the fast paths stop short of it, and so never read
    // past the end of the text (which would cost V8's optimised code of the scanner).
    const lastClose = buffer.lastIndexOf('</row>');
    let consumed = 0;
    for (;;) {
      const cells: (RawCell | undefined)[] = [];
      // Emptied only when something is in it: setting the length is a runtime call even on an empty array.
      if (overflow.length > 0) overflow.length = 0;
      const found = this.#nextRow(buffer, consumed, lastClose, cells, overflow);
      if (found === undefined) break;
      consumed = found.end;
      const row = this.#row(buffer, found, cells, overflow);
      if (row === null) continue;
      if (this.#rows >= this.#ctx.maxRows) {
        // Past the limit the rest is still scanned, and counted.
        this.#ctx.dropped.droppedRow(row.rowNumber);
        continue;
      }
      for (const column of overflow) this.#ctx.dropped.droppedCell(column, row.rowNumber);
      this.#rows++;
      out.push(row);
    }
    const rest = buffer.slice(consumed);
    const end = END_OF_DATA.exec(rest);
    if (end !== null && /<(?:\w+:)?(row|c)\b/.test(rest.slice(0, end.index))) {
      throw new Error(`malformed worksheet XML: a row left open after row ${this.#lastRow}`);
    }
    if (end !== null) {
      this.#inTail = true;
      this.#buffer = '';
    } else {
      this.#checkUnfinished(rest.length);
      this.#buffer = rest;
    }
    return out;
  }

  /** What waits unfinished, held or carried, past {@link MAX_UNFINISHED_ROW}: a broken sheet. */
  #checkUnfinished(length: number): void {
    if (length > MAX_UNFINISHED_ROW) throw new Error(`malformed worksheet XML: ${length} characters without a row's end after row ${this.#lastRow}`);
  }

  /**
   * Finishes the sheet: the rows still in the buffer. A sheet whose rows never reach the end
   * of `<sheetData>` is broken (cut short, or a row left open): an error, never a quiet loss.
   */
  end(): RawRow[] {
    const out = this.#inTail ? [] : this.push('');
    if (!this.#inTail && (this.#lastRow > 0 || /<(?:\w+:)?(row|c)\b/.test(this.#buffer))) {
      throw new Error(`malformed worksheet XML: <sheetData> not closed after row ${this.#lastRow}`);
    }
    this.#buffer = '';
    return out;
  }

  /**
   * Where the next `<row>` at or after `from` lies: exactly what {@link ROW} would match from
   * there. A row that starts right at `from` (after whitespace), unprefixed, is located by
   * hand, and its cells read into `cells` on the way when they all have the plain form (the
   * span says so); anything else (a prefix, a row cut off by the chunk's end, junk between
   * rows) is left to the regular expression itself.
   */
  #nextRow(text: string, from: number, lastClose: number, cells: (RawCell | undefined)[], overflow: number[]): RowSpan | undefined {
    let at = from;
    while (at < lastClose && isXmlSpace(text.charCodeAt(at))) at++;
    if (at < lastClose && text.startsWith('<row', at) && isTagNameEnd(text.charCodeAt(at + 4))) {
      // ROW's lazy attributes end at the first `>`: `/>` closes the row, `>` opens its body,
      // which ends at the first `</row>`.
      const gt = text.indexOf('>', at + 4);
      if (gt >= 0 && text.charCodeAt(gt - 1) === SLASH) {
        return this.#found(at + 4, gt - 1, -1, -1, gt + 1, 'unread');
      }
      // A `</row>` after the `>`: the plain cells cannot run off the end of the text.
      if (gt >= 0 && gt < lastClose) {
        // No plain cell holds a `</row>`, so plain cells up to a `</row>` are the whole body.
        const stop = this.#plainCells(text, gt + 1, cells, overflow);
        if (stop >= 0 && text.startsWith('</row>', stop)) {
          return this.#found(at + 4, gt, gt + 1, stop, stop + 6, 'read');
        }
        cells.length = 0;
        overflow.length = 0;
        const close = text.indexOf('</row>', gt + 1);
        if (close >= 0) return this.#found(at + 4, gt, gt + 1, close, close + 6, 'general');
      }
    }
    ROW.lastIndex = from;
    const m = ROW.exec(text);
    if (m === null) return undefined;
    const prefix = m[1] ?? '';
    const attrsStart = m.index + 1 + prefix.length + 3;
    const attrsEnd = attrsStart + (m[2] ?? '').length;
    const end = ROW.lastIndex;
    if (m[3] === undefined) return this.#found(attrsStart, attrsEnd, -1, -1, end, 'unread');
    const bodyEnd = end - (prefix.length + 6);
    return this.#found(attrsStart, attrsEnd, bodyEnd - m[3].length, bodyEnd, end, 'unread');
  }

  /** {@link #span}, set to what #nextRow found. */
  #found(attrsStart: number, attrsEnd: number, bodyStart: number, bodyEnd: number, end: number, cells: RowSpan['cells']): RowSpan {
    const span = this.#span;
    span.attrsStart = attrsStart;
    span.attrsEnd = attrsEnd;
    span.bodyStart = bodyStart;
    span.bodyEnd = bodyEnd;
    span.end = end;
    span.cells = cells;
    return span;
  }

  /** One `<row>`; cells past the column limit go to `overflow` (counted only if the row is kept). */
  #row(text: string, span: RowSpan, cells: (RawCell | undefined)[], overflow: number[]): RawRow | null {
    let r: number;
    let hidden: boolean;
    if (this.#plainRowAttributes(text, span.attrsStart, span.attrsEnd)) {
      r = this.#rowR;
      hidden = this.#rowHidden;
    } else {
      const attrs = text.slice(span.attrsStart, span.attrsEnd);
      r = Number(attribute(attrs, 'r'));
      const hiddenAttr = attribute(attrs, 'hidden');
      hidden = hiddenAttr === '1' || hiddenAttr === 'true';
    }
    const rowNumber = Number.isInteger(r) && r > 0 ? r : this.#lastRow + 1;
    this.#lastRow = rowNumber;
    if (span.cells !== 'read' && span.bodyStart >= 0 && span.bodyEnd > span.bodyStart) {
      // Plain cells end where the first thing that is not one starts: the whole body, or not.
      if (span.cells === 'general' || this.#plainCells(text, span.bodyStart, cells, overflow) !== span.bodyEnd) {
        cells.length = 0;
        overflow.length = 0;
        this.#cells(text.slice(span.bodyStart, span.bodyEnd), rowNumber, cells, overflow);
      }
    }
    if (cells.length === 0 && overflow.length === 0 && !hidden) return null;
    return { rowNumber, hidden, cells };
  }

  /**
   * A row's attributes read in place when each is written ` name="value"`, the value free of
   * spaces, quotes, `=`, `<` and `>` (what every writer does): then `attribute()` would find
   * the first attribute of each name, as this does. Sets {@link #rowR} to `Number()` of `r`
   * (NaN without one) and {@link #rowHidden}; false, and nothing set, for any other form.
   */
  #plainRowAttributes(text: string, start: number, end: number): boolean {
    let r: number | undefined;
    let hidden: boolean | undefined;
    let p = start;
    while (p < end && text.charCodeAt(p) === SPACE) {
      while (p < end && text.charCodeAt(p) === SPACE) p++;
      const nameStart = p;
      while (p < end && isNameChar(text.charCodeAt(p))) p++;
      const nameEnd = p;
      if (nameEnd === nameStart) break;
      if (p + 1 >= end || text.charCodeAt(p) !== EQUALS || text.charCodeAt(p + 1) !== QUOTE) return false;
      const valueStart = p + 2;
      p = valueStart;
      while (p < end && isPlainValueChar(text.charCodeAt(p))) p++;
      if (p >= end || text.charCodeAt(p) !== QUOTE) return false;
      const valueEnd = p;
      p++;
      if (nameEnd - nameStart === 1 && text.charCodeAt(nameStart) === LOWER_R) {
        r ??= plainNumberAt(text, valueStart, valueEnd);
      } else if (nameEnd - nameStart === 6 && text.startsWith('hidden', nameStart)) {
        hidden ??= isTrueAt(text, valueStart, valueEnd);
      }
    }
    if (p !== end) return false;
    this.#rowR = r ?? NaN;
    this.#rowHidden = hidden === true;
    return true;
  }

  /** The general reading of a row's body: any prefix, attribute order, formula or inline string. */
  #cells(body: string, rowNumber: number, cells: (RawCell | undefined)[], overflow: number[]): void {
    CELL.lastIndex = 0;
    let column = -1;
    let m: RegExpExecArray | null;
    while ((m = CELL.exec(body)) !== null) {
      const cellAttrs = m[1] ?? '';
      const ref = attribute(cellAttrs, 'r');
      column = ref === undefined ? column + 1 : columnIndex(ref, column + 1);
      const cell = this.#cell(cellAttrs, m[2], column, rowNumber);
      if (cell === undefined) continue;
      if (column >= this.#ctx.maxColumns) overflow.push(column);
      else cells[column] = cell;
    }
  }

  /**
   * The fast reading of a row's body, for the form Excel, WPS and exceljs write:
   * `<c r="B7" s="3" t="s"><v>12</v></c>` and `<c r="B7" s="3"/>`, attributes in any order,
   * a number or shared-string index as the value. It reads the cells straight off `text` from
   * `from`, without a substring or a match per cell.
   *
   * Returns where the plain cells stop (past any whitespace after the last), or -1 for a cell
   * begun in the plain form that turns out not to be.
   * It only accepts what it can read exactly as {@link #cells} would: each attribute preceded
   * by a space, its value free of spaces, quotes, `=`, `<`, `>` (so ` r="` can only be where
   * `attribute()` finds it), and a value of plain digits for `t="s"`, digits or a number for a
   * cell without `t` or with `t="n"`. Anything else — a prefix, a formula, an inline string,
   * another type, an entity, junk between cells — stops it, and unless it stopped at the end of
   * the row's body, what it read does not count and the row is read again by {@link #cells}.
   */
  #plainCells(text: string, from: number, cells: (RawCell | undefined)[], overflow: number[]): number {
    const { sharedStrings, maxColumns } = this.#ctx;
    let column = -1;
    let p = from;
    for (;;) {
      while (isXmlSpace(text.charCodeAt(p))) p++;
      // Compared a character at a time, here and below: `startsWith` is a call V8 does not
      // inline, and was a fifth of this loop's time.
      if (text.charCodeAt(p) !== LT || text.charCodeAt(p + 1) !== LOWER_C || !isTagNameEnd(text.charCodeAt(p + 2))) return p;
      p += 2;
      let refStart = -1;
      let refEnd = -1;
      let typeStart = -1;
      let typeEnd = -1;
      let styleStart = -1;
      let styleEnd = -1;
      // Attributes: ` name="value"`, each after at least one space. `ch` is the character at
      // `p` throughout, each read once (the loop reads the characters of every cell).
      let ch = text.charCodeAt(p);
      while (ch === SPACE) {
        do {
          ch = text.charCodeAt(++p);
        } while (ch === SPACE);
        const nameStart = p;
        while (isNameChar(ch)) ch = text.charCodeAt(++p);
        if (p === nameStart) break;
        if (ch !== EQUALS || text.charCodeAt(p + 1) !== QUOTE) return -1;
        p += 2;
        const valueStart = p;
        ch = text.charCodeAt(p);
        while (isPlainValueChar(ch)) ch = text.charCodeAt(++p);
        if (ch !== QUOTE) return -1;
        if (valueStart - 2 - nameStart === 1) {
          // The first of each, as attribute() takes it.
          const name = text.charCodeAt(nameStart);
          if (name === LOWER_R && refStart < 0) {
            refStart = valueStart;
            refEnd = p;
          } else if (name === LOWER_T && typeStart < 0) {
            typeStart = valueStart;
            typeEnd = p;
          } else if (name === LOWER_S && styleStart < 0) {
            styleStart = valueStart;
            styleEnd = p;
          }
        }
        ch = text.charCodeAt(++p);
      }
      column = refStart < 0 ? column + 1 : columnIndexAt(text, refStart, refEnd, column + 1);
      const c = ch;
      if (c === SLASH && text.charCodeAt(p + 1) === GT) {
        // An empty cell (a style only): it has a place, not a value.
        p += 2;
        continue;
      }
      // `><v>`
      if (c !== GT || text.charCodeAt(p + 1) !== LT || text.charCodeAt(p + 2) !== LOWER_V || text.charCodeAt(p + 3) !== GT) return -1;
      const valueStart = p + 4;
      let q = valueStart;
      let digits = 0;
      let digitsOnly = true;
      for (let ch = text.charCodeAt(q); ch !== LT; ch = text.charCodeAt(++q)) {
        if (ch >= DIGIT_0 && ch <= DIGIT_9) digits = digits * 10 + (ch - DIGIT_0);
        else if (isNumberChar(ch)) digitsOnly = false;
        else return -1;
      }
      const valueEnd = q;
      const length = valueEnd - valueStart;
      // The loop stopped at a `<`: the rest of `</v></c>`.
      if (length === 0 || !isValueCellEnd(text, valueEnd)) return -1;
      p = valueEnd + 8;
      // Up to 15 digits the sum above is exact, and equal to Number() of them.
      const exact = digitsOnly && length <= 15;
      let cell: RawCell | undefined;
      if (typeStart < 0 || (typeEnd - typeStart === 1 && text.charCodeAt(typeStart) === LOWER_N)) {
        const v = exact ? undefined : text.slice(valueStart, valueEnd);
        const n = v === undefined ? digits : Number(v);
        if (v !== undefined && (!Number.isFinite(n) || v.trim() === '')) cell = { value: v };
        else {
          const style = styleStart < 0 ? undefined : plainNumberAt(text, styleStart, styleEnd);
          cell = this.#numberCell(n, style);
        }
      } else if (typeEnd - typeStart === 1 && text.charCodeAt(typeStart) === LOWER_S) {
        if (!digitsOnly) return -1;
        const value = exact ? sharedStrings.at(digits) : sharedString(sharedStrings, Number(text.slice(valueStart, valueEnd)));
        // Past the table: the general reading says where.
        if (value === undefined) return -1;
        cell = { value };
      } else {
        return -1;
      }
      if (cell === undefined) continue;
      if (column >= maxColumns) overflow.push(column);
      else cells[column] = cell;
    }
  }

  /** The cell of a number shown as a date: its Date (a number when it is no date Excel has). */
  #dateCell(serial: number): RawCell {
    // A whole serial up to 2100 (every date of a ledger, nearly): looked up by index, which
    // costs a fraction of a Map's lookup, in a table the worker keeps from sheet to sheet.
    if (serial >= 0 && serial < DIRECT_SERIALS && Number.isInteger(serial)) {
      const table = wholeDateCells(this.#ctx.date1904);
      let cell = table[serial];
      if (cell === undefined) {
        cell = { value: serialToDate(serial, this.#ctx.date1904) ?? serial };
        table[serial] = cell;
      }
      return cell;
    }
    let cell = this.#dateCells.get(serial);
    if (cell === undefined) {
      // A ledger's dates span a few years; the bound keeps a sheet of odd serials small.
      if (this.#dateCells.size >= 20_000) this.#dateCells.clear();
      cell = { value: serialToDate(serial, this.#ctx.date1904) ?? serial };
      this.#dateCells.set(serial, cell);
    }
    return cell;
  }

  /** A finite number's cell, as a date (shared per serial) when its style (a cellXfs index, if any) shows one. */
  #numberCell(n: number, style: number | undefined): RawCell {
    return style !== undefined && this.#ctx.dateStyles[style] === true ? this.#dateCell(n) : { value: n };
  }

  /** A cell of the general reading; `column` and `rowNumber` only name it in an error. */
  #cell(attrs: string, body: string | undefined, column: number, rowNumber: number): RawCell | undefined {
    if (body === undefined || body === '') return undefined;
    const type = attribute(attrs, 't') ?? 'n';
    const formula = body.indexOf('<f') >= 0 || /<[\w.-]+:f\b/.test(body);
    // The value's text as XML gives it: `<v>&#48;</v>` is 0.
    const raw = VALUE.exec(body)?.[1];
    // A workbook saved to be recalculated on opening stores placeholders, not results: XlsxWriter
    // writes 0 for every formula it is not given a value for. That 0 (or nothing, or "") was never
    // calculated: unknown, never 0, 否 or 1899-12-31. A value the writing program did give (10, a
    // date serial, 是) is kept: a re-sweep found XlsxWriter files whose supplied results were
    // thrown away, and a figure short by them. Formula cells never take the fast path
    // (#plainCells stops at `<f>`), so this is the one place.
    if (formula && this.#ctx.fullCalcOnLoad === true && isPlaceholder(type, raw)) return UNCALCULATED;
    const v = raw === undefined ? undefined : decodeText(raw);
    const unreadable = (reason: string): never => {
      throw new UnreadableCellError(`${columnLetters(column)}${rowNumber}`, reason);
    };
    let value: RawValue = null;
    switch (type) {
      case 's': {
        if (v === undefined) break;
        const i = Number(v.trim());
        const text = sharedString(this.#ctx.sharedStrings, i);
        value = text ?? unreadable(`共享字符串编号“${v}”不在字符串表中（共 ${this.#ctx.sharedStrings.length} 条）`);
        break;
      }
      case 'inlineStr': {
        const is = INLINE.exec(body);
        if (is === null) break;
        value = is[2] === undefined ? '' : (textRuns(is[2]) ?? unreadable('内联文本中没有可读的文字'));
        break;
      }
      case 'str':
        value = v ?? null;
        break;
      case 'b': {
        if (v === undefined) break;
        const b = v.trim();
        value = b === '1' || b === 'true' ? true : b === '0' || b === 'false' ? false : unreadable(`逻辑值“${b}”不是 TRUE 或 FALSE`);
        break;
      }
      case 'e':
        return { value: null, error: v === undefined ? '#VALUE!' : v.trim(), ...(formula ? { formula } : {}) };
      case 'd': {
        if (v === undefined) break;
        value = isoDateTime(v) ?? v;
        break;
      }
      default: {
        // An empty <v> of a number cell (no `t="str"`, which Excel writes for an empty text
        // result) is no result: a formula's is one never calculated (cell.formula_error, below), as
        // a writer that does not calculate leaves it. XlsxWriter writes `value=''` (=IF(B2="","",B2))
        // so too, and that one is said as never calculated as well: read as empty, an uncalculated
        // 2+1 in an optional count would make the figure short without a word.
        if (v === undefined || v === '') break;
        const n = Number(v);
        if (!Number.isFinite(n) || v.trim() === '') {
          value = v;
          break;
        }
        const s = attribute(attrs, 's');
        value = this.#numberCell(n, s === undefined ? undefined : Number(s)).value;
      }
    }
    if (value === null && !formula) return undefined;
    return formula ? { value, formula: true } : { value };
  }
}

/**
 * A cell whose value this reader cannot interpret (a shared-string index past the table, a
 * boolean that is neither 0 nor 1, an inline string without text): the file is damaged, and
 * saying so at the cell beats reading it as blank. `reason` is Chinese, for the finding.
 */
export class UnreadableCellError extends Error {
  override readonly name = 'UnreadableCellError';
  constructor(
    readonly address: string,
    readonly reason: string,
  ) {
    super(`cell ${address}: ${reason}`);
  }
}

/** A formula cell whose stored result is a placeholder: one object, shared (a RawCell is never changed). */
const UNCALCULATED: RawCell = { value: null, formula: true, uncalculated: true };

/**
 * Whether a formula's stored result, in a workbook saved to be recalculated on opening, is what
 * a writer that cannot calculate stores (`<v>0</v>`, an empty string, nothing) rather than a
 * result it was given.
 */
function isPlaceholder(type: string, raw: string | undefined): boolean {
  if (raw === undefined) return true;
  const text = raw.trim();
  if (type === 'str' || type === 'inlineStr') return text === '';
  return type === 'n' && (text === '' || Number(text) === 0);
}

const INLINE = /<((?:[\w.-]+:)?)is\b[^>]*?(?:\/>|>([\s\S]*?)<\/\1is>)/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$/;

/**
 * The value of a `t="d"` cell (ISO 8601: `2024-03-15`, `2024-03-15T09:30:00`, with
 * milliseconds, `Z` or an offset) as a UTC Date of its wall-clock time, as Excel shows it: the
 * offset, which Excel does not keep, is not applied. Undefined when it is no such date.
 */
export function isoDateTime(text: string): Date | undefined {
  const m = ISO_DATE.exec(text.trim());
  if (m === null) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(year, month - 1, day, Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), Math.round(Number(m[7] ?? 0) * 1000));
  const date = new Date(t);
  return date.getUTCDate() === day && date.getUTCMonth() === month - 1 ? date : undefined;
}

/**
 * What of a sheet's XML may wait unfinished for the pieces after it, at most (bytes, or
 * characters for text): one row not yet closed, or what precedes the first row. Excel's widest
 * row is 16,384 cells; at ~2,000 bytes of XML each that is this, and no ledger comes near it.
 * Past it the sheet is refused as broken: a row never closed would otherwise be carried until
 * the part's end, which the zip budget lets inflate to a gigabyte.
 */
export const MAX_UNFINISHED_ROW = 32_000_000;

/**
 * Whether a piece may end the row that runs into it, or the rows: it holds `row>` (`</row>`,
 * `</x:row>`), `/>` (a row closed in its tag) or `sheetData`, or its start does with the end of
 * the piece before it (`edge`). When not, the piece is only more of that row's text, and joining
 * it can wait. Looking for more than needed only joins sooner, never reads differently.
 */
function mayCloseRow(edge: string, piece: TextPiece): boolean {
  if (piece.indexOf('row>') >= 0 || piece.indexOf('/>') >= 0 || piece.indexOf('sheetData') >= 0) return true;
  const seam = edge + headText(piece);
  return seam.includes('row>') || seam.includes('/>') || seam.includes('sheetData');
}

/** Enough of a piece's end or start to hold a marker mayCloseRow looks for, cut across two pieces. */
const SEAM = 16;

function tailText(piece: TextPiece): string {
  return typeof piece === 'string' ? piece.slice(-SEAM) : piece.subarray(Math.max(0, piece.length - SEAM)).toString('latin1');
}

function headText(piece: TextPiece): string {
  return typeof piece === 'string' ? piece.slice(0, SEAM) : piece.subarray(0, SEAM).toString('latin1');
}

/**
 * The unread rest of the last piece followed by the text of the pieces since (those held back
 * and the next), as one flat string. `rest + text` would be a rope that V8 copies character by
 * character on the first read, and reads through an indirection after; bytes joined and decoded
 * at once come out flat. The rest is text a UTF-8 decoder produced, so it encodes back to the
 * very bytes it came from.
 */
function joined(rest: string, pieces: readonly TextPiece[]): string {
  if (pieces.every((p): p is Buffer => typeof p !== 'string')) {
    const [only] = pieces;
    if (rest === '' && pieces.length === 1 && only !== undefined) return utf8Text(only);
    // Pushed, not spread: the pieces held are bounded in bytes (MAX_UNFINISHED_ROW), not in number.
    const bytes: Buffer[] = [Buffer.from(rest, 'utf8')];
    for (const p of pieces) bytes.push(p);
    return utf8Text(Buffer.concat(bytes));
  }
  return rest + pieces.map((p) => (typeof p === 'string' ? p : p.toString('utf8'))).join('');
}

/** Where a row's attributes and body lie in the scanned text; body -1 for `<row …/>`. */
interface RowSpan {
  attrsStart: number;
  attrsEnd: number;
  bodyStart: number;
  bodyEnd: number;
  /** Just past the row's end. */
  end: number;
  /** Whether the cells were read already (plain), are still to read, or need the general reading. */
  cells: 'read' | 'unread' | 'general';
}

const SPACE = 32;
const QUOTE = 34;
const SLASH = 47;
const EQUALS = 61;
const LT = 60;
const GT = 62;
const DIGIT_0 = 48;
const DIGIT_9 = 57;
const LOWER_C = 99;
const LOWER_N = 110;
const LOWER_R = 114;
const LOWER_S = 115;
const LOWER_T = 116;
const LOWER_V = 118;

function isXmlSpace(c: number): boolean {
  return c === SPACE || c === 10 || c === 13 || c === 9;
}

/** After `<row` or `<c`: a character that ends the tag name (so `\b` holds) and that the fast paths expect. */
function isTagNameEnd(c: number): boolean {
  return c === SPACE || c === GT || c === SLASH;
}

/** An attribute name character: letters, digits, `_`, `:`, `.`, `-`. */
function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 58) || c === 95 || c === 46 || c === 45;
}

/** A character the fast path allows in an attribute value (NaN, past the end, is not). */
function isPlainValueChar(c: number): boolean {
  return c > SPACE && c !== QUOTE && c !== EQUALS && c !== LT && c !== GT;
}

/** Besides digits, what a number in `<v>` may hold: `.`, `-`, `+`, `e`, `E`. */
function isNumberChar(c: number): boolean {
  return c === 46 || c === 45 || c === 43 || c === 101 || c === 69;
}

/** `text.startsWith('</v></c>', at)` for an `at` known to hold its `<` (a character at a time: see #plainCells). */
function isValueCellEnd(text: string, at: number): boolean {
  return (
    text.charCodeAt(at + 1) === SLASH &&
    text.charCodeAt(at + 2) === LOWER_V &&
    text.charCodeAt(at + 3) === GT &&
    text.charCodeAt(at + 4) === LT &&
    text.charCodeAt(at + 5) === SLASH &&
    text.charCodeAt(at + 6) === LOWER_C &&
    text.charCodeAt(at + 7) === GT
  );
}

/** {@link columnIndex} of the reference between `start` and `end`, read in place. */
function columnIndexAt(text: string, start: number, end: number, fallback: number): number {
  let col = 0;
  let i = start;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 65 || c > 90) break;
    col = col * 26 + (c - 64);
  }
  return i === start ? fallback : col - 1;
}

/** Whether the text between `start` and `end` is `1` or `true` (a row's `hidden`). */
function isTrueAt(text: string, start: number, end: number): boolean {
  if (end - start === 1) return text.charCodeAt(start) === 49;
  return end - start === 4 && text.startsWith('true', start);
}

/** `Number()` of an attribute's value (a cell's `s`, a row's `r`): read in place when it is a few plain digits. */
function plainNumberAt(text: string, start: number, end: number): number {
  if (end - start > 0 && end - start <= 9) {
    let n = 0;
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c < DIGIT_0 || c > DIGIT_9) return Number(text.slice(start, end));
      n = n * 10 + (c - DIGIT_0);
    }
    return n;
  }
  return Number(text.slice(start, end));
}

/** `B7` → 1; a malformed reference falls back to the next column. */
function columnIndex(ref: string, fallback: number): number {
  let col = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    col = col * 26 + (c - 64);
  }
  return i === 0 ? fallback : col - 1;
}

/** Whole date serials kept by index: up to 2100-01-01 in the 1900 calendar (~290 kB of table). */
const DIRECT_SERIALS = 73_051;

/**
 * The cells of whole date serials, one table per calendar for the thread's life: made per sheet,
 * a district's 5,000 small files allocated 5,000 tables of 73,051 slots and a Date per date of
 * each (its read workers' top function and much of their collection, profiled). A RawCell is
 * never changed once made, so sheets share them as a sheet's cells do; the tables are bounded
 * by their length.
 */
const WHOLE_DATE_CELLS: [(RawCell | undefined)[] | undefined, (RawCell | undefined)[] | undefined] = [undefined, undefined];

function wholeDateCells(date1904: boolean): (RawCell | undefined)[] {
  const k = date1904 ? 1 : 0;
  return (WHOLE_DATE_CELLS[k] ??= new Array<RawCell | undefined>(DIRECT_SERIALS));
}

const DAY = 86_400_000;
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);

/**
 * An Excel date serial as a UTC Date. Excel's 1900 calendar has a 29 February 1900 that never
 * was (serial 60): that serial stays a number, for the date parser to refuse with a reason.
 */
export function serialToDate(serial: number, date1904: boolean): Date | null {
  if (serial < 0 || serial >= 2_958_466) return null;
  if (date1904) return new Date(EPOCH_1904 + Math.round(serial * DAY));
  if (serial === 60 || (serial >= 60 && serial < 61)) return null;
  const base = serial < 60 ? EPOCH_1900 + DAY : EPOCH_1900;
  return new Date(base + Math.round(serial * DAY));
}
