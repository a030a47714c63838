/**
 * Which cell styles show a date (`xl/styles.xml`): a number in such a cell is a date serial.
 * Elements may carry a namespace prefix (`<x:numFmt>`).
 * Built-in date formats include the Chinese ones Excel uses on a Chinese Windows (27–36, 50–58).
 */
import { attribute, decodeXml } from './xml.ts';

const BUILTIN_DATE_IDS = new Set([14, 15, 16, 17, 22, 27, 28, 29, 30, 31, 34, 35, 36, 50, 51, 52, 53, 54, 55, 56, 57, 58]);
const BUILTIN_TIME_ONLY = new Set([18, 19, 20, 21, 45, 46, 47, 32, 33]);

/** A number format shows a date when, outside quotes, brackets and escapes, it has y, m or d. */
export function isDateFormat(code: string): boolean {
  const bare = code
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[[^\]]*\]/g, '')
    .split(';')[0] ?? '';
  if (/^(General|@)$/i.test(bare.trim())) return false;
  return /[yd]/i.test(bare) || (/m/i.test(bare) && !/[hs]/i.test(bare));
}

/** For each cellXfs entry: true when it formats a date. */
export function parseDateStyles(xml: string | undefined): boolean[] {
  if (xml === undefined) return [];
  const custom = new Map<number, string>();
  for (const m of xml.matchAll(/<(?:[\w.-]+:)?numFmt\b([^>]*)\/?>/g)) {
    const id = Number(attribute(m[1] ?? '', 'numFmtId'));
    const code = attribute(m[1] ?? '', 'formatCode');
    if (Number.isFinite(id) && code !== undefined) custom.set(id, decodeXml(code));
  }
  const xfs = /<((?:[\w.-]+:)?)cellXfs\b[^>]*>([\s\S]*?)<\/\1cellXfs>/.exec(xml)?.[2] ?? '';
  const out: boolean[] = [];
  for (const m of xfs.matchAll(/<(?:[\w.-]+:)?xf\b([^>]*?)\/?>/g)) {
    const id = Number(attribute(m[1] ?? '', 'numFmtId') ?? '0');
    const code = custom.get(id);
    out.push(code !== undefined ? isDateFormat(code) : BUILTIN_DATE_IDS.has(id) && !BUILTIN_TIME_ONLY.has(id));
  }
  return out;
}
