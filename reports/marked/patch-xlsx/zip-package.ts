/**
 * The original's zip, read from its bytes (already in memory, bounded by the marking size
 * limit): its entries, and its parts' text (zip-writer.ts writes the copy).
 *
 * Anything unusual (zip64, encryption, a compression method other than stored/deflate, a
 * multi-disk archive, duplicate or unsafe names) is not patched: {@link fallback}.
 */
import { inflateRawSync } from 'node:zlib';
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

export const EOCD = 0x06054b50;
export const CENTRAL = 0x02014b50;
export const LOCAL = 0x04034b50;
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
