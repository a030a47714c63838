/**
 * An exceljs workbook written as an .xlsx with its parts deflated by Node's zlib.
 *
 * exceljs zips through JSZip, which deflates with pako, in JavaScript, on the main thread: the
 * report workbook (1 MB of XML) spent ~0.3 s there, each demo ledger ~20 ms. Here exceljs packs
 * its parts stored (not compressed), and the parts are deflated by zlib (native, in libuv's
 * threads, several at once) into a fresh zip. The parts are exactly those exceljs wrote; only
 * the zip around them is this module's (like the marked copies', patch-xlsx/zip-writer.ts).
 */
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { deflateRaw as deflateRawCallback } from 'node:zlib';
import type ExcelJS from 'exceljs';

const deflateRaw = promisify(deflateRawCallback);

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const EOCD = 0x06054b50;

/** Writes the workbook to `path` (as `workbook.xlsx.writeFile(path)` does). */
export async function writeXlsxFile(workbook: ExcelJS.Workbook, path: string): Promise<void> {
  await writeFile(path, await xlsxBytes(workbook));
}

/** The workbook's .xlsx bytes (as `workbook.xlsx.writeBuffer()` gives them). */
export async function xlsxBytes(workbook: ExcelJS.Workbook): Promise<Buffer> {
  const stored = Buffer.from(await workbook.xlsx.writeBuffer({ zip: { compression: 'STORE' } }));
  const entries = storedEntries(stored);
  // Not the zip expected (another exceljs or JSZip): exceljs deflates it as it always did.
  if (entries === null || entries.length > 0xfffe) return Buffer.from(await workbook.xlsx.writeBuffer());
  return deflatedZip(entries);
}

interface StoredEntry {
  readonly name: Buffer;
  readonly time: number;
  readonly date: number;
  readonly crc: number;
  readonly data: Buffer;
}

/** The entries of a zip whose every entry is stored, from its central directory; null if it is not one. */
export function storedEntries(zip: Buffer): StoredEntry[] | null {
  let eocd = -1;
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) === EOCD) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries: StoredEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL) return null;
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    if (method !== 0 || zip.readUInt32LE(at + 24) !== size) return null;
    const nameLength = zip.readUInt16LE(at + 28);
    const local = zip.readUInt32LE(at + 42);
    if (local + 30 > zip.length || zip.readUInt32LE(local) !== LOCAL) return null;
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    if (start + size > zip.length) return null;
    entries.push({
      name: zip.subarray(at + 46, at + 46 + nameLength),
      time: zip.readUInt16LE(at + 12),
      date: zip.readUInt16LE(at + 14),
      crc: zip.readUInt32LE(at + 16),
      data: zip.subarray(start, start + size),
    });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}

/** A zip of the entries, each deflated (all at once, in zlib's threads). */
export async function deflatedZip(entries: readonly StoredEntry[]): Promise<Buffer> {
  const deflated = await Promise.all(entries.map((e) => deflateRaw(e.data)));
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  entries.forEach((e, i) => {
    const data = deflated[i] as Buffer;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(e.time, 10);
    local.writeUInt16LE(e.date, 12);
    local.writeUInt32LE(e.crc >>> 0, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(e.name.length, 26);
    const record = Buffer.alloc(46);
    record.writeUInt32LE(CENTRAL, 0);
    record.writeUInt16LE(20, 4);
    record.writeUInt16LE(20, 6);
    local.copy(record, 8, 6, 26);
    record.writeUInt16LE(e.name.length, 28);
    record.writeUInt32LE(offset, 42);
    parts.push(local, e.name, data);
    central.push(record, e.name);
    offset += 30 + e.name.length + data.length;
  });
  const centralSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(EOCD, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, ...central, end]);
}
