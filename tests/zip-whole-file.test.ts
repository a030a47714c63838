/**
 * A small zip is read whole and its small parts inflated at once (sheets/xlsx/zip.ts); a large
 * one is streamed part by part. Both must find the same things: every part of each file here is
 * read both ways (from what inspectZip gave, with the file's bytes, and from the path alone,
 * streamed) and must give the same text, or the same error.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, UnreadableFileError, type ReadLimits } from '../sheets/raw-sheet.ts';
import { MESSAGE_BOMB, MESSAGE_DOCTYPE, entryText, inspectZip, type LocatedEntry, type WorkbookInfo } from '../sheets/xlsx/zip.ts';
import { handWorkbook, num, row, str, zip, type ZipPart } from './bad-input/containers.ts';

const dir = join(import.meta.dirname, '.tmp', 'zip-whole-file');
mkdirSync(dir, { recursive: true });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WORKBOOK = `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>`;
const RELS = `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`;
const SHEET = `<?xml version="1.0"?>\n<worksheet><sheetData>${row(1, [str('A1', '日期'), str('B1', '村（社区）')])}${row(2, [num('A2', 43895, 1), str('B2', '安定村')])}</sheetData></worksheet>`;

/** A workbook whose one sheet part is as given. */
function withSheet(sheet: Omit<ZipPart, 'name'>): Buffer {
  return zip([
    { name: 'xl/workbook.xml', data: WORKBOOK },
    { name: 'xl/_rels/workbook.xml.rels', data: RELS },
    { name: 'xl/worksheets/sheet1.xml', ...sheet },
  ]);
}

/** The zip with the compressed size of its last central directory entry overstated by `extra` bytes. */
function overstated(bytes: Buffer, extra: number): Buffer {
  const out = Buffer.from(bytes);
  const cd = out.readUInt32LE(out.length - 22 + 16);
  const count = out.readUInt16LE(out.length - 22 + 10);
  let p = cd;
  for (let i = 1; i < count; i++) p += 46 + out.readUInt16LE(p + 28) + out.readUInt16LE(p + 30) + out.readUInt16LE(p + 32);
  out.writeUInt32LE(out.readUInt32LE(p + 20) + extra, p + 20);
  return out;
}

const valid = handWorkbook([{ name: '法律服务', xml: row(1, [str('A1', '日期'), '<c r="B1" t="s"><v>0</v></c>']) + row(2, [num('A2', 43895, 1)]) }], {
  sharedStrings: `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>村（社区）名称</t></si></sst>`,
});
const big = `<worksheet><sheetData>${Array.from({ length: 30_000 }, (_, i) => row(i + 1, [str(`A${i + 1}`, `第${i}行 安定村 法律咨询`)])).join('')}</sheetData></worksheet>`;
const sheetDeflated = deflateRawSync(Buffer.from(SHEET));

const CASES: Record<string, Buffer> = {
  'a valid workbook': valid,
  'a stored sheet part': withSheet({ data: SHEET, method: 'store' }),
  'a byte order mark, then Chinese text': withSheet({ data: `\ufeff${SHEET}` }),
  'a part inflating past its declared size': withSheet({ data: SHEET, declaredSize: 100 }),
  'a stored part longer than declared': withSheet({ data: SHEET, method: 'store', declaredSize: 100 }),
  'a part shorter than declared': withSheet({ data: SHEET, declaredSize: SHEET.length + 500 }),
  'a part declaring nothing but holding text': withSheet({ data: SHEET, declaredSize: 0 }),
  'damaged deflate data': withSheet({ data: '', deflated: { bytes: Buffer.from(sheetDeflated.map((b, i) => (i > 10 && i < 30 ? 0xff : b))), size: SHEET.length } }),
  'truncated deflate data': withSheet({ data: '', deflated: { bytes: sheetDeflated.subarray(0, sheetDeflated.length - 20), size: SHEET.length } }),
  'a DOCTYPE in the sheet': withSheet({ data: `<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e "e">]>${SHEET.slice(22)}` }),
  'a DOCTYPE and a part past its declared size': withSheet({ data: `<!DOCTYPE x>${SHEET}`, declaredSize: 50 }),
  'a compressed size reaching past the data': overstated(withSheet({ data: SHEET }), 40),
  'a compressed size reaching past the file': overstated(withSheet({ data: SHEET }), 100_000),
  'a stored part reaching past the file': overstated(withSheet({ data: SHEET, method: 'store' }), 100_000),
  'a sheet part over one chunk (streamed both ways)': withSheet({ data: big }),
  'a sheet part over one chunk, declared smaller': withSheet({ data: big, declaredSize: 1_000_000 }),
};

