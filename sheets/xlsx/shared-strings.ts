/**
 * The shared string table (`xl/sharedStrings.xml`): index → text, rich text runs joined. Read
 * chunk by chunk as the part inflates, each entry copied out of its chunk, so that the part's
 * XML (as large as the sheet's for a ledger of unique case numbers) is never held whole.
 * Elements may carry a namespace prefix (`<x:si>`), taken from the root `<sst>`.
 */
import { textRuns } from './xml.ts';

export class SharedStringsParser {
  readonly strings: string[] = [];
  #carry = '';
  /** `<si` / `</si>` with the table's prefix, once its root element is seen. */
  #open: string | undefined;
  #close = '</si>';

  push(chunk: string): void {
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
