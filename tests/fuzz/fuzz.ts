/**
 * Fuzzing the read path: valid workbooks and CSVs, mutated (flipped bytes, truncation, XML
 * elements shuffled, duplicated or dropped inside the zip, entries cut or deleted, re-zipped
 * with jszip), each read through `readFile` + `extractSheet` in-process with a time bound. Every
 * outcome must be a read (with or without findings) or an {@link UnreadableFileError}: anything
 * else is a crash, a read over the time bound a hang. Deterministic for a seed.
 *
 * @example
 * const result = await runFuzz({ iterations: 300, seed: 20_200_305, dir: 'tests/.tmp/fuzz-x' });
 * result.counts // { read: 140, findings: 60, unreadable: 100, crash: 0, hang: 0 }
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import JSZip from 'jszip';
import ExcelJS from 'exceljs';
import { extractSheet } from '../../sheets/extract-sheet.ts';
import { loadLedgerCatalog } from '../../sheets/ledger-catalog.ts';
import { UnreadableFileError } from '../../sheets/raw-sheet.ts';
import { readFile } from '../../sheets/read-file.ts';
import { handWorkbook, num, row, str } from '../bad-input/containers.ts';

export type Outcome = 'read' | 'findings' | 'unreadable' | 'crash' | 'hang';

export interface FuzzResult {
  readonly iterations: number;
  readonly counts: Record<Outcome, number>;
  /** Counts per mutation kind, for the report. */
  readonly byMutation: Record<string, number>;
  /** The crashes and hangs: what was done to which seed, and what happened. */
  readonly failures: readonly { readonly iteration: number; readonly seed: string; readonly mutation: string; readonly outcome: Outcome; readonly error: string }[];
  readonly ms: number;
}

export interface FuzzOptions {
  readonly iterations: number;
  readonly seed: number;
  /** Where the mutated files are written (one file per case, overwritten). */
  readonly dir: string;
  /** Longest one read may take (default 10 s). */
  readonly timeoutMs?: number;
  readonly onProgress?: (done: number, counts: Record<Outcome, number>) => void;
}

const catalog = loadLedgerCatalog(join(import.meta.dirname, '..', '..', 'packs', 'anding-2020', 'ledgers.json'));

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Seed {
  readonly name: string;
  readonly ext: 'xlsx' | 'csv';
  readonly bytes: Buffer;
}

const D = (m: number, d: number): Date => new Date(Date.UTC(2020, m - 1, d));

