/**
 * The zip inside an xlsx, handled with suspicion: its central directory is checked before
 * anything is inflated (file size, declared inflated size, entry names), every part is
 * inflated against the size it declared and the file's budget (zip bombs), and any XML part
 * declaring a DOCTYPE or entity is refused (billion laughs, external entities).
 */
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { createInflateRaw, inflateRawSync } from 'node:zlib';
import { UnreadableFileError, type ReadLimits } from '../raw-sheet.ts';
import { Utf8Decoder, pieceText, type TextPiece } from './utf8.ts';
import { parseWorkbook } from './workbook.ts';

export const MESSAGE_CORRUPT = '文件已损坏或不完整，无法打开。请重新保存后再报送';
export const MESSAGE_NOT_XLSX =
  '压缩包中没有 Excel 工作簿（可能是 Word 文档或其他压缩文件），请在 Excel 中“另存为” .xlsx 后重新报送';
export const MESSAGE_BOMB = '文件解压后过大，疑似异常文件，无法读取。请在 Excel 中重新保存后再报送';
export const MESSAGE_UNSAFE = '文件内部结构异常（含非法路径），无法读取。请在 Excel 中重新保存后再报送';
export const MESSAGE_DOCTYPE =
  '文件内部含有 Excel 从不写入的 XML 声明（DOCTYPE/实体定义），疑似异常或被篡改的文件，未读取。请在 Excel 中打开后另存为新的 .xlsx 再报送';

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

/** A worksheet of the workbook, in tab order, with the zip entry of its part. */
export interface SheetInfo {
  readonly name: string;
  readonly hidden: boolean;
  readonly veryHidden: boolean;
  readonly entry: LocatedEntry;
}


/**
 * The zip file a part is read from: its path, and its bytes when it was small enough to be read
 * whole ({@link WHOLE_FILE_BYTES}).
 */
export interface ZipFile {
  readonly path: string;
  readonly bytes?: Buffer | undefined;
}

export interface WorkbookInfo extends ZipFile {
  readonly sheets: readonly SheetInfo[];
  readonly date1904: boolean;
  /** The workbook asks for every formula to be recalculated on opening: the stored results are placeholders (`workbook.ts`). */
  readonly fullCalcOnLoad: boolean;
  readonly workbook: LocatedEntry;
  readonly rels?: LocatedEntry | undefined;
  readonly styles?: LocatedEntry | undefined;
  readonly sharedStrings?: LocatedEntry | undefined;
}

/** An entry with the offset of its data, past its local header. */
export interface LocatedEntry extends ZipEntry {
  readonly dataStart: number;
}

/** An entry as the central directory lists it (zip64 sizes and offsets resolved). */
export interface ZipEntry {
  readonly name: string;
  /** General purpose flags: bit 0 encrypted, bit 6 strong encryption, bit 11 UTF-8 name. */
  readonly flags: number;
  readonly method: number;
  /** MS-DOS modification time and date, as stored. */
  readonly time: number;
  readonly date: number;
  readonly crc: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
  /** Whether its sizes or offset came from a zip64 extra field. */
  readonly zip64: boolean;
}

export const EOCD_SIGNATURE = 0x06054b50;
export const CENTRAL_SIGNATURE = 0x02014b50;
export const LOCAL_SIGNATURE = 0x04034b50;
const ZIP64_END_SIGNATURE = 0x06064b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const MAX_U32 = 0xffffffff;

/**
 * A file up to this size is read whole, in one read, and its small parts are inflated from those
 * bytes at once ({@link entryPieces}): a district's 5,000 small workbooks each cost an open, a
 * read stream and an inflate stream per part (five or six), and the native memory of those
 * streams (a 1 MB output buffer each) was what kept the read workers' collector busy. A larger
 * file is read as before, part by part, streamed, in bounded memory.
 */
export const WHOLE_FILE_BYTES = 8 * 1024 * 1024;

