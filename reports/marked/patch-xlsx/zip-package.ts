/**
 * The original's zip, read from its bytes (already in memory, bounded by the marking size
 * limit): its entries, and its parts' text (zip-writer.ts writes the copy).
 *
 * Anything unusual (zip64, encryption, a compression method other than stored/deflate, a
 * multi-disk archive, duplicate or unsafe names) is not patched: {@link fallback}.
 */
import { inflateRawSync } from 'node:zlib';
import { dataStart, entryText, readCentralDirectory, type LocatedEntry } from '../../../sheets/xlsx/zip.ts';
import { DEFAULT_LIMITS } from '../../../sheets/raw-sheet.ts';
import { fallback } from './fallback.ts';

/** An entry of the original, where its data is, and its name as written back. */
export interface PackageEntry extends LocatedEntry {
  readonly nameBytes: Buffer;
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

/** Entries smaller than this are inflated at once; larger ones are streamed. */
const WHOLE_BELOW = 4 * 1024 * 1024;

/**
 * The original's entries, read by the reader's own zip code (zip.ts: bounds, zip64, local
 * headers); what it cannot read, and what the writer will not write back, is a fallback.
 */
export async function readPackage(bytes: Buffer, path: string): Promise<Package> {
  const directory = await readCentralDirectory(bytes, bytes.length).catch((error: unknown) => fallback(`zip: ${error instanceof Error ? error.message : String(error)}`));
  if (directory.zip64) fallback('zip64');
  const entries: PackageEntry[] = [];
  const byName = new Map<string, PackageEntry>();
  for (const listed of directory.entries) {
    const { name, flags, method, compressedSize } = listed;
    if (flags & 0x41) fallback(`encrypted entry ${name}`);
    if (method !== 0 && method !== 8) fallback(`compression method ${method}`);
    if (listed.zip64) fallback('zip64 entry');
    if (/^[/\\]|^[A-Za-z]:|(^|[/\\])\.\.([/\\]|$)/.test(name)) fallback(`unsafe entry name ${name}`);
    const start = await dataStart(bytes, listed).catch(() => fallback(`bad local header ${name}`));
    if (start + compressedSize > bytes.length) fallback(`entry ${name} beyond the file`);
    const entry: PackageEntry = { ...listed, dataStart: start, nameBytes: Buffer.from(name, 'utf8') };
    const key = name.toLowerCase();
    if (byName.has(key)) fallback(`duplicate entry ${name}`);
    byName.set(key, entry);
    entries.push(entry);
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
