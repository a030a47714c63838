/**
 * Writes workbooks of any size without holding them: sheet XML (and the shared strings) come
 * from generators, are batched into ~1 MB pieces, deflated by fflate's streaming Zip and written
 * to the file as they go (waiting for the disk when it falls behind). Parts are laid out the
 * way Excel saves them: the worksheets first, sharedStrings.xml after them.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { Zip, ZipDeflate, strToU8 } from 'fflate';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
export const xmlText = esc;

const LETTERS: string[] = [];
/** 0-based column index → letters (0 → A, 16383 → XFD). */
export function col(i: number): string {
  let s = LETTERS[i];
  if (s !== undefined) return s;
  let n = i + 1;
  s = '';
  while (n > 0) {
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
    n = Math.floor((n - 1) / 26);
  }
  LETTERS[i] = s;
  return s;
}

/** A cell: a number, a date (style 1, yyyy-mm-dd), a shared string by index, or an inline string. */
export type XCell = { n: number } | { date: number } | { s: number } | { inline: string } | null;

/** Excel serial of a day of 2020 (0 = 2020-01-01). */
export const day2020 = (d: number) => 43_831 + d;

export function rowXml(r: number, cells: readonly XCell[], firstCol = 0): string {
  let x = `<row r="${r}">`;
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    if (c === null || c === undefined) continue;
    const ref = `${col(firstCol + i)}${r}`;
    if ('n' in c) x += `<c r="${ref}"><v>${c.n}</v></c>`;
    else if ('date' in c) x += `<c r="${ref}" s="1"><v>${c.date}</v></c>`;
    else if ('s' in c) x += `<c r="${ref}" t="s"><v>${c.s}</v></c>`;
    else x += `<c r="${ref}" t="inlineStr"><is><t>${esc(c.inline)}</t></is></c>`;
  }
  return `${x}</row>`;
}

export interface SheetPart {
  name: string;
  /** Row XML (see {@link rowXml}), in order. */
  rows: Iterable<string>;
  /** e.g. `A1:F1048576`. */
  dimension?: string;
  merges?: readonly string[];
}

export interface WorkbookParts {
  sheets: Iterable<SheetPart>;
  /** The shared strings, index order, as plain text (escaped here). */
  sharedStrings?: Iterable<string>;
  /** Number of sheets (needed up front for workbook.xml and the content types). */
  sheetCount: number;
  /** Deflate level (default 1: these files are big and repetitive, speed matters more). */
  level?: number;
}

const BATCH = 1 << 20;

/** Writes the workbook to `path`; resolves when the file is closed. Returns its size in bytes. */
export async function writeWorkbook(path: string, parts: WorkbookParts): Promise<number> {
  const out = createWriteStream(path);
  let bytes = 0;
  let failed: Error | undefined;
  let blocked = false;
  const done = once(out, 'close');
  const zip = new Zip((err, chunk, final) => {
    if (err) {
      failed = err;
      return;
    }
    bytes += chunk.length;
    if (!out.write(chunk)) blocked = true;
    if (final) out.end();
  });
  const level = (parts.level ?? 1) as 1;
  const drain = async () => {
    if (failed !== undefined) throw failed;
    if (blocked) {
      blocked = false;
      await once(out, 'drain');
    }
  };
  /** One part from a stream of strings, batched. */
  const part = async (name: string, chunks: Iterable<string>) => {
    const file = new ZipDeflate(name, { level });
    zip.add(file);
    let buf = '';
    for (const c of chunks) {
      buf += c;
      if (buf.length >= BATCH) {
        file.push(strToU8(buf));
        buf = '';
        await drain();
      }
    }
    file.push(strToU8(buf), true);
    await drain();
  };
  const small = (name: string, text: string) => part(name, [text]);

  const n = parts.sheetCount;
  const sheetIds = Array.from({ length: n }, (_, i) => i + 1);
  await small(
    '[Content_Types].xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${sheetIds.map((i) => `<Override PartName="/xl/worksheets/sheet${i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('')}<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>${parts.sharedStrings === undefined ? '' : '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'}</Types>`,
  );
  await small(
    '_rels/.rels',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  );
  const sheets = [...parts.sheets];
  if (sheets.length !== n) throw new Error(`sheetCount ${n} but ${sheets.length} sheets`);
  await small(
    'xl/workbook.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${sheets.map((s, i) => `<sheet name="${esc(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`,
  );
  await small(
    'xl/_rels/workbook.xml.rels',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheetIds.map((i) => `<Relationship Id="rId${i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i}.xml"/>`).join('')}<Relationship Id="rId${n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>${parts.sharedStrings === undefined ? '' : `<Relationship Id="rId${n + 2}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`}</Relationships>`,
  );
  await small(
    'xl/styles.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`,
  );
  for (const [i, s] of sheets.entries()) {
    await part(
      `xl/worksheets/sheet${i + 1}.xml`,
      (function* () {
        yield `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">${s.dimension === undefined ? '' : `<dimension ref="${s.dimension}"/>`}<sheetData>`;
        yield* s.rows;
        yield `</sheetData>${s.merges === undefined || s.merges.length === 0 ? '' : `<mergeCells count="${s.merges.length}">${s.merges.map((m) => `<mergeCell ref="${m}"/>`).join('')}</mergeCells>`}</worksheet>`;
      })(),
    );
  }
  if (parts.sharedStrings !== undefined) {
    const strings = parts.sharedStrings;
    await part(
      'xl/sharedStrings.xml',
      (function* () {
        yield `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`;
        for (const s of strings) yield `<si><t xml:space="preserve">${esc(s)}</t></si>`;
        yield '</sst>';
      })(),
    );
  }
  zip.end();
  await done;
  if (failed !== undefined) throw failed;
  return bytes;
}
