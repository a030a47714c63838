/** The shared string table (`xl/sharedStrings.xml`): index → text, rich text runs joined. */
import { textRuns } from './xml.ts';

export function parseSharedStrings(xml: string): string[] {
  const out: string[] = [];
  let at = 0;
  for (;;) {
    const start = xml.indexOf('<si', at);
    if (start < 0) break;
    const open = xml.indexOf('>', start);
    if (open < 0) break;
    if (xml[open - 1] === '/') {
      out.push('');
      at = open + 1;
      continue;
    }
    const end = xml.indexOf('</si>', open);
    if (end < 0) break;
    out.push(textRuns(xml.slice(open + 1, end)));
    at = end + 5;
  }
  return out;
}
