/**
 * OpenDocument spreadsheets (.ods, what LibreOffice and WPS save on Kylin and UOS) read as
 * tally reads the same sheet saved as .xlsx. Differential: workbooks written by openpyxl and
 * XlsxWriter (tests/ods/books.py), saved as .ods by LibreOffice headless, every cell compared
 * with openpyxl's reading of the original and with tally's own xlsx reader; files written
 * straight as ODS XML (tests/ods/hand-built.ts) for repeats, text, and cut or hostile files;
 * and a whole run with a department submitting an .ods.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readFile as readBytes, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeLedgerWorkbook } from '../demo/ledger-workbook.ts';
import { DEFAULT_LIMITS, UnreadableFileError, columnLetters, type RawSheet, type ReadLimits } from '../sheets/raw-sheet.ts';
import { fileFormat, readFile } from '../sheets/read-file.ts';
import { MESSAGE_NOT_SPREADSHEET, cleanFileName, contentProblem } from '../pipeline/interfaces/portal/upload-files.ts';
import { MESSAGE_ODS_CUT } from '../sheets/ods/ods-reader.ts';
import { MESSAGE_OPENDOCUMENT_NOT_SPREADSHEET } from '../sheets/sniff-format.ts';
import { MESSAGE_BOMB, MESSAGE_DOCTYPE } from '../sheets/xlsx/zip.ts';
import { MESSAGE_CORRUPT } from '../sheets/xlsx-reader.ts';
import { NO_SOFFICE_REASON, SOFFICE, convertToOds } from './support/libreoffice.ts';
import { PYTHON, pythonWith } from './support/python.ts';
import { day, useScenarios } from './support/scenario.ts';
import { badValueContent, contentXml, odsPackage, repeatedRowContent, repeatsContent } from './ods/hand-built.ts';

const dir = join(import.meta.dirname, '.tmp', `ods-${randomBytes(4).toString('hex')}`);
const BOOKS = join(import.meta.dirname, 'ods', 'books.py');
const hasPython = pythonWith(['openpyxl', 'xlsxwriter'], 'ods: workbooks from openpyxl and XlsxWriter');

beforeAll(async () => {
  await mkdir(dir, { recursive: true });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readAll(path: string, limits: ReadLimits = DEFAULT_LIMITS): Promise<RawSheet[]> {
  const out: RawSheet[] = [];
  for await (const s of readFile(path, limits)) out.push(s);
  return out;
}

async function unreadableMessage(path: string, limits: ReadLimits = DEFAULT_LIMITS): Promise<string> {
  try {
    await readAll(path, limits);
  } catch (e) {
    if (e instanceof UnreadableFileError) return e.message;
    throw e;
  }
  throw new Error(`${path} was read`);
}

/** A cell as both sides are compared: `type value`, `formula`, `(row hidden)`. */
function shownCell(c: NonNullable<RawSheet['rows'][number]['cells'][number]>, hidden: boolean, withFormula = true): string {
  const v = c.error !== undefined ? `error ${c.error}` : c.value instanceof Date ? `date ${c.value.toISOString().replace(/\.000Z$/, '')}` : `${typeof c.value} ${JSON.stringify(fifteen(c.value))}`;
  return `${v}${withFormula && c.formula === true ? ' formula' : ''}${hidden ? ' (row hidden)' : ''}`;
}

/**
 * A number to Excel's 15 significant digits: openpyxl writes a second as 1.157407407407407e-05,
 * LibreOffice's PT00H00M01S is 1/86400, one digit further.
 */
function fifteen(value: unknown): unknown {
  return typeof value === 'number' ? Number(value.toPrecision(15)) : value;
}

/** Every cell of a reading as `sheet!A1 → shown`, and each sheet's name, visibility, merges, truncation. */
function flatten(sheets: readonly RawSheet[], withFormula = true): { cells: Map<string, string>; sheets: string[] } {
  const cells = new Map<string, string>();
  for (const s of sheets) {
    for (const r of s.rows) {
      r.cells.forEach((c, i) => {
        if (c !== undefined) cells.set(`${s.name}!${columnLetters(i)}${r.rowNumber}`, shownCell(c, r.hidden, withFormula));
      });
    }
  }
  return { cells, sheets: sheets.map((s) => `${s.name} hidden=${s.hidden} merges=${[...s.merges].sort().join(',')} truncated=${JSON.stringify(s.truncated ?? null)}`) };
}

