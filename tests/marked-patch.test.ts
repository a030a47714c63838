/**
 * Marked copies made by patching the .xlsx package (reports/marked/patch-xlsx/), checked by
 * independent readers: originals written by openpyxl, XlsxWriter, exceljs and by hand (no styles
 * part) are marked, then read back with openpyxl — the marked cells' fills, the notes' texts,
 * 问题说明 first with its rows, every other cell's value and style as in the original, defined
 * names and print areas still on their sheets, the active sheet, charts, validations,
 * conditional formats — and opened by LibreOffice (headless, converted to .xlsx and to CSV),
 * which must see the same marks. Parts the marks do not touch must be byte for byte the original's.
 * What the patcher refuses (strict OOXML, a macro-enabled workbook) goes to exceljs.
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finding, type Finding, type Level } from '../pipeline/kernel/findings/findings.ts';
import { MARK_FILLS, markUpWorkbook, NOTES_SHEET } from '../reports/marked/mark-up-workbook.ts';
import { PatchFallback } from '../reports/marked/patch-xlsx/fallback.ts';
import { patchXlsx } from '../reports/marked/patch-xlsx/patch-xlsx.ts';
import { clerkWithImage, noStylesWorkbook, strictWorkbook, macroWorkbook } from './marked-patch/originals.ts';
import { PYTHON, pythonWith } from './support/python.ts';

const run = promisify(execFile);
const BOOKS = join(import.meta.dirname, 'marked-patch', 'books.py');
const dir = join(import.meta.dirname, '.tmp', `marked-patch-${randomBytes(4).toString('hex')}`);

const hasPython = pythonWith(['openpyxl', 'xlsxwriter'], 'marked copies read back by openpyxl');
const hasSoffice = (() => {
  try {
    execFileSync('soffice', ['--version'], { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
})();

interface Style {
  font: unknown;
  fill: [string, string | null] | null;
  border: unknown;
  numFmt: string;
  align: unknown;
  protection: unknown;
}
interface SheetDump {
  cells: Record<string, [string | null, Style]>;
  comments: Record<string, string>;
  [other: string]: unknown;
}
interface BookDump {
  sheets: string[];
  active: string;
  names: [string, string | null, string][];
  sheet: Record<string, SheetDump>;
}

async function dump(paths: readonly string[]): Promise<BookDump[]> {
  const { stdout } = await run(PYTHON, [BOOKS, 'dump', ...paths], { maxBuffer: 1 << 26 });
  return stdout.trim().split('\n').map((l) => JSON.parse(l) as BookDump);
}

interface Case {
  readonly name: string;
  readonly findings: readonly Finding[];
  readonly omitted?: number;
  /** Sheet → cell → the findings whose level colours it (worst wins). */
  readonly marks: Record<string, Record<string, readonly Finding[]>>;
  /** Sheet → cell → texts its note contains. */
  readonly notes: Record<string, Record<string, readonly string[]>>;
  /** Findings expected on 问题说明. */
  readonly listed: readonly Finding[];
  /** Parts that must stay byte for byte (besides every part that is not a sheet, styles, workbook, notes). */
  readonly unchangedSheets: readonly string[];
}

const f = (code: Parameters<typeof finding>[0], sheet: string | null, cell: string | null, message: string, extra: Partial<Pick<Finding, 'expected' | 'actual'>> = {}) =>
  finding(code, { department: 'justice', file: 'justice/x.xlsx', sheet, cell, ...extra }, message);
const worst = (fs: readonly Finding[]): Level => (fs.some((x) => x.level === '错误') ? '错误' : '警告');

