import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { Readable, pipeline } from 'node:stream';
import { createInflateRaw, inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import {
  TruncationCounter,
  UnreadableFileError,
  type RawCell,
  type RawRow,
  type RawSheet,
  type RawValue,
  type ReadLimits,
} from './raw-sheet.ts';

export const MESSAGE_CORRUPT = '文件已损坏或不完整，无法打开。请重新保存后再报送';
const MESSAGE_NOT_XLSX =
  '压缩包中没有 Excel 工作簿（可能是 Word 文档或其他压缩文件），请在 Excel 中“另存为” .xlsx 后重新报送';
const MESSAGE_BOMB = '文件解压后过大，疑似异常文件，无法读取。请在 Excel 中重新保存后再报送';
const MESSAGE_UNSAFE = '文件内部结构异常（含非法路径），无法读取。请在 Excel 中重新保存后再报送';
export const MESSAGE_DOCTYPE =
  '文件内部含有 Excel 从不写入的 XML 声明（DOCTYPE/实体定义），疑似异常或被篡改的文件，未读取。请在 Excel 中打开后另存为新的 .xlsx 再报送';

/**
 * Reads every worksheet of an xlsx (or xlsm, or a WPS `.et` that is a zip) with exceljs's
 * streaming reader, one {@link RawSheet} per worksheet in workbook (tab) order, each yielded
 * once its rows are all read; one sheet's rows are in memory at a time.
 *
 * Before exceljs sees the file, the zip's central directory is checked: file size, total
 * inflated size, entry names; the parts are then streamed from the file to exceljs's part
 * parsers by this module, not by exceljs's own zip loop (see StreamWorkbookReader below).
 * Any failure to read is an {@link UnreadableFileError} with a Chinese message (for the
 * `file.unreadable` finding) and the original error as `cause`.
 *
 * exceljs's streaming reader drops several things this reader needs, so they are recovered
 * here from the file itself: sheet names, order and visibility (`xl/workbook.xml`, read from
 * the zip before streaming), hidden rows and merged ranges (the worksheet reader ignores
 * `<row hidden>` and `<mergeCell>`), the error text of a formula (it hands back `NaN`) and
 * the boolean of a boolean formula (it hands back 1/0); and Chinese built-in date formats
 * (numFmtId 27–31, 36, 50–54, 57, 58, which exceljs does not know) still give dates.
 *
 * Rows past `limits.maxRowsPerSheet` and cells past `limits.maxColumns` are dropped, and the
 * sheet says so in `truncated` (the `sheet.truncated` finding). An XML part declaring a DOCTYPE
 * (entity expansion, external entities) is refused before any parser sees it: Excel never
 * writes one.
 *
 * @example
 * for await (const sheet of readXlsx('inbox/justice/调解台账.xlsx', DEFAULT_LIMITS)) {
 *   console.log(sheet.name, sheet.rows.length);
 * }
 */
export async function* readXlsx(path: string, limits: ReadLimits): AsyncGenerator<RawSheet> {
  const book = await inspectZip(path, limits);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    entries: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    worksheets: 'emit',
  }) as unknown as StreamWorkbookReader;
  const budget = { inflated: 0 };
  const part = (entry: LocatedEntry): Readable => Readable.from(entryText(path, entry, budget, limits));
  try {
    // Parts are fed to exceljs in the order it needs them (see the note on StreamWorkbookReader).
    await reader._parseWorkbook(part(book.workbook));
    if (book.rels) await reader._parseRels(part(book.rels));
    if (book.styles) await reader._parseStyles(part(book.styles));
    if (book.sharedStrings) {
      for await (const _ of reader._parseSharedStrings(part(book.sharedStrings))) {
        // 'cache' mode yields nothing: the strings land in reader.sharedStrings
      }
    }
    for (const [index, sheet] of book.sheets.entries()) {
      const [event] = [...reader._parseWorksheet(entryText(path, sheet.entry, budget, limits), String(index + 1))];
      if (event === undefined) throw new Error('exceljs yielded no worksheet reader');
      yield await readWorksheet(event.value, reader, sheet, book.date1904, limits);
    }
  } catch (error) {
    if (error instanceof UnreadableFileError) throw error;
    throw new UnreadableFileError(MESSAGE_CORRUPT, { cause: error });
  }
}

