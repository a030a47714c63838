/**
 * Which reader a file needs, judged from its first bytes and its name, or why it cannot be read.
 * Content wins over the extension: an xlsx renamed `.et` or `.csv` is still a zip workbook, and
 * an OLE2 compound file is handed to the legacy `.xls` reader whatever its name (which then
 * tells an `.xls` from an encrypted xlsx or a Word document by the streams inside).
 *
 * Text that Excel and WPS open as a workbook is read too, whatever its name: an HTML table
 * (`html`: what many systems' "导出 Excel" buttons write, named `.xls`) and an XML Spreadsheet
 * 2003 (`xml2003`, SpreadsheetML: `<?mso-application progid="Excel.Sheet"?>`, a `<Workbook>` in
 * `urn:schemas-microsoft-com:office:spreadsheet`). A text file named `.xls` or `.et` whose first
 * line holds a tab is tab-separated text, as Excel opens it (after a warning): the CSV reader
 * reads it. Other text keeps its verdict: a `.csv`/`.txt` is CSV, anything else not a workbook.
 *
 * A zip whose first entry is `mimetype`, stored, holding `application/vnd.oasis.opendocument.
 * spreadsheet` (as the OpenDocument format requires) is an OpenDocument spreadsheet (`ods`:
 * LibreOffice, WPS and the office suites of Kylin and UOS), whatever its name; an `.ods` that is
 * an xlsx inside is an xlsx. Another OpenDocument (a text document, a presentation) is refused
 * saying what it is.
 */

/**
 * `html` an HTML table, `xml2003` SpreadsheetML 2003 (both are text that Excel opens as a
 * workbook; see `html/html-reader.ts` and `xml2003/xml2003-reader.ts`).
 */
export type SniffResult = 'xlsx' | 'xls' | 'ods' | 'csv' | 'html' | 'xml2003' | { readonly unreadable: string };

/** How many leading bytes {@link sniffFormat} can use (more helps tell an encrypted xlsx from an .xls). */
export const SNIFF_BYTES = 64 * 1024;

const ZIP = [0x50, 0x4b, 0x03, 0x04];
/** An empty zip (no entries) starts with its end-of-central-directory record. */
const EMPTY_ZIP = [0x50, 0x4b, 0x05, 0x06];
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

export const MESSAGE_EMPTY = '文件为空（0 字节），请重新保存后再报送';
/** A file that opens but holds no value at all: a CSV of a BOM or of `,,,,` lines, a blank workbook. */
export const MESSAGE_NO_CONTENT =
  '文件中没有任何内容（所有单元格都是空的），无法读取。请确认报送的是填好的台账，在 Excel 中打开核对后重新保存再报送';
export const MESSAGE_ENCRYPTED = '文件已加密（设置了打开密码），请在 Excel 中取消密码后重新报送';
/** An OpenDocument that is no spreadsheet (`.odt`, `.odp` …, or one renamed `.ods`). */
export const MESSAGE_OPENDOCUMENT_NOT_SPREADSHEET =
  '文件是 OpenDocument 文档，但不是电子表格（可能是文字文档或演示文稿），无法读取。台账请用 WPS 表格或 LibreOffice Calc 保存为 .ods 或 .xlsx 后再报送';
export const MESSAGE_NOT_A_WORKBOOK =
  '不是 Excel 工作簿或 CSV 文件，无法读取。请在 Excel 中打开后“另存为” .xlsx 格式再报送';

/**
 * @param head the first bytes of the file (up to {@link SNIFF_BYTES}; the whole file when shorter)
 * @param fileName the file's name, for its extension
 * @example
 * sniffFormat(await readHead(path), 'penalty.xlsx') // 'xlsx'
 */
