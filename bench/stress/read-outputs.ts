/**
 * Reads what a run wrote, without loading it: the findings CSV as a stream of records, and
 * chosen columns of chosen sheets of the report workbook straight from the zip (central
 * directory → inflate only the parts asked for; shared strings resolved for the cells kept).
 * A report whose 溯源 sheet holds a million rows costs nothing unless that sheet is asked for.
 */
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { createInflateRaw } from 'node:zlib';
import Papa from 'papaparse';

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localOffset: number;
}

async function zipEntries(path: string): Promise<Map<string, ZipEntry>> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const tailLen = Math.min(size, 65_557);
    const tail = Buffer.alloc(tailLen);
    await fh.read(tail, 0, tailLen, size - tailLen);
    let eocd = -1;
    for (let i = tailLen - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new Error(`${path}: not a zip (no end of central directory)`);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    const cd = Buffer.alloc(cdSize);
    await fh.read(cd, 0, cdSize, cdOffset);
    const entries = new Map<string, ZipEntry>();
    let p = 0;
    while (p + 46 <= cd.length && cd.readUInt32LE(p) === 0x02014b50) {
      const nameLen = cd.readUInt16LE(p + 28);
      const extraLen = cd.readUInt16LE(p + 30);
      const commentLen = cd.readUInt16LE(p + 32);
      const name = cd.toString('utf8', p + 46, p + 46 + nameLen);
      entries.set(name, { name, method: cd.readUInt16LE(p + 10), compressedSize: cd.readUInt32LE(p + 20), localOffset: cd.readUInt32LE(p + 42) });
      p += 46 + nameLen + extraLen + commentLen;
    }
    // Where each entry's data starts: after its local header.
    for (const e of entries.values()) {
      const h = Buffer.alloc(30);
      await fh.read(h, 0, 30, e.localOffset);
      e.localOffset += 30 + h.readUInt16LE(26) + h.readUInt16LE(28);
    }
    return entries;
  } finally {
    await fh.close();
  }
}

/** The text of one zip entry, chunk by chunk. */
async function* entryText(path: string, e: ZipEntry): AsyncGenerator<string> {
  const raw = createReadStream(path, { start: e.localOffset, end: e.localOffset + e.compressedSize - 1 });
  const stream = e.method === 8 ? raw.pipe(createInflateRaw()) : raw;
  const dec = new StringDecoder('utf8');
  for await (const chunk of stream) yield dec.write(chunk as Buffer);
  const rest = dec.end();
  if (rest !== '') yield rest;
}

async function wholeEntry(path: string, e: ZipEntry | undefined): Promise<string> {
  if (e === undefined) return '';
  let s = '';
  for await (const t of entryText(path, e)) s += t;
  return s;
}

