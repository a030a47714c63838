/**
 * The tables of an HTML document as rows of cells, from htmlparser2's tokens: what an HTML
 * table saved as `.xls` holds, laid out as Excel lays it out. Fed text as it is decoded; holds
 * the cell being read and the rows of one chunk, never the document.
 *
 * - Every top-level `<table>` is one table; `<tr>` a row (an empty one still takes its row
 *   number, as in Excel); `<td>`/`<th>` a cell, placed after the cells that rowspans from the
 *   rows above hold, `colspan`/`rowspan` making merged ranges (clamped as browsers clamp them:
 *   colspan 1–1000, rowspan 0–65534, 0 meaning to the table's last row).
 * - A cell's text is its text with tags stripped and entities decoded (htmlparser2), runs of
 *   white space read as one space, a `<br>` as a line break (also the plain `<br>` that Excel
 *   and LibreOffice would take as a new row: a cell's text is one value), `<p>`/`<div>`/`<li>`
 *   as lines. A cell of only white space or `&nbsp;` is empty. Every cell is text: a number
 *   stays as written (`007` with `mso-number-format:'\@'` keeps its zeros) for the typing layer.
 *   A cell written `="…"` (case systems' exports keep case numbers and dates as text so) is the
 *   text inside, as Excel and LibreOffice show it and as a CSV's is read (`text-formula.ts`);
 *   other formulas stay as written.
 * - A table inside a cell is part of that cell's text (its cells separated by spaces, its rows
 *   by line breaks), not a table of its own.
 * - `<script>`, `<style>`, `<title>`, `<template>` are skipped; nothing is fetched or run:
 *   links, images and scripts are only tokens that nothing acts on.
 * - Text outside tables is not read.
 */
import { TruncationCounter, type RawRow, type ReadLimits } from '../raw-sheet.ts';
import { RowInProgress } from '../markup-rows.ts';
import { textFormulaValue } from '../text-formula.ts';

/** A merged range in 0-based columns and 1-based rows; `bottom` may be Infinity (rowspan=0). */
export interface SpanRange {
  readonly top: number;
  readonly left: number;
  readonly right: number;
  readonly bottom: number;
}

/** What the tables hand on as they are read. */
export interface TableEvents {
  tableStart?(table: number): void;
  /** A row with at least one cell, within the row limit (1-based rowNumber within its table). */
  row?(table: number, row: RawRow): void;
  /** A cell with colspan or rowspan (its range, before the table's end clips it). */
  merge?(table: number, range: SpanRange): void;
  caption?(table: number, text: string): void;
  /** `cut`: the file ended with the table open (no `</table>`): the file was cut short. */
  tableEnd?(table: number, lastRow: number, cut: boolean): void;
  comment?(text: string): void;
  /** What the limits left out of a table. */
  dropped?(table: number): TruncationCounter | undefined;
}

/** Elements whose text is not content. */
const SKIPPED = new Set(['script', 'style', 'title', 'template', 'noscript']);
/** Elements that begin and end a line of text inside a cell. */
const BLOCKS = new Set(['p', 'div', 'li', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'blockquote', 'table', 'tr', 'caption']);

const MAX_COLSPAN = 1000;
const MAX_ROWSPAN = 65534;

/** A cell being read. */
interface OpenCell {
  readonly column: number;
  readonly colspan: number;
  lines: string[];
  line: string;
  /** A nested table's cell ended: the next one begins after a space. */
  gap: boolean;
}

export class HtmlTables {
  #skipped = 0;
  /** Tables open, the top-level one included. */
  #depth = 0;
  #table = 0;
  readonly #line: RowInProgress;
  /** For each column, the last row a rowspan from above holds it to. */
  #heldTo: number[] = [];
  #cell: OpenCell | undefined;
  #caption: string | undefined;
  #ending = false;

  constructor(
    private readonly events: TableEvents,
    private readonly limits: Pick<ReadLimits, 'maxRowsPerSheet' | 'maxColumns'>,
  ) {
    this.#line = new RowInProgress(events, limits);
  }

  /** Tables begun so far. */
  get tables(): number {
    return this.#table;
  }

  /** The end of the document is next: a table closed now was never closed in the file. */
  ending(): void {
    this.#ending = true;
  }

