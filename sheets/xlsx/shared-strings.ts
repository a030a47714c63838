/**
 * The shared string table (`xl/sharedStrings.xml`): index → text, rich text runs joined. Read
 * chunk by chunk as the part inflates, each entry copied out of its chunk, so that the part's
 * XML (as large as the sheet's for a ledger of unique case numbers) is never held whole.
 * Elements may carry a namespace prefix (`<x:si>`), taken from the root `<sst>`.
 *
 * The table keeps its entries as UTF-8 bytes (string-table.ts), not as strings: each entry's
 * bytes are copied from the inflated part into the table, and decoded only when a cell asks.
 */
import { SharedStringTable, flat } from './string-table.ts';
import { pieceText, type TextPiece } from './utf8.ts';
import { textRuns } from './xml.ts';

export class SharedStringsParser {
  readonly strings = new SharedStringTable();
  #carry = '';
  /** `<si` / `</si>` with the table's prefix, once its root element is seen. */
  #open: string | undefined;
  #close = '</si>';

  /**
   * The next piece of the part. Bytes (valid UTF-8, see utf8.ts) of a table without a prefix
   * are read as bytes ({@link #pushBytes}); anything else as text.
   */
  push(chunk: TextPiece): void {
    if (typeof chunk !== 'string' && this.#open === undefined) chunk = this.#root(chunk);
    if (typeof chunk !== 'string' && this.#open === '<si') this.#pushBytes(chunk);
    else this.#pushText(pieceText(chunk));
  }

  /**
   * Finds the root `<sst>` in the first piece as #pushText would, from the text of the piece
   * up to it only, and gives the rest of the piece from it: as bytes when the root is wholly in
   * this piece, so that its entries too are read as bytes (a 1 MB first chunk was a fifth of
   * the entries of a 100,000-row ledger's table, each made a string and encoded back); else
   * the piece as text, for #pushText. Sets nothing when no root is there.
   */
  #root(chunk: Buffer): TextPiece {
    const carried = this.#carry.length;
    // The root follows the XML declaration: a few tries (each decodes the text before it).
    let k = chunk.indexOf(SST);
    for (let tries = 0; k >= 0 && tries < 4; tries++, k = chunk.indexOf(SST, k + 1)) {
      // Up to the character after `sst` (ASCII when the root is there; cut, it is U+FFFD, which is no match either).
      const text = this.#carry + chunk.toString('utf8', 0, k + SST.length + 1);
      const root = ROOT.exec(text);
      if (root === null) continue;
      if (root.index < carried) break;
      const prefix = root[1] === undefined ? '' : `${root[1]}:`;
      this.#open = `<${prefix}si`;
      this.#close = `</${prefix}si>`;
      // #pushText would search for entries from the root: what is before it is not needed.
      this.#carry = '';
      const from = Buffer.byteLength(text.slice(carried, root.index), 'utf8');
      return prefix === '' ? chunk.subarray(from) : chunk.toString('utf8', from);
    }
    return pieceText(chunk);
  }

  /**
   * {@link #pushText} on the bytes themselves: the entries are found by their ASCII tags, and
   * each entry's bytes go to the table as they are (only rich text and the like is decoded).
   * Decoding the whole piece made a string of it (two bytes a character, the table being
   * Chinese), and each entry was cut from it and copied again ({@link flat}) to let it go. The
   * entries, and the errors, are exactly those of #pushText (tests/read-fast-paths.test.ts
   * splits tables every way).
   *
   * The entry left unfinished by the last piece is finished with this piece's bytes up to its
   * first `</si>`, not with the whole piece: joining the carry to each 1 MB piece copied it, a
   * megabyte of garbage outside the heap per piece (the table's 25 MB again, for this file).
   */
  #pushBytes(chunk: Buffer): void {
    let bytes = chunk;
    if (this.#carry !== '') {
      const close = chunk.indexOf(SI_CLOSE);
      const cut = close < 0 ? chunk.length : close + SI_CLOSE.length;
      const head = Buffer.concat([Buffer.from(this.#carry, 'utf8'), chunk.subarray(0, cut)]);
      const at = this.#entries(head);
      // What is left of the head (nearly always nothing: it ends with a whole entry) goes on
      // with the rest of the piece, as if the two had never been apart.
      bytes = at === head.length ? chunk.subarray(cut) : Buffer.concat([head.subarray(at), chunk.subarray(cut)]);
    }
    this.#keep(bytes.toString('utf8', this.#entries(bytes)));
  }

  /** The entries in `bytes`, into the table; where what is not yet whole begins. */
  #entries(bytes: Buffer): number {
    let at = 0;
    for (;;) {
      // `<si><t>text</t></si>` right here, the text plain (nearly every entry): read by hand,
      // without the three searches below (native calls, each dearer than reading the entry).
      // What the general reading makes of it: the first `</si>` after is the one after `</t>`.
      const plain = plainEntryEnd(bytes, at);
      if (plain >= 0) {
        this.strings.pushBytes(bytes, at + SI_T_OPEN.length, plain);
        at = plain + T_SI_CLOSE.length;
        continue;
      }
      const start = bytes.indexOf(SI_OPEN, at);
      if (start < 0 || start + SI_OPEN.length >= bytes.length) {
        // Kept for the next piece from a character's first byte: a carry decodes whole.
        return start < 0 ? characterStart(bytes, Math.max(at, bytes.length - SI_OPEN.length)) : start;
      }
      const after = bytes[start + SI_OPEN.length];
      if (after !== 62 /* > */ && after !== 47 /* / */ && after !== 32 && after !== 9 && after !== 10 && after !== 13) {
        at = start + SI_OPEN.length;
        continue;
      }
      const gt = bytes.indexOf(62 /* > */, start);
      if (gt < 0) return start;
      if (bytes[gt - 1] === 47 /* / */) {
        this.strings.push('');
        at = gt + 1;
        continue;
      }
      const end = bytes.indexOf(SI_CLOSE, gt);
      if (end < 0) return start;
      const text = plainTextStart(bytes, gt + 1, end);
      if (text >= 0) {
        this.strings.pushBytes(bytes, text, end - T_CLOSE.length);
      } else {
        const runs = textRuns(bytes.toString('utf8', gt + 1, end));
        if (runs === undefined) throw new Error(`shared string ${this.strings.length}: no text in ${bytes.toString('utf8', start, end).slice(0, 200)}`);
        this.strings.push(runs);
      }
      at = end + SI_CLOSE.length;
    }
  }

  #pushText(chunk: string): void {
    const xml = this.#carry + chunk;
    let at = 0;
    if (this.#open === undefined) {
      const root = ROOT.exec(xml);
      if (root === null) {
        // Not there yet (a declaration split across chunks): keep it all for the next.
        this.#keep(flat(xml));
        return;
      }
      const prefix = root[1] === undefined ? '' : `${root[1]}:`;
      this.#open = `<${prefix}si`;
      this.#close = `</${prefix}si>`;
      at = root.index;
    }
    const open = this.#open;
    const close = this.#close;
    for (;;) {
      const start = xml.indexOf(open, at);
      if (start < 0 || start + open.length >= xml.length) {
        at = start < 0 ? Math.max(at, xml.length - open.length) : start;
        break;
      }
      const after = xml.charCodeAt(start + open.length);
      if (after !== 62 /* > */ && after !== 47 /* / */ && after !== 32 && after !== 9 && after !== 10 && after !== 13) {
        at = start + open.length;
        continue;
      }
      const gt = xml.indexOf('>', start);
      if (gt < 0) {
        at = start;
        break;
      }
      if (xml.charCodeAt(gt - 1) === 47 /* / */) {
        this.strings.push('');
        at = gt + 1;
        continue;
      }
      const end = xml.indexOf(close, gt);
      if (end < 0) {
        at = start;
        break;
      }
      const text = (open === '<si' ? plainText(xml, gt + 1, end) : undefined) ?? textRuns(xml.slice(gt + 1, end));
      if (text === undefined) throw new Error(`shared string ${this.strings.length}: no text in ${xml.slice(start, Math.min(end, start + 200))}`);
      // Copied into the table's bytes (or flattened, if kept as a string): nothing keeps the chunk alive.
      this.strings.push(text);
      at = end + close.length;
    }
    this.#keep(flat(xml.slice(at)));
  }

  /**
   * Keeps what is not yet whole for the next piece, which is joined to it (a copy each time).
   * An entry is at most 32,767 characters of text, its runs' formatting a few hundred bytes
   * each: a carry past {@link MAX_CARRY} is no entry Excel writes (an `<si>` never closed, or a
   * root never found), and carried on it would be copied again at every piece of a part that
   * may inflate to a gigabyte.
   */
  #keep(carry: string): void {
    if (carry.length > MAX_CARRY) throw new Error(`shared string ${this.strings.length}: unfinished after ${carry.length} characters`);
    this.#carry = carry;
  }
}