/**
 * Throws the `file.unreadable` error for a file over `limits.maxFileBytes`.
 * @example assertFileSize(60 * 1024 * 1024, DEFAULT_LIMITS) // throws 文件过大（60 MB），超过 50 MB 上限
 */
export function assertFileSize(size: number, limits: ReadLimits): void {
  if (size > limits.maxFileBytes) {
    throw new UnreadableFileError(
      `文件过大（${megabytes(size)} MB），超过 ${megabytes(limits.maxFileBytes)} MB 上限。请删除无关内容或拆分后再报送`,
    );
  }
}

function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  if (Number.isInteger(mb)) return String(mb);
  return mb >= 1 ? mb.toFixed(1) : mb.toFixed(2);
}

// ---------------------------------------------------------------------------------------------
// The part of exceljs's streaming API used here (its published types for it are placeholders).
//
// Why the workbook reader's own zip loop (`for await (const ws of reader)`) is not used: it reads
// the zip with unzipper's streaming Parse, which emits 'end' as soon as its input is written,
// while entries may still wait in its readable buffer; exceljs stops there. With a small
// workbook (the whole file in one 64 KB chunk) later entries are dropped at random: measured on
// a hand-made workbook, xl/sharedStrings.xml was lost in about half of the runs (every text cell
// then came back as `{ sharedString: n }`). And it decodes each chunk on its own, so a Chinese
// character split between two chunks turns into U+FFFD. So the parts are located from the
// central directory, inflated here, decoded as a stream, and handed to the reader's part parsers
// (exceljs 4.4.0 is pinned; these methods are what its own loop calls).