/** The valid files mutated: workbooks by exceljs and by hand, CSVs in three encodings. */
export async function seeds(): Promise<Seed[]> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('法律服务');
  ws.mergeCells('A1:D1');
  ws.getCell('A1').value = '安定镇2020年公共法律服务台账';
  ws.getRow(2).values = ['日期', '村居', '服务类别', '人次'];
  for (let i = 0; i < 12; i++) {
    const r = ws.getRow(i + 3);
    r.values = [D(i + 1, 5), { richText: [{ text: `村` }, { text: `${i}` }] }, i % 3 === 0 ? '法律援助咨询' : '法律咨询', i + 1];
    r.getCell(1).numFmt = 'yyyy-mm-dd';
    if (i % 5 === 0) r.hidden = true;
  }
  ws.getCell('A15').value = '合计';
  ws.getCell('D15').value = { formula: 'SUM(D3:D14)', result: 78 };
  ws.getCell('D16').value = { formula: 'D15/0', result: { error: '#DIV/0!' } };
  const hidden = wb.addWorksheet('选项', { state: 'hidden' });
  hidden.getCell('A1').value = '法律咨询';
  const pubSheet = wb.addWorksheet('普法');
  pubSheet.getRow(1).values = ['日期', '活动名称', '形式', '参与人数'];
  pubSheet.getRow(2).values = ['2020年3月5日', '宪法宣传', '讲座', '30人'];
  pubSheet.getRow(3).values = [43896, '民法典宣传', { formula: '"展"&"板"', result: '展板' }, true];
  const exceljsBytes = Buffer.from(await wb.xlsx.writeBuffer());

  const header = ['日期', '活动名称', '形式', '参与人数'].map((h, i) => str(`${'ABCD'[i]}1`, h));
  const hand = handWorkbook(
    [
      {
        name: '普法宣传',
        xml:
          row(1, header) +
          Array.from({ length: 20 }, (_, i) =>
            row(i + 2, [num(`A${i + 2}`, 43895 + i, 1), `<c r="B${i + 2}" t="s"><v>${i % 3}</v></c>`, str(`C${i + 2}`, '讲座'), num(`D${i + 2}`, i * 3)]),
          ).join('') +
          '<row r="30"><c r="A30" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="B30" t="b"><v>1</v></c></row>',
      },
    ],
    { sharedStrings: '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>宪法宣传</t></si><si><r><t>民法</t></r><r><t>典</t></r></si><si><t xml:space="preserve"> 禁毒 </t></si></sst>' },
  );
  const csv = '日期,村居,服务类别,人次\r\n2020-03-05,安定村,法律咨询,12\r\n2020/4/6,"东庄村,北",法律咨询,1,200人次\r\n"3月5日","西庄\r\n村",法律援助咨询,三十五\r\n合计,,,47\r\n';
  return [
    { name: 'exceljs-workbook', ext: 'xlsx', bytes: exceljsBytes },
    { name: 'hand-workbook', ext: 'xlsx', bytes: hand },
    { name: 'csv-utf8', ext: 'csv', bytes: Buffer.from(csv, 'utf8') },
    { name: 'csv-gb18030', ext: 'csv', bytes: iconv.encode(csv, 'gb18030') },
    { name: 'csv-utf16le', ext: 'csv', bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv.replace(/,/g, '\t'), 'utf16le')]) },
  ];
}

// ---- Mutations ------------------------------------------------------------------------------------

