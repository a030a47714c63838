/**
 * The original's zip, read from its bytes (already in memory, bounded by the marking size
 * limit), and a writer that copies the untouched entries' compressed data as they are and
 * deflates only the parts that change.
 *
 * Anything unusual (zip64, encryption, a compression method other than stored/deflate, a
 * multi-disk archive, duplicate or unsafe names) is not patched: {@link fallback}.
 */
import type { FileHandle } from 'node:fs/promises';
import { crc32, createDeflateRaw, deflateRawSync, inflateRawSync, type DeflateRaw } from 'node:zlib';
import { entryText } from '../../../sheets/xlsx/zip.ts';
import { DEFAULT_LIMITS } from '../../../sheets/raw-sheet.ts';
import { fallback } from './fallback.ts';

export interface PackageEntry {
  readonly name: string;
  readonly nameBytes: Buffer;
  readonly flags: number;
  readonly method: number;
  readonly time: number;
  readonly date: number;
  readonly crc: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
  readonly dataStart: number;
}

export interface Package {
  readonly bytes: Buffer;
  /** The original file (large parts are streamed from it). */
  readonly path: string;
  /** In the order of the central directory. */
  readonly entries: readonly PackageEntry[];
  /** By name, lowercased (part names are case-insensitive). */
  readonly byName: ReadonlyMap<string, PackageEntry>;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** Entries smaller than this are inflated at once; larger ones are streamed. */
const WHOLE_BELOW = 4 * 1024 * 1024;

export function readPackage(bytes: Buffer, path: string): Package {
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (bytes.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) fallback('no end of central directory');
  if (bytes.readUInt16LE(eocd + 4) !== 0 || bytes.readUInt16LE(eocd + 6) !== 0) fallback('multi-disk zip');
  const count = bytes.readUInt16LE(eocd + 10);
  const cdSize = bytes.readUInt32LE(eocd + 12);
  const cdOffset = bytes.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) fallback('zip64');
  if (cdOffset + cdSize > eocd) fallback('central directory beyond its end record');
  const entries: PackageEntry[] = [];
  const byName = new Map<string, PackageEntry>();
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > cdOffset + cdSize || bytes.readUInt32LE(p) !== CENTRAL) fallback('bad central directory');
    const flags = bytes.readUInt16LE(p + 8);
    const method = bytes.readUInt16LE(p + 10);
    const nameLength = bytes.readUInt16LE(p + 28);
    const nameBytes = bytes.subarray(p + 46, p + 46 + nameLength);
    const name = nameBytes.toString(flags & 0x800 ? 'utf8' : 'latin1');
    const compressedSize = bytes.readUInt32LE(p + 20);
    const size = bytes.readUInt32LE(p + 24);
    const localHeaderOffset = bytes.readUInt32LE(p + 42);
    if (flags & 0x41) fallback(`encrypted entry ${name}`);
    if (method !== 0 && method !== 8) fallback(`compression method ${method}`);
    if (size === 0xffffffff || compressedSize === 0xffffffff || localHeaderOffset === 0xffffffff) fallback('zip64 entry');
    if (/^[/\\]|^[A-Za-z]:|(^|[/\\])\.\.([/\\]|$)/.test(name)) fallback(`unsafe entry name ${name}`);
    if (localHeaderOffset + 30 > bytes.length || bytes.readUInt32LE(localHeaderOffset) !== LOCAL) fallback(`bad local header ${name}`);
    const dataStart = localHeaderOffset + 30 + bytes.readUInt16LE(localHeaderOffset + 26) + bytes.readUInt16LE(localHeaderOffset + 28);
    if (dataStart + compressedSize > bytes.length) fallback(`entry ${name} beyond the file`);
    const entry: PackageEntry = {
      name,
      nameBytes: Buffer.from(name, 'utf8'),
      flags,
      method,
      time: bytes.readUInt16LE(p + 12),
      date: bytes.readUInt16LE(p + 14),
      crc: bytes.readUInt32LE(p + 16),
      compressedSize,
      size,
      localHeaderOffset,
      dataStart,
    };
    const key = name.toLowerCase();
    if (byName.has(key)) fallback(`duplicate entry ${name}`);
    byName.set(key, entry);
    entries.push(entry);
    p += 46 + nameLength + bytes.readUInt16LE(p + 30) + bytes.readUInt16LE(p + 32);
  }
  return { bytes, path, entries, byName };
}

