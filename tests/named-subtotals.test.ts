/**
 * Subtotals named for their group (后安定村小计, 前安定村 小计, 小计（后安定村）, 综合执法队合计,
 * 司法所小计：1次), grand totals named for the whole (全镇合计, 本镇总计), and rows left under
 * the footer (a case added under the signatures with a cell forgotten). Real xlsx files written
 * by openpyxl, XlsxWriter and exceljs, read through tally's reader, and whole runs on a DuckDB file.
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
const dir = join(import.meta.dirname, '.tmp', `named-subtotals-${randomBytes(4).toString('hex')}`);
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
 * A mediation sheet grouped by village (openpyxl), each group closed by a subtotal the clerk
 * wrote her own way: 后安定村小计 in the 受理日期 column, 前安定村 小计 in the 序号 column,
 * 小计（东庄村）, 西庄村 | 小计 over two cells, 司法所小计：1件 in the 当事人 column; then 全镇合计
 * stating the 7 cases, 填报人 and （盖章）. A case whose 纠纷类型 is 关于小计算器采购纠纷 is data.
 *
 * Rows: 1 title, 2 header, data 3 4 6 7 9 11 13, subtotals 5 8 10 12 14, 全镇合计 15.
 */
const MEDIATION_VILLAGE_SUBTOTALS = `
import openpyxl, datetime, sys
D = datetime.date
wb = openpyxl.Workbook(); ws = wb.active; ws.title = '调解台账'
ws.append(['安定镇2020年人民调解台账'])
ws.merge_cells('A1:G1')
ws.append(['序号', '受理日期', '当事人', '纠纷类型', '案件来源', '调解结果', '结案日期'])
def case(n, m, party, kind, result='调解成功'):
    ws.append([n, D(2020, m, 3), party, kind, '村调委会', result, D(2020, m, 20) if result == '调解成功' else None])
    ws.cell(ws.max_row, 2).number_format = 'yyyy-mm-dd'; ws.cell(ws.max_row, 7).number_format = 'yyyy-mm-dd'
case(1, 1, '张一、李一', '邻里纠纷')
case(2, 2, '张二、李二', '关于小计算器采购纠纷')
ws.append([None, '后安定村小计', None, None, None, '2件', None])
case(3, 3, '张三、李三', '婚姻家庭')
case(4, 4, '张四、李四', '邻里纠纷', '调解中')
ws.append(['前安定村 小计', None, None, None, None, 2, None])
case(5, 5, '张五、李五', '土地纠纷')
ws.append(['小计（东庄村）', None, None, None, None, '1件', None])
case(6, 6, '张六、李六', '合同纠纷')
ws.append(['西庄村', '小计', None, None, None, 1, None])
case(7, 7, '张七、李七', '邻里纠纷')
ws.append([None, None, '司法所小计：1件'])
ws.append(['全镇合计', None, None, None, None, '7件', None])
ws.append(['填报人：张三', None, None, '审核人：李四'])
ws.append(['（盖章）'])
wb.save(sys.argv[1])
`;

/**
 * The publicity of two units on one sheet (XlsxWriter), each closed by its total as a SUM
 * formula with its value: 综合执法队合计, 司法所小计：2次, then 本镇总计：4次 over all four
 * activities (its sum given by the test: 130 is right). 12月合计分析会 is an activity.
 *
 * Rows: 1 header, data 2 3 5 6, unit totals 4 7, 本镇总计 8.
 */
const PUBLICITY_UNIT_TOTALS = `
import xlsxwriter, datetime, sys
wb = xlsxwriter.Workbook(sys.argv[1]); ws = wb.add_worksheet('普法宣传')
date = wb.add_format({'num_format': 'yyyy-mm-dd'})
ws.write_row(0, 0, ['日期', '活动名称', '宣传主题', '形式', '参与人数'])
def activity(r, m, d, name, theme, form, n):
    ws.write_datetime(r, 0, datetime.datetime(2020, m, d), date); ws.write_row(r, 1, [name, theme, form, n])
activity(1, 3, 15, '消费者权益日宣传', '消费者权益保护法', '摆摊', 50)
activity(2, 12, 4, '12月合计分析会', '普法', '会议', 10)
ws.write(3, 0, '综合执法队合计'); ws.write_formula(3, 4, '=SUM(E2:E3)', None, 60)
activity(4, 4, 15, '民法典进村居', '民法典', '讲座', 30)
activity(5, 12, 4, '宪法宣传日', '宪法', '摆摊', 40)
ws.write(6, 0, '司法所小计：2次'); ws.write_formula(6, 4, '=SUM(E5:E6)', None, 70)
ws.write(7, 0, '本镇总计：4次'); ws.write_formula(7, 4, '=E4+E7', None, int(sys.argv[2]))
wb.close()
`;

