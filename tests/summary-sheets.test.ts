/**
 * A workbook's 汇总 sheet that adds up its ledger sheets with formulas (=SUM(服务!D2:D6)) holds
 * nothing to read: no sheet.unrecognized warning for it, in every department's mail. A 汇总 sheet
 * with figures typed in may be a ledger tally could not recognise, and a sheet of another name is
 * judged as before: both still warned of. Written by openpyxl (no cached results) and exceljs
 * (formulas with results), read by tally's reader.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SheetExtraction } from '../sheets/extract-sheet.ts';
import { extractSheets } from './support/extraction.ts';
import { PYTHON, pythonWith } from './support/python.ts';

const dir = join(import.meta.dirname, '.tmp', `summary-sheets-${randomBytes(4).toString('hex')}`);
const hasOpenpyxl = pythonWith(['openpyxl'], 'the summary-sheets test of a workbook written by openpyxl');

beforeAll(async () => {
  await mkdir(dir, { recursive: true });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const extractAll = (path: string) => extractSheets(path);

const warnings = (xs: readonly SheetExtraction[]) => xs.flatMap((x) => x.findings.map((f) => `${x.sheet}: ${f.code}`));

/** 服务 (a ledger of five rows), then `name` adding it up: with formulas, or (`typed`) with the sums typed in. */
async function workbook(path: string, name: string, typed: boolean): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('服务');
  ws.addRow(['日期', '村居', '服务类别', '人次']);
  for (let i = 0; i < 5; i++) ws.addRow([new Date(Date.UTC(2020, 2, 5 + i)), '后安定村', '法律咨询', 2 + i]);
  const sum = wb.addWorksheet(name);
  sum.addRow(['2020年公共法律服务汇总']);
  sum.addRow(['项目', '数量']);
  sum.addRow(['服务次数', typed ? 5 : { formula: 'COUNTA(服务!A2:A6)', result: 5 }]);
  sum.addRow(['服务人次', typed ? 20 : { formula: 'SUM(服务!D2:D6)', result: 20 }]);
  await wb.xlsx.writeFile(path);
}

describe('a sheet that adds the ledger sheets up', () => {
  it('named 汇总, of formulas: no warning, the ledger read', async () => {
    const path = join(dir, 'legal-service-with-summary-of-formulas.xlsx');
    await workbook(path, '汇总', false);
    const xs = await extractAll(path);
    expect(xs.map((x) => [x.sheet, x.rows.length])).toEqual([['服务', 5], ['汇总', 0]]);
    expect(warnings(xs)).toEqual([]);
  });

  it('named 汇总, its figures typed in: still said (it may be a ledger tally could not recognise)', async () => {
    const path = join(dir, 'legal-service-with-summary-typed.xlsx');
    await workbook(path, '汇总', true);
    expect(warnings(await extractAll(path))).toEqual(['汇总: sheet.unrecognized']);
  });

  it('of formulas but named Sheet2: still said', async () => {
    const path = join(dir, 'legal-service-with-formulas-on-sheet2.xlsx');
    await workbook(path, 'Sheet2', false);
    expect(warnings(await extractAll(path))).toEqual(['Sheet2: sheet.unrecognized']);
  });

  it.runIf(hasOpenpyxl)('named 全年统计表, of formulas openpyxl wrote without results: no warning', async () => {
    const path = join(dir, 'legal-service-with-summary-openpyxl.xlsx');
    execFileSync(PYTHON, ['-c', `
import datetime, openpyxl, sys
wb = openpyxl.Workbook(); ws = wb.active; ws.title = '服务'
ws.append(['日期', '村居', '服务类别', '人次'])
for i in range(5): ws.append([datetime.date(2020, 3, 5 + i), '后安定村', '法律咨询', 2 + i])
s = wb.create_sheet('全年统计表')
s.append(['项目', '数量']); s.append(['服务人次', '=SUM(服务!D2:D6)'])
wb.save(sys.argv[1])
`, path]);
    expect(warnings(await extractAll(path))).toEqual([]);
  });
});