export function sniffFormat(head: Uint8Array, fileName: string): SniffResult {
  if (head.length === 0) return { unreadable: MESSAGE_EMPTY };
  if (startsWith(head, ZIP)) {
    const opendocument = openDocumentType(head);
    if (opendocument === undefined) return 'xlsx';
    return OPENDOCUMENT_SPREADSHEET.test(opendocument) ? 'ods' : { unreadable: MESSAGE_OPENDOCUMENT_NOT_SPREADSHEET };
  }
  if (startsWith(head, EMPTY_ZIP)) return 'xlsx';
  if (startsWith(head, OLE2)) {
    // An encrypted xlsx is an OLE2 file too; its stream name is usually within the head.
    return containsUtf16(head, 'EncryptedPackage') ? { unreadable: MESSAGE_ENCRYPTED } : 'xls';
  }
  const text = headText(head);
  const markup = markupFormat(text);
  if (markup !== undefined) return markup;
  const ext = /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase();
  if (ext === 'csv' || ext === 'txt') return 'csv';
  if ((ext === 'xls' || ext === 'et') && text !== undefined && tabSeparated(text)) return 'csv';
  return { unreadable: MESSAGE_NOT_A_WORKBOOK };
}

/** A spreadsheet, or its template (`.ots`, read as the spreadsheet it would make). */
const OPENDOCUMENT_SPREADSHEET = /^application\/vnd\.oasis\.opendocument\.spreadsheet(-template)?$/;

/**
 * The media type an OpenDocument package declares in its first entry, `mimetype`, stored
 * uncompressed right after its local header (ODF 1.2 part 3, §3.3), or undefined when the zip
 * does not start so (an xlsx, or any other zip).
 */
function openDocumentType(head: Uint8Array): string | undefined {
  const bytes = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (bytes.length < 30) return undefined;
  const method = bytes.readUInt16LE(8);
  const size = bytes.readUInt32LE(18);
  const nameLength = bytes.readUInt16LE(26);
  const extraLength = bytes.readUInt16LE(28);
  if (method !== 0 || nameLength !== 8 || bytes.toString('latin1', 30, 38) !== 'mimetype' || size > 256) return undefined;
  const start = 30 + nameLength + extraLength;
  if (start + size > bytes.length) return undefined;
  const type = bytes.toString('latin1', start, start + size).trim();
  return type.startsWith('application/vnd.oasis.opendocument.') ? type : undefined;
}

/** SpreadsheetML 2003's namespace: its `<Workbook>` and `ss:` attributes. */
const SPREADSHEET_NS = 'urn:schemas-microsoft-com:office:spreadsheet';

/**
 * `xml2003` or `html` for markup Excel opens as a workbook, judged from its first characters.
 * XML is SpreadsheetML when it names the spreadsheet namespace or Excel's progid; any other
 * markup is HTML when it holds `<html` or `<table` (a fragment of only a table is HTML too).
 */
function markupFormat(text: string | undefined): 'html' | 'xml2003' | undefined {
  if (text === undefined) return undefined;
  const start = text.trimStart();
  if (!start.startsWith('<')) return undefined;
  const lower = start.toLowerCase();
  if (lower.startsWith('<?xml') && (start.includes(SPREADSHEET_NS) || /progid\s*=\s*["']excel\.sheet["']/.test(lower)) && !/<html\b/.test(lower)) {
    return 'xml2003';
  }
  return /<(html|table)[\s>/]/.test(lower) ? 'html' : undefined;
}

/**
 * The head as text for looking at its markup (a BOM decides UTF-8 or UTF-16; otherwise each
 * byte a character: the markup looked for is ASCII whatever the encoding), or undefined when it
 * is binary (it has NUL bytes, and no UTF-16 BOM).
 */
function headText(head: Uint8Array): string | undefined {
  const bytes = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2, bytes.length - (bytes.length % 2)).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2, bytes.length - (bytes.length % 2)));
    return swapped.swap16().toString('utf16le');
  }
  if (bytes.includes(0)) return undefined;
  return bytes.toString('latin1', bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0);
}

/** Whether the first line (that is not blank) holds a tab: tab-separated text. */
function tabSeparated(text: string): boolean {
  for (const line of text.slice(0, 64 * 1024).split(/\r\n|\r|\n/)) if (line.trim() !== '') return line.includes('\t');
  return false;
}

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}

function containsUtf16(bytes: Uint8Array, s: string): boolean {
  const needle = Buffer.from(s, 'utf16le');
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(needle);
}