export function entryOf(pkg: Package, name: string): PackageEntry | undefined {
  return pkg.byName.get(name.toLowerCase());
}

/** A small part's text (workbook, styles, rels, comments), inflated against its declared size. */
export function partText(pkg: Package, entry: PackageEntry): string {
  if (entry.size > 64 * 1024 * 1024) fallback(`part ${entry.name} too large to patch`);
  const data = pkg.bytes.subarray(entry.dataStart, entry.dataStart + entry.compressedSize);
  const raw = entry.method === 0 ? data : inflateRawSync(data, { maxOutputLength: Math.max(entry.size, 1) });
  if (raw.length !== entry.size) fallback(`${entry.name} inflates to ${raw.length} bytes, ${entry.size} declared`);
  const text = raw.toString('utf8');
  checkXml(entry.name, text);
  return text;
}

/**
 * A part's text in pieces: at once when small, else streamed (zip.ts: inflated against its
 * declared size, DOCTYPE refused, UTF-8 decoded across chunks). May be called again for a second pass.
 */
export function partPieces(pkg: Package, entry: PackageEntry): () => AsyncIterable<string> {
  if (entry.size < WHOLE_BELOW) {
    let text: string | undefined;
    return async function* () {
      text ??= partText(pkg, entry);
      yield text;
    };
  }
  return async function* () {
    for await (const piece of entryText(pkg.path, entry, { inflated: 0 }, DEFAULT_LIMITS)) {
      checkXml(entry.name, piece);
      yield piece;
    }
  };
}

