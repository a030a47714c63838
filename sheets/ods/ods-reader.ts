/**
 * Reads an OpenDocument spreadsheet (`.ods`: what LibreOffice Calc and WPS write, the default
 * on the Kylin and UOS desktops) as {@link SheetStream}s, with the cells, limits and findings
 * of any workbook; what is read from the markup is described in `ods-content.ts`.
 *
 * The zip is opened with the xlsx reader's suspicion (`xlsx/zip.ts`: sizes and names checked
 * before anything is inflated, every part inflated against its declared size and the file's
 * budget, a DOCTYPE or entity declaration refused). `content.xml` holds every sheet; it is
 * inflated and tokenized (htmlparser2 in XML mode) as it streams, twice, as the xml2003 reader
 * reads its file: the first pass refuses a cut or damaged part and a cell its type cannot hold,
 * charges what the repeats make to the budget, and finds the sheets' names, visibility (their
 * table styles, in `content.xml` and `styles.xml`) and merged ranges, needed before the rows;
 * the second hands the rows on as they are read.
 *
 * @example
 * for await (const sheet of streamOds('inbox/office/学法活动台账.ods', DEFAULT_LIMITS)) …
 */
import { RowCursor, xmlTokenizer } from '../markup-rows.ts';
import { UnreadableFileError, address, damagedCellError, type ReadLimits, type SheetStream } from '../raw-sheet.ts';
import { MESSAGE_BOMB, entryText, openZip, type LocatedEntry, type ZipFile } from '../xlsx/zip.ts';
import { OdsCellError, OdsContent, type CellRange, type OdsEvents } from './ods-content.ts';

export const MESSAGE_ODS_NO_CONTENT =
  '文件是 OpenDocument 电子表格（.ods），但其中缺少表格内容（content.xml），文件可能已损坏。请在 WPS 或 LibreOffice 中打开核对，另存为 .xlsx 或 .ods 后再报送';
export const MESSAGE_ODS_ENCRYPTED = '文件已加密（设置了打开密码），请在 WPS 或 LibreOffice 中取消密码后重新报送';
export const MESSAGE_ODS_CUT =
  '文件是 OpenDocument 电子表格（.ods），但表格内容在中途就结束了：文件不完整（保存或上传时中断），未读取。请在 WPS 或 LibreOffice 中打开核对，重新保存后再报送';
export const MESSAGE_ODS_NO_SHEET =
  '文件是 OpenDocument 电子表格（.ods），但其中没有工作表，无法读取。请在 WPS 或 LibreOffice 中打开核对，另存为 .xlsx 后再报送';
export const MESSAGE_ODS_BROKEN =
  '文件是 OpenDocument 电子表格（.ods），但内容已损坏，无法读取。请在 WPS 或 LibreOffice 中打开，另存为 .xlsx 后再报送';

/**
 * What each cell or merged range a repeat makes, beyond those written, is charged to the
 * inflate budget (bytes): about the smallest such cell written out in an xlsx (`<c r="A1"><v>1
 * </v></c>`), so that a sheet reads here only if the same sheet written out would read there.
 */
const REPEATED_CELL_BYTES = 16;

interface OdsPackage extends ZipFile {
  readonly content: LocatedEntry;
  readonly styles: LocatedEntry | undefined;
}

interface Layout {
  readonly sheets: { name: string; style: string | undefined; ranges: CellRange[] }[];
  readonly hiddenStyles: Set<string>;
}

export async function* streamOds(path: string, limits: ReadLimits): AsyncGenerator<SheetStream> {
  const pkg = await openOds(path, limits);
  const layout = await readLayout(pkg, limits);
  if (layout.sheets.length === 0) throw new UnreadableFileError(MESSAGE_ODS_NO_SHEET);
  const rows = new RowCursor({ chunks: () => contentText(pkg, limits), encoding: 'utf-8' }, limits, (events) => xmlTokenizer(new OdsContent(events, limits)));
  yield* rows.streams(
    layout.sheets.map((sheet) => ({
      name: sheet.name,
      hidden: sheet.style !== undefined && layout.hiddenStyles.has(sheet.style),
      merges: sheet.ranges.map((r) => `${address(r.left, r.top)}:${address(r.right, r.bottom)}`),
    })),
  );
}