interface StreamWorkbookReader {
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseRels(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncIterable<unknown>;
  _parseWorksheet(
    iterator: AsyncIterable<string>,
    sheetNo: string,
  ): Iterable<{ eventType: 'worksheet'; value: StreamWorksheetReader }>;
  /** Replaced once xl/styles.xml is read; the worksheet reader takes it when it starts. */
  styles: StyleManager;
}

interface StreamWorksheetReader {
  /** The XML chunks of the part; read when iteration starts, so it can be wrapped before. */
  iterator: AsyncIterable<string>;
  [Symbol.asyncIterator](): AsyncIterator<StreamRow>;
}

interface StreamRow {
  readonly number: number;
  eachCell(callback: (cell: StreamCell, colNumber: number) => void): void;
}

interface StreamCell {
  readonly address: string;
  readonly numFmt?: string;
  /** exceljs's CellValue, narrowed by {@link toRawCell}. */
  readonly value: unknown;
}

interface StyleManager {
  model: { styles: ({ numFmtId?: number } | undefined)[] };
  getStyleModel(id: number): { numFmt?: string } | null;
}

// ---------------------------------------------------------------------------------------------
// One worksheet

interface SheetInfo {
  readonly name: string;
  readonly hidden: boolean;
  readonly entry: LocatedEntry;
}

async function readWorksheet(
  worksheet: StreamWorksheetReader,
  reader: StreamWorkbookReader,
  info: SheetInfo,
  date1904: boolean,
  limits: ReadLimits,
): Promise<RawSheet> {
  patchChineseDateFormats(reader.styles);
  const tap = new SheetXmlTap();
  const source = worksheet.iterator;
  worksheet.iterator = (async function* () {
    for await (const chunk of source) {
      tap.write(chunk);
      yield chunk;
    }
    tap.end();
  })();

  const rows: { rowNumber: number; cells: (RawCell | undefined)[] }[] = [];
  const dropped = new TruncationCounter(limits);
  for await (const row of worksheet) {
    // Past the limit the rest of the part is still read (and counted), for the merges after it.
    const over = rows.length >= limits.maxRowsPerSheet;
    const cells: (RawCell | undefined)[] = [];
    row.eachCell((cell, colNumber) => {
      const raw = toRawCell(cell, tap, date1904);
      if (raw === undefined) return;
      if (over) cells[0] = raw;
      else if (colNumber > limits.maxColumns) dropped.droppedCell(colNumber - 1, row.number);
      else cells[colNumber - 1] = raw;
    });
    if (cells.length === 0) continue;
    if (over) dropped.droppedRow(row.number);
    else rows.push({ rowNumber: row.number, cells: Array.from(cells) });
  }
  // The tap has seen the whole part only now: <mergeCells> come after <sheetData>.
  return {
    name: info.name,
    hidden: info.hidden,
    rows: rows.map((r): RawRow => ({ ...r, hidden: tap.hiddenRows.has(r.rowNumber) })),
    merges: tap.merges,
    ...dropped.result(),
  };
}

function toRawCell(cell: StreamCell, tap: SheetXmlTap, date1904: boolean): RawCell | undefined {
  const v = cell.value;
  if (v === null || v === undefined) return undefined;
  if (typeof v !== 'object' || v instanceof Date) {
    const value = plainValue(v);
    return value === null || value === '' ? undefined : { value };
  }
  if ('formula' in v || 'sharedFormula' in v) {
    const flagged = tap.formulaTypes.get(cell.address);
    const result = (v as { result?: unknown }).result;
    if (flagged?.type === 'e') return { value: null, error: flagged.text, formula: true };
    if (isErrorValue(result)) return { value: null, error: result.error, formula: true };
    if (typeof result === 'number') {
      // exceljs turns no formula result into a Date: do it here for date-formatted cells.
      if (flagged?.type === 'b') return { value: result !== 0, formula: true };
      if (isDateFormat(cell.numFmt)) return { value: serialToDate(result, date1904), formula: true };
    }
    return { value: plainValue(result), formula: true };
  }
  if (isErrorValue(v)) return { value: null, error: v.error };
  const value = plainValue(v);
  return value === null || value === '' ? undefined : { value };
}

function isErrorValue(v: unknown): v is { error: string } {
  return typeof v === 'object' && v !== null && typeof (v as { error?: unknown }).error === 'string';
}

/** A value or formula result as a RawValue: rich text joined, a hyperlink's text, NaN dropped. */
function plainValue(v: unknown): RawValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v;
  if (typeof v === 'object') {
    const richText = (v as { richText?: unknown }).richText;
    if (Array.isArray(richText)) {
      return richText.map((run: unknown) => String((run as { text?: unknown } | null)?.text ?? '')).join('');
    }
    if ('text' in v) return plainValue((v as { text: unknown }).text);
    if ('result' in v) return plainValue((v as { result: unknown }).result);
  }
  return null;
}