/** Refused: DOCTYPE or entities (never written by Excel), comments and CDATA (not scanned for). */
function checkXml(name: string, text: string): void {
  if (/<!(DOCTYPE|ENTITY|--|\[CDATA\[)/i.test(text)) fallback(`${name} has a DOCTYPE, an entity, a comment or CDATA`);
}

/** A part's new content, deflated: its bytes held compressed until the package is written. */
export interface NewPart {
  readonly name: string;
  readonly crc: number;
  readonly size: number;
  readonly data: readonly Buffer[];
  readonly compressedSize: number;
}

export function newPart(name: string, text: string): Promise<NewPart> {
  return deflatePart(name, [text]);
}

/** Pieces are deflated in batches of about this many characters: a zlib stream write is a thread-pool round trip. */
const BATCH = 1 << 20;

/**
 * Deflates text pieces as they come (a sheet's rows), keeping only the compressed bytes. A part
 * that fits in one batch is deflated at once, synchronously; a larger one through a stream.
 */
export async function deflatePart(name: string, pieces: AsyncIterable<string> | Iterable<string>): Promise<NewPart> {
  let batch: string[] = [];
  let batchLength = 0;
  let crc = 0;
  let size = 0;
  let stream: { deflate: DeflateRaw; data: Buffer[]; compressed: number; ended: Promise<void> } | undefined;
  const take = (): Buffer => {
    const bytes = Buffer.from(batch.join(''), 'utf8');
    batch = [];
    batchLength = 0;
    crc = crc32(bytes, crc);
    size += bytes.length;
    return bytes;
  };
  const write = async (bytes: Buffer) => {
    if (stream === undefined) {
      const deflate = createDeflateRaw();
      const s = { deflate, data: [] as Buffer[], compressed: 0, ended: Promise.resolve() };
      deflate.on('data', (b: Buffer) => {
        s.data.push(b);
        s.compressed += b.length;
      });
      s.ended = new Promise<void>((resolve, reject) => {
        deflate.once('end', resolve);
        deflate.once('error', reject);
      });
      stream = s;
    }
    if (!stream.deflate.write(bytes)) await new Promise((resolve) => stream?.deflate.once('drain', resolve));
  };
  for await (const piece of pieces) {
    batch.push(piece);
    batchLength += piece.length;
    if (batchLength >= BATCH) await write(take());
  }
  if (stream === undefined) {
    const data = deflateRawSync(take());
    return { name, crc, size, data: [data], compressedSize: data.length };
  }
  if (batchLength > 0) await write(take());
  stream.deflate.end();
  await stream.ended;
  return { name, crc, size, data: stream.data, compressedSize: stream.compressed };
}

/**
 * Writes a zip: original entries copied compressed as they are (fresh headers from the central
 * directory, so a data descriptor of the original is not needed), new parts as deflated.
 * Writes go out in batches of about 1 MB.
 */
export class ZipOut {
  readonly #file: FileHandle;
  readonly #central: Buffer[] = [];
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #offset = 0;
  #count = 0;

  constructor(file: FileHandle) {
    this.#file = file;
  }

  async copy(pkg: Package, entry: PackageEntry): Promise<void> {
    const data = pkg.bytes.subarray(entry.dataStart, entry.dataStart + entry.compressedSize);
    await this.#entry(entry.nameBytes, entry.method, entry.time, entry.date, entry.crc, entry.compressedSize, entry.size, [data]);
  }

  /** A new or replaced part, dated as `like` (its original) or now. */
  async add(part: NewPart, like?: PackageEntry): Promise<void> {
    const [time, date] = like === undefined ? dosNow() : [like.time, like.date];
    await this.#entry(Buffer.from(part.name, 'utf8'), 8, time, date, part.crc, part.compressedSize, part.size, part.data);
  }

  async finish(): Promise<void> {
    const centralStart = this.#offset;
    let centralSize = 0;
    for (const c of this.#central) {
      await this.#write(c);
      centralSize += c.length;
    }
    if (this.#count > 0xfffe || this.#offset > 0xfffffff0) fallback('the copy would need zip64');
    const end = Buffer.alloc(22);
    end.writeUInt32LE(EOCD, 0);
    end.writeUInt16LE(this.#count, 8);
    end.writeUInt16LE(this.#count, 10);
    end.writeUInt32LE(centralSize, 12);
    end.writeUInt32LE(centralStart, 16);
    await this.#write(end);
    await this.#flush();
  }

  async #entry(name: Buffer, method: number, time: number, date: number, crc: number, compressed: number, size: number, data: readonly Buffer[]): Promise<void> {
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(compressed, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    local.copy(central, 8, 6, 26);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(this.#offset, 42);
    this.#central.push(central, name);
    this.#count++;
    await this.#write(local);
    await this.#write(name);
    for (const d of data) await this.#write(d);
  }

  async #write(b: Buffer): Promise<void> {
    this.#pending.push(b);
    this.#pendingBytes += b.length;
    this.#offset += b.length;
    if (this.#pendingBytes >= 1 << 20) await this.#flush();
  }

  async #flush(): Promise<void> {
    if (this.#pending.length === 0) return;
    const chunks = this.#pending;
    this.#pending = [];
    this.#pendingBytes = 0;
    const total = chunks.reduce((n, c) => n + c.length, 0);
    const { bytesWritten } = await this.#file.writev(chunks);
    if (bytesWritten < total) {
      const rest = Buffer.concat(chunks).subarray(bytesWritten);
      for (let at = 0; at < rest.length; ) at += (await this.#file.write(rest, at)).bytesWritten;
    }
  }
}

function dosNow(): [number, number] {
  const d = new Date();
  return [(d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1), ((d.getFullYear() - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate()];
}