/**
 * A mediation sheet (openpyxl) whose footer runs on for rows, two cases added below it with a
 * cell forgotten (row 7: 调解结果; row 12: 受理日期), and lines that are the footer's: 制表人 and
 * 审核人 on one row, （盖章）, 填报日期 typed in a cell, a 注, 制表： and 审核： without 人 in two
 * cells, the unit and the date it signed in two cells, the date alone.
 */
const MEDIATION_CASES_UNDER_SIGNATURES = `
import openpyxl, datetime, sys
D = datetime.date
wb = openpyxl.Workbook(); ws = wb.active; ws.title = '调解台账'
ws.append(['序号', '受理日期', '当事人', '纠纷类型', '案件来源', '调解结果', '结案日期'])
for i in range(1, 4):
    ws.append([i, D(2020, i, 3), '张%d、李%d' % (i, i), '邻里纠纷', '村调委会', '调解成功', D(2020, i, 20)])
ws.append(['制表人：王五', None, None, '审核人：李四'])
ws.append(['（盖章）'])
ws.append([4, D(2020, 12, 3), '张四、李四', '邻里纠纷', '村调委会', None, None])
ws.append(['填报日期：2021年1月5日'])
ws.append(['注：本表按受理日期登记'])
ws.append([None, '制表：王五', None, '审核：李四'])
ws.append([None, None, None, None, None, '安定镇司法所', D(2021, 1, 5)])
ws.append([5, None, '张五、李五', '婚姻家庭', '来访', '调解成功', D(2020, 12, 25)])
ws.append([D(2021, 1, 5)])
wb.save(sys.argv[1])
`;

function writeWithPython(file: string, script: string, ...args: string[]): string {
  const path = join(dir, file);
  execFileSync(PYTHON, ['-c', script, path, ...args]);
  return path;
}