/** exceljs's own test (utils.isDateFmt): any of y m d h s outside quotes and brackets. */
function isDateFormat(fmt: string | undefined): boolean {
  if (!fmt) return false;
  return /[ymdhMsb]+/.test(fmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

/** As exceljs converts (utils.excelToDate): the serial's day at UTC midnight. */
function serialToDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
}

/**
 * Built-in number formats of Chinese Excel that are dates (`yyyy"年"m"月"d"日"` is 31): exceljs
 * only knows the locale-neutral built-ins, so a cell formatted so would come back a number.
 */
const CHINESE_DATE_FORMAT_IDS = new Set([27, 28, 29, 30, 31, 36, 50, 51, 52, 53, 54, 57, 58]);
const patched = new WeakSet<StyleManager>();

function patchChineseDateFormats(styles: StyleManager): void {
  if (patched.has(styles)) return;
  patched.add(styles);
  const original = styles.getStyleModel.bind(styles);
  styles.getStyleModel = (id: number) => {
    const model = original(id);
    const numFmtId = styles.model.styles[id]?.numFmtId;
    // exceljs caches the model object per style id, so setting it once is enough.
    if (model && !model.numFmt && numFmtId !== undefined && CHINESE_DATE_FORMAT_IDS.has(numFmtId)) {
      model.numFmt = 'yyyy-mm-dd';
    }
    return model;
  };
}

/**
 * Watches a worksheet part's XML as exceljs reads it, for what exceljs's streaming reader
 * drops: `<row hidden="1">`, `<mergeCell ref>`, and the type of formula cells holding an
 * error (`t="e"`, whose text exceljs turns into NaN) or a boolean (`t="b"`, handed back as 1/0).
 * Only complete tags (and complete cells) are scanned; the incomplete tail waits for the next
 * chunk.
 */
class SheetXmlTap {
  readonly hiddenRows = new Set<number>();
  readonly merges: string[] = [];
  readonly formulaTypes = new Map<string, { type: 'e' | 'b'; text: string }>();
  private carry = '';

  write(chunk: string): void {
    const text = this.carry + chunk;
    // Hold back only what is incomplete: a tag cut at the chunk's end, or a cell whose end has
    // not arrived yet. A complete cell must be scanned now: exceljs hands out its row as soon
    // as it has parsed this chunk, before the next one is read (the sheet's very last cell too).
    let cut = text.length;
    const lastOpen = text.lastIndexOf('<');
    if (lastOpen > text.lastIndexOf('>')) cut = lastOpen;
    // Cells do not nest: everything before the last cell's start is whole.
    const cellStart = lastMatch(text.slice(0, cut), /<c[\s>]/g);
    if (cellStart >= 0 && !isCompleteCell(text.slice(cellStart, cut))) cut = cellStart;
    this.scan(text.slice(0, cut));
    this.carry = text.slice(cut);
  }

  end(): void {
    this.scan(this.carry);
    this.carry = '';
  }

  private scan(xml: string): void {
    for (const m of xml.matchAll(/<row\b([^>]*)>/g)) {
      const attrs = m[1] ?? '';
      if (/\shidden="(1|true)"/.test(attrs)) {
        const r = /\sr="(\d+)"/.exec(attrs)?.[1];
        if (r !== undefined) this.hiddenRows.add(Number(r));
      }
    }
    for (const m of xml.matchAll(/<mergeCell\b[^>]*\sref="([A-Z]+\d+(?::[A-Z]+\d+)?)"/g)) {
      if (m[1] !== undefined) this.merges.push(m[1]);
    }
    for (const m of xml.matchAll(/<c\b([^>]*\st="[eb]"[^>]*?)(?<!\/)>([\s\S]*?)<\/c>/g)) {
      const attrs = m[1] ?? '';
      const body = m[2] ?? '';
      const ref = /\sr="([A-Z]+\d+)"/.exec(attrs)?.[1];
      const type = /\st="([eb])"/.exec(attrs)?.[1];
      if (ref === undefined || (type !== 'e' && type !== 'b') || !/<f[\s>/]/.test(body)) continue;
      const text = /<v>([^<]*)<\/v>/.exec(body)?.[1] ?? '';
      this.formulaTypes.set(ref, { type, text });
    }
  }
}

/** A cell's XML from its `<c`: self-closing, or with its `</c>`. */
function isCompleteCell(xml: string): boolean {
  const open = xml.indexOf('>');
  return open >= 0 && (xml[open - 1] === '/' || xml.includes('</c>', open));
}

function lastMatch(text: string, re: RegExp): number {
  let last = -1;
  for (const m of text.matchAll(re)) last = m.index;
  return last;
}

// ---------------------------------------------------------------------------------------------
// The zip, checked from its central directory before anything is inflated

interface WorkbookInfo {
  readonly sheets: readonly SheetInfo[];
  readonly date1904: boolean;
  readonly workbook: LocatedEntry;
  readonly rels?: LocatedEntry | undefined;
  readonly styles?: LocatedEntry | undefined;
  readonly sharedStrings?: LocatedEntry | undefined;
}

/** An entry with the offset of its data, past its local header. */
interface LocatedEntry extends ZipEntry {
  readonly dataStart: number;
}

interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const MAX_U32 = 0xffffffff;

async function inspectZip(path: string, limits: ReadLimits): Promise<WorkbookInfo> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new UnreadableFileError('文件无法打开，请重新报送', { cause: error });
  }
  try {
    const { size } = await handle.stat();
    assertFileSize(size, limits);
    const entries = await readCentralDirectory(handle, size);
    let inflated = 0;
    for (const entry of entries) {
      inflated += entry.size;
      const segments = entry.name.split(/[/\\]/);
      if (entry.name.startsWith('/') || entry.name.startsWith('\\') || /^[A-Za-z]:/.test(entry.name) || segments.includes('..')) {
        throw new UnreadableFileError(MESSAGE_UNSAFE, { cause: new Error(`unsafe zip entry name: ${entry.name}`) });
      }
    }
    if (inflated > limits.maxInflatedBytes) {
      throw new UnreadableFileError(MESSAGE_BOMB, {
        cause: new Error(`zip entries inflate to ${inflated} bytes, over the limit of ${limits.maxInflatedBytes}`),
      });
    }
    const byName = new Map(entries.map((e) => [e.name, e]));
    const locate = async (name: string): Promise<LocatedEntry | undefined> => {
      const entry = byName.get(name);
      return entry === undefined ? undefined : { ...entry, dataStart: await dataStart(handle, entry) };
    };
    const workbook = await locate('xl/workbook.xml');
    if (workbook === undefined) {
      throw new UnreadableFileError(MESSAGE_NOT_XLSX, { cause: new Error('no xl/workbook.xml in the zip') });
    }
    const rels = await locate('xl/_rels/workbook.xml.rels');
    const parsed = parseWorkbook(await readEntry(handle, workbook), rels === undefined ? '' : await readEntry(handle, rels));
    const sheets: SheetInfo[] = [];
    for (const sheet of parsed.sheets) {
      const entry = await locate(sheet.path);
      if (entry === undefined) throw new Error(`worksheet ${sheet.name}: no part ${sheet.path} in the zip`);
      sheets.push({ name: sheet.name, hidden: sheet.hidden, entry });
    }
    return {
      sheets,
      date1904: parsed.date1904,
      workbook,
      rels,
      styles: await locate(parsed.styles ?? 'xl/styles.xml'),
      sharedStrings: await locate(parsed.sharedStrings ?? 'xl/sharedStrings.xml'),
    };
  } catch (error) {
    if (error instanceof UnreadableFileError) throw error;
    throw new UnreadableFileError(MESSAGE_CORRUPT, { cause: error });
  } finally {
    await handle.close();
  }
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  if (bytesRead !== length) throw new Error(`short read at ${position}: ${bytesRead} of ${length} bytes`);
  return buffer;
}

