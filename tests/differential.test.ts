/**
 * The xlsx reader against independent readers: a corpus of ledger workbooks written by five
 * writers (exceljs, SheetJS, openpyxl, XlsxWriter, and part XML built by hand for what those
 * never write), every cell of every sheet read by tally and by openpyxl, and every hand-built
 * variant also against its truth (what Excel shows). Any difference fails unless it is one of
 * {@link DELIBERATE_DIFFERENCES}. Needs Debian's python3-openpyxl and python3-xlsxwriter
 * (`/usr/bin/python3`); without them the comparison is skipped with a warning, except in CI.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnreadableFileError } from '../sheets/raw-sheet.ts';
import { readFile } from '../sheets/read-file.ts';
import { DELIBERATE_DIFFERENCES, compareBooks, type Difference } from './differential/compare.ts';
import { WRITERS, buildCorpus, type CorpusFile } from './differential/corpus.ts';
import { openpyxlModels } from './differential/openpyxl-model.ts';
import type { ModelBook } from './differential/spec.ts';
import { tallyModel } from './differential/tally-model.ts';
import { PLAIN_ZIP, writeZip } from './differential/zip-writer.ts';
import { pythonWith } from './support/python.ts';

const dir = join(import.meta.dirname, '.tmp', `differential-${randomBytes(4).toString('hex')}`);

const ready = pythonWith(['openpyxl', 'xlsxwriter'], 'the differential test');

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.runIf(ready)('the xlsx reader against independent readers', () => {
  let corpus: CorpusFile[] = [];
  let openpyxl = new Map<string, ModelBook>();
  const tally = new Map<string, ModelBook>();

  beforeAll(async () => {
    await mkdir(dir, { recursive: true });
    corpus = await buildCorpus(dir);
    const reading = openpyxlModels(
      corpus.map((f) => f.path),
      dir,
    );
    for (const file of corpus) tally.set(file.path, await tallyModel(file.path));
    openpyxl = await reading;
  }, 120_000);

  it('has at least 300 variants from at least four writers', () => {
    const byWriter = Object.fromEntries(WRITERS.map((w) => [w, corpus.filter((f) => f.writer === w).length]));
    expect(corpus.length).toBeGreaterThanOrEqual(300);
    expect(Object.values(byWriter).filter((n) => n >= 40).length).toBeGreaterThanOrEqual(4);
  });

  it('reads every cell of every variant as openpyxl does, but for the deliberate differences', () => {
    const failures: (Difference & { file: string })[] = [];
    const used = new Set<string>();
    for (const file of corpus) {
      const reference = openpyxl.get(file.path);
      expect(reference, file.path).toBeDefined();
      const { unexplained, explained } = compareBooks(tally.get(file.path) as ModelBook, reference as ModelBook, 'openpyxl', file);
      for (const id of explained.keys()) used.add(id);
      for (const d of unexplained) failures.push({ file: `${file.path} (${file.writer} ${file.variant})`, ...d });
    }
    expect(failures.slice(0, 20)).toEqual([]);
    // Every deliberate difference is one the corpus shows: none is kept past its reason.
    expect([...used].sort()).toEqual(DELIBERATE_DIFFERENCES.filter((d) => d.reference === 'openpyxl').map((d) => d.id).sort());
  });

  it('reads every hand-built variant exactly as Excel shows it', () => {
    const failures: (Difference & { file: string })[] = [];
    for (const file of corpus) {
      if (file.truth === undefined) continue;
      const { unexplained } = compareBooks(tally.get(file.path) as ModelBook, file.truth, 'truth');
      for (const d of unexplained) failures.push({ file: `${file.path} (${file.variant})`, ...d });
    }
    expect(failures.slice(0, 20)).toEqual([]);
  });
});

describe('a cell the reader cannot interpret', () => {
  /** A one-sheet workbook whose sheet data is `rows`. */
  async function workbook(name: string, rows: string, shared?: string): Promise<string> {
    const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
    const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
    const files: [string, string][] = [
      ['xl/workbook.xml', `<workbook xmlns="${main}" xmlns:r="${rel}"><sheets><sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>`],
      [
        'xl/_rels/workbook.xml.rels',
        `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/>` +
          `<Relationship Id="rId2" Type="${rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
      ],
      ['xl/worksheets/sheet1.xml', `<worksheet xmlns="${main}"><sheetData>${rows}</sheetData></worksheet>`],
      ['xl/sharedStrings.xml', `<sst xmlns="${main}">${shared ?? '<si><t>当事人</t></si>'}</sst>`],
    ];
    await mkdir(dir, { recursive: true });
    const path = join(dir, name);
    await writeFile(path, writeZip(files, PLAIN_ZIP));
    return path;
  }

  async function unreadable(path: string): Promise<string> {
    const error: unknown = await (async () => {
      for await (const sheet of readFile(path)) void sheet;
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UnreadableFileError);
    return (error as Error).message;
  }

  it('makes the file unreadable, naming the sheet and the cell, instead of reading it as blank', async () => {
    const cases: [string, string, string | undefined, RegExp][] = [
      ['shared-index.xlsx', '<row r="3"><c r="B3" t="s"><v>7</v></c></row>', undefined, /“台账”B3 .*共享字符串编号“7”/],
      ['shared-index-general.xlsx', '<row r="3"><c r="B3" t="s"><f>A1</f><v>7</v></c></row>', undefined, /“台账”B3 /],
      ['boolean.xlsx', '<row r="2"><c r="C2" t="b"><v>2</v></c></row>', undefined, /“台账”C2 .*逻辑值“2”/],
      ['inline-without-text.xlsx', '<row r="4"><c r="D4" t="inlineStr"><is><foo>当事人</foo></is></c></row>', undefined, /“台账”D4 .*内联文本/],
      ['positional.xlsx', '<row><c/><c t="s"><v>9</v></c></row>', undefined, /“台账”B1 /],
    ];
    for (const [name, rows, shared, message] of cases) expect(await unreadable(await workbook(name, rows, shared)), name).toMatch(message);
    expect(await unreadable(await workbook('shared-without-text.xlsx', '<row r="1"><c r="A1" t="s"><v>0</v></c></row>', '<si><foo>x</foo></si>'))).toMatch(/损坏/);
  });

  it('reads an empty inline string or shared string as empty text', async () => {
    const path = await workbook('empty.xlsx', '<row r="1"><c r="A1" t="inlineStr"><is/></c><c r="B1" t="inlineStr"><is><t/></is></c><c r="C1" t="s"><v>1</v></c></row>', '<si><t>x</t></si><si/>');
    const sheets: ModelBook = await tallyModel(path);
    expect(sheets).toEqual({ sheets: [{ name: '台账', hidden: false, merges: [], cells: { A1: ['s', ''], B1: ['s', ''], C1: ['s', ''] } }] });
  });
});
