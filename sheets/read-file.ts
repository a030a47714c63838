import { open } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { streamCsv } from './csv-reader.ts';
import { DEFAULT_LIMITS, UnreadableFileError, collect, type RawSheet, type ReadLimits, type SheetStream } from './raw-sheet.ts';
import { SNIFF_BYTES, sniffFormat, type SniffResult } from './sniff-format.ts';
import { streamXls } from './xls/xls-reader.ts';
import { assertFileSize, streamXlsx } from './xlsx-reader.ts';

/**
 * The sheets of one submitted file, whatever its format, as streams: the one entry point of the
 * read stage (`readFile` collects them).
 * The format is judged from the file's first bytes (and, for CSV, its extension), not trusted
 * from its name. A file that cannot be read at all throws {@link UnreadableFileError} with a
 * Chinese message telling the clerk what to do (the `file.unreadable` finding); this happens
 * either before the first sheet or, for a workbook damaged part-way, after some sheets.
 *
 * An `.xls` (Excel 97–2003, or a WPS `.et` in that format) is read by `xls/xls-reader.ts` into
 * the same cells as the xlsx reader gives; text that Excel opens as a workbook (an HTML table or
 * an XML Spreadsheet 2003, usually named `.xls`) by `html/html-reader.ts` and
 * `xml2003/xml2003-reader.ts`; an OpenDocument spreadsheet (`.ods`, from LibreOffice or WPS) by
 * `ods/ods-reader.ts`; a tab-separated text named `.xls` as a CSV. A CSV file is one sheet named after the file
 * (without its extension); the cells it could read only in part (a stray quote, bytes not valid
 * in its encoding) come from the sheet's `notes()`, for findings at those cells.
 *
 * @example
 * try {
 *   for await (const sheet of streamFile('inbox/office/学法活动台账.xlsx')) extractStream(sheet, …);
 * } catch (e) {
 *   if (e instanceof UnreadableFileError) addFinding('file.unreadable', e.message);
 *   else throw e;
 * }
 */
export async function* streamFile(path: string, limits: ReadLimits = DEFAULT_LIMITS): AsyncGenerator<SheetStream> {
  const format = await fileFormat(path, limits);
  if (typeof format === 'object') throw new UnreadableFileError(format.unreadable);
  if (format === 'xlsx') {
    yield* streamXlsx(path, limits);
    return;
  }
  if (format === 'xls') {
    yield* streamXls(path, limits);
    return;
  }
  if (format === 'ods') {
    // Loaded when such a file comes: not in every read worker's start (htmlparser2).
    const { streamOds } = await import('./ods/ods-reader.ts');
    yield* streamOds(path, limits);
    return;
  }
  if (format === 'html') {
    // Loaded when such a file comes (seldom): not in every read worker's start (htmlparser2).
    const { streamHtml } = await import('./html/html-reader.ts');
    yield* streamHtml(path, basename(path, extname(path)), limits);
    return;
  }
  if (format === 'xml2003') {
    const { streamXml2003 } = await import('./xml2003/xml2003-reader.ts');
    yield* streamXml2003(path, limits);
    return;
  }
  // A CSV streams in (64 KB at a time); what it finds at cells comes with `notes()`.
  yield streamCsv(path, basename(path, extname(path)), limits);
}

/**
 * The reader a file needs, from its first bytes (see {@link sniffFormat}), or why none can read
 * it. Throws {@link UnreadableFileError} when the file cannot be opened or is too large.
 */
export async function fileFormat(path: string, limits: ReadLimits = DEFAULT_LIMITS): Promise<SniffResult> {
  return sniffFormat(await readHead(path, limits), basename(path));
}

/** The same sheets collected whole (tests and small files; the pipeline streams). */
export async function* readFile(path: string, limits: ReadLimits = DEFAULT_LIMITS): AsyncGenerator<RawSheet> {
  for await (const sheet of streamFile(path, limits)) yield await collect(sheet);
}

async function readHead(path: string, limits: ReadLimits): Promise<Uint8Array> {
  const handle = await open(path, 'r').catch((error: unknown) => {
    throw new UnreadableFileError('文件无法打开，请重新报送', { cause: error });
  });
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new UnreadableFileError('不是文件，无法读取', { cause: new Error(`${path} is not a regular file`) });
    assertFileSize(stat.size, limits);
    const buffer = Buffer.alloc(Math.min(stat.size, SNIFF_BYTES));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