async function readCentralDirectory(handle: FileHandle, size: number): Promise<ZipEntry[]> {
  // The end-of-central-directory record is 22 bytes plus a comment of up to 65,535.
  const tailLength = Math.min(size, 22 + 0xffff);
  const tail = await readAt(handle, size - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i -= 1) {
    if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('no end-of-central-directory record (truncated or not a zip)');
  const count = tail.readUInt16LE(eocd + 10);
  const cdSize = tail.readUInt32LE(eocd + 12);
  const cdOffset = tail.readUInt32LE(eocd + 16);
  if (tail.readUInt16LE(eocd + 4) !== 0 || tail.readUInt16LE(eocd + 6) !== 0) throw new Error('multi-disk zip');
  if (count === 0xffff || cdSize === MAX_U32 || cdOffset === MAX_U32) throw new Error('zip64 archive');
  if (cdOffset + cdSize > size - tailLength + eocd) throw new Error('central directory beyond its end record');

  const cd = await readAt(handle, cdOffset, cdSize);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let n = 0; n < count; n += 1) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL_SIGNATURE) throw new Error('bad central directory header');
    const flags = cd.readUInt16LE(p + 8);
    const nameLength = cd.readUInt16LE(p + 28);
    const extraLength = cd.readUInt16LE(p + 30);
    const commentLength = cd.readUInt16LE(p + 32);
    const nameBytes = cd.subarray(p + 46, p + 46 + nameLength);
    // Bit 11: UTF-8 names; otherwise CP437, of which the ASCII part is all that matters here.
    const name = nameBytes.toString(flags & 0x800 ? 'utf8' : 'latin1');
    let compressedSize = cd.readUInt32LE(p + 20);
    let size = cd.readUInt32LE(p + 24);
    let localHeaderOffset = cd.readUInt32LE(p + 42);
    if (size === MAX_U32 || compressedSize === MAX_U32 || localHeaderOffset === MAX_U32) {
      // Zip64 extra field (id 1): the 8-byte values of the fields that are 0xFFFFFFFF, in order.
      const zip64 = findExtra(cd.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength), 1);
      if (zip64 === undefined) throw new Error(`zip64 sizes without a zip64 field: ${name}`);
      let q = 0;
      const next = (): number => {
        const v = Number(zip64.readBigUInt64LE(q));
        q += 8;
        return v;
      };
      if (size === MAX_U32) size = next();
      if (compressedSize === MAX_U32) compressedSize = next();
      if (localHeaderOffset === MAX_U32) localHeaderOffset = next();
    }
    entries.push({ name, method: cd.readUInt16LE(p + 10), compressedSize, size, localHeaderOffset });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function findExtra(extra: Buffer, id: number): Buffer | undefined {
  for (let p = 0; p + 4 <= extra.length; ) {
    const length = extra.readUInt16LE(p + 2);
    if (extra.readUInt16LE(p) === id) return extra.subarray(p + 4, p + 4 + length);
    p += 4 + length;
  }
  return undefined;
}