/** The package's parts, refused when `content.xml` is missing or encrypted. */
async function openOds(path: string, limits: ReadLimits): Promise<OdsPackage> {
  return openZip(path, limits, async (file, locate) => {
    const bytes = Buffer.isBuffer(file) ? file : undefined;
    const manifest = await locate('META-INF/manifest.xml');
    if (manifest !== undefined && (await mentions({ path, bytes }, manifest, 'encryption-data', limits))) {
      throw new UnreadableFileError(MESSAGE_ODS_ENCRYPTED, { cause: new Error('META-INF/manifest.xml lists encryption data') });
    }
    const content = await locate('content.xml');
    if (content === undefined) throw new UnreadableFileError(MESSAGE_ODS_NO_CONTENT, { cause: new Error('no content.xml in the zip') });
    return { path, bytes, content, styles: await locate('styles.xml') };
  });
}

/** Whether a part's text holds `word` (looked for chunk by chunk, never held whole). */
async function mentions(file: ZipFile, entry: LocatedEntry, word: string, limits: ReadLimits): Promise<boolean> {
  let tail = '';
  for await (const text of entryText(file, entry, { inflated: 0 }, limits)) {
    if ((tail + text).includes(word)) return true;
    tail = text.slice(-word.length);
  }
  return false;
}

/** The first pass (see the module's comment). */
async function readLayout(pkg: OdsPackage, limits: ReadLimits): Promise<Layout> {
  const layout: Layout = { sheets: [], hiddenStyles: new Set() };
  const budget = { inflated: 0 };
  const events: OdsEvents = {
    tableStart: (_, name, style) => void layout.sheets.push({ name, style, ranges: [] }),
    hiddenStyle: (name) => void layout.hiddenStyles.add(name),
    merge: (table, range) => void layout.sheets[table - 1]?.ranges.push(range),
    repeated: (count) => {
      budget.inflated += count * REPEATED_CELL_BYTES;
      if (budget.inflated > limits.maxInflatedBytes) {
        throw new UnreadableFileError(MESSAGE_BOMB, { cause: new Error(`repeated rows and cells make more than ${limits.maxInflatedBytes} bytes' worth of cells`) });
      }
    },
  };
  try {
    if (pkg.styles !== undefined) {
      const styles = xmlTokenizer(new OdsContent({ hiddenStyle: events.hiddenStyle }, limits));
      for await (const text of entryText(pkg, pkg.styles, budget, limits)) styles.write(text);
      styles.end();
    }
    const book = new OdsContent(events, limits);
    const tokens = xmlTokenizer(book);
    for await (const text of entryText(pkg, pkg.content, budget, limits)) tokens.write(text);
    tokens.end();
    if (book.cut) throw new UnreadableFileError(MESSAGE_ODS_CUT, { cause: new Error(`${pkg.path}: content.xml ends inside the document`) });
  } catch (error) {
    if (error instanceof OdsCellError) throw damagedCellError(error.sheet, error.cell, error.reason, error);
    throw error instanceof UnreadableFileError ? error : new UnreadableFileError(MESSAGE_ODS_BROKEN, { cause: error });
  }
  return layout;
}

/** `content.xml` again, for the second pass: what the first pass read, so any error now is the file's. */
async function* contentText(pkg: OdsPackage, limits: ReadLimits): AsyncGenerator<string> {
  try {
    yield* entryText(pkg, pkg.content, { inflated: 0 }, limits);
  } catch (error) {
    throw error instanceof UnreadableFileError ? error : new UnreadableFileError(MESSAGE_ODS_BROKEN, { cause: error });
  }
}
