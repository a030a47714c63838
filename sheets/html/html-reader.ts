/**
 * Reads an HTML table saved as "Excel" (`.xls`: what many government systems' export buttons
 * write, and what Excel's and WPS's 另存为网页 write) as {@link SheetStream}s, so that header
 * detection, typing and findings apply as to any workbook.
 *
 * Tokenized by htmlparser2 (a streaming tokenizer: no DOM, no scripts, no fetching), in two
 * passes over the file, 64 KB at a time: the first finds the tables, their names and their
 * merged ranges (needed before the rows, as for xlsx), the second hands the rows on as they are
 * read. What {@link HtmlTables} makes of the markup is described there.
 *
 * - **Sheets.** Every top-level `<table>` is a sheet. Its name: the worksheet names Excel
 *   writes in its own export (`<x:Name>` in the `<!--[if gte mso 9]><xml>` comment) when there
 *   is one per table; else, for a file of one table, the file's name without its extension
 *   (what Excel shows on the tab, as for a CSV); else the table's `<caption>`, or 表1, 表2 …
 *   Rows are numbered within the table: a table alone in its page (an export) has the cell
 *   addresses Excel shows.
 * - **Encoding.** {@link htmlEncoding}: a BOM, the `<meta>` charset, else UTF-8 or GB18030 from
 *   the bytes. A cell holding bytes not valid in it is kept and noted (`cell.encoding`).
 * - **Bounds.** The file is within `maxFileBytes` before it is read; the rows of one chunk are
 *   held at a time; merged ranges are held per table (at most one per cell, so bounded by the
 *   file size); rows and columns past the limits are counted (`sheet.truncated`). A file that
 *   ends inside a table (cut short) or holds no table is `file.unreadable`.
 *
 * @example
 * for await (const sheet of streamHtml('inbox/office/学法活动台账.xls', '学法活动台账', DEFAULT_LIMITS)) {
 *   for await (const rows of sheet.rows()) console.log(sheet.name, rows.length);
 * }
 */
import { Parser } from 'htmlparser2';
import { RowCursor, decodedChunks, fileHead, type DecidedEncoding } from '../markup-rows.ts';
import { UnreadableFileError, address, type ReadLimits, type SheetStream } from '../raw-sheet.ts';
import { decodeXml } from '../xlsx/xml.ts';
import { htmlEncoding } from './html-encoding.ts';
import { HtmlTables, type SpanRange } from './html-tables.ts';

export const MESSAGE_HTML_NO_TABLE =
  '文件是网页（HTML）格式，不是 Excel 工作簿，其中也没有表格，无法读取。请在 Excel 中打开核对后“另存为” .xlsx 再报送';
export const MESSAGE_HTML_CUT =
  '文件是网页（HTML）格式的表格（系统导出的“Excel”），但在表格中途就结束了：文件不完整（导出或上传时中断），未读取。请重新导出，或在 Excel 中打开核对后“另存为” .xlsx 再报送';

/** Longest sheet name kept (a caption can be a paragraph). */
const MAX_NAME = 31;

/** What the first pass finds. */
interface Layout {
  readonly encoding: DecidedEncoding;
  readonly tables: { caption?: string; ranges: SpanRange[]; lastRow: number }[];
  /** Worksheet names from Excel's own export comment, in order. */
  readonly names: string[];
}

/**
 * @param fileStem the file's name without its extension (the sheet's name for a file of one table)
 */
export async function* streamHtml(path: string, fileStem: string, limits: ReadLimits): AsyncGenerator<SheetStream> {
  const layout = await readLayout(path, limits);
  if (layout.tables.length === 0) throw new UnreadableFileError(MESSAGE_HTML_NO_TABLE);
  const names = sheetNames(layout, fileStem);
  const rows = new RowCursor({ chunks: () => decodedChunks(path, layout.encoding), encoding: layout.encoding.label }, limits, (events) => {
    const tables = new HtmlTables(events, limits);
    const parser = parserFor(tables);
    return {
      write: (text) => parser.write(text),
      end: () => {
        tables.ending();
        parser.end();
      },
    };
  });
  yield* rows.streams(
    layout.tables.map((table, i) => {
      const lastRow = Math.min(table.lastRow, limits.maxRowsPerSheet);
      return {
        name: names[i] ?? `表${i + 1}`,
        hidden: false,
        merges: table.ranges.flatMap((r) => {
          const bottom = Math.min(r.bottom, lastRow);
          return bottom === r.top && r.right === r.left ? [] : [`${address(r.left, r.top)}:${address(r.right, bottom)}`];
        }),
      };
    }),
  );
}

/** The first pass: tables, their captions and merged ranges, Excel's sheet names; refuses a cut file. */
async function readLayout(path: string, limits: ReadLimits): Promise<Layout> {
  const encoding = htmlEncoding(...(await fileHead(path)));
  const layout: Layout = { encoding, tables: [], names: [] };
  let cut = false;
  const tables = new HtmlTables(
    {
      tableStart: () => void layout.tables.push({ ranges: [], lastRow: 0 }),
      merge: (t, range) => void layout.tables[t - 1]?.ranges.push(range),
      caption: (t, text) => {
        const table = layout.tables[t - 1];
        if (table !== undefined && table.caption === undefined && text !== '') table.caption = text;
      },
      tableEnd: (t, lastRow, ended) => {
        const table = layout.tables[t - 1];
        if (table !== undefined) table.lastRow = lastRow;
        if (ended) cut = true;
      },
      comment: (text) => {
        if (!text.includes('ExcelWorksheet')) return;
        for (const m of text.matchAll(/<x:Name>([^<]*)<\/x:Name>/gi)) layout.names.push(decodeXml(m[1] ?? '').trim());
      },
    },
    limits,
  );
  const parser = parserFor(tables);
  for await (const text of decodedChunks(path, encoding)) parser.write(text);
  tables.ending();
  parser.end();
  if (cut) throw new UnreadableFileError(MESSAGE_HTML_CUT, { cause: new Error(`${path}: the file ends inside table ${tables.tables}`) });
  return layout;
}

/** The sheets' names, unique (see the module's comment). */
function sheetNames(layout: Layout, fileStem: string): string[] {
  const { tables, names } = layout;
  const chosen =
    names.length === tables.length && names.every((n) => n !== '')
      ? names
      : tables.length === 1
        ? [fileStem]
        : tables.map((t, i) => t.caption ?? `表${i + 1}`);
  const seen = new Set<string>();
  return chosen.map((raw, i) => {
    let name = [...raw].slice(0, MAX_NAME).join('');
    if (seen.has(name)) name = `${name}（${i + 1}）`;
    seen.add(name);
    return name;
  });
}

function parserFor(tables: HtmlTables): Parser {
  return new Parser(
    {
      onopentag: (name, attribs) => tables.onopentag(name, attribs),
      onclosetag: (name) => tables.onclosetag(name),
      ontext: (text) => tables.ontext(text),
      oncomment: (text) => tables.oncomment(text),
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
}
