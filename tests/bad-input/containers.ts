/**
 * Byte-level builders for the bad-input corpus: a zip writer that can lie in its central
 * directory, a hand-written workbook (sheet XML as given, which exceljs's writer cannot make:
 * rows at 1048576, formulas without values, a DOCTYPE), and a minimal OLE2 compound file (the
 * container of a legacy .xls and of a password-protected .xlsx).
 */
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipPart {
  readonly name: string;
  readonly data: Buffer | string;
  /** Deflate (default) or store. */
  readonly method?: 'deflate' | 'store';
  /** The uncompressed size written in the central directory, when it should lie. */
  readonly declaredSize?: number;
  /** Data already deflated (raw), with its true uncompressed size: for bombs. */
  readonly deflated?: { readonly bytes: Buffer; readonly size: number };
}

/** A zip archive, entry by entry, with sizes as told (see {@link ZipPart.declaredSize}). */
export function zip(parts: readonly ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name, 'utf8');
    const raw = typeof part.data === 'string' ? Buffer.from(part.data, 'utf8') : part.data;
    const method = part.deflated !== undefined || part.method !== 'store' ? 8 : 0;
    const body = part.deflated?.bytes ?? (method === 8 ? deflateRawSync(raw) : raw);
    const size = part.deflated?.size ?? raw.length;
    const crc = part.deflated === undefined ? crc32(raw) : 0;
    const declared = part.declaredSize ?? size;
    const header = (signature: number, length: number): Buffer => {
      const b = Buffer.alloc(length);
      b.writeUInt32LE(signature, 0);
      return b;
    };
    const local = header(0x04034b50, 30);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(Math.min(declared, 0xfffffffe), 22);
    local.writeUInt16LE(name.length, 26);
    const central = header(0x02014b50, 46);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(Math.min(declared, 0xfffffffe), 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/**
 * Raw deflate data that inflates to `blocks` × 16 MB of spaces, made without ever holding the
 * inflated bytes: one sync-flushed 16 MB block (about 16 KB) repeated, then a final empty block.
 * 64 blocks: 1 GB from about 1 MB.
 */
export function deflatedSpaces(blocks: number): { bytes: Buffer; size: number } {
  const chunk = 16 * 1024 * 1024;
  const block = deflateRawSync(Buffer.alloc(chunk, 0x20), { level: 9, finishFlush: 2 /* Z_SYNC_FLUSH */ });
  // A final stored block of length 0: BFINAL=1, BTYPE=00, then LEN=0, NLEN=0xffff.
  const last = Buffer.from([0x01, 0x00, 0x00, 0xff, 0xff]);
  return { bytes: Buffer.concat([...Array.from({ length: blocks }, () => block), last]), size: blocks * chunk };
}

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

export interface HandSheet {
  readonly name: string;
  /** The `<sheetData>` content (rows), or a whole worksheet document when it starts with `<?xml`/`<!`/`<worksheet`. */
  readonly xml: string;
  readonly state?: 'hidden' | 'veryHidden';
}

/** Inline-string cell, for hand-written sheet XML. */
export function str(ref: string, text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<c r="${ref}" t="inlineStr"><is><t>${escaped}</t></is></c>`;
}

/** Number cell (style 1 is a yyyy-mm-dd date, 0 is General). */
export function num(ref: string, value: number, style = 0): string {
  return `<c r="${ref}"${style === 0 ? '' : ` s="${style}"`}><v>${value}</v></c>`;
}

/** A row of cells: `row(5, [str('A5', '日期'), num('B5', 3)])`. */
export function row(r: number, cells: readonly string[]): string {
  return `<row r="${r}">${cells.join('')}</row>`;
}

/**
 * A workbook written by hand: sheets as given, a styles part whose style 1 is a date
 * (numFmtId 14), shared strings when given, and any extra parts (e.g. `xl/vbaProject.bin`).
 */
export function handWorkbook(
  sheets: readonly HandSheet[],
  opts: { sharedStrings?: string; extra?: readonly ZipPart[]; contentType?: string } = {},
): Buffer {
  const workbook = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook ${NS}><sheets>${sheets
    .map((s, i) => `<sheet name="${s.name}" sheetId="${i + 1}"${s.state ? ` state="${s.state}"` : ''} r:id="rId${i + 1}"/>`)
    .join('')}</sheets></workbook>`;
  const rels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets
    .map((_, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`)
    .join('')}<Relationship Id="rIdS" Type="${REL}/styles" Target="styles.xml"/>${
    opts.sharedStrings === undefined ? '' : `<Relationship Id="rIdT" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>`
  }</Relationships>`;
  const styles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet ${NS}><fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>
<fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`;
  const contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="${opts.contentType ?? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml'}"/></Types>`;
  const sheetDocument = (xml: string): string =>
    /^\s*(<\?xml|<!|<worksheet)/.test(xml) ? xml : `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet ${NS}><sheetData>${xml}</sheetData></worksheet>`;
  return zip([
    { name: '[Content_Types].xml', data: contentTypes },
    { name: 'xl/workbook.xml', data: workbook },
    { name: 'xl/_rels/workbook.xml.rels', data: rels },
    { name: 'xl/styles.xml', data: styles },
    ...(opts.sharedStrings === undefined ? [] : [{ name: 'xl/sharedStrings.xml', data: opts.sharedStrings }]),
    ...sheets.map((s, i) => ({ name: `xl/worksheets/sheet${i + 1}.xml`, data: sheetDocument(s.xml) })),
    ...(opts.extra ?? []),
  ]);
}

/** The worksheet namespace declaration, for sheet documents written whole. */
export const WORKSHEET_NS = NS;

/**
 * A minimal OLE2 compound file (version 3, 512-byte sectors) holding one stream of 4,096 bytes
 * (so that it lives in regular sectors, not the mini stream): `Workbook` for a legacy .xls,
 * `EncryptedPackage` (beside `EncryptionInfo`) for an xlsx with an open password.
 */
export function compoundFile(streams: readonly { name: string; data: Buffer }[]): Buffer {
  const SECTOR = 512;
  const ENDOFCHAIN = 0xfffffffe;
  const FREESECT = 0xffffffff;
  const FATSECT = 0xfffffffd;
  const padded = streams.map((s) => {
    const size = Math.max(4096, Math.ceil(s.data.length / SECTOR) * SECTOR);
    const b = Buffer.alloc(size);
    s.data.copy(b);
    return { ...s, bytes: b, sectors: size / SECTOR };
  });
  // Sector 0: FAT, sector 1: directory, then the streams.
  const fat = Buffer.alloc(SECTOR, 0xff);
  fat.writeUInt32LE(FATSECT, 0);
  fat.writeUInt32LE(ENDOFCHAIN, 4);
  let next = 2;
  const starts: number[] = [];
  for (const s of padded) {
    starts.push(next);
    for (let i = 0; i < s.sectors; i++) fat.writeUInt32LE(i === s.sectors - 1 ? ENDOFCHAIN : next + i + 1, (next + i) * 4);
    next += s.sectors;
  }
  if (next > SECTOR / 4) throw new Error('compoundFile: streams too large for one FAT sector');
  const entry = (name: string, type: number, start: number, size: number, child: number, right: number): Buffer => {
    const e = Buffer.alloc(128);
    const n = Buffer.from(`${name}\0`, 'utf16le');
    n.copy(e, 0);
    e.writeUInt16LE(n.length, 64);
    e.writeUInt8(type, 66);
    e.writeUInt8(1, 67); // black
    e.writeUInt32LE(FREESECT, 68); // left sibling
    e.writeUInt32LE(right, 72);
    e.writeUInt32LE(child, 76);
    e.writeUInt32LE(start, 116);
    e.writeUInt32LE(size, 120);
    return e;
  };
  const dir = Buffer.alloc(SECTOR);
  entry('Root Entry', 5, ENDOFCHAIN, 0, padded.length > 0 ? 1 : FREESECT, FREESECT).copy(dir, 0);
  padded.forEach((s, i) => {
    entry(s.name, 2, starts[i] ?? 0, s.data.length, FREESECT, i + 2 <= padded.length ? i + 2 : FREESECT).copy(dir, (i + 1) * 128);
  });
  const header = Buffer.alloc(SECTOR);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header, 0);
  header.writeUInt16LE(0x3e, 24); // minor version
  header.writeUInt16LE(3, 26); // major version
  header.writeUInt16LE(0xfffe, 28); // little-endian
  header.writeUInt16LE(9, 30); // sector shift: 512
  header.writeUInt16LE(6, 32); // mini sector shift: 64
  header.writeUInt32LE(1, 44); // FAT sectors
  header.writeUInt32LE(1, 48); // first directory sector
  header.writeUInt32LE(4096, 56); // mini stream cutoff
  header.writeUInt32LE(ENDOFCHAIN, 60); // no mini FAT
  header.writeUInt32LE(ENDOFCHAIN, 68); // no DIFAT sectors
  header.writeUInt32LE(0, 76); // DIFAT[0] = FAT in sector 0
  for (let i = 1; i < 109; i++) header.writeUInt32LE(FREESECT, 76 + i * 4);
  return Buffer.concat([header, fat, dir, ...padded.map((s) => s.bytes)]);
}