type Outcome = { text: string } | { error: string; message: string };

async function outcome(file: WorkbookInfo | string, entry: LocatedEntry, budget: { inflated: number }, limits: ReadLimits): Promise<Outcome> {
  try {
    let text = '';
    for await (const piece of entryText(file, entry, budget, limits)) text += piece;
    return { text };
  } catch (error) {
    const e = error as Error & { code?: string };
    return { error: `${e.constructor.name}${e.code === undefined ? '' : ` ${e.code}`}`, message: e.message };
  }
}

/** Every part of the workbook, read with the file's bytes and then streamed from its path. */
async function bothWays(bytes: Buffer, limits: ReadLimits = DEFAULT_LIMITS): Promise<{ whole: Outcome[]; streamed: Outcome[]; book: WorkbookInfo }> {
  const path = join(dir, `${Math.random().toString(36).slice(2)}.xlsx`);
  writeFileSync(path, bytes);
  const book = await inspectZip(path, limits);
  const parts = [book.workbook, book.rels, book.styles, book.sharedStrings, ...book.sheets.map((s) => s.entry)].filter((e) => e !== undefined);
  const whole: Outcome[] = [];
  const streamed: Outcome[] = [];
  // One budget across the parts each way, as a read of the file has.
  const budgets = { whole: { inflated: 0 }, streamed: { inflated: 0 } };
  for (const entry of parts) {
    whole.push(await outcome(book, entry, budgets.whole, limits));
    streamed.push(await outcome(path, entry, budgets.streamed, limits));
  }
  expect(budgets.whole).toEqual(budgets.streamed);
  return { whole, streamed, book };
}

describe('a small zip read whole finds what streaming it finds', () => {
  for (const [name, bytes] of Object.entries(CASES)) {
    it(name, async () => {
      const { whole, streamed, book } = await bothWays(bytes);
      expect(book.bytes?.length).toBe(bytes.length);
      expect(whole).toEqual(streamed);
    });
  }

  it('finds a lie, a DOCTYPE and a short part as errors, not text', async () => {
    const last = async (name: string) => (await bothWays(CASES[name] as Buffer)).whole.at(-1);
    expect(await last('a part inflating past its declared size')).toEqual({ error: 'UnreadableFileError', message: MESSAGE_BOMB });
    expect(await last('a stored part longer than declared')).toEqual({ error: 'UnreadableFileError', message: MESSAGE_BOMB });
    expect(await last('a part declaring nothing but holding text')).toEqual({ error: 'UnreadableFileError', message: MESSAGE_BOMB });
    expect(await last('a DOCTYPE in the sheet')).toEqual({ error: 'UnreadableFileError', message: MESSAGE_DOCTYPE });
    expect(await last('a DOCTYPE and a part past its declared size')).toEqual({ error: 'UnreadableFileError', message: MESSAGE_BOMB });
    expect(await last('a part shorter than declared')).toMatchObject({ error: 'Error' });
    expect(await last('truncated deflate data')).toMatchObject({ error: 'Error Z_BUF_ERROR' });
    expect(await last('a valid workbook')).toEqual({ text: expect.stringContaining('<sheetData>') });
  });

  it('charges the file’s inflate budget the same way, and stops at it', async () => {
    // The sheet part read twice with one budget: the second reading passes the file's limit.
    const limits = { ...DEFAULT_LIMITS, maxInflatedBytes: 2_000 };
    const bytes = withSheet({ data: SHEET });
    const path = join(dir, 'budget.xlsx');
    writeFileSync(path, bytes);
    const book = await inspectZip(path, limits);
    const entry = book.sheets[0]?.entry as LocatedEntry;
    const whole = { inflated: 1_800 };
    const streamed = { inflated: 1_800 };
    expect(await outcome(book, entry, whole, limits)).toEqual({ error: 'UnreadableFileError', message: MESSAGE_BOMB });
    expect(await outcome(path, entry, streamed, limits)).toEqual({ error: 'UnreadableFileError', message: MESSAGE_BOMB });
    expect(whole).toEqual(streamed);
  });

  it('keeps the file limits of inspectZip: a file over the size limit is refused before it is read', async () => {
    const path = join(dir, 'limit.xlsx');
    writeFileSync(path, valid);
    await expect(inspectZip(path, { ...DEFAULT_LIMITS, maxFileBytes: 100 })).rejects.toBeInstanceOf(UnreadableFileError);
    await expect(inspectZip(path, { ...DEFAULT_LIMITS, maxInflatedBytes: 100 })).rejects.toThrow(MESSAGE_BOMB);
  });
});