const unescape = (s: string) =>
  s.replace(/&(lt|gt|amp|quot|apos|#x[0-9a-fA-F]+|#\d+);/g, (_, n: string) =>
    n === 'lt' ? '<' : n === 'gt' ? '>' : n === 'amp' ? '&' : n === 'quot' ? '"' : n === 'apos' ? "'" : String.fromCodePoint(n.startsWith('#x') ? parseInt(n.slice(2), 16) : Number(n.slice(1))),
  );
const textOf = (inner: string) => [...inner.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((m) => unescape(m[1] ?? '')).join('');

/** One sheet's cells of the columns asked for: `rows.get(12)?.get('H')`. Row count is every row with a cell. */
export interface PeekedSheet {
  rows: Map<number, Map<string, string | number>>;
  rowCount: number;
}

/**
 * Chosen columns of chosen sheets of an xlsx, by header and column, e.g.
 * `{ 指标汇总: { 指标编码: 'B', 数值: 'E' } }`: row 1 must hold those headers in those columns
 * (else the layout changed and this throws, rather than read the wrong column). A sheet not in
 * the workbook is absent from the answer.
 */
export async function peekWorkbook(path: string, want: Readonly<Record<string, Readonly<Record<string, string>>>>): Promise<Map<string, PeekedSheet>> {
  const answer = await peekColumns(
    path,
    Object.fromEntries(Object.entries(want).map(([sheet, columns]) => [sheet, Object.values(columns)])),
  );
  for (const [name, sheet] of answer) {
    for (const [header, letter] of Object.entries(want[name] ?? {})) {
      const found = sheet.rows.get(1)?.get(letter);
      if (found !== header) throw new Error(`${path}: ${name} column ${letter} is headed “${String(found ?? '')}”, not “${header}” (the report's layout changed: update bench/stress)`);
    }
  }
  return answer;
}

async function peekColumns(path: string, want: Readonly<Record<string, readonly string[]>>): Promise<Map<string, PeekedSheet>> {
  const entries = await zipEntries(path);
  const workbook = await wholeEntry(path, entries.get('xl/workbook.xml'));
  const rels = await wholeEntry(path, entries.get('xl/_rels/workbook.xml.rels'));
  const targetOf = new Map<string, string>();
  for (const m of rels.matchAll(/<Relationship\b([^>]*)\/?>/g)) {
    const id = /\bId="([^"]*)"/.exec(m[1] ?? '')?.[1];
    const target = /\bTarget="([^"]*)"/.exec(m[1] ?? '')?.[1];
    if (id !== undefined && target !== undefined) targetOf.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target}`);
  }
  const answer = new Map<string, PeekedSheet>();
  const sharedWanted = new Map<number, { sheet: PeekedSheet; row: number; col: string }[]>();
  for (const m of workbook.matchAll(/<sheet\b([^>]*)\/?>/g)) {
    const name = unescape(/\bname="([^"]*)"/.exec(m[1] ?? '')?.[1] ?? '');
    const rid = /\br:id="([^"]*)"/.exec(m[1] ?? '')?.[1] ?? '';
    const columns = want[name];
    const entry = entries.get(targetOf.get(rid) ?? '');
    if (columns === undefined || entry === undefined) continue;
    const sheet: PeekedSheet = { rows: new Map(), rowCount: 0 };
    answer.set(name, sheet);
    const cols = new Set(columns);
    let buf = '';
    let lastRow = 0;
    const consume = (segment: string) => {
      for (const c of segment.matchAll(/<c r="([A-Z]+)(\d+)"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
        const [, letters = '', rowText = '', attrs = '', inner = ''] = c;
        const row = Number(rowText);
        if (row !== lastRow) {
          lastRow = row;
          sheet.rowCount++;
        }
        if (!cols.has(letters)) continue;
        const type = /\bt="([^"]*)"/.exec(attrs)?.[1] ?? 'n';
        const v = /<v>([\s\S]*?)<\/v>/.exec(inner)?.[1];
        let cells = sheet.rows.get(row);
        if (cells === undefined) sheet.rows.set(row, (cells = new Map()));
        if (type === 's' && v !== undefined) {
          const at = sharedWanted.get(Number(v)) ?? [];
          at.push({ sheet, row, col: letters });
          sharedWanted.set(Number(v), at);
        } else if (type === 'inlineStr') cells.set(letters, textOf(inner));
        else if (type === 'n' && v !== undefined) cells.set(letters, Number(v));
        else if (v !== undefined) cells.set(letters, unescape(v));
      }
    };
    for await (const text of entryText(path, entry)) {
      buf += text;
      const cut = buf.lastIndexOf('</row>');
      if (cut < 0) continue;
      consume(buf.slice(0, cut));
      buf = buf.slice(cut);
    }
    consume(buf);
  }
  const sst = entries.get('xl/sharedStrings.xml');
  if (sharedWanted.size > 0 && sst !== undefined) {
    let index = 0;
    let buf = '';
    const consume = (segment: string) => {
      for (const si of segment.matchAll(/<si>([\s\S]*?)<\/si>|<si\/>/g)) {
        const at = sharedWanted.get(index);
        if (at !== undefined) for (const { sheet, row, col } of at) sheet.rows.get(row)?.set(col, textOf(si[1] ?? ''));
        index++;
      }
    };
    for await (const text of entryText(path, sst)) {
      buf += text;
      const cut = buf.lastIndexOf('</si>');
      if (cut < 0) continue;
      consume(buf.slice(0, cut + 5));
      buf = buf.slice(cut + 5);
    }
    consume(buf);
  }
  return answer;
}

/** Every record of a findings CSV (header row excluded), streamed. */
export async function eachFinding(path: string, onRecord: (r: FindingRecord) => void): Promise<void> {
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { header: false, skipEmptyLines: true }) as unknown as NodeJS.ReadWriteStream;
  let header: string[] | undefined;
  parser.on('data', (row: string[]) => {
    if (header === undefined) {
      header = row.map((h) => h.replace(/^\ufeff/, ''));
      return;
    }
    const get = (name: string) => row[header?.indexOf(name) ?? -1] ?? '';
    onRecord({ level: get('级别'), code: get('规则编码'), department: get('部门'), file: get('文件'), sheet: get('工作表'), cell: get('单元格'), message: get('说明') });
  });
  const ended = once(parser, 'end');
  createReadStream(path).pipe(parser as unknown as NodeJS.WritableStream);
  await ended;
}

export interface FindingRecord {
  level: string;
  code: string;
  department: string;
  file: string;
  sheet: string;
  cell: string;
  message: string;
}
