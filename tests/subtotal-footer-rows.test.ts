/**
 * Rows that are no data though they stand among the data: subtotals labelled with their period
 * (一季度小计, 12月合计), the footer under the table (制表人, 审核人, a 填报日期 typed alone,
 * （盖章）), and a 说明 sheet that lists the columns. Real xlsx files, written by exceljs and by
 * openpyxl, read through tally's reader, and whole runs on a DuckDB file.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeLedgerWorkbook, type SheetSpec } from '../demo/ledger-workbook.ts';
import { extractSheet, type SheetExtraction } from '../sheets/extract-sheet.ts';
import { loadLedgerCatalog } from '../sheets/ledger-catalog.ts';
import { readFile } from '../sheets/read-file.ts';
import { useScenarios } from './support/scenario.ts';

const catalog = loadLedgerCatalog(join(import.meta.dirname, '..', 'packs', 'anding-2020', 'ledgers.json'));
const dir = join(import.meta.dirname, '.tmp', `subtotal-footer-${randomBytes(4).toString('hex')}`);
const scenarios = useScenarios({ outputs: false });
const PYTHON = '/usr/bin/python3';

beforeAll(async () => {
  await mkdir(dir, { recursive: true });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const D = (y: number, m: number, d: number): Date => new Date(Date.UTC(y, m - 1, d));

/**
 * The legal-service sheet a clerk made in Excel (written by openpyxl): two months, 小计, two
 * months, 小计：, one month, 第三季度小计, one month, 12月合计, then 合计 62 (the data rows' sum,
 * not the subtotals'), 填报人 and （盖章）.
 */
const QUARTER_SUBTOTALS = `
import openpyxl, datetime, sys
wb = openpyxl.Workbook(); ws = wb.active; ws.title = '公共法律服务'
ws.append(['服务日期', '村居', '服务类别', '人次'])
def row(m, d, v, cat='法律咨询'):
    ws.append([datetime.date(2020, m, d), '后安定村', cat, v]); ws.cell(ws.max_row, 1).number_format = 'yyyy-mm-dd'
row(1, 5, 10); row(2, 5, 11)
ws.append(['小计', None, None, 21])
row(4, 5, 10); row(5, 5, 11, '法律援助咨询')
ws.append(['小计：', None, None, 21])
row(7, 5, 10)
ws.append(['第三季度小计', None, None, 10])
row(10, 5, 10)
ws.append(['12月合计', None, None, 10])
ws.append(['合计', None, None, 62])
ws.append(['填报人：张三'])
ws.append(['（盖章）'])
wb.save(sys.argv[1])
`;

/**
 * A mediation sheet (openpyxl) whose footer goes on for rows: 制表人 and 填报日期 on one row,
 * 审核人, the 填报日期 typed again alone as a date, （盖章）.
 */
const FOOTER_THEN_STAMP = `
import openpyxl, datetime, sys
wb = openpyxl.Workbook(); ws = wb.active; ws.title = '调解台账'
ws.append(['序号', '受理日期', '当事人', '纠纷类型', '调解结果', '结案日期'])
for i in range(1, 4):
    ws.append([i, datetime.date(2020, i, 3), '张%d、李%d' % (i, i), '邻里纠纷', '调解成功', datetime.date(2020, i, 20)])
ws.append([])
ws.append(['制表人：王五', None, '填报日期：2021年1月5日'])
ws.append(['审核人：', None, None, None])
ws.append([datetime.date(2021, 1, 5)]); ws.cell(ws.max_row, 1).number_format = 'yyyy"年"m"月"d"日"'
ws.append(['（盖章）'])
wb.save(sys.argv[1])
`;

/** Sheets with no ledger header: 填表说明 with its numbered items, and a cover of five lines (a 填报日期 among them). */
const NOTES_AND_COVER = `
import openpyxl, sys
wb = openpyxl.Workbook(); s = wb.active; s.title = '说明'
for t in ['填表说明', '1．日期填写活动举办日期，格式如2020-03-05。', '2．类别填写会前学法、中心组学法、机关干部学法或法治培训。', '（三）参加人数填写整数。', '联系人：高红梅 电话：6928xxxx']:
    s.append([t])
c = wb.create_sheet('封面')
for t in ['安定镇2020年学法活动台账', '报送单位：综合保障办', '2020年度', '共12页', '填报日期：2021年1月8日']:
    c.append([None, t])
wb.save(sys.argv[1])
`;

function writeWithOpenpyxl(file: string, script: string): string {
  const path = join(dir, file);
  execFileSync(PYTHON, ['-c', script, path]);
  return path;
}