function cases(): Case[] {
  const o = {
    date: f('cell.type', '台账', 'C4', '“日期”不是有效的日期', { expected: '日期', actual: '2020-13-40' }),
    period: f('cell.out_of_period', '台账', 'C4', '日期不在年度内'),
    rule: f('row.rule', '台账', 'A3', '负责人出庭为“是”，但没有出庭负责人'),
    filled: f('cell.required', '台账', 'D5', '备注不能为空'),
    dup: f('row.duplicate', '台账', '6', '与第3行完全相同'),
    merged: f('sheet.total_mismatch', '台账', 'C1', '=HYPERLINK("http://x") 标题不对'),
    beyond: f('cell.required', '台账', 'F9', '缺少签字'),
    missing: f('cell.required', '台账', 'D7', '备注缺失'),
    file: f('file.unreadable', null, null, '=1+1 文件级的问题'),
    nosheet: f('sheet.unrecognized', '不存在', 'A1', '工作表找不到'),
  };
  const x = {
    noted: f('cell.enum', '数据', 'B3', '类别不在可选值内', { actual: '会前学法' }),
    colStyle: f('cell.required', '数据', 'C12', '主题缺失'),
    rowStyle: f('cell.required', '数据', 'G7', '合计行缺少说明'),
    row: f('row.duplicate', '数据', '4', '与第3行重复'),
    range: f('row.date_order', '数据', 'A5:B5', '日期顺序不对'),
    plain: f('cell.type', '数据', 'D3', '人数不是数字'),
    other: f('cell.type', '汇总', 'a1', '汇总表的问题'),
  };
  const e = {
    date: f('cell.type', '2020年', 'C4', '收案日期不对'),
    noted: f('row.rule', '2020年', 'A3', '负责人出庭为“是”'),
    merged: f('sheet.total_mismatch', '2020年', 'C8', '合计不对'),
    file: f('file.unreadable', null, null, '文件级的问题'),
  };
  const h = { a2: f('cell.type', 'Sheet1', 'A2', '不是数字'), b5: f('cell.required', 'Sheet1', 'B5', '缺少') };
  return [
    {
      name: 'openpyxl',
      findings: Object.values(o),
      marks: {
        台账: { C4: [o.date, o.period], A3: [o.rule], D5: [o.filled], A6: [o.dup], B6: [o.dup], C6: [o.dup], E6: [o.dup], A1: [o.merged], F9: [o.beyond], D7: [o.missing] },
      },
      notes: { 台账: { C4: ['【错误】“日期”不是有效的日期', '期望：日期', '实际：2020-13-40', '【警告】日期不在年度内'], A3: ['负责人出庭', '原批注：原来的批注：核对过'], A6: ['与第3行完全相同'], A1: ['=HYPERLINK("http://x") 标题不对'], F9: ['缺少签字'], D5: ['备注不能为空'], D7: ['备注缺失'] } },
      listed: [o.file, o.nosheet],
      unchangedSheets: ['xl/worksheets/sheet2.xml'],
    },
    {
      name: 'xlsxwriter',
      findings: Object.values(x),
      omitted: 3,
      marks: {
        数据: { B3: [x.noted], C12: [x.colStyle], G7: [x.rowStyle], A4: [x.row], B4: [x.row], C4: [x.row], D4: [x.row], A5: [x.range], B5: [x.range], D3: [x.plain] },
        汇总: { A1: [x.other] },
      },
      notes: { 数据: { B3: ['类别不在可选值内', '原批注：'], A4: ['与第3行重复'], A5: ['日期顺序不对'], C12: ['主题缺失'], G7: ['合计行缺少说明'], D3: ['人数不是数字'] }, 汇总: { A1: ['汇总表的问题'] } },
      listed: [],
      unchangedSheets: [],
    },
    {
      name: 'exceljs',
      findings: Object.values(e),
      marks: { '2020年': { C4: [e.date], A3: [e.noted], B8: [e.merged] } },
      notes: { '2020年': { C4: ['收案日期不对'], A3: ['原批注：原来的批注：核对过'], B8: ['合计不对'] } },
      listed: [e.file],
      unchangedSheets: ['xl/worksheets/sheet2.xml'],
    },
    {
      name: 'no-styles',
      findings: Object.values(h),
      marks: { Sheet1: { A2: [h.a2], B5: [h.b5] } },
      notes: { Sheet1: { A2: ['不是数字'], B5: ['缺少'] } },
      listed: [],
      unchangedSheets: [],
    },
  ];
}

