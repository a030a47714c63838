/**
 * The merged-range pass decodes a chunk only from its first `mergeCell` (sheets/xlsx/merges.ts):
 * what it finds must stay what searching each chunk's text with the last 200 characters of the
 * one before finds, wherever the chunks are cut and whatever prefix the tags carry.
 */
import { describe, expect, it } from 'vitest';
import { MergeRanges } from '../sheets/xlsx/merges.ts';
import { Utf8Decoder, pieceText } from '../sheets/xlsx/utf8.ts';

const TEXTS = [
  `<row r="1"><c r="A1"><v>1</v></c></row></sheetData><mergeCells count="2"><mergeCell ref="A1:F1"/><mergeCell ref="B2:B9"/></mergeCells>`,
  `${'<c r="A1" t="s"><v>0</v></c>'.repeat(20)}<x:mergeCells><x:mergeCell ref="C3:D4"/><long_prefix.no:mergeCell ref="E5:F6"/><ns_2:mergeCell ref="G7:H8" /></x:mergeCells>`,
  `安定村${'中'.repeat(90)}<mergeCellX ref="A1:A2"/><mergeCell\nref="A3:A4"/>mergeCell ref="Z1:Z2"/><a:mergeCell ref="B1:B2"></a:mergeCell>😀`,
  `mergeCell ref="A1:B1"/><mergeCell ref="C1:D1"/>${'x'.repeat(300)}<p:mergeCell ref="E1:F1"/>`,
];

/** What the pass is defined to find: each chunk's text searched with the last 200 characters before it. */
function expected(pieces: readonly string[]): string[] {
  const found = new Set<string>();
  let tail = '';
  for (const text of pieces) {
    const window = tail + text;
    for (const m of window.matchAll(/<(?:\w+:)?mergeCell\b[^>]*?ref="([A-Z]+\d+:[A-Z]+\d+)"[^>]*?\/?>/g)) found.add(m[1] ?? '');
    tail = window.slice(-200);
  }
  return [...found];
}

describe('merged ranges, a chunk decoded from its first tag', () => {
  for (const [i, text] of TEXTS.entries()) {
    it(`text ${i + 1}, cut anywhere into two and three chunks`, () => {
      const bytes = Buffer.from(text);
      for (let a = 1; a < bytes.length; a += 3) {
        for (const b of [a + 7, a + 40, bytes.length]) {
          const cuts = [bytes.subarray(0, a), bytes.subarray(a, Math.min(b, bytes.length)), bytes.subarray(Math.min(b, bytes.length))];
          const decoder = new Utf8Decoder();
          const pieces = [...cuts.map((c) => decoder.next(c)), decoder.end()].filter((p) => p.length > 0);
          const merges = new MergeRanges();
          for (const piece of pieces) merges.push(piece);
          expect([...merges.ranges]).toEqual(expected(pieces.map(pieceText)));
        }
      }
    });
  }
});
