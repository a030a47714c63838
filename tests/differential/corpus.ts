/**
 * The differential corpus: ledger workbooks (spec.ts) written by five independent writers —
 * exceljs, SheetJS, openpyxl, XlsxWriter and hand-built part XML — each in several of its
 * option settings, into a directory. Seeded: the same files on every run.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PLAIN_VARIANT, handBuilt, type HandVariant } from './hand-built.ts';
import { writeExcelJs, writeSheetJs } from './js-writers.ts';
import { ledgerBook, random, type BookSpec, type ModelSheet } from './spec.ts';
import type { ZipLayout } from './zip-writer.ts';
import { PYTHON } from '../support/python.ts';

export const WRITERS = ['exceljs', 'sheetjs', 'openpyxl', 'xlsxwriter', 'hand-built'] as const;
export type Writer = (typeof WRITERS)[number];

export interface CorpusFile {
  readonly path: string;
  readonly writer: Writer;
  /** The writer's options, for the failure message. */
  readonly variant: string;
  /** What Excel shows, where the writer is ours (hand-built). */
  readonly truth?: { readonly sheets: readonly ModelSheet[] };
  /** Written in Strict Open XML (which openpyxl 3.0 cannot read). */
  readonly strict?: boolean;
}

/** Debian's Python, which sees python3-openpyxl and python3-xlsxwriter. */
export { PYTHON };
export const BOOKS_PY = join(import.meta.dirname, 'books.py');

const run = promisify(execFile);

export interface CorpusSize {
  readonly exceljs: number;
  readonly sheetjs: number;
  readonly openpyxl: number;
  readonly xlsxwriter: number;
  readonly handBuilt: number;
}

export const DEFAULT_SIZE: CorpusSize = { exceljs: 64, sheetjs: 64, openpyxl: 48, xlsxwriter: 48, handBuilt: 112 };

export async function buildCorpus(dir: string, size: CorpusSize = DEFAULT_SIZE): Promise<CorpusFile[]> {
  const files: CorpusFile[] = [];
  const book = (seed: number): BookSpec => ledgerBook(seed, { date1904: seed % 5 === 0 });

  const python: { path: string; writer: 'openpyxl' | 'xlsxwriter'; options: Record<string, boolean>; book: BookSpec }[] = [];
  for (let i = 0; i < size.openpyxl; i++) {
    const options = { isoDates: i % 3 === 1 };
    python.push({ path: join(dir, `openpyxl-${i}.xlsx`), writer: 'openpyxl', options, book: book(3000 + i) });
  }
  for (let i = 0; i < size.xlsxwriter; i++) {
    const options = { constantMemory: i % 3 === 1, rich: i % 3 === 2 };
    python.push({ path: join(dir, `xlsxwriter-${i}.xlsx`), writer: 'xlsxwriter', options, book: book(4000 + i) });
  }
  const jobs = join(dir, 'write-jobs.json');
  await writeFile(jobs, JSON.stringify(python));
  const written = run(PYTHON, [BOOKS_PY, 'write', jobs], { maxBuffer: 1 << 26 });
  for (const job of python) files.push({ path: job.path, writer: job.writer, variant: JSON.stringify(job.options) });

  for (let i = 0; i < size.exceljs; i++) {
    const options = { sharedStrings: i % 2 === 0, rich: i % 4 >= 2 };
    const path = join(dir, `exceljs-${i}.xlsx`);
    await writeFile(path, await writeExcelJs(book(1000 + i), options));
    files.push({ path, writer: 'exceljs', variant: JSON.stringify(options) });
  }
  for (let i = 0; i < size.sheetjs; i++) {
    const options = { sharedStrings: i % 2 === 0, isoDates: i % 4 >= 2, compression: i % 8 >= 4 };
    const path = join(dir, `sheetjs-${i}.xlsx`);
    await writeFile(path, writeSheetJs(book(2000 + i), options));
    files.push({ path, writer: 'sheetjs', variant: JSON.stringify(options) });
  }
  const variants = handVariants(size.handBuilt);
  for (let i = 0; i < variants.length; i++) {
    const variant = variants[i] as HandVariant;
    const { bytes, truth } = handBuilt(book(5000 + i), variant);
    const path = join(dir, `hand-${i}.xlsx`);
    await writeFile(path, bytes);
    files.push({ path, writer: 'hand-built', variant: describe(variant), truth, strict: variant.strict });
  }
  // Sheets of over a megabyte of inline text, emoji and rare ideographs: the inflated XML
  // reaches the reader in several chunks, characters of four bytes split between them.
  for (const [i, variant] of [{ ...PLAIN_VARIANT, strings: 'inline' as const, rich: true }, { ...PLAIN_VARIANT, crlf: true, charRefs: true }].entries()) {
    const { bytes, truth } = handBuilt(ledgerBook(6000 + i, { rows: 2500 }), variant);
    const path = join(dir, `hand-long-${i}.xlsx`);
    await writeFile(path, bytes);
    files.push({ path, writer: 'hand-built', variant: `long ${describe(variant)}`, truth });
  }
  await written;
  return files;
}