/** Differences between two readings, cell by cell (empty when they agree). */
function differences(a: { cells: Map<string, string>; sheets: string[] }, b: { cells: Map<string, string>; sheets: string[] }, names = ['xlsx', 'ods']): string[] {
  const out: string[] = [];
  if (a.sheets.join('\n') !== b.sheets.join('\n')) out.push(`sheets: ${a.sheets.join(' | ')} ≠ ${b.sheets.join(' | ')}`);
  for (const k of new Set([...a.cells.keys(), ...b.cells.keys()])) {
    if (a.cells.get(k) !== b.cells.get(k)) out.push(`${k}: ${names[0]} ${a.cells.get(k) ?? '(none)'} ≠ ${names[1]} ${b.cells.get(k) ?? '(none)'}`);
  }
  return out;
}

/** openpyxl's reading of an .xlsx (cached values), in {@link flatten}'s terms (formulas not told apart). */
function openpyxlReading(path: string): { cells: Map<string, string>; sheets: string[] } {
  const json = JSON.parse(execFileSync(PYTHON, [BOOKS, 'read', path], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as {
    sheets: { name: string; hidden: boolean; merges: string[] }[];
    cells: Record<string, [string, unknown, string?]>;
  };
  const cells = new Map<string, string>();
  for (const [k, [type, value, hidden]] of Object.entries(json.cells)) {
    const v = type === 'error' ? `error ${String(value)}` : type === 'date' ? `date ${String(value)}` : `${type} ${JSON.stringify(fifteen(value))}`;
    cells.set(k, `${v}${hidden === 'hidden' ? ' (row hidden)' : ''}`);
  }
  return { cells, sheets: json.sheets.map((s) => `${s.name} hidden=${s.hidden} merges=${s.merges.join(',')} truncated=null`) };
}

/**
 * What LibreOffice changes when it saves an .xlsx as .ods — in the file it writes — and so the
 * only differences allowed: it has no boolean constant but TRUE()/FALSE() formulas of value
 * 1/0 (a clerk's 是/否 column reads 1/0 as 是/否 all the same); it recalculates XlsxWriter's
 * formulas on loading, and its SQRT(-1) is its own error Err:502 where Excel's is #NUM!.
 */
const LIBREOFFICE_REWRITES = [
  /^[^!]+![A-Z]+\d+: (xlsx|openpyxl) boolean (true|false)( formula)? ≠ ods number [01]( formula)?( \(row hidden\))?$/,
  /^公式!F3: (xlsx|openpyxl) error #NUM!( formula)? ≠ ods error Err:502( formula)?$/,
];
const unexplained = (diffs: string[]) => diffs.filter((d) => !LIBREOFFICE_REWRITES.some((re) => re.test(d)));

describe.skipIf(SOFFICE === undefined || !hasPython)(`.ods saved by LibreOffice from openpyxl and XlsxWriter workbooks${SOFFICE === undefined ? ` (skipped: ${NO_SOFFICE_REASON})` : ''}`, () => {
  const lo = join(dir, 'lo');
  const books = ['every-construct', 'formulas', 'many-rows'];
  beforeAll(async () => {
    await mkdir(lo, { recursive: true });
    execFileSync(PYTHON, [BOOKS, 'write', lo]);
    convertToOds(books.map((b) => join(lo, `${b}.xlsx`)), lo);
  }, 180_000);

  it('is told an .ods by its content', async () => {
    expect(await fileFormat(join(lo, 'every-construct.ods'))).toBe('ods');
    expect(await fileFormat(join(lo, 'every-construct.xlsx'))).toBe('xlsx');
  });

  it('reads every cell, sheet, merge and hidden flag as openpyxl reads the .xlsx it was saved from, but for what LibreOffice rewrites', async () => {
    for (const book of books) {
      const ods = flatten(await readAll(join(lo, `${book}.ods`)), false);
      expect(unexplained(differences(openpyxlReading(join(lo, `${book}.xlsx`)), ods, ['openpyxl', 'ods']))).toEqual([]);
    }
  });

  it('reads every cell as tally reads the .xlsx, but for what LibreOffice rewrites and formulas XlsxWriter left to be calculated', async () => {
    for (const book of ['every-construct', 'many-rows']) {
      expect(unexplained(differences(flatten(await readAll(join(lo, `${book}.xlsx`))), flatten(await readAll(join(lo, `${book}.ods`)))))).toEqual([]);
    }
    // XlsxWriter's workbook asks to be recalculated, so tally's xlsx reader takes none of its
    // results; LibreOffice calculated them: the .ods holds what openpyxl reads as cached.
    const ods = await readAll(join(lo, 'formulas.ods'));
    const cell = (a1: string) => flatten(ods).cells.get(`公式!${a1}`);
    expect([cell('C2'), cell('D2'), cell('F2'), cell('G2'), cell('F3'), cell('C5')]).toEqual([
      'number 3 formula',
      'string "第2件" formula',
      'error #DIV/0! formula',
      'error #NAME? formula',
      'error Err:502 formula',
      'number 18 formula',
    ]);
  });

  it('reads dates, times, percentages, text and hidden things as Excel shows them', async () => {
    const [sheet, options, empty] = await readAll(join(lo, 'every-construct.ods'));
    const at = (a1: string) => flatten([sheet as RawSheet]).cells.get(`执法公示台账!${a1}`);
    expect([at('A3'), at('A4'), at('D3'), at('E3'), at('G3'), at('F3'), at('F4'), at('F5')]).toEqual([
      'date 2020-03-05T00:00:00',
      'date 2020-12-31T10:00:00',
      'number 0.15',
      'number 1200.5',
      'number 0.4375',
      'string "第一行\\n第二行"',
      'string "前后  有   空格"',
      'string "𡒄村 emoji 😀 全角　空格"',
    ]);
    expect(at('B10')).toBe('string "隐藏的行" (row hidden)');
    expect(sheet?.rows.map((r) => r.rowNumber)).toEqual([1, 2, 3, 4, 5, 8, 9, 10, 12, 13, 14, 15, 16, 20]);
    expect(sheet?.merges).toEqual(['A1:H1', 'A8:A10', 'B8:D8']);
    expect([options?.name, options?.hidden, empty?.name, empty?.rows]).toEqual(['选项（隐藏）', true, '空表', []]);
  });

  it('reads a 20,000-row ledger whole, in batches, as its .xlsx', async () => {
    const started = performance.now();
    let rows = 0;
    let largest = 0;
    const { streamFile } = await import('../sheets/read-file.ts');
    for await (const sheet of streamFile(join(lo, 'many-rows.ods'))) {
      for await (const batch of sheet.rows()) {
        rows += batch.length;
        largest = Math.max(largest, batch.length);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(`ods: ${rows} rows in ${seconds.toFixed(2)} s (${Math.round(rows / seconds)} rows/s)`);
    expect(rows).toBe(20_001);
    // The rows of one inflated chunk at a time, not the sheet.
    expect(largest).toBeLessThan(20_001);
  });

  it('counts what the row and column limits leave out as for the .xlsx', async () => {
    const limits = { ...DEFAULT_LIMITS, maxRowsPerSheet: 100, maxColumns: 3 };
    const xlsx = await readAll(join(lo, 'many-rows.xlsx'), limits);
    const ods = await readAll(join(lo, 'many-rows.ods'), limits);
    expect(differences(flatten(xlsx), flatten(ods))).toEqual([]);
    expect(ods[0]?.truncated).toEqual({ rows: { limit: 100, count: 19_901, first: 101 }, columns: { limit: 3, cells: 300, first: 'D1' } });
  });

  it('goes by content, not name: an .ods named .xlsx is read as an .ods, an .xlsx named .ods as an .xlsx', async () => {
    await copyFile(join(lo, 'every-construct.ods'), join(lo, 'renamed-ods.xlsx'));
    await copyFile(join(lo, 'every-construct.xlsx'), join(lo, 'renamed-xlsx.ods'));
    expect(await fileFormat(join(lo, 'renamed-ods.xlsx'))).toBe('ods');
    expect(await fileFormat(join(lo, 'renamed-xlsx.ods'))).toBe('xlsx');
    expect(differences(flatten(await readAll(join(lo, 'every-construct.ods'))), flatten(await readAll(join(lo, 'renamed-ods.xlsx'))))).toEqual([]);
    expect(differences(flatten(await readAll(join(lo, 'every-construct.xlsx'))), flatten(await readAll(join(lo, 'renamed-xlsx.ods'))))).toEqual([]);
  });

  it('refuses an .ods cut in half as damaged', async () => {
    const bytes = await readBytes(join(lo, 'many-rows.ods'));
    await writeFile(join(lo, 'half.ods'), bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect(await unreadableMessage(join(lo, 'half.ods'))).toBe(MESSAGE_CORRUPT);
  });
});

describe('.ods written straight as XML', () => {
  const hb = join(dir, 'hand-built');
  beforeAll(async () => {
    await mkdir(hb, { recursive: true });
    await writeFile(join(hb, 'repeats.ods'), await odsPackage(repeatsContent()));
  });

  it("reads LibreOffice's empty tail of a million rows at no cost, a copied row as its copies, empty rows as gaps", async () => {
    const started = performance.now();
    const [sheet, old] = await readAll(join(hb, 'repeats.ods'));
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(sheet?.rows.map((r) => r.rowNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 10, 11, 12]);
    for (const n of [3, 4, 5, 6, 7]) {
      expect(sheet?.rows.find((r) => r.rowNumber === n)?.cells.slice(0, 5)).toEqual([
        { value: new Date('2020-04-01T00:00:00Z') },
        { value: '李四' },
        { value: '邻里纠纷' },
        { value: '调解成功' },
        { value: new Date('2020-04-01T00:00:00Z') },
      ]);
    }
    expect(sheet?.rows.find((r) => r.rowNumber === 11)?.hidden).toBe(true);
    expect(sheet?.truncated).toBeUndefined();
    expect([old?.name, old?.hidden]).toEqual(['旧表', true]);
  });

  it('reads text as the clerk sees it: spaces, tabs, line breaks, spans and paragraphs, without comments or shapes', async () => {
    const [sheet] = await readAll(join(hb, 'repeats.ods'));
    expect(sheet?.rows.find((r) => r.rowNumber === 12)?.cells).toEqual([
      { value: new Date('2020-07-08T10:00:00Z') },
      { value: '钱   七\t甲\n乙丙丁' },
      { value: '第一段\n第二段' },
      { value: true },
      { value: 1.5 },
      { value: 0.25 },
      { value: null, error: 'Err:502', formula: true },
    ]);
  });

  it('reads a copied row up to the row limit and counts the rest, as the xlsx reader does at its limit', async () => {
    const limits = { ...DEFAULT_LIMITS, maxRowsPerSheet: 100 };
    await writeFile(join(hb, 'copied.ods'), await odsPackage(repeatedRowContent(150)));
    const book = new ExcelJS.Workbook();
    const ws = book.addWorksheet('表1');
    for (let r = 0; r < 150; r++) ws.addRow(['复制']);
    await book.xlsx.writeFile(join(hb, 'copied.xlsx'));
    const ods = await readAll(join(hb, 'copied.ods'), limits);
    expect(ods[0]?.rows).toHaveLength(100);
    expect(ods[0]?.truncated).toEqual({ rows: { limit: 100, count: 50, first: 101 } });
    expect(differences(flatten(await readAll(join(hb, 'copied.xlsx'), limits)), flatten(ods))).toEqual([]);
  });

  it('refuses a few bytes that claim billions of cells (a repeat bomb) before handing on a row', async () => {
    await writeFile(join(hb, 'bomb.ods'), await odsPackage(repeatedRowContent(1_048_576, 16_384)));
    const started = performance.now();
    expect(await unreadableMessage(join(hb, 'bomb.ods'))).toBe(MESSAGE_BOMB);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('refuses a DOCTYPE or entity declaration, a content.xml cut short, and a value its type cannot hold', async () => {
    const laughs = contentXml('<table:table table:name="表1"/>').replace('<office:document-content', '<!DOCTYPE x [<!ENTITY a "aaaa">]><office:document-content');
    await writeFile(join(hb, 'doctype.ods'), await odsPackage(laughs));
    expect(await unreadableMessage(join(hb, 'doctype.ods'))).toBe(MESSAGE_DOCTYPE);
    const content = repeatsContent();
    await writeFile(join(hb, 'cut.ods'), await odsPackage(content.slice(0, Math.floor(content.length / 2))));
    expect(await unreadableMessage(join(hb, 'cut.ods'))).toBe(MESSAGE_ODS_CUT);
    await writeFile(join(hb, 'bad-value.ods'), await odsPackage(badValueContent()));
    expect(await unreadableMessage(join(hb, 'bad-value.ods'))).toMatch(/^工作表“表1”B1 单元格的内容无法识别（数值单元格的值 office:value="abc" 不是数字）/);
  });

  it('refuses an OpenDocument text named .ods, saying what it is', async () => {
    await writeFile(join(hb, 'letter.ods'), await odsPackage(contentXml(''), {}, 'application/vnd.oasis.opendocument.text'));
    expect(await unreadableMessage(join(hb, 'letter.ods'))).toBe(MESSAGE_OPENDOCUMENT_NOT_SPREADSHEET);
  });

  it('is taken by the portal as an .ods upload, and an OpenDocument text named .ods is not', async () => {
    expect(cleanFileName('人民调解台账.ods')).toBe('人民调解台账.ods');
    expect(contentProblem('人民调解台账.ods', await odsPackage(repeatsContent()))).toBeNull();
    expect(contentProblem('人民调解台账.ods', await odsPackage(contentXml(''), {}, 'application/vnd.oasis.opendocument.text'))).toBe(MESSAGE_NOT_SPREADSHEET);
  });

  it('refuses a zip bomb in content.xml by its declared size before inflating it', async () => {
    const zip = await JSZip.loadAsync(await odsPackage(repeatedRowContent(1)));
    await zip.file('padding.xml', 'x'.repeat(2_000_000));
    await writeFile(join(hb, 'padded.ods'), await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
    expect(await unreadableMessage(join(hb, 'padded.ods'), { ...DEFAULT_LIMITS, maxInflatedBytes: 1_000_000 })).toBe(MESSAGE_BOMB);
  });
});

const scenarios = useScenarios();

describe.skipIf(SOFFICE === undefined)(`a whole run with a department's .ods${SOFFICE === undefined ? ` (skipped: ${NO_SOFFICE_REASON})` : ''}`, () => {
  it('counts its rows in the figure and reports its planted mistake at its cell, as for the same ledger as .xlsx', async () => {
    const src = join(dir, 'run-src');
    await mkdir(src, { recursive: true });
    await writeLedgerWorkbook(join(src, '人民调解台账.xlsx'), [
      {
        name: '调解',
        title: '2020年人民调解台账',
        header: ['序号', '受理日期', '当事人', '纠纷类型', '调解结果', '结案日期'],
        rows: [
          [1, day(2020, 3, 5), '张三', '邻里纠纷', '调解成功', day(2020, 3, 9)],
          [2, day(2020, 4, 1), '李四', '婚姻家庭', '调解成功', day(2020, 4, 20)],
          [3, day(2020, 5, 6), '王五', '合同纠纷', '还在谈', null],
          [4, day(2020, 6, 7), '赵六', '邻里纠纷', '调解成功', day(2020, 6, 30)],
        ],
      },
    ]);
    convertToOds([join(src, '人民调解台账.xlsx')], src);
    const run = await scenarios.run('department-submits-ods', {
      roster: [
        { code: 'justice', owes: ['mediation'] },
        { code: 'village', owes: ['mediation'] },
      ],
      files: {
        'justice/人民调解台账.xlsx': { write: async (path) => copyFile(join(src, '人民调解台账.xlsx'), path) },
        'village/人民调解台账.ods': { write: async (path) => copyFile(join(src, '人民调解台账.ods'), path) },
      },
    });
    expect(run.findingsOf('file.unreadable')).toEqual([]);
    expect(run.indicator('service.disputes_resolved').value).toBe(6);
    const enums = run.findingsOf('cell.enum').map((f) => `${f.file ?? ''} ${f.sheet ?? ''} ${f.cell ?? ''} ${f.actual ?? ''}`);
    expect(enums).toEqual(['justice/人民调解台账.xlsx 调解 E5 还在谈', 'village/人民调解台账.ods 调解 E5 还在谈']);
    const place = (file: string) => run.findings.filter((f) => f.file === file).map((f) => `${f.code} ${f.level} ${f.sheet ?? ''} ${f.cell ?? ''} ${f.message}`);
    expect(place('village/人民调解台账.ods')).toEqual(place('justice/人民调解台账.xlsx'));
    expect(run.submission('village', 'mediation').rows).toBe(4);
    // Its marked-up copy is an .xlsx of what tally read, the mistake marked at its cell.
    expect(run.summary.marked?.skipped).toEqual([]);
    const copy = run.summary.marked?.files.find((f) => f.file === 'village/人民调解台账.ods');
    expect(copy?.name).toMatch(/\.xlsx$/);
    const marked = new ExcelJS.Workbook();
    await marked.xlsx.readFile(copy?.path ?? '');
    expect(marked.getWorksheet('调解')?.getCell('E5').note).toBeDefined();
    expect(marked.getWorksheet('调解')?.getCell('C5').value).toBe('王五');
  }, 240_000);
});
