/**
 * Reads an XML Spreadsheet 2003 (SpreadsheetML, usually named `.xls`: `<?mso-application
 * progid="Excel.Sheet"?>`) as {@link SheetStream}s, with the cells, limits and findings of any
 * workbook; what is read from the markup is described in `spreadsheet-ml.ts`.
 *
 * Tokenized by htmlparser2 in XML mode (streaming; it knows only XML's five entities and
 * character references, expands no declared entity and fetches nothing), in two passes over the
 * file, 64 KB at a time: the first refuses a DOCTYPE or entity declaration (as the xlsx reader
 * does, before any row is handed on), a cut file and a cell its type cannot hold, and finds the
 * sheets' names, visibility, merged ranges and date styles (needed before the rows); the second
 * hands the rows on as they are read.
 *
 * Encoding: a BOM, else the XML declaration's `encoding` (GB2312 and GBK read as GB18030), else
 * UTF-8. Bytes not valid in it are kept as `�` and noted at their cell (`cell.encoding`).
 *
 * @example
 * for await (const sheet of streamXml2003('inbox/office/学法活动台账.xls', DEFAULT_LIMITS)) …
 */
import { TextDecoder } from 'node:util';
import { RowCursor, decodedChunks, fileHead, xmlTokenizer, type DecidedEncoding } from '../markup-rows.ts';
import { UnreadableFileError, address, damagedCellError, type ReadLimits, type SheetStream } from '../raw-sheet.ts';
import { MESSAGE_DOCTYPE } from '../xlsx-reader.ts';
import { SpreadsheetCellError, SpreadsheetMl, type CellRange, type WorksheetEvents } from './spreadsheet-ml.ts';

export const MESSAGE_XML2003_CUT =
  '文件是 XML 电子表格（Excel 2003 XML 格式），但在中途就结束了：文件不完整（导出或上传时中断），未读取。请重新导出，或在 Excel 中打开核对后“另存为” .xlsx 再报送';
export const MESSAGE_XML2003_NO_SHEET =
  '文件是 XML 电子表格（Excel 2003 XML 格式），但其中没有工作表，无法读取。请在 Excel 中打开核对后“另存为” .xlsx 再报送';
export const MESSAGE_XML2003_BROKEN =
  '文件是 XML 电子表格（Excel 2003 XML 格式），但内容已损坏，无法读取。请在 Excel 中打开、另存为 .xlsx 后再报送';

interface Layout {
  readonly encoding: DecidedEncoding;
  readonly sheets: { name: string; hidden?: 'hidden' | 'veryHidden'; ranges: CellRange[] }[];
  readonly dateStyles: Set<string>;
}

export async function* streamXml2003(path: string, limits: ReadLimits): AsyncGenerator<SheetStream> {
  const layout = await readLayout(path, limits);
  if (layout.sheets.length === 0) throw new UnreadableFileError(MESSAGE_XML2003_NO_SHEET);
  const rows = new RowCursor({ chunks: () => decodedChunks(path, layout.encoding), encoding: layout.encoding.label }, limits, (events) => xmlTokenizer(new SpreadsheetMl(events, limits, layout.dateStyles)));
  const seen = new Set<string>();
  yield* rows.streams(
    layout.sheets.map((sheet, i) => {
      let name = sheet.name;
      if (seen.has(name)) name = `${name}（${i + 1}）`;
      seen.add(name);
      return {
        name,
        hidden: sheet.hidden !== undefined,
        ...(sheet.hidden === 'veryHidden' ? { veryHidden: true } : {}),
        merges: sheet.ranges.map((r) => `${address(r.left, r.top)}:${address(r.right, r.bottom)}`),
      };
    }),
  );
}

/** The first pass (see the module's comment). */
async function readLayout(path: string, limits: ReadLimits): Promise<Layout> {
  const encoding = xmlEncoding(...(await fileHead(path)));
  const layout: Layout = { encoding, sheets: [], dateStyles: new Set() };
  const events: WorksheetEvents = {
    sheetStart: (_, name) => void layout.sheets.push({ name, ranges: [] }),
    merge: (s, range) => void layout.sheets[s - 1]?.ranges.push(range),
    visibility: (s, state) => {
      const sheet = layout.sheets[s - 1];
      if (sheet !== undefined) sheet.hidden = state;
    },
    dateStyle: (id) => void layout.dateStyles.add(id),
  };
  const book = new SpreadsheetMl(events, limits);
  const tokens = xmlTokenizer(book);
  const guard = new DeclarationGuard();
  try {
    for await (const text of decodedChunks(path, encoding)) {
      guard.check(text);
      tokens.write(text);
    }
    tokens.end();
  } catch (error) {
    if (error instanceof SpreadsheetCellError) {
      throw damagedCellError(error.sheet, error.cell, error.reason, error);
    }
    throw error instanceof UnreadableFileError ? error : new UnreadableFileError(MESSAGE_XML2003_BROKEN, { cause: error });
  }
  if (book.cut) throw new UnreadableFileError(MESSAGE_XML2003_CUT, { cause: new Error(`${path}: the file ends inside the workbook`) });
  return layout;
}

/**
 * `<!DOCTYPE` or `<!ENTITY` anywhere in the text, as the xlsx reader's guard looks for them
 * (`xlsx/zip.ts`), also when split between two chunks: refused before the tokenizer sees it.
 */
class DeclarationGuard {
  #tail = '';
  check(text: string): void {
    if (/<!(DOCTYPE|ENTITY)/i.test(this.#tail + text)) {
      throw new UnreadableFileError(MESSAGE_DOCTYPE, { cause: new Error('SpreadsheetML declares a DOCTYPE or an entity') });
    }
    this.#tail = text.slice(-8);
  }
}

/**
 * A BOM; else the XML declaration's encoding; else UTF-8 (XML's default).
 *
 * @example
 * xmlEncoding(Buffer.from('<?xml version="1.0" encoding="GB2312"?>'), true) // { label: 'gb18030', bom: 0 }
 */
export function xmlEncoding(head: Uint8Array, _whole: boolean): DecidedEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { label: 'utf-8', bom: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { label: 'utf-16le', bom: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { label: 'utf-16be', bom: 2 };
  const start = Buffer.from(head.buffer, head.byteOffset, Math.min(head.byteLength, 1024)).toString('latin1');
  const declared = /^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(start)?.[1]?.toLowerCase();
  if (declared === undefined || declared.startsWith('utf-16')) return { label: 'utf-8', bom: 0 };
  if (['gb2312', 'gbk', 'x-gbk', 'gb18030', 'cp936'].includes(declared)) return { label: 'gb18030', bom: 0 };
  try {
    return { label: new TextDecoder(declared).encoding, bom: 0 };
  } catch {
    return { label: 'utf-8', bom: 0 };
  }
}
