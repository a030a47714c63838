/**
 * The shared string table (`xl/sharedStrings.xml`): index → text, rich text runs joined. Read
 * chunk by chunk as the part inflates, each entry copied out of its chunk, so that the part's
 * XML (as large as the sheet's for a ledger of unique case numbers) is never held whole.
 * Elements may carry a namespace prefix (`<x:si>`), taken from the root `<sst>`.
 */
import { pieceText, type TextPiece } from './utf8.ts';
import { textRuns } from './xml.ts';

export class SharedStringsParser {
  readonly strings: string[] = [];
  #carry = '';
  /** `<si` / `</si>` with the table's prefix, once its root element is seen. */
  #open: string | undefined;
  #close = '</si>';

  /**
   * The next piece of the part. Bytes (valid UTF-8, see utf8.ts) of a table without a prefix
   * are read as bytes ({@link #pushBytes}); anything else as text.
   */
  push(chunk: TextPiece): void {
    if (typeof chunk !== 'string' && this.#open === '<si') this.#pushBytes(chunk);
    else this.#pushText(pieceText(chunk));
  }

  /**
   * {@link #pushText} on the bytes themselves: the entries are found by their ASCII tags, and
   * only each entry's text is decoded, into a string of its own. Decoding the whole piece made
   * a string of it (two bytes a character, the table being Chinese), and each entry was cut
   * from it and copied again ({@link flat}) to let it go. The entries, and the errors, are
   * exactly those of #pushText (tests/read-fast-paths.test.ts splits tables every way).
   */
  #pushBytes(chunk: Buffer): void {
    const bytes = this.#carry === '' ? chunk : Buffer.concat([Buffer.from(this.#carry, 'utf8'), chunk]);
    let at = 0;
    for (;;) {
      const start = bytes.indexOf(SI_OPEN, at);
      if (start < 0 || start + SI_OPEN.length >= bytes.length) {
        // Kept for the next piece from a character's first byte: a carry decodes whole.
        at = start < 0 ? characterStart(bytes, Math.max(at, bytes.length - SI_OPEN.length)) : start;
        break;
      }
      const after = bytes[start + SI_OPEN.length];
      if (after !== 62 /* > */ && after !== 47 /* / */ && after !== 32 && after !== 9 && after !== 10 && after !== 13) {
        at = start + SI_OPEN.length;
        continue;
      }
      const gt = bytes.indexOf(62 /* > */, start);
      if (gt < 0) {
        at = start;
        break;
      }
      if (bytes[gt - 1] === 47 /* / */) {
        this.strings.push('');
        at = gt + 1;
        continue;
      }
      const end = bytes.indexOf(SI_CLOSE, gt);
      if (end < 0) {
        at = start;
        break;
      }
      let text = plainTextBytes(bytes, gt + 1, end);
      if (text === undefined) {
        const runs = textRuns(bytes.toString('utf8', gt + 1, end));
        if (runs === undefined) throw new Error(`shared string ${this.strings.length}: no text in ${bytes.toString('utf8', start, end).slice(0, 200)}`);
        text = flat(runs);
      }
      this.strings.push(text);
      at = end + SI_CLOSE.length;
    }
    this.#carry = bytes.toString('utf8', at);
  }

  #pushText(chunk: string): void {
    const xml = this.#carry + chunk;
    let at = 0;
    if (this.#open === undefined) {
      const root = /<(?:([\w.-]+):)?sst[\s>/]/.exec(xml);
      if (root === null) {
        // Not there yet (a declaration split across chunks): keep it all for the next.
        this.#carry = flat(xml);
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
      // A copy, not a slice: a slice would keep the whole chunk alive as long as the entry.
      this.strings.push(flat(text));
      at = end + close.length;
    }
    this.#carry = flat(xml.slice(at));
  }
}

const PRESERVE = '<t xml:space="preserve">';
const SI_OPEN = Buffer.from('<si');
const SI_CLOSE = Buffer.from('</si>');
const T_OPEN = Buffer.from('<t>');
const T_PRESERVE = Buffer.from(PRESERVE);
const T_CLOSE = Buffer.from('</t>');

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
 */
function plainTextBytes(bytes: Buffer, from: number, to: number): string | undefined {
  const start = bytesAt(bytes, from, T_OPEN) ? from + T_OPEN.length : bytesAt(bytes, from, T_PRESERVE) ? from + T_PRESERVE.length : -1;
  if (start < 0) return undefined;
  let at = start;
  for (; at < to; at++) {
    const c = bytes[at];
    if (c === 60 /* < */) break;
    if (c === 38 /* & */ || c === 13 /* \r */ || (c === 95 /* _ */ && bytes[at + 1] === 120) /* x */) return undefined;
  }
  return at === to - T_CLOSE.length && bytesAt(bytes, at, T_CLOSE) ? bytes.toString('utf8', start, at) : undefined;
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

/** A string detached from the larger string it was cut from. */
function flat(s: string): string {
  return s.length === 0 ? '' : (' ' + s).slice(1);
}
