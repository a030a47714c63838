/**
 * The first sheet's merged ranges are read while the shared strings are (sheets/xlsx-reader.ts),
 * when its part is streamed: what is found, and which error is thrown first, is what reading
 * them one after the other gave.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, UnreadableFileError } from '../sheets/raw-sheet.ts';
import { streamXlsx } from '../sheets/xlsx-reader.ts';

const DIR = join(import.meta.dirname, '.tmp', 'merges-ahead');
const DOCTYPE = '<!DOCTYPE x [<!ENTITY a "b">]>';

/** A workbook of one sheet of `rows` rows (over a megabyte inflated from ~20,000: streamed). */
async function book(name: string, opts: { rows: number; sheetDoctype?: boolean; stringsDoctype?: boolean }): Promise<string> {
  const zip = new JSZip();
  zip.file('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>');
  zip.file(
    'xl/workbook.xml',
    '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
  );
  zip.file(
    'xl/_rels/workbook.xml.rels',
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
  );
  zip.file('xl/sharedStrings.xml', `<?xml version="1.0"?>${opts.stringsDoctype ? DOCTYPE : ''}<sst><si><t>甲</t></si><si><t>乙</t></si></sst>`);
  let rows = '';
  for (let r = 1; r <= opts.rows; r++) rows += `<row r="${r}"><c r="A${r}" t="s"><v>${r % 2}</v></c><c r="B${r}"><v>${r * 7}</v></c><c r="C${r}"><v>${r}</v></c></row>`;
  zip.file(
    'xl/worksheets/sheet1.xml',
    `<?xml version="1.0"?><worksheet><sheetData>${rows}</sheetData><mergeCells count="2"><mergeCell ref="A1:C1"/><mergeCell ref="A3:A4"/></mergeCells>${opts.sheetDoctype ? DOCTYPE : ''}</worksheet>`,
  );
  const path = join(DIR, name);
  await writeFile(path, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return path;
}

async function read(path: string): Promise<{ merges: string[][]; rows: number }> {
  const merges: string[][] = [];
  let rows = 0;
  for await (const sheet of streamXlsx(path, DEFAULT_LIMITS)) {
    merges.push([...sheet.merges]);
    for await (const batch of sheet.rows()) rows += batch.length;
  }
  return { merges, rows };
}

describe('merged ranges read beside the shared strings', () => {
  beforeAll(() => mkdir(DIR, { recursive: true }));
  afterAll(() => rm(DIR, { recursive: true, force: true }));

  it('finds the ranges of a streamed sheet, and reads its rows', async () => {
    expect(await read(await book('plain.xlsx', { rows: 30_000 }))).toEqual({ merges: [['A1:C1', 'A3:A4']], rows: 30_000 });
  });

  it('throws the shared strings’ error when both parts are bad, and the sheet’s when only it is', async () => {
    const both = read(await book('both.xlsx', { rows: 30_000, sheetDoctype: true, stringsDoctype: true }));
    await expect(both).rejects.toThrow(UnreadableFileError);
    await expect(both).rejects.toSatisfy((e: Error) => String((e.cause as Error).message).includes('sharedStrings'));
    const sheet = read(await book('sheet.xlsx', { rows: 30_000, sheetDoctype: true }));
    await expect(sheet).rejects.toSatisfy((e: Error) => String((e.cause as Error).message).includes('sheet1.xml'));
  });
});
