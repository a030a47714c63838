/**
 * The copy's zip: original entries copied compressed as they are, new and replaced parts
 * deflated (held compressed until written), written out in batches.
 */
import type { FileHandle } from 'node:fs/promises';
import { crc32, createDeflateRaw, deflateRawSync, type DeflateRaw } from 'node:zlib';
import { fallback } from './fallback.ts';
import { CENTRAL_SIGNATURE as CENTRAL, EOCD_SIGNATURE as EOCD, LOCAL_SIGNATURE as LOCAL } from '../../../sheets/xlsx/zip.ts';
import type { Package, PackageEntry } from './zip-package.ts';

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

  /** A new or replaced part, dated as `like` (its original, or any entry's MS-DOS time and date) or now. */
  async add(part: NewPart, like?: Pick<PackageEntry, 'time' | 'date'>): Promise<void> {
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
