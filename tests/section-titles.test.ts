/**
 * A clerk who keeps one table a quarter in one sheet writes the period above each table's header
 * (第二季度, unmerged): that line is the title of the rows under it, not a service with its date,
 * category and 人次 left empty (3 false cell.required). A line holding anything else alone (a
 * village's name) is still read, and said to be incomplete: never dropped in silence. Workbooks
 * written by openpyxl and a CSV, read by tally's reader.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SheetExtraction } from '../sheets/extract-sheet.ts';
import { extractOnlySheet } from './support/extraction.ts';
import { PYTHON, pythonWith } from './support/python.ts';

const dir = join(import.meta.dirname, '.tmp', `section-titles-${randomBytes(4).toString('hex')}`);
const hasOpenpyxl = pythonWith(['openpyxl'], 'the section-titles test of a workbook written by openpyxl');

beforeAll(async () => {
  await mkdir(dir, { recursive: true });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const extractPath = (path: string) => extractOnlySheet(path);

const HEADER = ['序号', '日期', '村居', '服务类别', '人次'];
/** Rows of the sheet: a title, then for each quarter its title (`section`), the header and three services. */
function quarters(section: (q: number) => string | null): (string | number | null)[][] {
  const rows: (string | number | null)[][] = [['安定镇2020年公共法律服务台账']];
  for (const q of [1, 2]) {
    const title = section(q);
    if (title !== null) rows.push([title]);
    rows.push(HEADER);
    for (let i = 0; i < 3; i++) rows.push([i + 1, `2020-0${3 * q - 2}-0${5 + i}`, q === 1 ? '后安定村' : '前安定村', '法律咨询', q + 1]);
    rows.push([]);
  }
  rows.push(['合计', null, null, null, 15]);
  return rows;
}

const WRITE = String.raw`
import sys, json, datetime, openpyxl
wb = openpyxl.Workbook(); ws = wb.active; ws.title = '2020年'
for row in json.loads(sys.argv[2]):
    ws.append([datetime.date.fromisoformat(v) if isinstance(v, str) and v[:3] == '202' and len(v) == 10 else v for v in row])
wb.save(sys.argv[1])
`;

const codes = (x: SheetExtraction) => x.findings.map((f) => `${f.code} ${f.cell ?? ''}`);

describe('a period written alone above a part of the table', () => {
  const titles: readonly [string, (q: number) => string | null][] = [
    ['第一季度 / 第二季度', (q) => (q === 1 ? '第一季度' : '第二季度')],
    ['一季度（1-3月）', (q) => `${q === 1 ? '一' : '二'}季度（${3 * q - 2}-${3 * q}月）`],
    ['2020年1月 / 2020年4月', (q) => `2020年${3 * q - 2}月`],
  ];
  for (const [name, section] of titles) {
    it.runIf(hasOpenpyxl)(`is the title of the rows under it, not a row (${name}, openpyxl)`, async () => {
      const path = join(dir, `legal-service-quarters-titled-${name.replace(/[^\p{L}\p{N}]+/gu, '-')}.xlsx`);
      execFileSync(PYTHON, ['-c', WRITE, path, JSON.stringify(quarters(section))]);
      const x = await extractPath(path);
      expect(x.rows.map((r) => r.values['visits'])).toEqual([2, 2, 2, 3, 3, 3]);
      expect(codes(x)).toEqual([]);
    });
  }

  it('is so in a CSV too', async () => {
    const path = join(dir, 'legal-service-quarters-titled.csv');
    const csv = quarters((q) => (q === 1 ? '第一季度' : '第二季度'))
      .map((r) => r.map((v) => (v === null ? '' : String(v))).join(','))
      .join('\r\n');
    await writeFile(path, `${csv}\r\n`);
    const x = await extractPath(path);
    expect(x.rows.map((r) => r.values['visits'])).toEqual([2, 2, 2, 3, 3, 3]);
    expect(codes(x)).toEqual([]);
  });

  it('a day typed as text alone (2020-03-20) is a case received that day, not a title: read and said to be incomplete, also in a CSV', async () => {
    const path = join(dir, 'mediation-day-typed-alone.csv');
    const lines = ['序号,受理日期,当事人,纠纷类型,调解结果,结案日期', '1,2020-03-02,张一与李一,邻里纠纷,调解成功,2020-03-09', ',2020-03-20,,,,'];
    await writeFile(path, `${lines.join('\r\n')}\r\n`);
    const x = await extractPath(path);
    expect(x.rows).toHaveLength(2);
    expect(codes(x)).toEqual(['cell.required E3']);
  });

  it.runIf(hasOpenpyxl)('a village’s name alone is still a row, said to be incomplete', async () => {
    const path = join(dir, 'legal-service-village-line-alone.xlsx');
    execFileSync(PYTHON, ['-c', WRITE, path, JSON.stringify(quarters((q) => (q === 1 ? null : '前安定村')))]);
    const x = await extractPath(path);
    expect(x.rows).toHaveLength(7);
    expect(codes(x)).toContain('cell.required B7');
  });
});
