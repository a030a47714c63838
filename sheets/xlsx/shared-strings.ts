/**
 * The shared string table (`xl/sharedStrings.xml`): index → text, rich text runs joined. Read
 * chunk by chunk as the part inflates, each entry copied out of its chunk, so that the part's
 * XML (as large as the sheet's for a ledger of unique case numbers) is never held whole.
 */
import { textRuns } from './xml.ts';

export class SharedStringsParser {
  readonly strings: string[] = [];
  #carry = '';

  push(chunk: string): void {
    const xml = this.#carry + chunk;
    let at = 0;
    for (;;) {
      const start = xml.indexOf('<si', at);
      if (start < 0) {
        at = xml.length;
        break;
      }
      const open = xml.indexOf('>', start);
      if (open < 0) {
        at = start;
        break;
      }
      if (xml[open - 1] === '/') {
        this.strings.push('');
        at = open + 1;
        continue;
      }
      const end = xml.indexOf('</si>', open);
      if (end < 0) {
        at = start;
        break;
      }
      // A copy, not a slice: a slice would keep the whole chunk alive as long as the entry.
      this.strings.push(flat(plainText(xml, open + 1, end) ?? textRuns(xml.slice(open + 1, end))));
      at = end + 5;
    }
    this.#carry = flat(xml.slice(at));
  }
}

const PRESERVE = '<t xml:space="preserve">';

/**
 * The text of an entry in the form nearly all are written, `<t>text</t>` (or with
 * `xml:space="preserve"`), the text free of `<` and `&`: what {@link textRuns} gives for it,
 * without its regular expressions. Undefined for any other entry (rich text, phonetic runs,
 * entities), which textRuns reads.
 */
function plainText(xml: string, from: number, to: number): string | undefined {
  const start = xml.startsWith('<t>', from) ? from + 3 : xml.startsWith(PRESERVE, from) ? from + PRESERVE.length : -1;
  if (start < 0) return undefined;
  let at = start;
  for (; at < to; at++) {
    const c = xml.charCodeAt(at);
    if (c === 60 /* < */) break;
    if (c === 38 /* & */) return undefined;
  }
  return at === to - 4 && xml.startsWith('</t>', at) ? xml.slice(start, at) : undefined;
}

/** A string detached from the larger string it was cut from. */
function flat(s: string): string {
  return s.length === 0 ? '' : (' ' + s).slice(1);
}
