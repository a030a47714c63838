/**
 * The second pass over a sheet to mark, row by row: a marked cell's `s` set to its marked
 * style, a marked cell the sheet lacks added in column order (a row it lacks, in row order),
 * and a `<legacyDrawing>` put where the worksheet's element order wants it when the sheet gets
 * notes for the first time. Everything else is passed through as it was.
 */
import type { Level } from '../../../pipeline/kernel/findings/findings.ts';
import { fallback } from './fallback.ts';
import { parseRow, rowNumber, sheetPieces, type ColStyle, type RowXml } from './sheet-xml.ts';
import { letters, REL_NS, removeAttr, setAttr } from './xml.ts';

export interface RewriteOptions {
  /** Row → column → level of the marked cells. */
  readonly marks: ReadonlyMap<number, ReadonlyMap<number, Level>>;
  readonly cols: readonly ColStyle[];
  /** The style index of a marked cell whose style was `s`. */
  readonly styleOf: (s: number, level: Level) => number;
  /** The relationship id of a new `<legacyDrawing>` (the sheet had none). */
  readonly legacyDrawing?: string | undefined;
}

/** Worksheet children that come after `<legacyDrawing>` (CT_Worksheet's sequence). */
const AFTER_LEGACY_DRAWING = ['legacyDrawingHF', 'drawingHF', 'picture', 'oleObjects', 'controls', 'webPublishItems', 'tableParts', 'extLst'];

export async function* rewriteSheet(source: AsyncIterable<string>, opts: RewriteOptions): AsyncGenerator<string> {
  const pending = [...opts.marks.keys()].sort((a, b) => a - b);
  let next = 0;
  const newRowsBefore = function* (r: number): Generator<string> {
    while (next < pending.length && (pending[next] ?? 0) < r) {
      const row = pending[next++] ?? 0;
      const cells = [...(opts.marks.get(row) ?? new Map<number, Level>())].sort((a, b) => a[0] - b[0]);
      yield `<row r="${row}">${cells.map(([col, level]) => newCell(row, col, opts.styleOf(baseStyle(opts.cols, undefined, col), level))).join('')}</row>`;
    }
  };
  let empty = false;
  let last = 0;
  for await (const piece of sheetPieces(source)) {
    if (piece.kind === 'head') {
      empty = piece.empty;
      yield piece.text;
    } else if (piece.kind === 'row') {
      const r = rowNumber(piece.text);
      if (r <= last) fallback('rows out of order');
      last = r;
      yield* newRowsBefore(r);
      const marks = opts.marks.get(r);
      if (marks === undefined) {
        yield piece.text;
        continue;
      }
      if (pending[next] === r) next++;
      yield markRow(parseRow(piece.text), marks, opts);
    } else {
      const rows = [...newRowsBefore(Infinity)].join('');
      if (empty) yield rows === '' ? '<sheetData/>' : `<sheetData>${rows}</sheetData>`;
      else yield rows;
      yield opts.legacyDrawing === undefined ? piece.text : insertLegacyDrawing(piece.text, opts.legacyDrawing, empty);
    }
  }
}

function markRow(row: RowXml, marks: ReadonlyMap<number, Level>, opts: RewriteOptions): string {
  const missing = [...marks.keys()].filter((col) => !row.cells.some((c) => c.col === col)).sort((a, b) => a - b);
  const parts: string[] = [];
  let m = 0;
  for (const cell of row.cells) {
    while (m < missing.length && (missing[m] ?? 0) < cell.col) {
      const col = missing[m++] ?? 0;
      parts.push(newCell(row.r, col, opts.styleOf(baseStyle(opts.cols, row.style, col), marks.get(col) ?? '警告')));
    }
    const level = marks.get(cell.col);
    if (level === undefined) parts.push(cell.text);
    else parts.push(setAttr(cell.open, 's', String(opts.styleOf(cell.s, level))) + cell.text.slice(cell.open.length));
  }
  for (; m < missing.length; m++) {
    const col = missing[m] ?? 0;
    parts.push(newCell(row.r, col, opts.styleOf(baseStyle(opts.cols, row.style, col), marks.get(col) ?? '警告')));
  }
  // `spans` is an optional hint of the row's columns: dropped once cells are added.
  let open = missing.length > 0 ? removeAttr(row.open, 'spans') : row.open;
  if (row.selfClosing) open = open.replace(/\s*\/>$/, '>');
  return `${open}${parts.join('')}${row.rest}</row>`;
}

function newCell(row: number, col: number, s: number): string {
  return `<c r="${letters(col)}${row}" s="${s}"/>`;
}

/** The style a cell the sheet lacks shows: its row's, else its column's, else the default. */
function baseStyle(cols: readonly ColStyle[], rowStyle: number | undefined, col: number): number {
  if (rowStyle !== undefined) return rowStyle;
  return cols.find((c) => col >= c.min && col <= c.max)?.style ?? 0;
}

/** `<legacyDrawing>` before the first top-level element that must follow it, else before `</worksheet>`. */
function insertLegacyDrawing(tail: string, id: string, empty: boolean): string {
  const element = `<legacyDrawing xmlns:r="${REL_NS}" r:id="${id}"/>`;
  let depth = 0;
  // The tail starts with `</sheetData>` (closes sheetData: depth stays 0 after it) unless sheetData was empty.
  const tags = /<(\/?)([\w:.-]+)(?:\s[^>]*?)?(\/?)>/g;
  let skipFirst = !empty;
  for (let m = tags.exec(tail); m !== null; m = tags.exec(tail)) {
    if (skipFirst) {
      skipFirst = false;
      continue;
    }
    const [, closing = '', name = '', self = ''] = m;
    if (closing === '/') {
      if (depth === 0) {
        if (name !== 'worksheet') fallback(`unexpected </${name}> in the worksheet`);
        return tail.slice(0, m.index) + element + tail.slice(m.index);
      }
      depth--;
      continue;
    }
    if (depth === 0 && AFTER_LEGACY_DRAWING.includes(name)) return tail.slice(0, m.index) + element + tail.slice(m.index);
    if (self !== '/') depth++;
  }
  return fallback('no </worksheet>');
}
