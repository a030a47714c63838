/**
 * A worksheet part split as it streams: the head (up to and with `<sheetData>`), each `<row>`
 * element whole, and the tail (`</sheetData>` and after). A row and its cells are parsed only
 * as far as marking needs: addresses, style indexes, whether a cell holds a value.
 */
import { fallback } from './fallback.ts';
import { attrs, parseA1 } from './xml.ts';

export type SheetPiece =
  | { readonly kind: 'head'; readonly text: string; /** `<sheetData/>`: no rows, and not in `text`. */ readonly empty: boolean }
  | { readonly kind: 'row'; readonly text: string }
  | { readonly kind: 'tail'; readonly text: string };

export async function* sheetPieces(source: AsyncIterable<string>): AsyncGenerator<SheetPiece> {
  let buf = '';
  let state: 'head' | 'rows' | 'tail' = 'head';
  const tail: string[] = [];
  for await (const chunk of source) {
    if (state === 'tail') {
      tail.push(chunk);
      continue;
    }
    buf += chunk;
    if (state === 'head') {
      const m = /<sheetData(?:\s[^>]*?)?(\/?)>/.exec(buf);
      if (m === null) continue;
      const end = m.index + m[0].length;
      if (m[1] === '/') {
        yield { kind: 'head', text: buf.slice(0, m.index), empty: true };
        tail.push(buf.slice(end));
        buf = '';
        state = 'tail';
        continue;
      }
      yield { kind: 'head', text: buf.slice(0, end), empty: false };
      buf = buf.slice(end);
      state = 'rows';
    }
    let i = 0;
    for (;;) {
      while (i < buf.length && /\s/.test(buf[i] ?? '')) i++;
      if (buf.startsWith('</sheetData>', i)) {
        tail.push(buf.slice(i));
        buf = '';
        state = 'tail';
        break;
      }
      if (buf.startsWith('<row', i) && /[\s>/]/.test(buf[i + 4] ?? '')) {
        const openEnd = buf.indexOf('>', i);
        if (openEnd < 0) break;
        let end = openEnd + 1;
        if (buf[openEnd - 1] !== '/') {
          const close = buf.indexOf('</row>', openEnd);
          if (close < 0) break;
          end = close + 6;
        }
        yield { kind: 'row', text: buf.slice(i, end) };
        i = end;
        continue;
      }
      if (buf.length - i >= 12) fallback('unexpected content in sheetData');
      break;
    }
    if (state === 'rows') buf = buf.slice(i);
  }
  if (state !== 'tail') fallback('worksheet ends inside sheetData');
  yield { kind: 'tail', text: tail.join('') };
}

export interface CellXml {
  /** The whole element. */
  readonly text: string;
  /** Its start tag. */
  readonly open: string;
  readonly col: number;
  readonly s: number;
  readonly hasValue: boolean;
}

export interface RowXml {
  readonly open: string;
  readonly selfClosing: boolean;
  readonly r: number;
  readonly cells: readonly CellXml[];
  /** Whatever follows the cells inside the row (an extLst). */
  readonly rest: string;
  /** The row's own style when it has one (`customFormat="1"`). */
  readonly style: number | undefined;
}

