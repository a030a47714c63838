/**
 * An exceljs workbook written as an .xlsx with its parts deflated by Node's zlib.
 *
 * exceljs zips through JSZip, which deflates with pako, in JavaScript, on the main thread: the
 * report workbook (1 MB of XML) spent ~0.3 s there, each demo ledger ~20 ms. Here exceljs packs
 * its parts stored (not compressed), and the parts are deflated by zlib (native, in libuv's
 * threads, several at once) into a fresh zip. The parts are exactly those exceljs wrote; the
 * stored zip is read by the readers' own zip code (sheets/xlsx/zip.ts) and the new one written
 * by the marked copies' writer (patch-xlsx/zip-writer.ts).
 */
import { open, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { deflateRaw as deflateRawCallback } from 'node:zlib';
import type ExcelJS from 'exceljs';
import { dataStart, readCentralDirectory, type ZipEntry } from '../sheets/xlsx/zip.ts';
import { ZipOut } from './marked/patch-xlsx/zip-writer.ts';

const deflateRaw = promisify(deflateRawCallback);

/** Writes the workbook to `path` (as `workbook.xlsx.writeFile(path)` does). */
export async function writeXlsxFile(workbook: ExcelJS.Workbook, path: string): Promise<void> {
  const stored = Buffer.from(await workbook.xlsx.writeBuffer({ zip: { compression: 'STORE' } }));
  const entries = await storedEntries(stored);
  // Not the zip expected (another exceljs or JSZip): exceljs deflates it as it always did.
  if (entries === null) {
    await writeFile(path, Buffer.from(await workbook.xlsx.writeBuffer()));
    return;
  }
  const deflated = await Promise.all(entries.map((e) => deflateRaw(e.data)));
  const file = await open(path, 'w');
  try {
    const zip = new ZipOut(file);
    for (const [i, { entry, data }] of entries.entries()) {
      const bytes = deflated[i] as Buffer;
      await zip.add({ name: entry.name, crc: entry.crc, size: data.length, data: [bytes], compressedSize: bytes.length }, entry);
    }
    await zip.finish();
  } finally {
    await file.close();
  }
}

/**
 * The entries of a zip whose every entry is stored, each with its bytes; null if it is not one
 * (or needs zip64, or cannot be read).
 */
async function storedEntries(zip: Buffer): Promise<{ entry: ZipEntry; data: Buffer }[] | null> {
  try {
    const { entries, zip64 } = await readCentralDirectory(zip, zip.length);
    if (zip64 || entries.length > 0xfffe) return null;
    const out: { entry: ZipEntry; data: Buffer }[] = [];
    for (const entry of entries) {
      if (entry.method !== 0 || entry.zip64 || entry.compressedSize !== entry.size) return null;
      const start = await dataStart(zip, entry);
      if (start + entry.size > zip.length) return null;
      out.push({ entry, data: zip.subarray(start, start + entry.size) });
    }
    return out;
  } catch {
    return null;
  }
}
