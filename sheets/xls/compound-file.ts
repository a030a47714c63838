/**
 * The streams of an OLE2 compound file (MS-CFB), the container of a legacy `.xls`: what the
 * BIFF reader needs of it and no more — the names of the root storage's streams, and the bytes
 * of one of them.
 *
 * Everything is checked against the file itself, never trusted: every sector number must lie
 * inside the file, every chain ends within as many steps as the file has sectors and never
 * visits a sector twice (a cycle is the classic hang of CFB readers), and a stream is never
 * longer than its chain. A file that breaks any of this throws {@link CompoundFileError}.
 *
 * @example
 * const cfb = readCompoundFile(bytes);
 * cfb.names;                  // ['Workbook', '\u0005SummaryInformation', …]
 * cfb.stream('Workbook');     // the BIFF8 records, or undefined
 */

/** The container is damaged: its header, tables or chains do not hold together. */
export class CompoundFileError extends Error {
  override readonly name = 'CompoundFileError';
}

export interface CompoundFile {
  /** Names of the streams directly in the root storage, in directory order. */
  readonly names: readonly string[];
  /** Names of the storages (sub-folders) directly in the root storage. */
  readonly storages: readonly string[];
  /** A root stream's bytes by name (case-insensitive, as in OLE2), or undefined. */
  stream(name: string): Uint8Array | undefined;
}

const SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const MAX_REGULAR = 0xfffffffa;
const ENDOFCHAIN = 0xfffffffe;
const FREESECT = 0xffffffff;
const NOSTREAM = 0xffffffff;
const HEADER_DIFAT = 109;

interface Entry {
  readonly name: string;
  readonly type: number;
  readonly left: number;
  readonly right: number;
  readonly child: number;
  readonly start: number;
  readonly size: number;
}