/** Characters kept unfinished from piece to piece, at most (see #keep). */
export const MAX_CARRY = 8_000_000;

const ROOT = /<(?:([\w.-]+):)?sst[\s>/]/;
const SST = Buffer.from('sst');
const PRESERVE = '<t xml:space="preserve">';
const SI_OPEN = Buffer.from('<si');
const SI_CLOSE = Buffer.from('</si>');
const T_OPEN = Buffer.from('<t>');
const T_PRESERVE = Buffer.from(PRESERVE);
const T_CLOSE = Buffer.from('</t>');

const SI_T_OPEN = Buffer.from('<si><t>');
const T_SI_CLOSE = Buffer.from('</t></si>');

/**
 * Where the text of the entry `<si><t>text</t></si>` at `at` ends (its `</t>`), when the
 * entry is whole in `bytes` and its text plain (as {@link plainTextStart} has it); else -1.
 */
function plainEntryEnd(bytes: Buffer, at: number): number {
  const n = bytes.length;
  if (at + SI_T_OPEN.length + T_SI_CLOSE.length > n) return -1;
  for (let i = 0; i < SI_T_OPEN.length; i++) if (bytes[at + i] !== SI_T_OPEN[i]) return -1;
  let p = at + SI_T_OPEN.length;
  for (; p < n; p++) {
    const c = bytes[p] as number;
    if (c === 60 /* < */) break;
    if (c === 38 /* & */ || c === 13 /* \r */ || (c === 95 /* _ */ && bytes[p + 1] === 120) /* x */) return -1;
  }
  if (p + T_SI_CLOSE.length > n) return -1;
  for (let i = 0; i < T_SI_CLOSE.length; i++) if (bytes[p + i] !== T_SI_CLOSE[i]) return -1;
  return p;
}

