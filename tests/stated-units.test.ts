/**
 * A unit a sheet states above its header, as statistical tables do (`金额单位：万元` in the 填报单位
 * line, `（单位：万人次）` under the title): a number column whose header states no unit of its own
 * is in that unit. Where it is not the ledger's (0.5 under 罚款金额 in a sheet of 万元 is 5,000 元),
 * the column is not read 10,000 times off but said, as a header naming another unit is
 * (header.unit_mismatch, tests/header-hints.test.ts). Workbooks written by exceljs
 * (demo/ledger-workbook.ts) and by openpyxl, read by tally's reader.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeLedgerWorkbook, type SheetSpec } from '../demo/ledger-workbook.ts';
import type { SheetExtraction } from '../sheets/extract-sheet.ts';
import { statedUnit } from '../sheets/match-label.ts';
import { day } from './support/scenario.ts';
import { PYTHON, pythonWith } from './support/python.ts';
import { extractOnlySheet, headerOf } from './support/extraction.ts';

const dir = join(import.meta.dirname, '.tmp', `stated-units-${randomBytes(4).toString('hex')}`);
const hasOpenpyxl = pythonWith(['openpyxl'], 'the stated-units test of a workbook written by openpyxl');

beforeAll(async () => {
  await mkdir(dir, { recursive: true });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const extractPath = (path: string) => extractOnlySheet(path, 'enforcement');

async function extractOne(file: string, sheet: SheetSpec): Promise<SheetExtraction> {
  const path = join(dir, file);
  await writeLedgerWorkbook(path, [sheet]);
  return extractPath(path);
}

const findingsOf = (x: SheetExtraction) => x.findings.map((f) => ({ code: f.code, level: f.level, cell: f.cell }));
const fines = (x: SheetExtraction) => x.rows.map((r) => r.values['fine'] ?? null);

const PENALTY_HEADER = ['案件编号', '立案日期', '当事人', '罚款金额'];
const PENALTY_ROWS = [
  ['安综执罚〔2020〕1号', day(2020, 4, 1), '某商户', 0.5],
  ['安综执罚〔2020〕2号', day(2020, 4, 9), '某餐馆', 1.2],
];

describe('a unit stated above the header', () => {
  it('金额单位：万元 in the 填报单位 line: 罚款金额 is not read as 元, said at its header cell naming the statement', async () => {
    const x = await extractOne('penalty-amounts-stated-in-ten-thousands.xlsx', {
      name: '行政处罚',
      title: '安定镇综合执法队2020年行政处罚案件台账',
      preamble: [['填报单位：安定镇综合执法队', null, null, '金额单位：万元']],
      header: PENALTY_HEADER,
      rows: PENALTY_ROWS,
    });
    expect(headerOf(x)).toEqual({ ledger: 'penalty', rows: [3], columns: { case_no: 'A3', filed_on: 'B3', party: 'C3' } });
    expect(fines(x)).toEqual([null, null]);
    expect(findingsOf(x)).toEqual([{ code: 'header.unit_mismatch', level: '错误', cell: 'D3' }]);
    const message = x.findings[0]?.message ?? '';
    expect(message).toContain('D2写明“金额单位：万元”');
    expect(message).toContain('以“万元”为单位');
    expect(message).toContain('请把该列数值换算为元');
  });

  it('单位：元, or a column whose own header names its unit, is read as it stands', async () => {
    const yuan = await extractOne('penalty-amounts-stated-in-yuan.xlsx', {
      name: '行政处罚',
      title: '行政处罚案件台账（单位：元）',
      header: PENALTY_HEADER,
      rows: [['安综执罚〔2020〕1号', day(2020, 4, 1), '某商户', 5000]],
    });
    expect(fines(yuan)).toEqual([5000]);
    expect(findingsOf(yuan)).toEqual([]);

    const own = await extractOne('penalty-header-names-yuan-under-a-ten-thousands-line.xlsx', {
      name: '行政处罚',
      preamble: [['金额单位：万元']],
      header: ['案件编号', '立案日期', '当事人', '罚款金额（元）'],
      rows: [['安综执罚〔2020〕1号', day(2020, 4, 1), '某商户', 5000]],
    });
    expect(fines(own)).toEqual([5000]);
    expect(findingsOf(own)).toEqual([]);
  });

  it('names nothing where a 填报单位 or a title merely contains 单位', async () => {
    for (const text of ['填报单位：元宝村委会', '填报单位：万安村', '2020年度普法活动统计表（单位：场次）', '报送单位：安定镇']) expect(statedUnit(text), text).toBeUndefined();
    expect(statedUnit('填报单位：安定镇司法所　金额单位：万元')).toMatchObject({ text: '万元', magnitude: 10_000, base: '元', money: true });
    expect(statedUnit('（单位：万人次）')).toMatchObject({ text: '万人次', magnitude: 10_000, base: '人次' });
    const x = await extractOne('penalty-filed-by-yuanbao-village.xlsx', {
      name: '行政处罚',
      preamble: [['填报单位：元宝村委会']],
      header: PENALTY_HEADER,
      rows: PENALTY_ROWS,
    });
    expect(fines(x)).toEqual([0.5, 1.2]);
    expect(findingsOf(x)).toEqual([]);
  });

  it('（单位：万人次） under a title puts 人次 in 万人次; （单位：人次） does not; neither touches a 标的额(万元) it does not speak of', async () => {
    const rows = [[day(2020, 3, 5), '后安定村', '法律咨询', 2]];
    const tenThousands = await extractOne('legal-service-visits-stated-in-ten-thousands.xlsx', {
      name: '公共法律服务',
      title: '公共法律服务台账',
      preamble: [['（单位：万人次）']],
      header: ['日期', '村居', '服务类别', '人次'],
      rows,
    });
    expect(findingsOf(tenThousands)).toEqual([{ code: 'header.unit_mismatch', level: '错误', cell: 'D3' }]);
    const plain = await extractOne('legal-service-visits-stated-in-persons.xlsx', {
      name: '公共法律服务',
      preamble: [['（单位：人次）']],
      header: ['日期', '村居', '服务类别', '人次'],
      rows,
    });
    expect(plain.rows.map((r) => r.values['visits'])).toEqual([2]);
    expect(findingsOf(plain)).toEqual([]);
    const review = await extractOne('legality-review-under-a-persons-line.xlsx', {
      name: '合法性审查',
      preamble: [['单位：件']],
      header: ['审查类别', '事项名称', '标的额（万元）', '审查日期'],
      rows: [['合同', '道路养护合同', 35.5, day(2020, 5, 6)]],
    });
    expect(review.rows.map((r) => r.values['amount'])).toEqual([35.5]);
    expect(findingsOf(review)).toEqual([]);
  });

  it.runIf(hasOpenpyxl)('reads the statement in a workbook written by openpyxl, its title merged', async () => {
    const path = join(dir, 'penalty-amounts-stated-in-ten-thousands-openpyxl.xlsx');
    execFileSync(PYTHON, ['-c', `
import datetime, openpyxl, sys
wb = openpyxl.Workbook(); ws = wb.active; ws.title = '2020年'
ws.append(['2020年行政处罚案件台账']); ws.merge_cells('A1:G1')
ws.append(['填报单位：安定镇综合执法队', None, None, None, None, '（金额单位：万元）'])
ws.append(['序号', '案件编号', '立案日期', '当事人', '案由', '法制审核日期', '罚款金额'])
for i in range(1, 4):
    ws.append([i, f'安执罚〔2020〕{i}号', datetime.date(2020, 3, i), f'当事人{i}', '占道经营', datetime.date(2020, 3, i + 5), 0.5 * i])
wb.save(sys.argv[1])
`, path]);
    const x = await extractPath(path);
    expect(fines(x)).toEqual([null, null, null]);
    expect(findingsOf(x)).toEqual([{ code: 'header.unit_mismatch', level: '错误', cell: 'G3' }]);
    expect(x.findings[0]?.message).toContain('F2写明“（金额单位：万元）”');
  });
});
