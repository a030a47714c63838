/**
 * What the portal accepts from a browser: a file name cleaned to a plain name in the
 * department's folder, and bytes that really are an xlsx or xls workbook or a text CSV.
 */

import { SNIFF_BYTES, sniffFormat } from '../../../sheets/sniff-format.ts';

export const ACCEPTED_EXTENSIONS = ['.xlsx', '.xls', '.ods', '.csv'] as const;

/** Longest name kept, in characters (a Chinese character takes 3 of a file system's 255 bytes). */
const MAX_NAME_CHARS = 80;

/**
 * The name to store an upload under, or null when nothing usable is left. Keeps only the last
 * path segment (`../../x.xlsx`, `C:\\a\\x.xlsx` → `x.xlsx`), drops control and bidirectional
 * formatting characters, characters Windows forbids, and leading dots and `~$` (which would make
 * it a hidden or lock file the inbox ignores).
 *
 * @example
 * cleanFileName('..\\..\\台账\u202e.xlsx'); // '台账.xlsx'
 */
export function cleanFileName(raw: string): string | null {
  let name = raw.normalize('NFC');
  name = name.split(/[/\\]/).pop() ?? '';
  name = name.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '');
  name = name.replace(/[<>:"|?*]/g, '_');
  name = name.replace(/^[\s.~$]+/, '').replace(/[\s.]+$/, '');
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return null;
  const ext = name.slice(dot).toLowerCase();
  if (!(ACCEPTED_EXTENSIONS as readonly string[]).includes(ext)) return null;
  const stem = [...name.slice(0, dot).trim()].slice(0, MAX_NAME_CHARS).join('');
  if (stem === '' || stem === '.' || stem === '..') return null;
  return `${stem}${ext}`;
}

export const MESSAGE_BAD_EXTENSION = '只接受 .xlsx、.xls、.ods 或 .csv 文件。';
export const MESSAGE_NOT_SPREADSHEET = '文件内容不是 Excel 工作簿（.xlsx/.xls）或 CSV 文本，未接收。请在 Excel 中打开后“另存为” .xlsx 再上传。';
export const MESSAGE_EMPTY = '文件为空（0 字节），未接收。';


/**
 * Why bytes are not what their name says, or null when they are: an `.xlsx` must be an OOXML
 * package (a zip with `[Content_Types].xml`), an `.xls` what the read stage reads as one (an OLE2
 * compound file, whether it holds a workbook the read stage tells with its own message; an HTML
 * table, an XML Spreadsheet 2003 or tab-separated text: sheets/sniff-format.ts), an `.ods` a zip
 * package the read stage reads (an OpenDocument spreadsheet, or an xlsx), a `.csv` text (no
 * NUL bytes, not markup).
 */
export function contentProblem(name: string, bytes: Uint8Array): string | null {
  if (bytes.length === 0) return MESSAGE_EMPTY;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (name.toLowerCase().endsWith('.xlsx')) {
    const zip = buf.length >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04;
    // Entry names are stored in plain text in the zip's headers and central directory.
    return zip && buf.includes('[Content_Types].xml') ? null : MESSAGE_NOT_SPREADSHEET;
  }
  if (name.toLowerCase().endsWith('.ods')) {
    // An OpenDocument spreadsheet (LibreOffice, WPS), or an xlsx saved under that name: both are read.
    const format = sniffFormat(buf.subarray(0, SNIFF_BYTES), name);
    return format === 'ods' || format === 'xlsx' ? null : MESSAGE_NOT_SPREADSHEET;
  }
  if (name.toLowerCase().endsWith('.xls')) {
    // What the read stage reads under that name: a BIFF8 file, and the text that systems'
    // "导出 Excel" buttons write (an HTML table, an XML Spreadsheet 2003, tab-separated text).
    return typeof sniffFormat(buf.subarray(0, SNIFF_BYTES), name) === 'string' ? null : MESSAGE_NOT_SPREADSHEET;
  }
  const head = buf.subarray(0, 64 * 1024);
  if (head.includes(0)) return MESSAGE_NOT_SPREADSHEET;
  const text = head.toString('latin1').replace(/^\xef\xbb\xbf/, '');
  if (/^\s*<(!doctype|html|\?xml|script|svg|body|head)\b/i.test(text)) return MESSAGE_NOT_SPREADSHEET;
  return null;
}