export async function inspectZip(path: string, limits: ReadLimits): Promise<WorkbookInfo> {
  return openZip(path, limits, async (file, locate) => {
    const workbook = await locate('xl/workbook.xml');
    if (workbook === undefined) {
      throw new UnreadableFileError(MESSAGE_NOT_XLSX, { cause: new Error('no xl/workbook.xml in the zip') });
    }
    const rels = await locate('xl/_rels/workbook.xml.rels');
    const parsed = parseWorkbook(await readEntry(file, workbook), rels === undefined ? '' : await readEntry(file, rels));
    const sheets: SheetInfo[] = [];
    for (const sheet of parsed.sheets) {
      const entry = await locate(sheet.path);
      if (entry === undefined) throw new Error(`worksheet ${sheet.name}: no part ${sheet.path} in the zip`);
      sheets.push({ name: sheet.name, hidden: sheet.hidden, veryHidden: sheet.veryHidden, entry });
    }
    return {
      path,
      bytes: Buffer.isBuffer(file) ? file : undefined,
      sheets,
      date1904: parsed.date1904,
      fullCalcOnLoad: parsed.fullCalcOnLoad,
      workbook,
      rels,
      styles: await locate(parsed.styles ?? 'xl/styles.xml'),
      sharedStrings: await locate(parsed.sharedStrings ?? 'xl/sharedStrings.xml'),
    };
  });
}

/** Finds an entry of the zip by its name, with the offset of its data (undefined: no such entry). */
export type LocateEntry = (name: string) => Promise<LocatedEntry | undefined>;

/**
 * Opens a zip package with suspicion and hands `describe` its entries: the file's size checked,
 * the central directory read, every entry name checked (no absolute path, no `..`) and the sizes
 * the entries declare added up against `limits.maxInflatedBytes`, all before anything is
 * inflated. `file` is the file's bytes when it is small enough to be read whole
 * ({@link WHOLE_FILE_BYTES}; pass them on as {@link ZipFile.bytes}), else the open handle,
 * closed once `describe` returns. Any error but an {@link UnreadableFileError} is a damaged file.
 *
 * @example
 * const book = await openZip(path, limits, async (file, locate) => ({ path, bytes: Buffer.isBuffer(file) ? file : undefined, content: await locate('content.xml') }));
 */
export async function openZip<T>(path: string, limits: ReadLimits, describe: (file: FileHandle | Buffer, locate: LocateEntry) => Promise<T>): Promise<T> {
  let handle: FileHandle;
  let closed = false;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new UnreadableFileError('文件无法打开，请重新报送', { cause: error });
  }
  try {
    const { size } = await handle.stat();
    assertFileSize(size, limits);
    // A small file is read whole, in one read, and closed at once: the rest works on its bytes.
    const bytes = size <= WHOLE_FILE_BYTES ? await readAt(handle, 0, size, Buffer.allocUnsafe(size)) : undefined;
    if (bytes !== undefined) {
      closed = true;
      await handle.close();
    }
    const file = bytes ?? handle;
    const { entries } = await readCentralDirectory(file, size);
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
    return await describe(file, async (name) => {
      const entry = byName.get(name);
      return entry === undefined ? undefined : { ...entry, dataStart: await dataStart(file, entry) };
    });
  } catch (error) {
    if (error instanceof UnreadableFileError) throw error;
    throw new UnreadableFileError(MESSAGE_CORRUPT, { cause: error });
  } finally {
    if (!closed) await handle.close();
  }
}

/**
 * `length` bytes at `position`, from the file or from its bytes read whole (then a view of
 * them, not a copy); fewer is an error. `into` is a buffer to read into, which the caller
 * lets be uninitialised since every byte of it is read or the read fails.
 */
