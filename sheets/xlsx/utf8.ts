/**
 * UTF-8 decoding of an inflating part, chunk by chunk, giving exactly what decoding the whole
 * part at once gives: a chunk that is valid UTF-8 (nearly all) is handed on as its bytes, for
 * `Buffer#toString` (faster than `TextDecoder` in stream mode) or for a reader that only needs
 * to search it (`Buffer#indexOf`) and need not decode it at all.
 *
 * What it gives is defined here, not by the platform's `TextDecoder` (whose handling of a
 * byte order mark inside a stream changed between Node 20 and 24): a byte order mark at the
 * very start of the part is dropped (XML: it marks the encoding, it is not text); a U+FEFF
 * anywhere else is a character (ZERO WIDTH NO-BREAK SPACE) and kept; each ill-formed
 * sequence is one U+FFFD, as the WHATWG Encoding standard replaces them.
 */
import { isAscii, isUtf8 } from 'node:buffer';

/**
 * A piece of the part's text: a string, or bytes that are valid UTF-8 whose `toString('utf8')`
 * is exactly that piece of text.
 */
export type TextPiece = string | Buffer;

/** A piece's text. */
export function pieceText(piece: TextPiece): string {
  return typeof piece === 'string' ? piece : utf8Text(piece);
}

/**
 * Valid UTF-8 bytes as text. Pure ASCII (a sheet of numbers and shared-string indices is) is
 * the same text read as Latin-1, which V8 copies straight into a one-byte string, several times
 * faster than decoding it as UTF-8.
 */
export function utf8Text(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

/**
 * The decoder. It holds back the end of a character split between chunks; a chunk that is
 * not valid UTF-8 is decoded with its replacement characters at once (the bytes held back are
 * only ever the start of a character still possible, so nothing ill-formed waits for the next
 * chunk and no replacement falls elsewhere than in a whole decoding).
 */
export class Utf8Decoder {
  #held: Buffer | undefined;
  /** A byte has been handed on: a byte order mark from now on is text, not a mark. */
  #started = false;

  /** The next chunk's piece of text. */
  next(chunk: Buffer): TextPiece {
    const bytes = this.#held === undefined ? chunk : Buffer.concat([this.#held, chunk]);
    const held = heldBack(bytes);
    let whole = held === 0 ? bytes : bytes.subarray(0, bytes.length - held);
    // Copied: a subarray would keep the whole chunk alive for a few bytes.
    this.#held = held === 0 ? undefined : Buffer.from(bytes.subarray(bytes.length - held));
    if (!this.#started && whole.length > 0) {
      // A mark split between chunks is held back whole (it is the start of a character).
      this.#started = true;
      if (whole[0] === 0xef && whole[1] === 0xbb && whole[2] === 0xbf) whole = whole.subarray(3);
    }
    if (isAscii(whole) || isUtf8(whole)) return whole;
    return whole.toString('utf8');
  }

  /**
   * How many bytes at the start of `chunk` would finish the character held back from the last
   * chunk (0 when none is held). Given those first, {@link next} joins the held bytes to them
   * alone, not to a copy of the whole chunk; the rest of the chunk then follows on its own.
   * Whatever the bytes turn out to be, the text is what decoding the chunk at once gives.
   */
  completing(chunk: Buffer): number {
    const held = this.#held;
    if (held === undefined) return 0;
    const lead = held[0] ?? 0;
    const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
    return Math.min(chunk.length, Math.max(0, need - held.length));
  }

  /** The end of the stream: a character left unfinished is a replacement character. */
  end(): string {
    const held = this.#held;
    this.#held = undefined;
    return held === undefined ? '' : held.toString('utf8');
  }
}

/**
 * How many bytes at the end of `bytes` begin a character that the next chunk may finish, as
 * `TextDecoder` holds them back: a lead byte and the continuation bytes that fit it so far.
 * 0 when the end is complete, or is not such a beginning (then it is an error, left in the
 * bytes for the validity check to catch).
 */
function heldBack(bytes: Buffer): number {
  const n = bytes.length;
  for (let k = 1; k <= 3 && k <= n; k++) {
    const lead = bytes[n - k] ?? 0;
    if ((lead & 0xc0) === 0x80) continue;
    const need = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (k >= need) return 0;
    if (k >= 2) {
      // The first continuation byte's range depends on the lead (no overlongs, no surrogates,
      // nothing past U+10FFFF); later ones are any continuation byte, as checked above.
      const second = bytes[n - k + 1] ?? 0;
      const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
      const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
      if (second < low || second > high) return 0;
    }
    return k;
  }
  return 0;
}
