/**
 * The xlsx reading layer's fast paths against the general ones they stand in for: the same
 * rows written in the plain form (read by hand) and in forms only the regular expressions read
 * (prefixed, `<v >`, a formula in the row) give the same RawRows; any split of the text into
 * chunks, as strings or as bytes, gives the same rows; the UTF-8 decoder gives the text of the
 * whole part however its bytes are split; the merged-range pass finds what searching the text finds.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, TruncationCounter, type RawRow } from '../sheets/raw-sheet.ts';
import { MergeRanges } from '../sheets/xlsx/merges.ts';
import { SheetScanner, type ScanContext } from '../sheets/xlsx/sheet-scanner.ts';
import { Utf8Decoder, pieceText, type TextPiece } from '../sheets/xlsx/utf8.ts';

const SHARED = ['案件编号', '当事人', '', '罚款'];

function context(maxColumns = DEFAULT_LIMITS.maxColumns, maxRows = DEFAULT_LIMITS.maxRowsPerSheet): ScanContext {
  return {
    sharedStrings: SHARED,
    dateStyles: [false, true, false],
    date1904: false,
    maxRows,
    maxColumns,
    dropped: new TruncationCounter({ maxRowsPerSheet: maxRows, maxColumns }),
  };
}

function scan(pieces: readonly TextPiece[], ctx: ScanContext = context()): RawRow[] {
  const scanner = new SheetScanner(ctx);
  const rows: RawRow[] = [];
  for (const piece of pieces) rows.push(...scanner.push(piece));
  rows.push(...scanner.end());
  return rows;
}

/** Rows and cells as plain data, holes kept apart from cells that are there. */
function shape(rows: readonly RawRow[]): unknown {
  return rows.map((r) => ({ ...r, cells: Object.entries(r.cells), length: r.cells.length }));
}