type Random = () => number;
const pick = <T>(rand: Random, items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
const int = (rand: Random, n: number): number => Math.floor(rand() * n);

function flipBytes(rand: Random, bytes: Buffer): Buffer {
  const out = Buffer.from(bytes);
  const n = 1 + int(rand, 8);
  for (let i = 0; i < n; i++) {
    const at = int(rand, out.length);
    out[at] = (out[at] ?? 0) ^ (1 << int(rand, 8));
  }
  return out;
}

function truncate(rand: Random, bytes: Buffer): Buffer {
  return bytes.subarray(0, int(rand, bytes.length));
}

const ELEMENTS = [
  /<row\b[^>]*?(?:\/>|>[\s\S]*?<\/row>)/g,
  /<c\b[^>]*?(?:\/>|>[\s\S]*?<\/c>)/g,
  /<si>[\s\S]*?<\/si>/g,
  /<sheet\b[^>]*\/>/g,
  /<mergeCell\b[^>]*\/>/g,
  /<Relationship\b[^>]*\/>/g,
  /<xf\b[^>]*?(?:\/>|>[\s\S]*?<\/xf>)/g,
];

/** One change to an XML part: elements swapped, duplicated or dropped, text cut or garbled. */
function mutateXml(rand: Random, xml: string): { xml: string; how: string } {
  const kind = pick(rand, ['swap', 'duplicate', 'drop', 'cut', 'garble', 'attribute'] as const);
  if (kind === 'cut') return { xml: xml.slice(0, int(rand, xml.length)), how: 'cut' };
  if (kind === 'garble') {
    const at = int(rand, xml.length);
    const junk = pick(rand, ['<', '>', '&', '"', '</row>', '<c r="A1">', '&#0;', '\u0000', 'r="XFD1048577"', '<v>NaN</v>', '<f>1/0</f>']);
    return { xml: xml.slice(0, at) + junk + xml.slice(at), how: 'garble' };
  }
  if (kind === 'attribute') {
    const replaced = xml.replace(/\b(r|ref|s|t|sheetId|count)="[^"]*"/, () => `${pick(rand, ['r', 'ref', 's', 't'])}="${pick(rand, ['', '-1', 'ZZZZ99999999', '1e308', 'A0', 'e', 'b', 'A1:XFD1048576', '999999'])}"`);
    return { xml: replaced, how: 'attribute' };
  }
  const present = ELEMENTS.filter((re) => new RegExp(re.source).test(xml));
  const re = pick(rand, present.length > 0 ? present : ELEMENTS);
  const found = [...xml.matchAll(re)];
  if (found.length === 0) return { xml: xml.slice(0, int(rand, xml.length)), how: 'cut' };
  const a = pick(rand, found);
  const b = pick(rand, found);
  const [first, second] = (a.index ?? 0) <= (b.index ?? 0) ? [a, b] : [b, a];
  const fa = first.index ?? 0;
  const fb = second.index ?? 0;
  if (kind === 'duplicate') return { xml: xml.slice(0, fa) + first[0] + first[0] + xml.slice(fa + first[0].length), how: 'duplicate' };
  if (kind === 'drop') return { xml: xml.slice(0, fa) + xml.slice(fa + first[0].length), how: 'drop' };
  if (fa === fb || fa + first[0].length > fb) return { xml: xml.slice(0, fa) + xml.slice(fa + first[0].length), how: 'drop' };
  return {
    xml: xml.slice(0, fa) + second[0] + xml.slice(fa + first[0].length, fb) + first[0] + xml.slice(fb + second[0].length),
    how: 'swap',
  };
}

/** A workbook's zip opened, one part changed (or cut, or deleted), and written again. */
async function mutateZip(rand: Random, bytes: Buffer): Promise<{ bytes: Buffer; how: string }> {
  const zip = await JSZip.loadAsync(bytes);
  const names = Object.keys(zip.files).filter((n) => !zip.files[n]?.dir);
  // Mostly the parts the reader parses (sheets, shared strings, workbook, styles, rels).
  const parsed = names.filter((n) => /worksheets\/|sharedStrings|workbook\.xml|styles\.xml/.test(n));
  const name = pick(rand, rand() < 0.8 && parsed.length > 0 ? parsed : names);
  const action = rand();
  let how: string;
  if (action < 0.1) {
    zip.remove(name);
    how = `delete ${name}`;
  } else if (action < 0.2) {
    const data = await zip.file(name)?.async('nodebuffer');
    zip.file(name, flipBytes(rand, data ?? Buffer.alloc(0)));
    how = `flip ${name}`;
  } else {
    const xml = (await zip.file(name)?.async('string')) ?? '';
    const changed = mutateXml(rand, xml);
    zip.file(name, changed.xml);
    how = `${changed.how} ${name}`;
  }
  const out = await zip.generateAsync({ type: 'nodebuffer', compression: rand() < 0.7 ? 'DEFLATE' : 'STORE' });
  return { bytes: out, how };
}

function mutateCsv(rand: Random, bytes: Buffer): { bytes: Buffer; how: string } {
  const kind = pick(rand, ['insert', 'delete', 'bom', 'cut'] as const);
  if (kind === 'cut') return { bytes: truncate(rand, bytes), how: 'csv cut' };
  if (kind === 'bom') {
    const bom = pick(rand, [[0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xfe, 0xff], [0x00]]);
    return { bytes: Buffer.concat([Buffer.from(bom), bytes]), how: 'csv bom' };
  }
  const at = int(rand, bytes.length);
  if (kind === 'delete') return { bytes: Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1 + int(rand, 16))]), how: 'csv delete' };
  const junk = pick(rand, ['"', ',', '\t', ';', '\r\n', '\n\n\n', '""', '合计', '=1+2', '\u0000', ',,,,,,,,,,,,,,,,', '#DIV/0!']);
  return { bytes: Buffer.concat([bytes.subarray(0, at), Buffer.from(junk), bytes.subarray(at)]), how: 'csv insert' };
}