  onopentag(name: string, attribs: Readonly<Record<string, string>>): void {
    if (SKIPPED.has(name)) {
      this.#skipped++;
      return;
    }
    if (this.#skipped > 0) return;
    if (name === 'table') {
      this.#depth++;
      if (this.#depth === 1) this.#startTable();
      else this.#lineBreak();
      return;
    }
    if (this.#depth === 0) return;
    if (this.#depth > 1) {
      if (name === 'br') this.#newLine();
      else if (name === 'td' || name === 'th') this.#nestedCell();
      else if (BLOCKS.has(name)) this.#lineBreak();
      return;
    }
    switch (name) {
      case 'tr':
        this.#closeRow();
        this.#openRow(attribs);
        return;
      case 'td':
      case 'th':
        this.#closeCell();
        if (!this.#line.isOpen) this.#openRow({});
        this.#openCell(attribs);
        return;
      case 'caption':
        this.#caption = '';
        return;
      case 'br':
        if (this.#cell !== undefined) this.#newLine();
        else if (this.#caption !== undefined) this.#caption += ' ';
        return;
      default:
        if (BLOCKS.has(name)) this.#lineBreak();
    }
  }

  onclosetag(name: string): void {
    if (SKIPPED.has(name)) {
      if (this.#skipped > 0) this.#skipped--;
      return;
    }
    if (this.#skipped > 0 || this.#depth === 0) return;
    if (name === 'table') {
      this.#depth--;
      if (this.#depth === 0) this.#endTable();
      else this.#lineBreak();
      return;
    }
    if (this.#depth > 1) {
      if (name === 'td' || name === 'th') {
        if (this.#cell !== undefined) this.#cell.gap = true;
      } else if (BLOCKS.has(name)) this.#lineBreak();
      return;
    }
    switch (name) {
      case 'td':
      case 'th':
        this.#closeCell();
        return;
      case 'tr':
        this.#closeRow();
        return;
      case 'caption':
        if (this.#caption !== undefined) this.events.caption?.(this.#table, collapse(this.#caption));
        this.#caption = undefined;
        return;
      default:
        if (BLOCKS.has(name)) this.#lineBreak();
    }
  }

  ontext(text: string): void {
    if (this.#skipped > 0 || this.#depth === 0) return;
    const cell = this.#cell;
    if (cell !== undefined) {
      if (cell.gap) {
        cell.gap = false;
        if (cell.line.trim() !== '') cell.line += ' ';
      }
      cell.line += text;
    } else if (this.#caption !== undefined && this.#depth === 1) this.#caption += text;
  }

  oncomment(text: string): void {
    this.events.comment?.(text);
  }

  #startTable(): void {
    this.#table++;
    this.#line.reset();
    this.#heldTo = [];
    this.#cell = undefined;
    this.#caption = undefined;
    this.events.tableStart?.(this.#table);
  }

  #endTable(): void {
    this.#closeRow();
    this.events.tableEnd?.(this.#table, this.#line.number, this.#ending);
  }

  #openRow(attribs: Readonly<Record<string, string>>): void {
    this.#line.begin(this.#line.number + 1, /display\s*:\s*none/i.test(attribs.style ?? ''));
  }

  #closeRow(): void {
    this.#closeCell();
    this.#line.end(this.#table);
  }

  #openCell(attribs: Readonly<Record<string, string>>): void {
    const max = this.limits.maxColumns;
    let column = this.#line.cursor;
    while (column < max && (this.#heldTo[column] ?? 0) >= this.#line.number) column++;
    const colspan = span(attribs.colspan, MAX_COLSPAN) || 1;
    const rowspan = span(attribs.rowspan, MAX_ROWSPAN);
    this.#line.cursor = column + colspan;
    this.#cell = { column, colspan, lines: [], line: '', gap: false };
    if (column >= max) return;
    const right = Math.min(column + colspan, max) - 1;
    const bottom = rowspan === 0 ? Infinity : this.#line.number + rowspan - 1;
    if (bottom > this.#line.number) for (let c = column; c <= right; c++) this.#heldTo[c] = bottom;
    if ((right > column || bottom > this.#line.number) && this.#line.number <= this.limits.maxRowsPerSheet) {
      this.events.merge?.(this.#table, { top: this.#line.number, left: column, right, bottom });
    }
  }

  #closeCell(): void {
    const cell = this.#cell;
    if (cell === undefined) return;
    this.#cell = undefined;
    const written = cellText([...cell.lines, cell.line]);
    // `="2020-01-03"`: the text Excel and LibreOffice show for it, as in a CSV (text-formula.ts).
    const text = textFormulaValue(written) ?? written;
    if (text === '') return;
    this.#line.set(this.#table, cell.column, { value: text });
  }

  /** A `<br>`: the cell's text goes on on a new line. */
  #newLine(): void {
    const cell = this.#cell;
    if (cell === undefined) return;
    cell.lines.push(cell.line);
    cell.line = '';
  }

  /** A block's edge: a new line unless the line is still empty. */
  #lineBreak(): void {
    const cell = this.#cell;
    if (cell !== undefined && cell.line.trim() !== '') this.#newLine();
    if (cell !== undefined) cell.gap = false;
  }

  /** A nested table's cell begins: after a space, unless it begins its line. */
  #nestedCell(): void {
    const cell = this.#cell;
    if (cell !== undefined && cell.line.trim() !== '') cell.gap = true;
  }
}

/**
 * The value of a cell's lines: white space collapsed within each line (as a browser shows it),
 * trimmed at line ends, empty lines at its start and end dropped; '' when only white space
 * and no-break spaces are left.
 */
export function cellText(lines: readonly string[]): string {
  const out = lines.map(collapse);
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  while (out.length > 0 && out[0] === '') out.shift();
  const text = out.join('\n');
  return text.replace(/[\s\u00a0]/g, '') === '' ? '' : text;
}

/** HTML white space (space, tab, line feed, form feed, carriage return) collapsed and trimmed. */
function collapse(text: string): string {
  return text.replace(/[ \t\n\f\r]+/g, ' ').replace(/^ | $/g, '');
}

/**
 * A colspan or rowspan as browsers read it: the leading digits after optional white space, 1
 * when absent or not a number, at most `max` (0 is returned as 0: a rowspan to the table's end).
 */
function span(value: string | undefined, max: number): number {
  const m = value === undefined ? null : /^[ \t\n\f\r]*\+?(\d{1,9})/.exec(value);
  return m?.[1] === undefined ? 1 : Math.min(Number(m[1]), max);
}
