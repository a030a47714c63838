/**
 * Reads a worksheet's XML as it streams in, row by row, into RawRows: the reader's hot path.
 * No DOM and no generic XML parser: a worksheet is a flat list of `<row>`s of `<c>`s, so
 * regular expressions over each chunk (with the unfinished tail carried to the next) read it
 * at close to the speed of inflating it.
 * Entities are never expanded beyond the five of XML (a DOCTYPE is refused before this).
 */
import type { RawCell, RawRow, RawValue, TruncationCounter } from '../raw-sheet.ts';
import { attribute, decodeXml, textRuns } from './xml.ts';

export interface ScanContext {
  readonly sharedStrings: readonly string[];
  /** cellXfs index → the style shows a date. */
  readonly dateStyles: readonly boolean[];
  readonly date1904: boolean;
  readonly maxRows: number;
  readonly maxColumns: number;
  /** Told of every row and cell left out at the limits. */
  readonly dropped: TruncationCounter;
}

const ROW = /<((?:\w+:)?)row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/\1row>)/g;
const CELL = /<(?:\w+:)?c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?c>)/g;
const VALUE = /<(?:\w+:)?v(?:\s[^>]*)?>([\s\S]*?)<\/(?:\w+:)?v>/;
const END_OF_DATA = /<\/(?:\w+:)?sheetData>|<(?:\w+:)?sheetData\s*\/>/;

export class SheetScanner {
  #buffer = '';
  #inTail = false;
  #rows = 0;
  #lastRow = 0;
  readonly #ctx: ScanContext;

  constructor(ctx: ScanContext) {
    this.#ctx = ctx;
  }

  /** Feeds the next piece of the sheet XML; returns the rows it completed. */
  push(text: string): RawRow[] {
    // After </sheetData> nothing is a row (the merges are read in a pass of their own).
    if (this.#inTail) return [];
    const buffer = this.#buffer + text;
    const out: RawRow[] = [];
    ROW.lastIndex = 0;
    let consumed = 0;
    let m: RegExpExecArray | null;
    while ((m = ROW.exec(buffer)) !== null) {
      consumed = ROW.lastIndex;
      const overflow: number[] = [];
      const row = this.#row(m[2] ?? '', m[3], overflow);
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
      this.#buffer = rest;
    }
    return out;
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

  /** One `<row>`; cells past the column limit go to `overflow` (counted only if the row is kept). */
  #row(attrs: string, body: string | undefined, overflow: number[]): RawRow | null {
    const r = Number(attribute(attrs, 'r'));
    const rowNumber = Number.isInteger(r) && r > 0 ? r : this.#lastRow + 1;
    this.#lastRow = rowNumber;
    const hiddenAttr = attribute(attrs, 'hidden');
    const hidden = hiddenAttr === '1' || hiddenAttr === 'true';
    const cells: (RawCell | undefined)[] = [];
    if (body !== undefined && body !== '') {
      CELL.lastIndex = 0;
      let column = -1;
      let m: RegExpExecArray | null;
      while ((m = CELL.exec(body)) !== null) {
        const cellAttrs = m[1] ?? '';
        const ref = attribute(cellAttrs, 'r');
        column = ref === undefined ? column + 1 : columnIndex(ref, column + 1);
        const cell = this.#cell(cellAttrs, m[2]);
        if (cell === undefined) continue;
        if (column >= this.#ctx.maxColumns) overflow.push(column);
        else cells[column] = cell;
      }
    }
    if (cells.length === 0 && overflow.length === 0 && !hidden) return null;
    return { rowNumber, hidden, cells };
  }

  #cell(attrs: string, body: string | undefined): RawCell | undefined {
    if (body === undefined || body === '') return undefined;
    const type = attribute(attrs, 't') ?? 'n';
    const formula = body.indexOf('<f') >= 0 || /<\w+:f\b/.test(body);
    const v = VALUE.exec(body)?.[1];
    let value: RawValue = null;
    switch (type) {
      case 's': {
        const i = v === undefined ? NaN : Number(v);
        value = Number.isInteger(i) ? (this.#ctx.sharedStrings[i] ?? null) : null;
        break;
      }
      case 'inlineStr':
        value = textRuns(body);
        break;
      case 'str':
        value = v === undefined ? null : decodeXml(v);
        break;
      case 'b':
        value = v === undefined ? null : v.trim() === '1' || v.trim() === 'true';
        break;
      case 'e':
        return { value: null, error: v === undefined ? '#VALUE!' : decodeXml(v).trim(), ...(formula ? { formula } : {}) };
      case 'd': {
        const t = v === undefined ? NaN : Date.parse(decodeXml(v).trim().replace(/(T[\d:.]+)?$/, (x) => (x === '' ? 'T00:00:00Z' : `${x}Z`)));
        value = Number.isNaN(t) ? (v === undefined ? null : decodeXml(v)) : new Date(t);
        break;
      }
      default: {
        if (v === undefined || v === '') break;
        const n = Number(v);
        if (!Number.isFinite(n) || v.trim() === '') {
          value = decodeXml(v);
          break;
        }
        const s = attribute(attrs, 's');
        value = s !== undefined && this.#ctx.dateStyles[Number(s)] === true ? serialToDate(n, this.#ctx.date1904) ?? n : n;
      }
    }
    if (value === null && !formula) return undefined;
    return formula ? { value, formula: true } : { value };
  }
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