async function readAt(file: FileHandle | Buffer, position: number, length: number, into?: Buffer): Promise<Buffer> {
  if (Buffer.isBuffer(file)) {
    const view = position < 0 ? Buffer.alloc(0) : file.subarray(position, position + length);
    if (view.length !== length) throw new Error(`short read at ${position}: ${view.length} of ${length} bytes`);
    return view;
  }
  const buffer = into ?? Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  if (bytesRead !== length) throw new Error(`short read at ${position}: ${bytesRead} of ${length} bytes`);
  return buffer;
}

/** A zip's central directory: its entries, and whether its end record is zip64 (its entry count, size or offset did not fit). */
export interface CentralDirectory {
  readonly entries: ZipEntry[];
  readonly zip64: boolean;
}

/**
 * The entries of a zip's central directory (the file open, or its bytes), checked against the
 * archive's own bounds; throws on anything malformed.
 */
export async function readCentralDirectory(handle: FileHandle | Buffer, size: number): Promise<CentralDirectory> {
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
  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  if (tail.readUInt16LE(eocd + 4) !== 0 || tail.readUInt16LE(eocd + 6) !== 0) throw new Error('multi-disk zip');
  let end = size - tailLength + eocd;
  const zip64End = count === 0xffff || cdSize === MAX_U32 || cdOffset === MAX_U32;
  if (zip64End) {
    // Zip64 (as .NET, POI and Java write when told to, or past 65,535 entries or 4 GB): the
    // real figures are in the zip64 end record, found by the locator just before this one.
    if (eocd < 20 || tail.readUInt32LE(eocd - 20) !== ZIP64_LOCATOR_SIGNATURE) throw new Error('zip64 end record without its locator');
    const recordOffset = Number(tail.readBigUInt64LE(eocd - 20 + 8));
    if (recordOffset + 56 > end - 20) throw new Error('zip64 end record beyond its locator');
    const record = await readAt(handle, recordOffset, 56);
    if (record.readUInt32LE(0) !== ZIP64_END_SIGNATURE) throw new Error('bad zip64 end record');
    count = Number(record.readBigUInt64LE(32));
    cdSize = Number(record.readBigUInt64LE(40));
    cdOffset = Number(record.readBigUInt64LE(48));
    end = recordOffset;
  }
  if (cdOffset + cdSize > end) throw new Error('central directory beyond its end record');
  // Each entry takes at least 46 bytes: a count beyond that is a lie, not an allocation to make.
  if (count * 46 > cdSize) throw new Error(`central directory of ${cdSize} bytes cannot hold ${count} entries`);

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
    const zip64 = size === MAX_U32 || compressedSize === MAX_U32 || localHeaderOffset === MAX_U32;
    if (zip64) {
      // Zip64 extra field (id 1): the 8-byte values of the fields that are 0xFFFFFFFF, in order.
      const field = findExtra(cd.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength), 1);
      if (field === undefined) throw new Error(`zip64 sizes without a zip64 field: ${name}`);
      let q = 0;
      const next = (): number => {
        const v = Number(field.readBigUInt64LE(q));
        q += 8;
        return v;
      };
      if (size === MAX_U32) size = next();
      if (compressedSize === MAX_U32) compressedSize = next();
      if (localHeaderOffset === MAX_U32) localHeaderOffset = next();
    }
    entries.push({
      name,
      flags,
      method: cd.readUInt16LE(p + 10),
      time: cd.readUInt16LE(p + 12),
      date: cd.readUInt16LE(p + 14),
      crc: cd.readUInt32LE(p + 16),
      compressedSize,
      size,
      localHeaderOffset,
      zip64,
    });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return { entries, zip64: zip64End };
}

function findExtra(extra: Buffer, id: number): Buffer | undefined {
  for (let p = 0; p + 4 <= extra.length; ) {
    const length = extra.readUInt16LE(p + 2);
    if (extra.readUInt16LE(p) === id) return extra.subarray(p + 4, p + 4 + length);
    p += 4 + length;
  }
  return undefined;
}

