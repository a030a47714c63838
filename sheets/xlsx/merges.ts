/**
 * The merged ranges of a worksheet (`<mergeCell ref="A1:F1"/>`), read in a pass of their own
 * over the sheet's part: they come after the rows in the XML but are needed before them.
 *
 * Most of the part is rows, where no merged range is, so a chunk that is valid UTF-8 is only
 * searched as bytes and never decoded. What is found is what searching each chunk's text with
 * the last 200 characters of the one before (for a tag split between them) would find: a chunk
 * with `mergeCell` in or next to it is decoded and searched so, and of any other only the last
 * 200 characters are decoded, to carry on.
 */
import { attribute } from './xml.ts';
import type { TextPiece } from './utf8.ts';

const MERGE_CELL = /<(?:\w+:)?mergeCell\b([^>]*?)\/?>/g;
const RANGE = /^[A-Z]+\d+:[A-Z]+\d+$/;
const WORD = 'mergeCell';
/** Characters of the text kept from one chunk to the next. */
const CARRIED = 200;

/** Collects the merged ranges of one sheet part, fed its pieces of text in order. */
export class MergeRanges {
  /** In the order first found; a repeat (or a range seen again in the carried text) is dropped. */
  readonly ranges = new Set<string>();
  #tail = '';

  push(piece: TextPiece): void {
    if (typeof piece === 'string') {
      this.#pushText(piece);
      return;
    }
    const near =
      piece.indexOf(WORD) >= 0 ||
      this.#tail.includes(WORD) ||
      // Split between the carried text and this chunk: it starts in the last 8 characters.
      (this.#tail.slice(-(WORD.length - 1)) + piece.subarray(0, WORD.length - 1).toString('utf8')).includes(WORD);
    if (near) {
      this.#pushText(piece.toString('utf8'));
      return;
    }
    this.#tail = (this.#tail + lastCharacters(piece, CARRIED)).slice(-CARRIED);
  }

  #pushText(text: string): void {
    const window = this.#tail + text;
    if (window.includes(WORD)) {
      for (const m of window.matchAll(MERGE_CELL)) {
        const ref = attribute(m[1] ?? '', 'ref');
        if (ref !== undefined && RANGE.test(ref)) this.ranges.add(ref);
      }
    }
    this.#tail = window.slice(-CARRIED);
  }
}

/**
 * The text of the end of valid UTF-8 `bytes`, at least `units` UTF-16 code units of it (or all
 * of it), cut at a character's first byte so that it decodes as it does within the whole.
 */
function lastCharacters(bytes: Buffer, units: number): string {
  let at = bytes.length;
  let count = 0;
  while (at > 0 && count < units) {
    at--;
    const b = bytes[at] ?? 0;
    // A lead byte starts a character; one of four bytes is two code units.
    if ((b & 0xc0) !== 0x80) count += b >= 0xf0 ? 2 : 1;
  }
  return bytes.subarray(at).toString('utf8');
}