/** Whether `bytes` holds `part` at `at`. */
function bytesAt(bytes: Buffer, at: number, part: Buffer): boolean {
  if (at + part.length > bytes.length) return false;
  for (let i = 0; i < part.length; i++) if (bytes[at + i] !== part[i]) return false;
  return true;
}

/** `at`, or the start of the UTF-8 character `at` falls inside (continuation bytes are 10xxxxxx). */
function characterStart(bytes: Buffer, at: number): number {
  let i = at;
  while (i > 0 && i < bytes.length && ((bytes[i] ?? 0) & 0xc0) === 0x80) i--;
  return i;
}

/**
 * {@link plainText} on bytes: the tags and the characters it refuses are ASCII, and no byte of
 * a multi-byte UTF-8 character is ASCII, so the same test on the bytes gives the same answer.
 * Where the text starts (it ends at the `</t>` just before `to`), or -1.
 */
function plainTextStart(bytes: Buffer, from: number, to: number): number {
  const start = bytesAt(bytes, from, T_OPEN) ? from + T_OPEN.length : bytesAt(bytes, from, T_PRESERVE) ? from + T_PRESERVE.length : -1;
  if (start < 0) return -1;
  let at = start;
  for (; at < to; at++) {
    const c = bytes[at];
    if (c === 60 /* < */) break;
    if (c === 38 /* & */ || c === 13 /* \r */ || (c === 95 /* _ */ && bytes[at + 1] === 120) /* x */) return -1;
  }
  return at === to - T_CLOSE.length && bytesAt(bytes, at, T_CLOSE) ? start : -1;
}

/**
 * The text of an entry in the form nearly all are written, `<t>text</t>` (or with
 * `xml:space="preserve"`), the text free of `<`, `&`, carriage returns and `_x`: what
 * {@link textRuns} gives for it, without its regular expressions. Undefined for any other entry
 * (rich text, phonetic runs, references, CDATA, escapes), which textRuns reads.
 */
function plainText(xml: string, from: number, to: number): string | undefined {
  const start = xml.startsWith('<t>', from) ? from + 3 : xml.startsWith(PRESERVE, from) ? from + PRESERVE.length : -1;
  if (start < 0) return undefined;
  let at = start;
  for (; at < to; at++) {
    const c = xml.charCodeAt(at);
    if (c === 60 /* < */) break;
    if (c === 38 /* & */ || c === 13 /* \r */ || (c === 95 /* _ */ && xml.charCodeAt(at + 1) === 120) /* x */) return undefined;
  }
  return at === to - 4 && xml.startsWith('</t>', at) ? xml.slice(start, at) : undefined;
}
