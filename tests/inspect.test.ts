/**
 * `tally inspect` run as a user runs it (the real CLI, a child process): several files in one
 * call, each reported — an .xlsx, an .xls, a CSV, a file that is missing and one that is no
 * workbook — as JSON lines and as Chinese text.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileInspection } from '../pipeline/interfaces/cli/commands/inspect.ts';
import { runCli } from './support/cli.ts';

const dir = join('tests', '.tmp', `inspect-${randomBytes(4).toString('hex')}`);
const file = (name: string) => join(dir, name);

beforeAll(async () => {
  await mkdir(dir, { recursive: true });
  // A 执法公示台账 the way clerks write it: a merged title, the header on row 2, a wrong 公示类别,
  // a formula that shows #DIV/0!, a hidden lookup sheet, and a sheet that is no ledger.
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('公示');
  ws.mergeCells('A1:E1');
  ws.getCell('A1').value = '2020年执法公示台账';
  ws.addRow(['序号', '公示日期', '公示类别', '公示内容', '公示载体']);
  ws.addRow([1, new Date(Date.UTC(2020, 2, 5)), '事前公示', '执法主体', '网站']);
  ws.addRow([2, new Date(Date.UTC(2020, 5, 1, 9, 30)), '其它', '执法结果', '公示栏']);
  ws.addRow([{ formula: '1/0', result: { error: '#DIV/0!' } }, new Date(Date.UTC(2020, 6, 1)), '事后公示', '处罚决定', true]);
  for (const r of [3, 4, 5]) ws.getCell(`B${r}`).numFmt = r === 4 ? 'yyyy-mm-dd hh:mm' : 'yyyy-mm-dd';
  wb.addWorksheet('选项', { state: 'hidden' }).addRow(['事前公示']);
  wb.addWorksheet('草稿').addRow(['公示日期', '备注', '经办人']);
  await wb.xlsx.writeFile(file('公示台账.xlsx'));

  // The same ledger as an Excel 97-2003 file (SheetJS's BIFF8 writer, test fixtures only).
  const sheet = XLSX.utils.aoa_to_sheet(
    [
      ['公示日期', '公示类别', '公示内容'],
      [new Date(Date.UTC(2020, 2, 5)), '事前公示', '执法主体'],
      [new Date(Date.UTC(2020, 2, 6)), '事中', ''],
    ],
    { cellDates: true, dateNF: 'yyyy-mm-dd' },
  );
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, sheet, '台账');
  XLSX.writeFile(book, file('旧表.xls'), { bookType: 'biff8' });

  await writeFile(file('公示.csv'), '公示日期,公示类别,公示内容\n2020-03-05,事后公示,处罚决定\n');
  await writeFile(file('不是表格.xlsx'), '这只是一段文字');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('tally inspect', () => {
  let lines: FileInspection[];
  let code: number | null;

  beforeAll(async () => {
    const result = await runCli(['inspect', '--json', file('公示台账.xlsx'), file('旧表.xls'), file('公示.csv'), file('没有这个文件.xlsx'), file('不是表格.xlsx')]);
    code = result.code;
    lines = result.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as FileInspection);
  }, 60_000);

  it('writes one JSON object per file, in the order given, the path as given; exit 1 as some could not be read', () => {
    expect(lines.map((l) => [l.file, l.format, l.unreadable === null])).toEqual([
      [file('公示台账.xlsx'), 'xlsx', true],
      [file('旧表.xls'), 'xls', true],
      [file('公示.csv'), 'csv', true],
      [file('没有这个文件.xlsx'), null, false],
      [file('不是表格.xlsx'), null, false],
    ]);
    expect(lines[3]?.unreadable).toContain('找不到文件');
    expect(lines[4]?.unreadable).toContain('不是 Excel 工作簿');
    expect(code).toBe(1);
  });

  it('lists every sheet, hidden or not, with its header row and ledger, or why none', () => {
    const sheets = lines[0]?.sheets ?? [];
    expect(sheets.map((s) => [s.name, s.hidden, s.headerRow, s.ledger, s.rowsRead])).toEqual([
      ['公示', false, 2, 'disclosure', 3],
      ['选项', true, null, null, 0],
      ['草稿', false, null, null, 0],
    ]);
    expect(sheets[0]?.merges).toEqual(['A1:E1']);
    expect(sheets[2]?.notRecognized).toMatch(/最接近“执法公示台账”：第 1 行只对上了 1 个列名（公示日期）/);
  });

  it('gives the cells as read, dates as YYYY-MM-DD or with their time, errors as Excel shows them', () => {
    const cells = lines[0]?.sheets[0]?.cells ?? {};
    expect(cells['A1']).toEqual({ type: 'string', value: '2020年执法公示台账' });
    expect(cells['A3']).toEqual({ type: 'number', value: 1 });
    expect(cells['B3']).toEqual({ type: 'date', value: '2020-03-05' });
    expect(cells['B4']).toEqual({ type: 'date', value: '2020-06-01T09:30:00' });
    expect(cells['A5']).toEqual({ type: 'error', value: '#DIV/0!', formula: true });
    expect(cells['E5']).toEqual({ type: 'boolean', value: true });
    expect(lines[1]?.sheets[0]?.cells['A2']).toEqual({ type: 'date', value: '2020-03-05' });
    expect(lines[2]?.sheets[0]?.cells['A2']).toEqual({ type: 'string', value: '2020-03-05' });
  });

  it('gives the findings reading this file alone gets, at their cells', () => {
    const at = (l: FileInspection | undefined) => (l?.sheets ?? []).flatMap((s) => s.findings.map((f) => `${s.name} ${f.code} ${f.cell}`));
    expect(at(lines[0])).toEqual(['公示 cell.enum C4', '公示 cell.formula_error A5', '草稿 sheet.unrecognized null']);
    expect(at(lines[1])).toEqual(['台账 cell.required C3']);
    expect(at(lines[2])).toEqual([]);
    expect(lines[0]?.notChecked).toContain('tally run');
  });

  it('says it all in Chinese without --json, and exits 0 when every file was read', async () => {
    const { code: human, stdout } = await runCli(['inspect', file('公示台账.xlsx'), file('旧表.xls')]);
    expect(human).toBe(0);
    expect(stdout).toContain(`文件：${file('旧表.xls')}（旧版 Excel 97-2003 工作簿 .xls）`);
    expect(stdout).toContain('表头：第 2 行；台账：执法公示台账（disclosure）；读取数据 3 行');
    expect(stdout).toContain('工作表“选项”（隐藏）');
    expect(stdout).toContain('【错误】C4 “公示类别”填写为“其它”');
    expect(stdout).toContain('说明：仅列出读取本文件时发现的问题');
  }, 60_000);

  it('refuses a call without files as a usage error', async () => {
    const { code: usage, stderr } = await runCli(['inspect', '--json']);
    expect(usage).toBe(2);
    expect(stderr).toContain('请给出要检查的文件');
  }, 60_000);
});