async function extractPath(path: string, department = 'justice'): Promise<SheetExtraction[]> {
  const out: SheetExtraction[] = [];
  for await (const sheet of readFile(path)) out.push(extractSheet(sheet, catalog, { year: 2020, department, file: basename(path) }));
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

/**
 * A legal-service sheet (exceljs) with the other label forms: 合计（后安定村） (a village in
 * brackets), 前安定村一季度小计 (a village and a period), 全镇一季度合计 (the town, but one
 * quarter), 本页合计 (one printed page), then 2020年全镇合计 (the whole) and 合计（人次） (a unit
 * in brackets: the whole too). Rows: 1 header, data 2 3 5 7, subtotals 4 6 8 9, totals 10 11.
 */
const LEGAL_SERVICE_LABELS: SheetSpec = {
  name: '公共法律服务',
  header: ['服务日期', '村居', '服务类别', '人次'],
  rows: [
    [D(2020, 1, 5), '后安定村', '法律咨询', 10],
    [D(2020, 2, 5), '后安定村', '法律援助咨询', 5],
    ['合计（后安定村）', null, null, 15],
    [D(2020, 3, 5), '前安定村', '法律咨询', 20],
    ['前安定村一季度小计', null, null, 20],
    [D(2020, 3, 9), '东庄村', '法律咨询', 1],
    ['全镇一季度合计', null, null, 36],
    ['本页合计', null, null, 36],
    ['2020年全镇合计', null, null, 36],
    ['合计（人次）', null, null, 36],
  ],
};

describe('a subtotal named for its group', () => {
  it('is read as a subtotal wherever the clerk wrote it (受理日期 or 序号 column, two cells, after a 序号), and 全镇合计 as the grand total', async () => {
    const x = only(await extractPath(writeWithPython('mediation-village-subtotals.xlsx', MEDIATION_VILLAGE_SUBTOTALS)));
    expect(x.ledger?.id).toBe('mediation');
    expect(rowNumbers(x)).toEqual([3, 4, 6, 7, 9, 11, 13]);
    expect(x.rows[1]?.values['dispute_type']).toBe('关于小计算器采购纠纷');
    expect(x.totals).toEqual([{ field: null, stated: 7, cell: 'F15' }]);
    expect(findingsOf(x)).toEqual([]);
  });

  it('closing a unit (综合执法队合计, 司法所小计：2次, SUM formulas) is a subtotal, and 本镇总计：4次 the grand total compared with the activities', async () => {
    const x = only(await extractPath(writeWithPython('publicity-unit-totals.xlsx', PUBLICITY_UNIT_TOTALS, '130'), 'office'));
    expect(x.ledger?.id).toBe('publicity');
    expect(x.rows.map((r) => r.values['activity'])).toEqual(['消费者权益日宣传', '12月合计分析会', '民法典进村居', '宪法宣传日']);
    expect(x.totals).toEqual([
      { field: 'participants', stated: 130, cell: 'E8' },
      { field: null, stated: 4, cell: 'A8' },
    ]);
    expect(findingsOf(x)).toEqual([]);
  });

  it('in brackets, with a period or for a page is a subtotal; the whole town for the year, or 合计 of a unit, is the grand total', async () => {
    const x = only(await extractWorkbook('legal-service-named-labels.xlsx', [LEGAL_SERVICE_LABELS]));
    expect(x.ledger?.id).toBe('legal_service');
    expect(rowNumbers(x)).toEqual([2, 3, 5, 7]);
    expect(x.totals).toEqual([
      { field: 'visits', stated: 36, cell: 'D10' },
      { field: 'visits', stated: 36, cell: 'D11' },
    ]);
    expect(findingsOf(x)).toEqual([]);
  });
});

/**
 * Ledgers whose name column comes first (exceljs): a contract review 小计算器采购合同 and an
 * activity 合计分析会暨年终总结, whole rows whose first text opens with the word, among others.
 */
const NAMES_FIRST: SheetSpec[] = [
  {
    name: '合法性审查',
    header: ['事项名称', '审查类别', '审查日期', '审查意见'],
    rows: [
      ['小计算器采购合同', '合同', D(2020, 5, 6), '同意'],
      ['村道硬化工程合同', '合同', D(2020, 6, 8), '修改后同意'],
      ['合计', null, null, '共2件'],
    ],
  },
  {
    name: '普法',
    header: ['活动名称', '日期', '形式', '参与人数'],
    rows: [
      ['合计分析会暨年终总结', D(2020, 12, 30), '会议', 30],
      ['宪法宣传日', D(2020, 12, 4), '摆摊', 40],
      ['合计人数', null, null, 70],
    ],
  },
];

describe('a row whose first text opens with 小计 or 合计 and goes on as a name', () => {
  it('is data when the row holds more than counts: 小计算器采购合同, 合计分析会暨年终总结; 合计人数 | 70 stays the total', async () => {
    const [reviews, publicity] = await extractWorkbook('names-first.xlsx', NAMES_FIRST);
    expect(reviews?.rows.map((r) => r.values['item'])).toEqual(['小计算器采购合同', '村道硬化工程合同']);
    expect(reviews?.totals).toEqual([{ field: null, stated: 2, cell: 'D4' }]);
    expect(reviews?.findings).toEqual([]);
    expect(publicity?.rows.map((r) => r.values['activity'])).toEqual(['合计分析会暨年终总结', '宪法宣传日']);
    expect(publicity?.totals).toEqual([{ field: 'participants', stated: 70, cell: 'D4' }]);
    expect(publicity?.findings).toEqual([]);
  });
});

describe('a row whose first text ends in 小计 or 合计', () => {
  it('stays data when it fills the ledger or holds more than counts: 王小计 the officer, a 指标 法律咨询合计 with its 数值, an activity without its date', async () => {
    const [officers, summary, publicity] = await extractWorkbook('names-ending-in-totals.xlsx', [
      {
        name: '执法人员',
        header: ['姓名', '执法证号', '考试日期', '考试结果', '法律职业资格'],
        rows: [
          ['张三', 'A0001', D(2020, 6, 1), '通过', '否'],
          ['王小计', 'A0002', D(2020, 6, 1), '通过', '是'],
        ],
      },
      { name: '年度统计', header: ['指标', '数值', '说明'], rows: [['法律咨询合计', 1200, null]] },
      {
        name: '普法',
        header: ['日期', '活动名称', '宣传主题', '形式', '参与人数'],
        rows: [
          [D(2020, 3, 15), '消费者权益日宣传', '消法', '摆摊', 50],
          [null, '乡村振兴法律合计', '乡村振兴', '讲座', 40],
        ],
      },
    ]);
    expect(officers?.rows.map((r) => r.values['name'])).toEqual(['张三', '王小计']);
    expect(officers?.findings).toEqual([]);
    expect(summary?.rows.map((r) => r.values['indicator'])).toEqual(['法律咨询合计']);
    // Read, so the clerk hears of the missing date, not dropped as a subtotal.
    expect(publicity?.rows.map((r) => r.rowNumber)).toEqual([2, 3]);
    expect(publicity && findingsOf(publicity)).toEqual([{ code: 'cell.required', cell: 'A3' }]);
  });

  it('is a subtotal when a village subtotal names the 服务类别 its rows share (a listed value, no date)', async () => {
    const x = only(
      await extractWorkbook('legal-service-subtotal-with-category.xlsx', [
        {
          name: '公共法律服务',
          header: ['服务日期', '村居', '服务类别', '人次'],
          rows: [
            [D(2020, 1, 5), '后安定村', '法律咨询', 10],
            ['后安定村小计', null, '法律咨询', 10],
          ],
        },
      ]),
    );
    expect(rowNumbers(x)).toEqual([2]);
    expect(findingsOf(x)).toEqual([]);
  });
});

describe('a row under the footer', () => {
  it('that holds a case with a required cell empty is a row.below_footer finding at its row; the footer lines around it are not', async () => {
    const x = only(await extractPath(writeWithPython('mediation-cases-under-signatures.xlsx', MEDIATION_CASES_UNDER_SIGNATURES)));
    expect(x.ledger?.id).toBe('mediation');
    expect(rowNumbers(x)).toEqual([2, 3, 4]);
    expect(findingsOf(x)).toEqual([
      { code: 'row.below_footer', cell: '7' },
      { code: 'row.below_footer', cell: '12' },
    ]);
    const [first, second] = x.findings;
    expect(first?.level).toBe('错误');
    expect(first?.expected).toBe('调解结果');
    expect(first?.message).toBe(
      '第 7 行在表尾落款（第 5 行“制表人：王五”）的下方，必填项“调解结果”为空，这一行没有读取，未计入统计。' +
        '如果这是一条台账记录，请把它移到填报人、审核人、盖章等落款行的上方，并补填必填项；如果不是台账记录，请删除这一行。',
    );
    expect(second?.expected).toBe('受理日期');
  });

  it('written by exceljs: a service added under 填报人 with no 服务类别 is said, a whole one is read, a name and a 填报日期 are not said', async () => {
    const x = only(
      await extractWorkbook('legal-service-row-under-footer.xlsx', [
        {
          name: '公共法律服务',
          header: ['服务日期', '村居', '服务类别', '人次'],
          total: { position: 'top', cells: ['合计', null, null, 42] },
          rows: [
            [D(2020, 1, 5), '后安定村', '法律咨询', 10],
            [D(2020, 2, 5), '前安定村', '法律咨询', 20],
            ['填报人：张三', null, '审核人：李四'],
            [D(2020, 12, 28), '后安定村', null, 12],
            [D(2020, 12, 29), '前安定村', '法律咨询', 12],
            [null, '张三', null, '李四'],
            ['安定镇司法所', null, '2021年1月5日'],
          ],
        },
      ]),
    );
    expect(rowNumbers(x)).toEqual([3, 4, 7]);
    expect(findingsOf(x)).toEqual([{ code: 'row.below_footer', cell: '6' }]);
    expect(x.findings[0]?.message).toContain('必填项“服务类别”为空');
  });
});

describe('a whole run', () => {
  it('counts no named subtotal, compares 本镇总计 with the activities, and finds nothing false', async () => {
    const run = await scenarios.run('named-subtotals', {
      roster: [
        { code: 'justice', owes: ['mediation', 'legal_service'] },
        { code: 'office', owes: ['publicity'] },
        { code: 'counsel', owes: ['legality_review'] },
      ],
      files: {
        'counsel/names-first.xlsx': [NAMES_FIRST[0] as SheetSpec],
        'justice/mediation-village-subtotals.xlsx': { write: async (path) => void execFileSync(PYTHON, ['-c', MEDIATION_VILLAGE_SUBTOTALS, path]) },
        'justice/legal-service-named-labels.xlsx': [LEGAL_SERVICE_LABELS],
        // 本镇总计 says 140 where the four activities hold 130 people.
        'office/publicity-unit-totals.xlsx': { write: async (path) => void execFileSync(PYTHON, ['-c', PUBLICITY_UNIT_TOTALS, path, '140']) },
      },
    });
    expect(run.findings.map((f) => `${f.code} ${f.file ?? ''} ${f.cell ?? ''} ${f.expected ?? ''} ${f.actual ?? ''}`)).toEqual([
      'sheet.total_mismatch office/publicity-unit-totals.xlsx E8 130 140',
    ]);
    expect(run.indicator('service.disputes_resolved').value).toBe(6);
    expect(run.indicator('service.consultations').value).toBe(31);
    expect(run.indicator('service.aid_consultations').value).toBe(5);
    expect(run.indicator('publicity.events').value).toBe(4);
    expect(run.indicator('decision.contract_reviews').value).toBe(2);
  });

  it('says which rows under the footer were not counted, and counts the cases above it', async () => {
    const run = await scenarios.run('mediation-cases-under-signatures', {
      roster: [{ code: 'justice', owes: ['mediation'] }],
      files: {
        'justice/mediation-cases-under-signatures.xlsx': { write: async (path) => void execFileSync(PYTHON, ['-c', MEDIATION_CASES_UNDER_SIGNATURES, path]) },
      },
    });
    expect(run.findings.map((f) => `${f.code} ${f.level} ${f.sheet ?? ''} ${f.cell ?? ''} ${f.ledger ?? ''}`)).toEqual([
      'row.below_footer 错误 调解台账 7 mediation',
      'row.below_footer 错误 调解台账 12 mediation',
    ]);
    expect(run.indicator('service.disputes_resolved').value).toBe(3);
  });
});