/** What a hand-built variant changes from the plain one. */
function describe(v: HandVariant): string {
  const changed = Object.entries(v).filter(([k, value]) => JSON.stringify(value) !== JSON.stringify(PLAIN_VARIANT[k as keyof HandVariant]));
  return changed.map(([k, value]) => `${k}=${JSON.stringify(value)}`).join(' ') || 'plain';
}

const ZIPS: readonly ZipLayout[] = [
  { method: 'deflate', dataDescriptor: false, zip64: false, directories: false },
  { method: 'store', dataDescriptor: false, zip64: false, directories: false },
  { method: 'deflate', dataDescriptor: true, zip64: false, directories: false },
  { method: 'deflate', dataDescriptor: false, zip64: true, directories: false },
  { method: 'deflate', dataDescriptor: false, zip64: false, directories: true },
  { method: 'store', dataDescriptor: true, zip64: true, directories: true },
];

/**
 * Each construct alone first (so a failure names it), then seeded combinations of all of them.
 */
export function handVariants(count: number): HandVariant[] {
  const single: Partial<HandVariant>[] = [
    {},
    { prefix: 'x:' },
    { strict: true },
    { omitR: 'rows' },
    { omitR: 'cells' },
    { omitR: 'both' },
    { strings: 'inline' },
    { strings: 'str' },
    { rich: true },
    { rich: true, strings: 'inline' },
    { rich: true, prefix: 'x:' },
    { rich: true, prefix: 'x:', strings: 'inline' },
    { phonetic: true },
    { phonetic: true, strings: 'inline', prefix: 'x:' },
    { crlf: true },
    { crlf: true, strings: 'inline' },
    { charRefs: true },
    { cdata: true },
    { cdata: true, strings: 'inline' },
    { escapes: true },
    { escapes: true, strings: 'inline' },
    { escapes: true, strings: 'str' },
    { dates: 'iso' },
    { sharedFormulas: true },
    { absoluteTargets: true },
    { embeddings: true },
    { embeddings: true, zip: ZIPS[1] as ZipLayout },
    { pretty: true },
    ...ZIPS.slice(1).map((zip) => ({ zip })),
  ];
  const out = single.map((k) => ({ ...PLAIN_VARIANT, ...k }));
  const rnd = random(11);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  while (out.length < count) {
    out.push({
      prefix: pick(['', 'x:'] as const),
      strict: rnd() < 0.25,
      omitR: pick(['none', 'rows', 'cells', 'both'] as const),
      strings: pick(['shared', 'inline', 'str'] as const),
      rich: rnd() < 0.5,
      phonetic: rnd() < 0.3,
      crlf: rnd() < 0.5,
      charRefs: rnd() < 0.3,
      cdata: rnd() < 0.3,
      escapes: rnd() < 0.5,
      dates: pick(['serial', 'iso'] as const),
      sharedFormulas: rnd() < 0.5,
      absoluteTargets: rnd() < 0.3,
      embeddings: rnd() < 0.3,
      pretty: rnd() < 0.3,
      zip: pick(ZIPS),
    });
  }
  return out.slice(0, Math.max(count, single.length));
}
