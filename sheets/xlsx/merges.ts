/**
 * The merged ranges of a worksheet (`<mergeCell ref="A1:F1"/>`), read in a pass of their own
 * over the sheet's part: they come after the rows in the XML but are needed before them.
 *
 * Most of the part is rows, where no merged range is, so a chunk that is valid UTF-8 is only
 * searched as bytes and never decoded. What is found is what searching each chunk's text with
 * the last 200 characters of the one before (for a tag split between them) would find: a chunk
 * with `mergeCell` next to it (in or across the carried text) is decoded and searched so, one
 * with `mergeCell` in it is decoded and searched from the tag of the first, and of any other
 * only the last 200 characters are decoded, to carry on.
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
    const at = piece.indexOf(WORD);
    const before =
      this.#tail.includes(WORD) ||
      // Split between the carried text and this chunk: it starts in the last 8 characters.
      (this.#tail.slice(-(WORD.length - 1)) + piece.subarray(0, WORD.length - 1).toString('utf8')).includes(WORD);
    if (before) {
      this.#pushText(piece.toString('utf8'));
      return;
    }
    if (at >= 0) {
      // The word is first in this chunk, so every `<mergeCell` is at or after the `<` (and
      // prefix) before it: only the text from there is decoded and searched. Not when that
      // prefix runs back to the chunk's start (it may begin in the carried text).
      let start = at;
      while (start > 0 && isNameByte(piece[start - 1] ?? 0)) start--;
      if (start === 0) {
        this.#pushText(piece.toString('utf8'));
        return;
      }
      if (piece[start - 1] === 0x3c /* < */) start--;
      this.#find(piece.subarray(start).toString('utf8'));
    }
    this.#tail = (this.#tail + lastCharacters(piece, CARRIED)).slice(-CARRIED);
  }

  #find(text: string): void {
    for (const m of text.matchAll(MERGE_CELL)) {
      const ref = attribute(m[1] ?? '', 'ref');
      if (ref !== undefined && RANGE.test(ref)) this.ranges.add(ref);
    }
  }

  #pushText(text: string): void {
    const window = this.#tail + text;
    if (window.includes(WORD)) this.#find(window);
    this.#tail = window.slice(-CARRIED);
  }
}

/** A byte of `\w` or `:`: what may stand between `<` and `mergeCell` (a namespace prefix). */
function isNameByte(b: number): boolean {
  return (b >= 0x30 && b <= 0x3a) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x5f;
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