const sourceOf = (name: string) => join(dir, 'originals', `${name}.xlsx`);
const markedOf = (name: string) => join(dir, 'marked', `${name}.xlsx`);

describe.skipIf(!hasPython)('marked copies patched into the package, read back by openpyxl and LibreOffice', () => {
  const all = cases();
  const originals = new Map<string, BookDump>();
  const marked = new Map<string, BookDump>();
  const results = new Map<string, { cells: number; listed: number }>();

  beforeAll(async () => {
    await mkdir(join(dir, 'originals'), { recursive: true });
    await mkdir(join(dir, 'marked'), { recursive: true });
    await run(PYTHON, [BOOKS, 'write', join(dir, 'originals')]);
    await clerkWithImage(sourceOf('exceljs'));
    await noStylesWorkbook(sourceOf('no-styles'));
    for (const c of all) {
      const input = { source: sourceOf(c.name), fileName: `${c.name}.xlsx`, findings: c.findings, omitted: c.omitted ?? 0, target: markedOf(c.name) };
      // The patcher itself, not its exceljs fallback.
      results.set(c.name, await patchXlsx(input, await readFile(input.source)));
    }
    const dumps = await dump([...all.map((c) => sourceOf(c.name)), ...all.map((c) => markedOf(c.name))]);
    all.forEach((c, i) => {
      originals.set(c.name, dumps[i]!);
      marked.set(c.name, dumps[all.length + i]!);
    });
  }, 120_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const c of all) {
    describe(`an original written by ${c.name}`, () => {
      it('counts the cells it filled and the findings it listed', () => {
        const cells = Object.values(c.marks).reduce((n, m) => n + Object.keys(m).length, 0);
        expect(results.get(c.name)).toEqual({ cells, listed: c.listed.length });
      });

      it('puts 问题说明 first when there is something to list, keeps the sheets, the active sheet and the defined names on their sheets', () => {
        const before = originals.get(c.name)!;
        const after = marked.get(c.name)!;
        const notes = c.listed.length > 0 || (c.omitted ?? 0) > 0;
        expect(after.sheets).toEqual(notes ? [NOTES_SHEET, ...before.sheets] : before.sheets);
        expect(after.active).toBe(before.active);
        expect(after.names).toEqual(before.names);
      });

      it('fills exactly the marked cells, and leaves every other value and style of the original as it was', () => {
        const before = originals.get(c.name)!;
        const after = marked.get(c.name)!;
        for (const sheet of before.sheets) {
          const was = before.sheet[sheet]!;
          const now = after.sheet[sheet]!;
          const { cells: _a, comments: _b, ...restBefore } = was;
          const { cells: _c, comments: _d, ...restAfter } = now;
          expect(restAfter, `${sheet}: merges, validations, charts, print area…`).toEqual(restBefore);
          const marks = c.marks[sheet] ?? {};
          for (const address of new Set([...Object.keys(was.cells), ...Object.keys(now.cells)])) {
            const mark = marks[address];
            const [valueBefore = null, styleBefore] = was.cells[address] ?? [];
            const [valueAfter = null, styleAfter] = now.cells[address] ?? [];
            expect(valueAfter, `${sheet}!${address} value`).toBe(valueBefore);
            if (mark === undefined) {
              expect(styleAfter, `${sheet}!${address} style`).toEqual(styleBefore);
              continue;
            }
            expect(styleAfter?.fill, `${sheet}!${address} fill`).toEqual(['solid', MARK_FILLS[worst(mark)]]);
            if (styleBefore !== undefined) expect({ ...styleAfter, fill: null }, `${sheet}!${address} style but the fill`).toEqual({ ...styleBefore, fill: null });
          }
          for (const address of Object.keys(marks)) expect(now.cells[address], `${sheet}!${address} marked`).toBeDefined();
        }
      });

      it('writes each note, quotes the note a cell had, and keeps the other notes', () => {
        const before = originals.get(c.name)!;
        const after = marked.get(c.name)!;
        for (const sheet of before.sheets) {
          const expected = c.notes[sheet] ?? {};
          const now = after.sheet[sheet]!.comments;
          expect(Object.keys(now).sort()).toEqual([...new Set([...Object.keys(before.sheet[sheet]!.comments), ...Object.keys(expected)])].sort());
          for (const [address, text] of Object.entries(before.sheet[sheet]!.comments)) {
            if (expected[address] === undefined) expect(now[address]).toBe(text);
            else expect(now[address]).toContain(`原批注：${text}`);
          }
          for (const [address, texts] of Object.entries(expected)) for (const t of texts) expect(now[address], `${sheet}!${address}`).toContain(t);
        }
      });

      it('lists the findings without a cell on 问题说明, as text, with their level fills and the omitted line', () => {
        const after = marked.get(c.name)!;
        const notes = after.sheet[NOTES_SHEET];
        if (c.listed.length === 0 && (c.omitted ?? 0) === 0) return expect(notes).toBeUndefined();
        const cells = notes!.cells;
        expect(['A1', 'B1', 'F1', 'H1'].map((a) => cells[a]?.[0])).toEqual(['序号', '级别', '说明', '实际']);
        expect(cells.A1?.[1].font).toEqual(expect.arrayContaining(['宋体', true]));
        c.listed.forEach((x, i) => {
          const r = i + 2;
          expect(cells[`A${r}`]?.[0]).toBe(String(i + 1));
          expect(cells[`B${r}`]?.[0]).toBe(x.level);
          expect(cells[`B${r}`]?.[1].fill).toEqual(['solid', MARK_FILLS[x.level]]);
          expect(cells[`C${r}`]?.[0]).toBe(x.code);
          expect(cells[`D${r}`]?.[0]).toBe(x.sheet);
          expect(cells[`F${r}`]?.[0]).toBe(x.message);
        });
        if ((c.omitted ?? 0) > 0) expect(cells[`F${c.listed.length + 2}`]?.[0]).toContain(`另有 ${c.omitted} 处未标注`);
        expect(notes!.freeze).toBe('A2');
      });

      it('copies every part the marks do not touch byte for byte (charts, images, drawings, theme, shared strings, unmarked sheets)', async () => {
        const before = await JSZip.loadAsync(await readFile(sourceOf(c.name)));
        const after = await JSZip.loadAsync(await readFile(markedOf(c.name)));
        const touchable = /^(\[Content_Types\]\.xml|xl\/workbook\.xml|xl\/_rels\/workbook\.xml\.rels|xl\/styles\.xml|xl\/worksheets\/(_rels\/)?sheet\d+\.xml(\.rels)?|xl\/comments[\w/]*\.xml|xl\/drawings\/\w+\.vml|xl\/calcChain\.xml)$/;
        const untouched: string[] = [];
        for (const name of Object.keys(before.files).filter((n) => !n.endsWith('/'))) {
          const was = await before.file(name)?.async('nodebuffer');
          const now = await after.file(name)?.async('nodebuffer');
          if (touchable.test(name) && !c.unchangedSheets.includes(name)) continue;
          untouched.push(name);
          expect(now?.equals(was ?? Buffer.alloc(0)), name).toBe(true);
        }
        expect(untouched.length).toBeGreaterThan(0);
        // The only formulas are the original's: nothing written is ever one.
        const xml = await Promise.all(Object.keys(after.files).filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n)).map((n) => after.file(n)!.async('string')));
        const formulas = xml.flatMap((t) => [...t.matchAll(/<f[\s>][^<]*<\/f>/g)].map((m) => m[0]));
        const formulasBefore = (await Promise.all(Object.keys(before.files).filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n)).map((n) => before.file(n)!.async('string')))).flatMap((t) => [...t.matchAll(/<f[\s>][^<]*<\/f>/g)].map((m) => m[0]));
        expect(formulas.sort()).toEqual(formulasBefore.sort());
      });
    });
  }

  it.skipIf(!hasSoffice)('LibreOffice opens every marked copy and sees the fills, the notes and 问题说明 first', async () => {
    const lo = join(dir, 'lo');
    await mkdir(lo, { recursive: true });
    const profile = `-env:UserInstallation=file://${join(dir, 'lo-profile')}`;
    const files = all.map((c) => markedOf(c.name));
    await run('soffice', [profile, '--headless', '--convert-to', 'xlsx', '--outdir', join(lo, 'xlsx'), ...files], { timeout: 180_000 });
    await run('soffice', [profile, '--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1', '--outdir', join(lo, 'csv'), ...files], { timeout: 180_000 });
    expect((await readdir(join(lo, 'xlsx'))).sort()).toEqual(all.map((c) => `${c.name}.xlsx`).sort());
    const reread = await dump(all.map((c) => join(lo, 'xlsx', `${c.name}.xlsx`)));
    all.forEach((c, i) => {
      const book = reread[i]!;
      expect(book.sheets).toEqual(marked.get(c.name)!.sheets);
      for (const [sheet, marks] of Object.entries(c.marks)) {
        for (const [address, fs] of Object.entries(marks)) expect(book.sheet[sheet]!.cells[address]?.[1].fill?.[1], `${c.name} ${sheet}!${address}`).toBe(MARK_FILLS[worst(fs)]);
      }
      for (const [sheet, notes] of Object.entries(c.notes)) {
        for (const [address, texts] of Object.entries(notes)) for (const t of texts) expect(book.sheet[sheet]!.comments[address], `${c.name} ${sheet}!${address}`).toContain(t);
      }
    });
    for (const c of all.filter((x) => x.listed.length > 0)) {
      const csv = await readFile(join(lo, 'csv', `${c.name}.csv`), 'utf8');
      expect(csv.split('\n')[0]?.replaceAll('"', '')).toContain('序号,级别,规则编码');
      for (const x of c.listed) expect(csv).toContain(x.message.replace(/"/g, '""'));
    }
  }, 400_000);
});

