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
      this.strings.push(flat(textRuns(xml.slice(open + 1, end))));
      at = end + 5;
    }
    this.#carry = flat(xml.slice(at));
  }
}

/** A string detached from the larger string it was cut from. */
function flat(s: string): string {
  return s.length === 0 ? '' : (' ' + s).slice(1);
}
