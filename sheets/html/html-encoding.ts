/**
 * The encoding of an HTML table saved as `.xls`, decided as a browser (and Excel) decides it: a
 * BOM; else the `<meta charset>` or `<meta http-equiv="Content-Type" content="…; charset=…">`
 * among the first 64 KB; else what the CSV reader decides (UTF-8 when the bytes are UTF-8,
 * else GB18030, which is what a Chinese Windows writes).
 */
import { TextDecoder } from 'node:util';
import { ENCODING_SNIFF_BYTES, decideEncoding } from '../csv-reader.ts';
import type { DecidedEncoding } from '../markup-rows.ts';

/** The longest `<meta …>` tag looked into (a tag longer than this names no charset). */
const MAX_META_CHARS = 1024;

/**
 * @param head the file's first bytes (up to 64 KB)
 * @param whole true when `head` is the whole file
 * @example
 * htmlEncoding(Buffer.from('<meta charset="gb2312">'), true) // { label: 'gb18030', bom: 0 }
 */
export function htmlEncoding(head: Uint8Array, whole: boolean): DecidedEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { label: 'utf-8', bom: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { label: 'utf-16le', bom: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { label: 'utf-16be', bom: 2 };
  const declared = metaCharset(Buffer.from(head.buffer, head.byteOffset, Math.min(head.byteLength, ENCODING_SNIFF_BYTES)).toString('latin1'));
  if (declared !== undefined) return { label: declared, bom: 0 };
  return { label: decideEncoding(head, whole) === 'gb18030' ? 'gb18030' : 'utf-8', bom: 0 };
}

/**
 * The charset a `<meta>` tag declares, as a label TextDecoder knows, or undefined. Searched with
 * indexOf, not one regular expression over the head: an unclosed `<meta` cannot make it slow.
 * GB2312 and GBK are read as GB18030 (their superset, as browsers do); a UTF-16 declaration in
 * a file without a BOM is read as UTF-8 (the bytes would not be ASCII-readable otherwise: the
 * HTML standard's rule).
 */
export function metaCharset(head: string): string | undefined {
  const lower = head.toLowerCase();
  for (let at = lower.indexOf('<meta'); at >= 0; at = lower.indexOf('<meta', at + 5)) {
    const end = lower.indexOf('>', at);
    const tag = lower.slice(at, end < 0 ? at + MAX_META_CHARS : Math.min(end, at + MAX_META_CHARS));
    const m = /charset\s*=\s*["']?\s*([a-z0-9_.:-]+)/.exec(tag);
    const label = m?.[1];
    if (label === undefined) continue;
    if (label === 'gb2312' || label === 'gbk' || label === 'x-gbk' || label === 'gb18030' || label === 'cp936' || label === 'x-cp936') return 'gb18030';
    if (label.startsWith('utf-16') || label === 'unicode') return 'utf-8';
    try {
      return new TextDecoder(label).encoding;
    } catch {
      // A charset TextDecoder does not know: decided from the bytes instead.
    }
  }
  return undefined;
}