async function extractPath(path: string): Promise<SheetExtraction[]> {
  const out: SheetExtraction[] = [];
  for await (const sheet of readFile(path)) out.push(extractSheet(sheet, catalog, { year: 2020, department: 'justice', file: basename(path) }));
  return out;
}

async function extractWorkbook(file: string, sheets: SheetSpec[]): Promise<SheetExtraction[]> {
  const path = join(dir, file);
  await writeLedgerWorkbook(path, sheets);
  return extractPath(path);
}

function only(xs: SheetExtraction[]): SheetExtraction {
  expect(xs).toHaveLength(1);
  return xs[0] as SheetExtraction;
}

const findingsOf = (x: SheetExtraction) => x.findings.map((f) => ({ code: f.code, cell: f.cell ?? null }));
const rowNumbers = (x: SheetExtraction) => x.rows.map((r) => r.rowNumber);

describe('subtotal rows labelled with their period', () => {
  it('reads 小计, 第三季度小计 and 12月合计 rows as subtotals, not data, and compares the 合计 with the data rows alone', async () => {
    const x = only(await extractPath(writeWithOpenpyxl('legal-service-quarter-subtotals.xlsx', QUARTER_SUBTOTALS)));
    expect(x.ledger?.id).toBe('legal_service');
    expect(rowNumbers(x)).toEqual([2, 3, 5, 6, 8, 10]);
    expect(x.totals).toEqual([{ field: 'visits', stated: 62, cell: 'D12' }]);
    expect(findingsOf(x)).toEqual([]);
  });

  it('takes a period subtotal in the label column, after a 序号 too, reads 全年合计 as the grand total, and keeps 十二月工作合计分析会 as data', async () => {
    const x = only(
      await extractWorkbook('publicity-quarter-subtotals.xlsx', [
        {
          name: '普法宣传',
          header: ['序号', '日期', '活动名称', '形式', '参与人数'],
          rows: [
            [1, D(2020, 10, 9), '法律进社区', '讲座', 40],
            [null, null, '三季度小计', null, 40],
            [2, D(2020, 12, 4), '十二月工作合计分析会', '会议', 20],
            [3, D(2020, 12, 20), '12月合计分析会', '会议', 10],
            [4, '2020年第四季度小计', null, null, 30],
            [null, '1-12月累计', null, null, 70],
          ],
          total: { position: 'bottom', cells: ['全年合计', null, null, null, 70] },
        },
      ]),
    );
    expect(x.ledger?.id).toBe('publicity');
    expect(x.rows.map((r) => r.values['activity'])).toEqual(['法律进社区', '十二月工作合计分析会', '12月合计分析会']);
    expect(x.totals).toEqual([{ field: 'participants', stated: 70, cell: 'E8' }]);
    expect(findingsOf(x)).toEqual([]);
  });
});

describe('rows under the footer', () => {
  it('reads nothing under 制表人 and 审核人 as data: not the 填报日期 typed alone, not the （盖章） row', async () => {
    const x = only(await extractPath(writeWithOpenpyxl('mediation-footer-then-stamp-row.xlsx', FOOTER_THEN_STAMP)));
    expect(x.ledger?.id).toBe('mediation');
    expect(rowNumbers(x)).toEqual([2, 3, 4]);
    expect(findingsOf(x)).toEqual([]);
  });

  it('reads a （盖章） row right under the data as layout, with no footer above it', async () => {
    const x = only(
      await extractWorkbook('honors-stamp-under-data.xlsx', [
        {
          name: '法治创建',
          header: ['村居', '称号', '级别', '授予日期'],
          rows: [['前安定村', '全国民主法治示范村', '全国', D(2020, 11, 2)], ['单位（盖章）：'], ['（公章）']],
        },
      ]),
    );
    expect(rowNumbers(x)).toEqual([2]);
    expect(findingsOf(x)).toEqual([]);
  });

  it('still reads a whole row added under the signatures, and a table that starts again with its header (a 填报人 row above the data ends nothing)', async () => {
    const header = ['序号', '受理日期', '当事人', '纠纷类型', '调解结果', '结案日期'];
    const x = only(
      await extractWorkbook('mediation-row-under-footer-and-second-table.xlsx', [
        {
          name: '调解',
          header,
          rows: [
            ['填报单位：安定镇司法所', null, null, '填报人：张三'],
            [1, D(2020, 1, 3), '张一', '邻里纠纷', '调解成功', D(2020, 1, 9)],
            ['填报人：张三', null, null, '审核人：李四'],
            [2, D(2020, 2, 3), '张二', '婚姻家庭', '调解中', null],
            ['（盖章）'],
            [D(2021, 1, 5)],
            [],
            ['下半年'],
            header,
            [3, D(2020, 8, 3), '张三', '邻里纠纷', '调解成功', D(2020, 8, 9)],
            ['注：1．本表按受理日期登记'],
            ['2．当事人姓名以身份证为准'],
          ],
        },
      ]),
    );
    expect(rowNumbers(x)).toEqual([3, 5, 11]);
    expect(findingsOf(x)).toEqual([]);
  });
});