/** Where an entry's data begins: past its local header (whose name and extra lengths may differ from the central directory's). */
export async function dataStart(handle: FileHandle | Buffer, entry: ZipEntry): Promise<number> {
  const local = await readAt(handle, entry.localHeaderOffset, 30);
  if (local.readUInt32LE(0) !== LOCAL_SIGNATURE) throw new Error(`bad local header for ${entry.name}`);
  return entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
}

/** One small entry's text (workbook.xml and its rels), inflated with its declared size as the cap. */
async function readEntry(handle: FileHandle | Buffer, entry: LocatedEntry): Promise<string> {
  const data = await readAt(handle, entry.dataStart, entry.compressedSize);
  if (entry.method !== 0 && entry.method !== 8) throw new Error(`unsupported compression method ${entry.method} for ${entry.name}`);
  const text = (entry.method === 0 ? data : inflateRawSync(data, { maxOutputLength: Math.max(entry.size, 1) })).toString('utf8');
  new DoctypeGuard(entry.name).check(text);
  return text;
}

/**
 * Refuses XML with a document type declaration: the door to entity expansion (billion laughs)
 * and external entities (`SYSTEM "file:///etc/passwd"`). Excel never writes one, so the part is
 * refused outright, before any parser sees it, wherever in the part it is. Fed chunk by chunk;
 * a declaration split between two chunks is still seen, in the chunk that completes it.
 */
class DoctypeGuard {
  #tail: Buffer = Buffer.alloc(0);
  constructor(private readonly part: string) {}

  /** A whole small part, as text. */
  check(text: string): void {
    if (/<!(DOCTYPE|ENTITY)/i.test(text)) this.#refuse();
  }