async function dataStart(handle: FileHandle, entry: ZipEntry): Promise<number> {
  const local = await readAt(handle, entry.localHeaderOffset, 30);
  if (local.readUInt32LE(0) !== LOCAL_SIGNATURE) throw new Error(`bad local header for ${entry.name}`);
  return entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
}

/** One small entry's text (workbook.xml and its rels), inflated with its declared size as the cap. */
async function readEntry(handle: FileHandle, entry: LocatedEntry): Promise<string> {
  const data = await readAt(handle, entry.dataStart, entry.compressedSize);
  if (entry.method !== 0 && entry.method !== 8) throw new Error(`unsupported compression method ${entry.method} for ${entry.name}`);
  const text = (entry.method === 0 ? data : inflateRawSync(data, { maxOutputLength: Math.max(entry.size, 1) })).toString('utf8');
  new DoctypeGuard(entry.name).check(text);
  return text;
}

/**
 * Refuses XML with a document type declaration: the door to entity expansion (billion laughs)
 * and external entities (`SYSTEM "file:///etc/passwd"`). Excel never writes one, so the part is
 * refused outright, before exceljs's parser sees it. Fed chunk by chunk; a declaration split
 * between two chunks is still seen.
 */
class DoctypeGuard {
  #tail = '';
  constructor(private readonly part: string) {}

  check(text: string): void {
    const window = this.#tail + text;
    if (/<!(DOCTYPE|ENTITY)/i.test(window)) {
      throw new UnreadableFileError(MESSAGE_DOCTYPE, { cause: new Error(`${this.part} declares a DOCTYPE or an entity`) });
    }
    this.#tail = window.slice(-8);
  }
}

/**
 * An entry's text, streamed: its bytes read from the file, inflated, checked against the size
 * the central directory declared (a zip that lies about it is a bomb or damaged) and the
 * inflate budget of the whole file, and decoded as one UTF-8 stream, so that a character split
 * between two chunks stays whole. Its streams are destroyed however the reading ends.
 */