describe('what the patcher refuses goes through exceljs, marked all the same', () => {
  const at = join(dir, 'fallback');
  const findings = [f('cell.type', 'Sheet1', 'A2', '不是数字'), f('file.unreadable', null, null, '文件级')];

  it('a strict OOXML workbook: refused by the patcher', async () => {
    await mkdir(at, { recursive: true });
    await strictWorkbook(join(at, 'strict.xlsx'));
    const input = { source: join(at, 'strict.xlsx'), fileName: 'strict.xlsx', findings, target: join(at, 'strict-marked.xlsx') };
    await expect(patchXlsx(input, await readFile(input.source))).rejects.toBeInstanceOf(PatchFallback);
  });

  it('a macro-enabled workbook (its copy is named .xlsx): refused by the patcher, marked by exceljs', async () => {
    await mkdir(at, { recursive: true });
    await macroWorkbook(join(at, 'macro.xlsm'));
    const input = { source: join(at, 'macro.xlsm'), fileName: 'macro.xlsm', findings, target: join(at, 'macro-marked.xlsx') };
    await expect(patchXlsx(input, await readFile(input.source))).rejects.toBeInstanceOf(PatchFallback);
    expect(await markUpWorkbook(input)).toEqual({ cells: 1, listed: 1 });
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(input.target);
    expect(book.worksheets.map((s) => s.name)).toEqual([NOTES_SHEET, 'Sheet1']);
    expect((book.getWorksheet('Sheet1')!.getCell('A2').fill as ExcelJS.FillPattern).fgColor?.argb).toBe(MARK_FILLS.错误);
  });
});