  /**
   * The next chunk of a part, as inflated bytes: the declaration is ASCII, and UTF-8 decoding
   * keeps every ASCII byte as it is, so searching the bytes finds what searching the text would,
   * without the text. The last bytes of each chunk are kept to see one split across chunks.
   */
  checkBytes(chunk: Buffer): void {
    if (this.#tail.length > 0 && declares(Buffer.concat([this.#tail, chunk.subarray(0, DECLARATION_BYTES)]))) this.#refuse();
    if (declares(chunk)) this.#refuse();
    const last = chunk.length >= DECLARATION_BYTES ? chunk : Buffer.concat([this.#tail, chunk]);
    this.#tail = Buffer.from(last.subarray(Math.max(0, last.length - DECLARATION_BYTES)));
  }

  #refuse(): never {
    throw new UnreadableFileError(MESSAGE_DOCTYPE, { cause: new Error(`${this.part} declares a DOCTYPE or an entity`) });
  }
}

/** Enough bytes to hold all of `<!DOCTYPE` but its first byte. */
const DECLARATION_BYTES = 8;
const DOCTYPE = Buffer.from('doctype');
const ENTITY = Buffer.from('entity');

/** `/<!(DOCTYPE|ENTITY)/i` over bytes. `!` is rare in a part, so it is what is searched for. */
function declares(bytes: Buffer): boolean {
  for (let at = bytes.indexOf(0x21); at >= 0; at = bytes.indexOf(0x21, at + 1)) {
    if (at > 0 && bytes[at - 1] === 0x3c && (startsCaseless(bytes, at + 1, DOCTYPE) || startsCaseless(bytes, at + 1, ENTITY))) return true;
  }
  return false;
}

/** Whether `bytes` has the lowercase ASCII word `word` at `at`, in any case. */
function startsCaseless(bytes: Buffer, at: number, word: Buffer): boolean {
  if (at + word.length > bytes.length) return false;
  // ORing 0x20 lowercases an ASCII letter and maps nothing else onto one.
  for (let i = 0; i < word.length; i++) if (((bytes[at + i] ?? 0) | 0x20) !== word[i]) return false;
  return true;
}

/** Big chunks: the scanner's per-chunk work and the stream's async hops stay few. */
const CHUNK = 1 << 20;

/**
 * The chunks a part of a file too large to be read whole (over {@link WHOLE_FILE_BYTES}) is
 * streamed in. Every chunk read and inflated is a new buffer outside the heap, garbage once
 * scanned, freed only when the collector finds its handle dead; with the shared strings no
 * longer made into strings little else prompts a collection while they are read (and the first
 * sheet's merged ranges beside them), and 1 MB chunks piled up to ~50 MB of a read worker's
 * external memory on the 500,000-row ledger. A quarter of the size: its whole ingest peaked at
 * 279–301 MB instead of 302–314 (3 runs each). Streamed so, the 100,000-row ledger read in the
 * same CPU time (16 alternated reads); it is under 8 MB, so it is read whole and keeps CHUNK, as
 * every such file does: its parts of up to CHUNK are inflated at once as the one chunk of their
 * stream, and a part that fails so is streamed to find what streaming finds.
 */
const LARGE_FILE_CHUNK = 1 << 18;

/**
 * An entry's text, streamed: its bytes read from the file, inflated, checked against the size
 * the central directory declared (a zip that lies about it is a bomb or damaged) and the
 * inflate budget of the whole file, and decoded as one UTF-8 stream, so that a character split
 * between two chunks stays whole. Its streams are destroyed however the reading ends.
 */
export async function* entryText(
  file: ZipFile | string,
  entry: LocatedEntry,
  budget: { inflated: number },
  limits: ReadLimits,
): AsyncGenerator<string> {
  for await (const piece of entryPieces(file, entry, budget, limits)) yield pieceText(piece);
}

/**
 * {@link entryText} as {@link TextPiece}s: valid UTF-8 left as bytes, for a reader that only
 * searches the text (the merged ranges' pass over a sheet) and so need not decode most of it.
 * `file` is the zip's path, or what {@link inspectZip} gave (with the bytes of a small file).
 *
 * A part of a file read whole that fits in one chunk, inflated and compressed, is inflated at
 * once from the file's bytes: it is the one chunk its stream would have given, checked the same
 * way, without a read stream and an inflate stream (and their 1 MB buffers) for it. When that
 * inflating fails (past the declared size, damaged data) the part is streamed after all, so
 * that what is found, and in which order, is what streaming finds.
 */
export async function* entryPieces(
  file: ZipFile | string,
  entry: LocatedEntry,
  budget: { inflated: number },
  limits: ReadLimits,
): AsyncGenerator<TextPiece> {
  const { path, bytes } = typeof file === 'string' ? { path: file, bytes: undefined } : file;
  if (entry.method !== 0 && entry.method !== 8) {
    throw new Error(`unsupported compression method ${entry.method} for ${entry.name}`);
  }
  if (entry.compressedSize === 0) return;
  const checks = new PartChecks(entry, budget, limits);
  const whole = bytes === undefined ? undefined : wholePart(bytes, entry);
  if (whole !== undefined) {
    if (whole.length > 0) yield* checks.pieces(whole);
    const rest = checks.end();
    if (rest !== '') yield rest;
    return;
  }
  const chunkSize = bytes === undefined ? LARGE_FILE_CHUNK : CHUNK;
  const stream = createReadStream(path, { start: entry.dataStart, end: entry.dataStart + entry.compressedSize - 1, highWaterMark: chunkSize });
  const inflate = entry.method === 8 ? createInflateRaw({ chunkSize }) : undefined;
  // pipeline forwards an error of either stream to the other; the callback only keeps it
  // from being reported as unhandled, the iteration below throws it.
  const source = inflate === undefined ? stream : pipeline(stream, inflate, () => {});
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) yield* checks.pieces(chunk);
    const rest = checks.end();
    if (rest !== '') yield rest;
  } finally {
    stream.destroy();
    inflate?.destroy();
  }
}

/**
 * Whether {@link entryPieces} streams the part (a read stream and an inflate stream, the
 * inflating done on libuv's thread pool) rather than inflating it at once from the file's bytes.
 */