const sheet = (rows: string): string =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData><mergeCells count="1"><mergeCell ref="A1:D1"/></mergeCells></worksheet>`;

/** One row's cells as `[attributes, value]`, each written plainly or in a general form. */
const CELLS: readonly (readonly [string, string | undefined])[] = [
  ['r="A{r}" t="s"', '0'],
  ['r="B{r}" s="1"', '43832'],
  ['r="C{r}"', '1.5'],
  ['r="D{r}" s="2"', undefined],
  ['r="F{r}" t="s" s="0"', '3'],
  ['r="G{r}" t="n"', '-7e2'],
  ['r="H{r}"', '123456789012345678901234567890'],
  ['s="1" r="I{r}"', '60'],
  ['r="J{r}" t="s"', '2'],
  ['t="s"', '1'],
  ['r="AA{r}"', '1e999'],
];

function plainRow(r: number): string {
  const cells = CELLS.map(([attrs, v]) => {
    const a = attrs.replace('{r}', String(r));
    return v === undefined ? `<c ${a}/>` : `<c ${a}><v>${v}</v></c>`;
  });
  return `<row r="${r}" spans="1:27">${cells.join('')}</row>`;
}

/** The same row as only the general path reads it. */
function generalRow(r: number, form: 'prefixed' | 'spaced-v' | 'formula'): string {
  const p = form === 'prefixed' ? 'x:' : '';
  const cells = CELLS.map(([attrs, v]) => {
    const a = attrs.replace('{r}', String(r));
    if (v === undefined) return `<${p}c ${a}/>`;
    return form === 'spaced-v' ? `<c ${a}><v >${v}</v></c>` : `<${p}c ${a}><${p}v>${v}</${p}v></${p}c>`;
  });
  // A formula cell past the others' columns: it sends its whole row to the general path.
  if (form === 'formula') cells.push('<c r="AB{r}"><f>SUM(A1)</f><v>4</v></c>'.replace('{r}', String(r)));
  return `<${p}row r="${r}" spans="1:27">${cells.join('')}</${p}row>`;
}

describe('the plain-cell fast path', () => {
  it('reads the plain form as the general path reads the same cells', () => {
    const plain = scan([sheet([1, 2, 3].map(plainRow).join(''))]);
    for (const form of ['prefixed', 'spaced-v', 'formula'] as const) {
      const general = scan([sheet([1, 2, 3].map((r) => generalRow(r, form)).join(''))]);
      if (form === 'formula') {
        // The same, but for the formula cell itself.
        expect(general.map((r) => r.cells[27])).toEqual([1, 2, 3].map(() => ({ value: 4, formula: true })));
        expect(shape(general.map((r) => ({ ...r, cells: r.cells.slice(0, 27) })))).toEqual(shape(plain));
      } else {
        expect(shape(general)).toEqual(shape(plain));
      }
    }
    const [row] = plain;
    expect(row?.cells[0]).toEqual({ value: '案件编号' });
    expect(row?.cells[1]).toEqual({ value: new Date(Date.UTC(2020, 0, 2)) });
    expect(row?.cells[2]).toEqual({ value: 1.5 });
    expect(row?.cells[3]).toBeUndefined();
    expect(row?.cells[5]).toEqual({ value: '罚款' });
    expect(row?.cells[6]).toEqual({ value: -700 });
    expect(row?.cells[7]).toEqual({ value: 123456789012345678901234567890 });
    // Serial 60, Excel's 29 February 1900, stays a number.
    expect(row?.cells[8]).toEqual({ value: 60 });
    // An empty shared string is an empty text (one past the table is an error: differential.test.ts).
    // A cell without r: the next column.
    expect(row?.cells[9]).toEqual({ value: '' });
    expect(row?.cells[10]).toEqual({ value: '当事人' });
    expect(row?.cells[26]).toEqual({ value: '1e999' });
    expect(Object.keys(row?.cells ?? []).length).toBe(10);
  });

  it('counts cells past the column limit and rows past the row limit alike on both paths', () => {
    const plainCtx = context(4, 2);
    const generalCtx = context(4, 2);
    const plain = scan([sheet([1, 2, 3].map(plainRow).join(''))], plainCtx);
    const general = scan([sheet([1, 2, 3].map((r) => generalRow(r, 'prefixed')).join(''))], generalCtx);
    expect(shape(general)).toEqual(shape(plain));
    expect(generalCtx.dropped.result()).toEqual(plainCtx.dropped.result());
    expect(plainCtx.dropped.result().truncated?.columns?.first).toBe('F1');
  });

  it('gives the same rows however the text is split into chunks, as strings or as bytes', () => {
    const rows =
      [1, 2].map(plainRow).join('') +
      generalRow(3, 'formula') +
      '<row r="4" hidden="1"/>' +
      '<row r="5"><c r="A5" t="inlineStr"><is><t>中文</t></is></c></row>' +
      plainRow(6).replace('<v>0</v>', '<v>&#48;</v>');
    const xml = sheet(rows);
    const whole = shape(scan([xml]));
    const bytes = Buffer.from(xml);
    for (let cut = 1; cut < bytes.length; cut += 7) {
      const decoder = new Utf8Decoder();
      const pieces = [decoder.next(bytes.subarray(0, cut)), decoder.next(bytes.subarray(cut)), decoder.end()];
      expect(shape(scan(pieces))).toEqual(whole);
      expect(shape(scan(pieces.map(pieceText)))).toEqual(whole);
    }
  });
});

describe('the UTF-8 decoder', () => {
  it('gives, however the bytes are split into chunks, the text the whole part decodes to', () => {
    // Our defined behaviour, not the platform TextDecoder's (Node 24 drops a U+FEFF inside a
    // stream): a byte order mark only at the very start is a mark; anywhere else it is text;
    // each ill-formed sequence is one U+FFFD (WHATWG maximal subparts).
    const samples: [Buffer, string][] = [
      [Buffer.from('\uFEFF<v>中文😀</v>'), '<v>中文😀</v>'],
      [Buffer.from([0xe4, 0xb8, 0x41, 0xf0, 0x9f, 0x98, 0xef, 0xbb, 0xbf, 0xc3]), '\uFFFDA\uFFFD\uFEFF\uFFFD'],
      [Buffer.from('é\uFEFF'), 'é\uFEFF'],
      [Buffer.from('\uFEFF\uFEFF𪚥'), '\uFEFF𪚥'],
      [Buffer.from([0xef, 0xbb, 0xbf, 0xff, 0xef, 0xbb]), '\uFFFD\uFFFD'],
      [Buffer.from([0xef, 0xbb, 0x41]), '\uFFFDA'],
      [Buffer.from([0xed, 0xa0, 0x80, 0xf4, 0x90, 0x80, 0x80, 0xc0, 0xaf]), '\uFFFD'.repeat(9)],
    ];
    for (const [bytes, text] of samples) {
      for (let a = 0; a <= bytes.length; a++) {
        for (let b = a; b <= bytes.length; b++) {
          const chunks = [bytes.subarray(0, a), bytes.subarray(a, b), bytes.subarray(b)];
          const decoder = new Utf8Decoder();
          expect([...chunks.map((c) => pieceText(decoder.next(c))), decoder.end()].join(''), `${bytes.toString('hex')} at ${a},${b}`).toBe(text);
        }
      }
    }
  });
});

describe('the merged-range pass', () => {
  it('finds what searching each chunk with the 200 characters before it finds', () => {
    const long = `<mergeCell ref="E5:F6" ${'z'.repeat(190)}/>`;
    const text = `${'中'.repeat(300)}<mergeCell ref="A1:B2"/>${'a'.repeat(500)}${long}<x:mergeCell ref="C3:D4"/>😀<mergeCell ref="A1:B2"/>`;
    const bytes = Buffer.from(text);
    for (let cut = 1; cut < bytes.length; cut += 5) {
      const chunks = [bytes.subarray(0, cut), bytes.subarray(cut)];
      const decoder = new Utf8Decoder();
      const merges = new MergeRanges();
      const expected = new Set<string>();
      let tail = '';
      for (const piece of [...chunks.map((c) => decoder.next(c)), decoder.end()]) {
        if (piece.length === 0) continue;
        merges.push(piece);
        const window = tail + pieceText(piece);
        for (const m of window.matchAll(/<(?:\w+:)?mergeCell\b[^>]*?ref="([A-Z]+\d+:[A-Z]+\d+)"[^>]*?\/?>/g)) expected.add(m[1] ?? '');
        tail = window.slice(-200);
      }
      expect([...merges.ranges]).toEqual([...expected]);
    }
  });
});