export function readCompoundFile(bytes: Uint8Array): CompoundFile {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 512 || !SIGNATURE.every((b, i) => bytes[i] === b)) throw new CompoundFileError('not an OLE2 compound file');
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  if (u16(28) !== 0xfffe) throw new CompoundFileError('bad byte order mark');
  const sectorShift = u16(30);
  const miniShift = u16(32);
  if (sectorShift !== 9 && sectorShift !== 12) throw new CompoundFileError(`bad sector shift ${sectorShift}`);
  if (miniShift !== 6) throw new CompoundFileError(`bad mini sector shift ${miniShift}`);
  const sectorSize = 1 << sectorShift;
  const perSector = sectorSize / 4;
  // Sector n starts at (n + 1) * sectorSize; a last sector cut short is read as far as it goes.
  const sectorCount = Math.ceil((bytes.length - sectorSize) / sectorSize);
  const sector = (n: number): Uint8Array => {
    if (n >= sectorCount) throw new CompoundFileError(`sector ${n} past the end of the file (${sectorCount} sectors)`);
    const start = (n + 1) * sectorSize;
    return bytes.subarray(start, Math.min(start + sectorSize, bytes.length));
  };
  const sectorU32 = (n: number, i: number): number => {
    const s = sector(n);
    return i * 4 + 4 <= s.length ? new DataView(s.buffer, s.byteOffset, s.byteLength).getUint32(i * 4, true) : FREESECT;
  };

  // The FAT's own sectors: 109 listed in the header, the rest in a chain of DIFAT sectors.
  const fatSectorCount = u32(44);
  if (fatSectorCount > sectorCount) throw new CompoundFileError(`${fatSectorCount} FAT sectors in a file of ${sectorCount}`);
  const fatSectors: number[] = [];
  for (let i = 0; i < HEADER_DIFAT && fatSectors.length < fatSectorCount; i++) fatSectors.push(u32(76 + i * 4));
  const seenDifat = new Set<number>();
  for (let d = u32(68); fatSectors.length < fatSectorCount; ) {
    if (d > MAX_REGULAR || seenDifat.has(d)) throw new CompoundFileError('DIFAT chain broken or cyclic');
    seenDifat.add(d);
    for (let i = 0; i < perSector - 1 && fatSectors.length < fatSectorCount; i++) fatSectors.push(sectorU32(d, i));
    d = sectorU32(d, perSector - 1);
  }
  const fat = new Uint32Array(fatSectors.length * perSector);
  fatSectors.forEach((s, k) => {
    if (s > MAX_REGULAR) throw new CompoundFileError(`FAT sector number ${s}`);
    const data = sector(s);
    for (let i = 0; i < perSector; i++) fat[k * perSector + i] = i * 4 + 4 <= data.length ? new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(i * 4, true) : FREESECT;
  });

  /** A chain of the FAT from `start`: at most `limit` sectors, no sector twice. */
  const chain = (table: Uint32Array, start: number, limit: number, what: string): number[] => {
    const out: number[] = [];
    const seen = new Set<number>();
    for (let n = start; n !== ENDOFCHAIN; ) {
      if (n > MAX_REGULAR || n >= table.length) throw new CompoundFileError(`${what}: sector ${n} outside the table`);
      if (seen.has(n)) throw new CompoundFileError(`${what}: the chain loops at sector ${n}`);
      if (out.length >= limit) throw new CompoundFileError(`${what}: chain longer than ${limit} sectors`);
      seen.add(n);
      out.push(n);
      n = table[n] ?? ENDOFCHAIN;
    }
    return out;
  };
  /** A stream in regular sectors: `size` bytes, or (undefined) the whole chain. */
  const regular = (start: number, size: number | undefined, what: string): Uint8Array => {
    if (size !== undefined && size > bytes.length) throw new CompoundFileError(`${what}: ${size} bytes in a file of ${bytes.length}`);
    const sectors = chain(fat, start, sectorCount, what);
    const out = new Uint8Array(Math.min(size ?? Infinity, sectors.length * sectorSize));
    let at = 0;
    for (const s of sectors) {
      if (at >= out.length) break;
      const data = sector(s).subarray(0, out.length - at);
      out.set(data, at);
      at += data.length;
    }
    if (size !== undefined && at < size) throw new CompoundFileError(`${what}: ${size} bytes declared, ${at} in its chain`);
    return out.subarray(0, at);
  };

  // The directory: 128-byte entries in the chain from the header.
  const dirBytes = regular(u32(48), undefined, 'directory');
  const dir = new DataView(dirBytes.buffer, dirBytes.byteOffset, dirBytes.byteLength);
  const entries: Entry[] = [];
  for (let at = 0; at + 128 <= dirBytes.length; at += 128) {
    const nameLength = Math.min(64, dir.getUint16(at + 64, true));
    const name = Buffer.from(dirBytes.subarray(at, at + Math.max(0, nameLength - 2))).toString('utf16le');
    const low = dir.getUint32(at + 120, true);
    // Version 3 files may leave junk in the high half of the size.
    const high = sectorShift === 9 ? 0 : dir.getUint32(at + 124, true);
    entries.push({
      name,
      type: dir.getUint8(at + 66),
      left: dir.getUint32(at + 68, true),
      right: dir.getUint32(at + 72, true),
      child: dir.getUint32(at + 76, true),
      start: dir.getUint32(at + 116, true),
      size: high * 2 ** 32 + low,
    });
  }
  const root = entries[0];
  if (root === undefined || root.type !== 5) throw new CompoundFileError('no root entry');

  // The root's children: a tree of siblings under its child.
  const children: Entry[] = [];
  const seen = new Set<number>();
  const stack = [root.child];
  while (stack.length > 0) {
    const i = stack.pop() ?? NOSTREAM;
    if (i === NOSTREAM) continue;
    if (seen.has(i)) throw new CompoundFileError('directory tree loops');
    const e = entries[i];
    if (e === undefined) throw new CompoundFileError(`directory entry ${i} missing`);
    seen.add(i);
    children.push(e);
    stack.push(e.right, e.left);
  }
  children.sort((a, b) => entries.indexOf(a) - entries.indexOf(b));

  // The mini stream (the root's data) and its FAT hold the streams under the cutoff.
  const cutoff = u32(56);
  let mini: { fat: Uint32Array; data: Uint8Array } | undefined;
  const miniStream = () => {
    if (mini !== undefined) return mini;
    const miniFatBytes = u32(60) === ENDOFCHAIN ? new Uint8Array(0) : regular(u32(60), undefined, 'mini FAT');
    const table = new Uint32Array(Math.floor(miniFatBytes.length / 4));
    const v = new DataView(miniFatBytes.buffer, miniFatBytes.byteOffset, miniFatBytes.byteLength);
    for (let i = 0; i < table.length; i++) table[i] = v.getUint32(i * 4, true);
    mini = { fat: table, data: regular(root.start, root.size, 'mini stream') };
    return mini;
  };

  const streams = children.filter((e) => e.type === 2);
  return {
    names: streams.map((e) => e.name),
    storages: children.filter((e) => e.type === 1).map((e) => e.name),
    stream(name) {
      const e = streams.find((s) => s.name.toLowerCase() === name.toLowerCase());
      if (e === undefined) return undefined;
      if (e.size >= cutoff) return regular(e.start, e.size, e.name);
      const m = miniStream();
      const sectors = chain(m.fat, e.start, Math.ceil(m.data.length / 64), e.name);
      const out = new Uint8Array(e.size);
      let at = 0;
      for (const s of sectors) {
        if (at >= e.size) break;
        const piece = m.data.subarray(s * 64, Math.min(s * 64 + 64, m.data.length)).subarray(0, e.size - at);
        out.set(piece, at);
        at += piece.length;
      }
      if (at < e.size) throw new CompoundFileError(`${e.name}: ${e.size} bytes declared, ${at} in its mini chain`);
      return out;
    },
  };
}
