/**
 * A zip writer for the hand-built variants, able to write the layouts other programs do and
 * fflate's `zipSync` does not: entries stored or deflated (fflate), local headers that leave
 * the sizes to a data descriptor after the data (bit 3, as streaming writers such as POI and
 * Java's `ZipOutputStream` do), zip64 (sizes in the zip64 extra field and a zip64 end record,
 * as .NET and POI write past 4 GB or when told to), and directory entries.
 */
import { crc32 } from 'node:zlib';
import { deflateSync } from 'fflate';

export interface ZipLayout {
  readonly method: 'deflate' | 'store';
  readonly dataDescriptor: boolean;
  readonly zip64: boolean;
  /** Add an entry for each folder (`xl/`, `xl/worksheets/` …) before its files. */
  readonly directories: boolean;
}

export const PLAIN_ZIP: ZipLayout = { method: 'deflate', dataDescriptor: false, zip64: false, directories: false };

export function writeZip(files: readonly (readonly [string, Uint8Array | string])[], layout: ZipLayout): Buffer {
  const entries: [string, Buffer][] = [];
  const seen = new Set<string>();
  for (const [name, data] of files) {
    if (layout.directories) {
      const parts = name.split('/');
      for (let i = 1; i < parts.length; i++) {
        const dir = `${parts.slice(0, i).join('/')}/`;
        if (!seen.has(dir)) {
          seen.add(dir);
          entries.push([dir, Buffer.alloc(0)]);
        }
      }
    }
    entries.push([name, typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data)]);
  }
  const chunks: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, raw] of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const isDir = name.endsWith('/');
    const method = isDir || layout.method === 'store' ? 0 : 8;
    const body = method === 8 ? Buffer.from(deflateSync(raw)) : raw;
    const crc = crc32(raw);
    const flags = 0x800 | (layout.dataDescriptor && !isDir ? 0x8 : 0);
    const version = layout.zip64 ? 45 : 20;
    // Local header: with a data descriptor, crc and sizes are 0 here and follow the data.
    const localExtra = layout.zip64 ? zip64Extra([raw.length, body.length]) : Buffer.alloc(0);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(version, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(0x5a210000, 10); // a DOS time and date
    const deferred = (flags & 0x8) !== 0;
    local.writeUInt32LE(deferred ? 0 : crc, 14);
    local.writeUInt32LE(layout.zip64 ? 0xffffffff : deferred ? 0 : body.length, 18);
    local.writeUInt32LE(layout.zip64 ? 0xffffffff : deferred ? 0 : raw.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(localExtra.length, 28);
    chunks.push(local, nameBytes, localExtra, body);
    let length = 30 + nameBytes.length + localExtra.length + body.length;
    if (deferred) {
      const descriptor = Buffer.alloc(layout.zip64 ? 24 : 16);
      descriptor.writeUInt32LE(0x08074b50, 0);
      descriptor.writeUInt32LE(crc, 4);
      if (layout.zip64) {
        descriptor.writeBigUInt64LE(BigInt(body.length), 8);
        descriptor.writeBigUInt64LE(BigInt(raw.length), 16);
      } else {
        descriptor.writeUInt32LE(body.length, 8);
        descriptor.writeUInt32LE(raw.length, 12);
      }
      chunks.push(descriptor);
      length += descriptor.length;
    }
    const centralExtra = layout.zip64 ? zip64Extra([raw.length, body.length, offset]) : Buffer.alloc(0);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(version, 4);
    central.writeUInt16LE(version, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(0x5a210000, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(layout.zip64 ? 0xffffffff : body.length, 20);
    central.writeUInt32LE(layout.zip64 ? 0xffffffff : raw.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt16LE(centralExtra.length, 30);
    central.writeUInt32LE(isDir ? 0x10 : 0, 38);
    central.writeUInt32LE(layout.zip64 ? 0xffffffff : offset, 42);
    centrals.push(central, nameBytes, centralExtra);
    offset += length;
  }
  const cd = Buffer.concat(centrals);
  const tail: Buffer[] = [];
  if (layout.zip64) {
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4);
    record.writeUInt16LE(45, 12);
    record.writeUInt16LE(45, 14);
    record.writeBigUInt64LE(BigInt(entries.length), 24);
    record.writeBigUInt64LE(BigInt(entries.length), 32);
    record.writeBigUInt64LE(BigInt(cd.length), 40);
    record.writeBigUInt64LE(BigInt(offset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(offset + cd.length), 8);
    locator.writeUInt32LE(1, 16);
    tail.push(record, locator);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(layout.zip64 ? 0xffff : entries.length, 8);
  end.writeUInt16LE(layout.zip64 ? 0xffff : entries.length, 10);
  end.writeUInt32LE(layout.zip64 ? 0xffffffff : cd.length, 12);
  end.writeUInt32LE(layout.zip64 ? 0xffffffff : offset, 16);
  return Buffer.concat([...chunks, cd, ...tail, end]);
}

function zip64Extra(values: readonly number[]): Buffer {
  const b = Buffer.alloc(4 + 8 * values.length);
  b.writeUInt16LE(1, 0);
  b.writeUInt16LE(8 * values.length, 2);
  values.forEach((v, i) => b.writeBigUInt64LE(BigInt(v), 4 + 8 * i));
  return b;
}