async function mutate(rand: Random, seed: Seed): Promise<{ bytes: Buffer; how: string }> {
  const r = rand();
  if (r < 0.2) return { bytes: flipBytes(rand, seed.bytes), how: 'flip bytes' };
  if (r < 0.3) return { bytes: truncate(rand, seed.bytes), how: 'truncate file' };
  if (seed.ext === 'xlsx') {
    const once = await mutateZip(rand, seed.bytes);
    // Now and then a second change on top of the first.
    if (rand() < 0.3) {
      const twice = await mutateZip(rand, once.bytes).catch(() => undefined);
      if (twice !== undefined) return { bytes: twice.bytes, how: `${once.how} + ${twice.how}` };
    }
    return once;
  }
  return mutateCsv(rand, seed.bytes);
}

// ---- One read ---------------------------------------------------------------------------------

/** Reads one file as the read stage does, in-process: the outcome, or what went wrong. */
async function readOnce(path: string): Promise<{ outcome: Outcome; error?: string }> {
  let findings = 0;
  try {
    for await (const sheet of readFile(path)) {
      const x = extractSheet(sheet, catalog, { year: 2020, department: 'fuzz', file: 'fuzz' });
      findings += x.findings.length;
      for (const f of x.findings) if (!/[\u4e00-\u9fff]/.test(f.message)) throw new Error(`finding without a Chinese message: ${f.code}`);
    }
  } catch (error) {
    if (error instanceof UnreadableFileError && /[\u4e00-\u9fff]/.test(error.message)) return { outcome: 'unreadable' };
    return { outcome: 'crash', error: error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error) };
  }
  return { outcome: findings > 0 ? 'findings' : 'read' };
}

function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function runFuzz(opts: FuzzOptions): Promise<FuzzResult> {
  const started = Date.now();
  const rand = prng(opts.seed);
  const all = await seeds();
  await mkdir(opts.dir, { recursive: true });
  const counts: Record<Outcome, number> = { read: 0, findings: 0, unreadable: 0, crash: 0, hang: 0 };
  const byMutation: Record<string, number> = {};
  const failures: FuzzResult['failures'][number][] = [];
  for (let i = 0; i < opts.iterations; i++) {
    const seed = all[i % all.length] as Seed;
    const { bytes, how } = await mutate(rand, seed);
    const kind = how.replace(/ xl\/.*| \[.*| docProps.*| _rels.*/g, '').replace(/ \+ .*/, ' (twice)');
    byMutation[kind] = (byMutation[kind] ?? 0) + 1;
    const path = join(opts.dir, `case-${i % 8}.${seed.ext}`);
    await writeFile(path, bytes);
    const result = await within(readOnce(path), opts.timeoutMs ?? 10_000);
    const { outcome, error } = result === 'timeout' ? { outcome: 'hang' as const, error: `no result within ${opts.timeoutMs ?? 10_000} ms` } : result;
    counts[outcome]++;
    if (outcome === 'crash' || outcome === 'hang') failures.push({ iteration: i, seed: seed.name, mutation: how, outcome, error: error ?? '' });
    if ((i + 1) % 100 === 0) opts.onProgress?.(i + 1, counts);
  }
  return { iterations: opts.iterations, counts, byMutation, failures, ms: Date.now() - started };
}

/** The counts as one line: `1000 mutations in 41.2 s: read 310, findings 250, unreadable 440, crash 0, hang 0`. */
export function summarize(result: FuzzResult): string {
  const c = result.counts;
  return `${result.iterations} mutations in ${(result.ms / 1000).toFixed(1)} s: read ok ${c.read}, read with findings ${c.findings}, unreadable ${c.unreadable}, crash ${c.crash}, hang ${c.hang}`;
}