export function streamsPart(file: ZipFile, entry: LocatedEntry): boolean {
  return file.bytes === undefined || !fitsOneChunk(entry);
}

/** A part small enough to be inflated at once: one chunk of its stream, compressed and inflated. */
function fitsOneChunk(entry: LocatedEntry): boolean {
  return entry.size <= CHUNK && entry.compressedSize <= CHUNK;
}

/**
 * A part's inflated bytes taken whole from the file's bytes, when it is small enough to be one
 * chunk of its stream; undefined when it is not, or when inflating it fails (streaming it says
 * why, as it always has).
 */
function wholePart(bytes: Buffer, entry: LocatedEntry): Buffer | undefined {
  if (!fitsOneChunk(entry)) return undefined;
  // As the read stream: what of the range is in the file (the checks find a short part).
  const data = bytes.subarray(entry.dataStart, entry.dataStart + entry.compressedSize);
  if (entry.method === 0) return data;
  const held = lastInflated.get(bytes);
  if (held?.entry === entry) {
    lastInflated.delete(bytes);
    return held.inflated;
  }
  try {
    // One more byte than declared is enough to tell a part that lies; one buffer of that size.
    const inflated = inflateRawSync(data, { maxOutputLength: entry.size + 1, chunkSize: Math.max(entry.size + 1, 64) });
    lastInflated.set(bytes, { entry, inflated });
    return inflated;
  } catch {
    return undefined;
  }
}

/**
 * The part of a file read whole that was last inflated, kept for a second reading of it (a
 * sheet is read twice, for its merged ranges and then for its rows) and given up then: at most
 * one part, of at most one chunk, per file. The second reading is checked as the first was.
 */
const lastInflated = new WeakMap<Buffer, { entry: LocatedEntry; inflated: Buffer }>();

/**
 * What every chunk of a part goes through, in order: its size against the declared size and
 * the file's inflate budget, the DOCTYPE guard, UTF-8 decoding.
 */
class PartChecks {
  #size = 0;
  readonly #decoder = new Utf8Decoder();
  readonly #guard: DoctypeGuard;

  constructor(
    private readonly entry: LocatedEntry,
    private readonly budget: { inflated: number },
    private readonly limits: ReadLimits,
  ) {
    this.#guard = new DoctypeGuard(entry.name);
  }

  /**
   * Checks the next chunk and gives its text: first the piece that finishes a character the
   * last chunk left unfinished, if one was (a few bytes), then the rest of the chunk. Decoded in
   * one go, the few bytes held back made a copy of the whole chunk to join them to it
   * (Buffer.concat): for a Chinese shared-string table, a chunk's worth of garbage outside the
   * heap at every other chunk. Decoding is the same however the bytes are split (utf8.ts).
   */
  *pieces(chunk: Buffer): Generator<TextPiece> {
    this.#size += chunk.length;
    this.budget.inflated += chunk.length;
    if (this.#size > this.entry.size || this.budget.inflated > this.limits.maxInflatedBytes) {
      throw new UnreadableFileError(MESSAGE_BOMB, {
        cause: new Error(`${this.entry.name} inflates past its declared ${this.entry.size} bytes or the file's limit`),
      });
    }
    this.#guard.checkBytes(chunk);
    const k = this.#decoder.completing(chunk);
    if (k > 0) {
      const finished = this.#decoder.next(chunk.subarray(0, k));
      if (finished.length > 0) yield finished;
    }
    const piece = this.#decoder.next(k === 0 ? chunk : chunk.subarray(k));
    if (piece.length > 0) yield piece;
  }

  /** The part has ended: it must be the size declared. The text held back, if any. */
  end(): string {
    if (this.#size !== this.entry.size) throw new Error(`${this.entry.name}: ${this.#size} bytes inflated, ${this.entry.size} declared`);
    // Only replacement characters can be left: nothing the guard looks for.
    return this.#decoder.end();
  }
}
