/**
 * Which reader a file needs, judged from its first bytes and its name, or why it cannot be read.
 * Content wins over the extension: an xlsx renamed `.et` or `.csv` is still a zip workbook, and
 * an OLE2 compound file is handed to the legacy `.xls` reader whatever its name (which then
 * tells an `.xls` from an encrypted xlsx or a Word document by the streams inside).
 */

export type SniffResult = 'xlsx' | 'xls' | 'csv' | { readonly unreadable: string };

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
  if (startsWith(head, ZIP) || startsWith(head, EMPTY_ZIP)) return 'xlsx';
  if (startsWith(head, OLE2)) {
    // An encrypted xlsx is an OLE2 file too; its stream name is usually within the head.
    return containsUtf16(head, 'EncryptedPackage') ? { unreadable: MESSAGE_ENCRYPTED } : 'xls';
  }
  const ext = /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase();
  if (ext === 'csv' || ext === 'txt') return 'csv';
  return { unreadable: MESSAGE_NOT_A_WORKBOOK };
}

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}

function containsUtf16(bytes: Uint8Array, s: string): boolean {
  const needle = Buffer.from(s, 'utf16le');
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(needle);
}
