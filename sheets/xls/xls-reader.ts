/**
 * Reads a legacy Excel 97–2003 workbook (`.xls`, BIFF8 in an OLE2 compound file; also a WPS
 * `.et` saved in that format) as {@link SheetStream}s, with the same bounds and the same cells
 * as the xlsx reader: merged ranges, hidden sheets and rows, dates by the cell's number format
 * (the rule of `sheets/xlsx/styles.ts`), the 1904 date system, formula cached values (number,
 * text, boolean, error), error values as Excel shows them (`#DIV/0!`). Like every read, it
 * runs in a read worker (`pipeline/stages/2-read/read-pool.ts`), bounded in time and memory; the file is
 * within `maxFileBytes` before a byte of it is read, and the row and column limits are counted
 * as for xlsx (a `sheet.truncated` finding, never silent).
 *
 * ## Why our own reader, and not a library
 *
 * A department's file is untrusted input, so the reader must be maintained and have no open
 * advisory for crafted files. Checked (npm registry, advisories and issue trackers):
 *
 * - `xlsx` 0.18.5 (SheetJS CE on npm, already a devDependency): the last version on npm; open
 *   advisories for crafted input — prototype pollution (CVE-2023-30533, fixed only in 0.19.3)
 *   and ReDoS (CVE-2024-22363, fixed only in 0.20.2), plus a 2026 report of a zip-header
 *   allocation DoS (CVE-2026-38359) with no fix on npm. It may write test fixtures; it must not
 *   read department files.
 * - `@e965/xlsx` 0.20.3: a third party's republish of SheetJS CE 0.20.3 from SheetJS's own
 *   CDN. The two CVEs above are fixed there, but it is one person's mirror (not the
 *   maintainer's publication), a whole multi-format engine (~7 MB) that reads the whole
 *   workbook into memory to use a small part of it, and it carries the same CFB code as `cfb`.
 * - `cfb` 1.2.2 (SheetJS's OLE2 container parser, the usual base for a BIFF reader): last
 *   published in 2022, and its tracker has an open report of an infinite loop on a damaged
 *   file (SheetJS/js-cfb#11: a sector chain that loops is not detected).
 * - Others on npm (`xls-parser`, `node-xlsx`, …) wrap one of the SheetJS builds above.
 *
 * So the two layers are ours, both small and bounded: `compound-file.ts` (MS-CFB: every sector
 * number checked against the file, every chain cycle-checked and bounded by the file's sector
 * count) and the BIFF8 records tally needs (MS-XLS: BOF/EOF, BOUNDSHEET, SST + CONTINUE,
 * LABELSST, LABEL, RSTRING, NUMBER, RK, MULRK, BOOLERR, FORMULA + STRING, ROW, MERGEDCELLS,
 * FORMAT, XF, DATEMODE, FILEPASS). No eval, no regular expression on file content, no
 * dependency; a declared count or size is never used to allocate before it is checked against
 * the bytes that hold it.
 *
 * Not read: an encrypted workbook (FILEPASS — also the default "VelvetSweatshop" encryption
 * Excel applies when the workbook structure is protected with a password), Excel 5.0/95
 * (BIFF5/7) and older: each is refused with a message saying what to do.
 *
 * @example
 * for await (const sheet of streamXls('inbox/justice/调解台账.xls', DEFAULT_LIMITS)) {
 *   for await (const rows of sheet.rows()) console.log(sheet.name, rows.length);
 * }
 */
import { readFile } from 'node:fs/promises';
import { TruncationCounter, UnreadableFileError, type ReadLimits, type SheetStream } from '../raw-sheet.ts';
import { MESSAGE_ENCRYPTED } from '../sniff-format.ts';
import { MESSAGE_CORRUPT, assertFileSize } from '../xlsx-reader.ts';
import { readCompoundFile } from './compound-file.ts';
import { readSheet } from './sheet-records.ts';
import { BIFF8, biffVersion, readGlobals } from './workbook-globals.ts';

export const MESSAGE_XLS_ENCRYPTED =
  '文件已加密（设置了打开密码，或用密码保护了工作簿结构），无法读取。请在 Excel 中取消密码（文件→信息→保护工作簿），或“另存为” .xlsx 后重新报送';
export const MESSAGE_XLS_TOO_OLD =
  '文件是 Excel 95 或更早版本的格式，无法读取。请在 Excel 或 WPS 中打开后“另存为” .xlsx 再报送';
export const MESSAGE_OLE_NOT_WORKBOOK =
  '文件中没有 Excel 工作簿（可能是旧版 Word 文档或其他 Office 文件），无法读取。请在 Excel 中打开台账后“另存为” .xlsx 再报送';

/** Rows handed on per batch (as the xlsx reader). */
const BATCH = 2_048;

export async function* streamXls(path: string, limits: ReadLimits): AsyncGenerator<SheetStream> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new UnreadableFileError('文件无法打开，请重新报送', { cause: error });
  }
  assertFileSize(bytes.length, limits);
  const { stream, globals } = open(bytes);
  for (const entry of globals.sheets) {
    const dropped = new TruncationCounter(limits);
    let sheet;
    try {
      sheet = readSheet(stream, entry.offset, { globals, maxRows: limits.maxRowsPerSheet, maxColumns: limits.maxColumns, dropped });
    } catch (error) {
      throw new UnreadableFileError(MESSAGE_CORRUPT, { cause: error });
    }
    const rows = sheet.rows;
    let consumed = false;
    yield {
      name: entry.name,
      hidden: entry.hidden,
      ...(entry.veryHidden ? { veryHidden: true } : {}),
      ...(globals.date1904 ? { date1904: true } : {}),
      merges: sheet.merges,
      rows: async function* () {
        if (consumed) throw new Error(`rows of sheet ${entry.name} read twice`);
        consumed = true;
        for (let at = 0; at < rows.length; at += BATCH) yield rows.slice(at, at + BATCH);
      },
      truncation: () => dropped.result().truncated,
    };
  }
}

/** The `Workbook` stream and its globals, or why the file cannot be read. */
function open(bytes: Uint8Array): { stream: Uint8Array; globals: ReturnType<typeof readGlobals> } {
  try {
    const cfb = readCompoundFile(bytes);
    if (cfb.stream('EncryptedPackage') !== undefined) throw new UnreadableFileError(MESSAGE_ENCRYPTED);
    const stream = cfb.stream('Workbook');
    if (stream === undefined) {
      if (cfb.stream('Book') !== undefined) throw new UnreadableFileError(MESSAGE_XLS_TOO_OLD);
      throw new UnreadableFileError(MESSAGE_OLE_NOT_WORKBOOK, { cause: new Error(`OLE2 streams: ${cfb.names.join(', ')}`) });
    }
    const version = biffVersion(stream);
    if (version !== undefined && version < BIFF8) throw new UnreadableFileError(MESSAGE_XLS_TOO_OLD);
    const globals = readGlobals(stream);
    if (globals.encrypted) throw new UnreadableFileError(MESSAGE_XLS_ENCRYPTED);
    return { stream, globals };
  } catch (error) {
    throw error instanceof UnreadableFileError ? error : new UnreadableFileError(MESSAGE_CORRUPT, { cause: error });
  }
}