describe('a 说明 sheet', () => {
  const HEADER = ['日期', '类别', '主题', '组织部门', '参加人数'];
  const DESCRIPTIONS = ['填写活动日期，如2020-03-05', '会前学法、中心组学法、机关干部学法、法治培训', '学习内容', '牵头部门', '整数'];

  it('that lists the columns with how to fill them in is instructions, not a ledger: no finding', async () => {
    const [named, headed, quarter, real] = await extractWorkbook('study-instructions-sheet.xlsx', [
      { name: '说明', title: '填表说明', header: HEADER, rows: [DESCRIPTIONS, ['1.每季度一个工作表；2.请勿修改表头。']] },
      { name: 'Sheet2', title: '填表说明', header: HEADER, rows: [DESCRIPTIONS] },
      { name: '1季度', header: HEADER, rows: [[D(2020, 3, 1), '会前学法', '民法典', '党政办', 20]] },
      // One real row and a 说明 sheet is the ledger it is, descriptions and all: no row is lost to a name.
      { name: '填表说明(2)', header: HEADER, rows: [DESCRIPTIONS, [D(2020, 3, 1), '会前学法', '民法典', '党政办', 20]] },
    ]);
    for (const notes of [named, headed]) {
      expect(notes?.ledger).toBeNull();
      expect(notes?.findings).toEqual([]);
    }
    expect(quarter?.ledger?.id).toBe('study');
    expect(quarter?.rows).toHaveLength(1);
    expect(real?.ledger?.id).toBe('study');
    expect(real?.rows.map((r) => r.rowNumber)).toEqual([2, 3]);
    expect(real?.findings.map((f) => f.cell)).toEqual(['A2', 'B2', 'E2']);
  });

  it('of 填表说明 and its numbered items gets no warning; a cover of five lines is counted as five', async () => {
    const [notes, cover] = await extractPath(writeWithOpenpyxl('study-notes-and-cover.xlsx', NOTES_AND_COVER));
    expect(notes?.findings).toEqual([]);
    expect(cover?.findings.map((f) => f.code)).toEqual(['sheet.unrecognized']);
    expect(cover?.findings[0]?.message).toContain('共 5 行未读取');
  });
});

describe('a whole run', () => {
  it('finds nothing false in ledgers with period subtotals, a footer with a stamp and a 说明 sheet, and counts their data rows', async () => {
    const HEADER = ['日期', '类别', '主题', '组织部门', '参加人数'];
    const run = await scenarios.run('publicity-quarter-subtotals', {
      roster: [
        { code: 'justice', owes: ['legal_service', 'mediation'] },
        { code: 'office', owes: ['study'] },
      ],
      files: {
        'justice/legal-service-quarter-subtotals.xlsx': { write: async (path) => void execFileSync(PYTHON, ['-c', QUARTER_SUBTOTALS, path]) },
        'justice/mediation-footer-then-stamp-row.xlsx': { write: async (path) => void execFileSync(PYTHON, ['-c', FOOTER_THEN_STAMP, path]) },
        'office/study-instructions-sheet.xlsx': [
          {
            name: '说明',
            title: '填表说明',
            header: HEADER,
            rows: [['填写活动日期，如2020-03-05', '会前学法、中心组学法、机关干部学法、法治培训', '学习内容', '牵头部门', '整数']],
          },
          {
            name: '学法',
            header: HEADER,
            rows: [
              [D(2020, 3, 1), '会前学法', '民法典', '党政办', 20],
              [D(2020, 6, 1), '会前学法', '宪法', '党政办', 25],
              ['上半年合计', null, null, null, 45],
              ['制表人：高红梅'],
              [D(2021, 1, 8)],
            ],
          },
        ],
      },
    });
    expect(run.findings.map((f) => `${f.code} ${f.file ?? ''} ${f.sheet ?? ''} ${f.cell ?? ''}`)).toEqual([]);
    expect(run.indicator('service.consultations').value).toBe(51);
    expect(run.indicator('service.aid_consultations').value).toBe(11);
    expect(run.indicator('service.disputes_resolved').value).toBe(3);
    expect(run.indicator('study.pre_meeting').value).toBe(2);
  });
});