/** A row element's number, read from its start tag alone (most rows are only passed through). */
export function rowNumber(text: string): number {
  const m = /^<row\s[^>]*?\br\s*=\s*["'](\d+)["']/.exec(text);
  if (m === null) fallback('a row without its number');
  return Number(m[1]);
}

export function parseRow(text: string): RowXml {
  const openEnd = text.indexOf('>');
  const open = text.slice(0, openEnd + 1);
  const a = attrs(open);
  const r = Number(a.get('r'));
  if (!Number.isInteger(r) || r < 1) fallback('a row without its number');
  const custom = a.get('customFormat');
  const style = custom === '1' || custom === 'true' ? Number(a.get('s') ?? '0') : undefined;
  const selfClosing = open.endsWith('/>');
  if (selfClosing) return { open, selfClosing, r, cells: [], rest: '', style };
  const inner = text.slice(open.length, text.length - '</row>'.length);
  const cells: CellXml[] = [];
  let p = 0;
  for (;;) {
    while (p < inner.length && /\s/.test(inner[p] ?? '')) p++;
    if (!(inner.startsWith('<c', p) && /[\s>/]/.test(inner[p + 2] ?? ''))) break;
    const oe = inner.indexOf('>', p);
    const cellOpen = inner.slice(p, oe + 1);
    let end = oe + 1;
    let body = '';
    if (!cellOpen.endsWith('/>')) {
      const close = inner.indexOf('</c>', oe);
      if (close < 0) fallback('a cell not closed');
      body = inner.slice(oe + 1, close);
      end = close + 4;
    }
    const ca = attrs(cellOpen);
    const at = parseA1(ca.get('r') ?? '');
    if (at === undefined || at.row !== r) fallback('a cell without its address');
    cells.push({ text: inner.slice(p, end), open: cellOpen, col: at.col, s: Number(ca.get('s') ?? '0') || 0, hasValue: /<(v|f|is)[\s>/]/.test(body) });
    p = end;
  }
  return { open, selfClosing, r, cells, rest: inner.slice(p), style };
}

/** A merged range, 1-based and inclusive. */
export interface Merge {
  readonly top: number;
  readonly left: number;
  readonly bottom: number;
  readonly right: number;
}

/** A column's own style (`<col min max style>`), for a cell the copy adds. */
export interface ColStyle {
  readonly min: number;
  readonly max: number;
  readonly style: number;
}

export interface SheetScan {
  readonly merges: readonly Merge[];
  readonly cols: readonly ColStyle[];
  /** For each row asked about: the columns of its cells that hold a value. */
  readonly used: ReadonlyMap<number, readonly number[]>;
  /** The `r:id` of the sheet's `<legacyDrawing>`, if it has one. */
  readonly legacyDrawing: string | undefined;
}

/** The first pass over a sheet to mark: merges (they come after the rows), column styles, used cells of rows named by row findings. */
export async function scanSheet(source: AsyncIterable<string>, rows: ReadonlySet<number>): Promise<SheetScan> {
  let cols: ColStyle[] = [];
  const used = new Map<number, number[]>();
  let merges: Merge[] = [];
  let legacyDrawing: string | undefined;
  for await (const piece of sheetPieces(source)) {
    if (piece.kind === 'head') cols = colStyles(piece.text);
    else if (piece.kind === 'row') {
      const r = rowNumber(piece.text);
      if (!rows.has(r)) continue;
      const row = parseRow(piece.text);
      used.set(row.r, row.cells.filter((c) => c.hasValue).map((c) => c.col));
    } else {
      merges = [...piece.text.matchAll(/<mergeCell\s[^>]*>/g)].flatMap((m) => {
        const [a = '', b = ''] = (attrs(m[0]).get('ref') ?? '').split(':');
        const from = parseA1(a);
        const to = parseA1(b);
        if (from === undefined || to === undefined) return [];
        return [{ top: Math.min(from.row, to.row), left: Math.min(from.col, to.col), bottom: Math.max(from.row, to.row), right: Math.max(from.col, to.col) }];
      });
      const drawing = /<legacyDrawing\s[^>]*>/.exec(piece.text);
      if (drawing !== null) legacyDrawing = [...attrs(drawing[0])].find(([k]) => /:id$/.test(k))?.[1];
    }
  }
  return { merges, cols, used, legacyDrawing };
}

function colStyles(head: string): ColStyle[] {
  return [...head.matchAll(/<col\s[^>]*>/g)].flatMap((m) => {
    const a = attrs(m[0]);
    const style = Number(a.get('style') ?? '0');
    return style > 0 ? [{ min: Number(a.get('min')), max: Number(a.get('max')), style }] : [];
  });
}