async function* entryText(
  path: string,
  entry: LocatedEntry,
  budget: { inflated: number },
  limits: ReadLimits,
): AsyncGenerator<string> {
  if (entry.method !== 0 && entry.method !== 8) {
    throw new Error(`unsupported compression method ${entry.method} for ${entry.name}`);
  }
  if (entry.compressedSize === 0) return;
  const file = createReadStream(path, { start: entry.dataStart, end: entry.dataStart + entry.compressedSize - 1 });
  const inflate = entry.method === 8 ? createInflateRaw() : undefined;
  // pipeline forwards an error of either stream to the other; the callback only keeps it
  // from being reported as unhandled, the iteration below throws it.
  const source = inflate === undefined ? file : pipeline(file, inflate, () => {});
  const decoder = new TextDecoder('utf-8');
  const guard = new DoctypeGuard(entry.name);
  let size = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      size += chunk.length;
      budget.inflated += chunk.length;
      if (size > entry.size || budget.inflated > limits.maxInflatedBytes) {
        throw new UnreadableFileError(MESSAGE_BOMB, {
          cause: new Error(`${entry.name} inflates past its declared ${entry.size} bytes or the file's limit`),
        });
      }
      const text = decoder.decode(chunk, { stream: true });
      guard.check(text);
      if (text !== '') yield text;
    }
    if (size !== entry.size) throw new Error(`${entry.name}: ${size} bytes inflated, ${entry.size} declared`);
    const rest = decoder.decode();
    guard.check(rest);
    if (rest !== '') yield rest;
  } finally {
    file.destroy();
    inflate?.destroy();
  }
}

interface ParsedWorkbook {
  readonly sheets: readonly { name: string; hidden: boolean; path: string }[];
  readonly date1904: boolean;
  readonly styles?: string | undefined;
  readonly sharedStrings?: string | undefined;
}

function parseWorkbook(workbookXml: string, relsXml: string): ParsedWorkbook {
  const targets = new Map<string, string>();
  let styles: string | undefined;
  let sharedStrings: string | undefined;
  for (const m of relsXml.matchAll(/<(?:\w+:)?Relationship\b([^>]*)>/g)) {
    const attrs = attributes(m[1] ?? '');
    const id = attrs.get('Id');
    const target = attrs.get('Target');
    if (id === undefined || target === undefined || attrs.get('TargetMode') === 'External') continue;
    targets.set(id, resolvePart(target));
    const type = attrs.get('Type') ?? '';
    if (type.endsWith('/styles')) styles = resolvePart(target);
    if (type.endsWith('/sharedStrings')) sharedStrings = resolvePart(target);
  }
  const sheets: { name: string; hidden: boolean; path: string }[] = [];
  for (const m of workbookXml.matchAll(/<(?:\w+:)?sheet\b([^>]*)>/g)) {
    const attrs = attributes(m[1] ?? '');
    const relId = [...attrs].find(([k]) => /(^|:)id$/.test(k))?.[1];
    const path = relId === undefined ? undefined : targets.get(relId);
    const name = attrs.get('name') ?? '';
    // Chart sheets and dialog sheets have no cells.
    if (path !== undefined && !path.startsWith('xl/worksheets/')) continue;
    const state = attrs.get('state');
    sheets.push({ name, hidden: state === 'hidden' || state === 'veryHidden', path: path ?? `(no part for ${name})` });
  }
  const pr = /<(?:\w+:)?workbookPr\b([^>]*)>/.exec(workbookXml)?.[1];
  const date1904 = pr === undefined ? false : /^(1|true)$/.test(attributes(pr).get('date1904') ?? '');
  return { sheets, date1904, styles, sharedStrings };
}

/** A relationship target (relative to `xl/`, or absolute from the package root) as a zip path. */
function resolvePart(target: string): string {
  const parts = target.startsWith('/') ? [] : ['xl'];
  for (const segment of target.replace(/^\/+/, '').split('/')) {
    if (segment === '..') parts.pop();
    else if (segment !== '.' && segment !== '') parts.push(segment);
  }
  return parts.join('/');
}

function attributes(source: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const m of source.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    if (m[1] !== undefined) map.set(m[1], decodeXml(m[2] ?? m[3] ?? ''));
  }
  return map;
}

function decodeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e] ?? _;
  });
}
