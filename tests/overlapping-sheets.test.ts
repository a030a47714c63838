/**
 * A sheet that repeats other sheets of its ledger (sheet.overlapping_sheets, sql/checks/ and the
 * run table `sheet_overlaps` of pipeline/kernel/db/run-tables.ts): a 全年 sheet that copies
 * 一季度…四季度 doubles the figure, and is one 错误 on that sheet naming the sheets it repeats,
 * not a warning per row. Workbooks written as clerks make them: the quarters pasted into a 全年
 * sheet (openpyxl), a 全年 sheet of formulas `='一季度'!A3` with their values (XlsxWriter), a
 * sheet copied in its workbook (exceljs); each run on its own DuckDB file.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { CellInput, SheetSpec } from '../demo/ledger-workbook.ts';
import { PYTHON, pythonWith } from './support/python.ts';
import { day, useScenarios, type InboxFile } from './support/scenario.ts';

const scenarios = useScenarios({ outputs: false });
const withPython = pythonWith(['openpyxl', 'xlsxwriter'], 'overlapping sheets written by openpyxl and XlsxWriter');

/** A workbook written by a Python script given the path (`sys.argv[1]`). */
const python = (script: string): InboxFile => ({ write: async (path) => void execFileSync(PYTHON, ['-c', script, path]) });

/**
 * 执法公示台账 of 61 disclosures: a 全年 sheet in front holding the four quarters pasted one after
 * another (序号 renumbered 1…61), then 一季度 (16 rows) … 四季度 (15 rows), each with a title row.
 */
const YEAR_SHEET_PASTED = `
import sys, datetime, openpyxl
H = ['序号', '公示日期', '公示类别', '公示内容']
def put(ws, title, rows):
    ws.append([title]); ws.append(H)
    for i, r in enumerate(rows): ws.append([i + 1] + r)
    for (c,) in ws.iter_rows(min_row=3, min_col=2, max_col=2): c.number_format = 'yyyy-mm-dd'
rows = [[datetime.date(2020, 1 + i % 12, 1 + i // 12), ['事前公示', '事中公示', '事后公示'][i % 3], '公示事项%d' % (i + 1)] for i in range(61)]
wb = openpyxl.Workbook(); year = wb.active; year.title = '全年'
pasted = []
for q in range(4):
    part = [r for r in rows if (r[0].month - 1) // 3 == q]
    put(wb.create_sheet('一二三四'[q] + '季度'), '2020年第%s季度执法公示台账' % '一二三四'[q], part)
    pasted += part
put(year, '2020年执法公示台账（全年）', pasted)
wb.save(sys.argv[1])
`;

/**
 * 行政处罚案件台账 of 40 cases in four quarter sheets, and in front a 全年汇总 sheet whose every
 * cell is a formula pointing at a quarter's cell (='一季度'!A3), saved with its value.
 */
const YEAR_SHEET_OF_FORMULAS = `
import sys, datetime, xlsxwriter
H = ['案件编号', '立案日期', '当事人', '案由', '法制审核日期', '是否重大执法决定', '决定日期', '罚款金额(元)']
DATES = (1, 4, 6)
def serial(d): return (d - datetime.date(1899, 12, 30)).days
cases = []
for n in range(1, 41):
    filed = datetime.date(2020, 1 + (n - 1) * 12 // 40, 1 + n % 20)
    cases.append(['安综执罚〔2020〕%d号' % n, filed, '某商户%d' % n, '占道经营', filed + datetime.timedelta(days=3), '否', filed + datetime.timedelta(days=5), 100 * n])
wb = xlsxwriter.Workbook(sys.argv[1])
date = wb.add_format({'num_format': 'yyyy-mm-dd'})
year = wb.add_worksheet('全年汇总')
year.write_row(0, 0, ['行政处罚案件台账（全年）']); year.write_row(1, 0, H)
r = 2
for q in range(4):
    name = '一二三四'[q] + '季度'
    ws = wb.add_worksheet(name)
    ws.write_row(0, 0, [name + '行政处罚案件']); ws.write_row(1, 0, H)
    part = [c for c in cases if (c[1].month - 1) // 3 == q]
    for i, case in enumerate(part):
        for c, v in enumerate(case):
            if c in DATES: ws.write_datetime(2 + i, c, datetime.datetime.combine(v, datetime.time()), date)
            else: ws.write(2 + i, c, v)
            ref = "='%s'!%s" % (name, xlsxwriter.utility.xl_rowcol_to_cell(2 + i, c))
            if c in DATES: year.write_formula(r, c, ref, date, serial(v))
            else: year.write_formula(r, c, ref, None, v)
        r += 1
wb.close()
`;

const LEGAL_SERVICE = ['日期', '村居', '服务类别', '人次'];
const VILLAGES = ['安定村', '前野厂村', '后安定村', '西芦各庄村', '东芦各庄村'];

/** Legal-service rows of one month, each of another village or day. */
function serviceRows(month: number, n: number, from = 0): CellInput[][] {
  return Array.from({ length: n }, (_, i) => [day(2020, month, 1 + from + i), VILLAGES[(from + i) % VILLAGES.length] ?? '', '法律咨询', 10 + from + i]);
}

function serviceSheet(name: string, rows: CellInput[][]): SheetSpec {
  return { name, title: `安定镇2020年公共法律服务台账（${name}）`, header: LEGAL_SERVICE, rows };
}

describe('sheet.overlapping_sheets', () => {
  it.runIf(withPython)('reports a 全年 sheet that repeats 一季度…四季度 once, naming them, and the figure 有错误, with no row.duplicate', async () => {
    const path = 'enforcement/执法公示台账-全年加四个季度.xlsx';
    const run = await scenarios.run('disclosure-year-sheet-pasted-from-quarters', {
      roster: [{ code: 'enforcement', owes: ['disclosure'] }],
      files: { [path]: python(YEAR_SHEET_PASTED) },
    });
    const found = run.findingsOf('sheet.overlapping_sheets');
    expect(found).toEqual([
      {
        level: '错误',
        code: 'sheet.overlapping_sheets',
        department: 'enforcement',
        file: path,
        sheet: '全年',
        cell: null,
        ledger: 'disclosure',
        message:
          '工作表“全年”共 61 行，其中 61 行与工作表“一季度”、“二季度”、“三季度”、“四季度”中的行相同（序号除外），这些行被计数了两次，' +
          '《执法公示台账》的数字因此偏大。“全年”看起来是其他工作表的汇总或副本，而同一件事只能登记一次：请删除工作表“全年”，' +
          '或删除工作表“一季度”、“二季度”、“三季度”、“四季度”，只保留一份。',
        expected: '每件事只登记一次',
        actual: '61 行重复',
      },
    ]);
    expect(run.findingsOf('row.duplicate')).toEqual([]);
    expect(run.findings.filter((f) => f.code !== 'sheet.overlapping_sheets')).toEqual([]);
    expect(run.indicator('enforcement.disclosures')).toMatchObject({ value: 122, status: '有错误' });
  });

  it.runIf(withPython)('reports a 全年汇总 sheet of formulas over the quarters of a keyed ledger once, not as a row.duplicate_key per case', async () => {
    const path = 'enforcement/行政处罚案件台账.xlsx';
    const run = await scenarios.run('penalty-year-sheet-of-formulas', {
      roster: [{ code: 'enforcement', owes: ['penalty'] }],
      files: { [path]: python(YEAR_SHEET_OF_FORMULAS) },
    });
    const found = run.findingsOf('sheet.overlapping_sheets');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ level: '错误', file: path, sheet: '全年汇总', cell: null, ledger: 'penalty', actual: '40 行重复' });
    expect(found[0]?.message).toMatch(/^工作表“全年汇总”共 40 行，其中 40 行与工作表“一季度”、“二季度”、“三季度”、“四季度”中的行相同/);
    expect(found[0]?.message).toContain('《行政处罚案件台账》的数字因此偏大');
    expect(run.findingsOf('row.duplicate_key')).toEqual([]);
    expect(run.indicator('enforcement.penalty_reviews')).toMatchObject({ value: 80, status: '有错误' });
  });

  it('reports a sheet copied in its workbook on the later tab, and leaves a month that shares 4 of its 10 rows to row.duplicate', async () => {
    const january = serviceRows(1, 10);
    // February repeats four rows of January (under the threshold: half of the smaller sheet).
    const february = [...serviceRows(1, 4), ...serviceRows(2, 6)];
    const path = 'justice/公共法律服务台账.xlsx';
    const run = await scenarios.run('legal-service-sheet-copied-in-workbook', {
      roster: [{ code: 'justice', owes: ['legal_service'] }],
      files: { [path]: [serviceSheet('1月', january), serviceSheet('2月', february), serviceSheet('1月 (2)', january)] },
    });
    const found = run.findingsOf('sheet.overlapping_sheets');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ file: path, sheet: '1月 (2)', ledger: 'legal_service' });
    expect(found[0]?.message).toMatch(/^工作表“1月 \(2\)”共 10 行，其中 10 行与工作表“1月”中的行相同（序号除外）/);
    expect(found[0]?.message).toContain('请删除工作表“1月 (2)”，或删除工作表“1月”，只保留一份。');
    // February's four rows are still reported one by one, each pointing at January (not at its copy).
    const duplicates = run.findingsOf('row.duplicate');
    expect(duplicates.map((f) => f.sheet)).toEqual(['2月', '2月', '2月', '2月']);
    expect(duplicates.every((f) => f.message.startsWith(`此行与 ${path} 1月 第`))).toBe(true);
    const visits = (rows: CellInput[][]) => rows.reduce((sum, r) => sum + Number(r[3]), 0);
    expect(run.indicator('service.consultations')).toMatchObject({ value: 2 * visits(january) + visits(february), status: '有错误' });
  });

  it('reports a sheet of one file that repeats a sheet of another, when the two files do not overlap as files', async () => {
    const copied = serviceRows(3, 10);
    const run = await scenarios.run('legal-service-sheet-copied-into-another-file', {
      roster: [{ code: 'justice', owes: ['legal_service'] }],
      files: {
        'justice/a-上半年.xlsx': [serviceSheet('3月', copied), serviceSheet('4月', serviceRows(4, 25))],
        'justice/b-下半年.xlsx': [serviceSheet('3月补录', copied), serviceSheet('9月', serviceRows(9, 25))],
      },
    });
    const found = run.findingsOf('sheet.overlapping_sheets');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ file: 'justice/b-下半年.xlsx', sheet: '3月补录', actual: '10 行重复' });
    expect(found[0]?.message).toContain('其中 10 行与工作表“3月”（文件 justice/a-上半年.xlsx）中的行相同');
    expect(run.findingsOf('dept.overlapping_files')).toEqual([]);
    expect(run.findingsOf('row.duplicate')).toEqual([]);
  });

  it.runIf(withPython)('leaves two copies of a whole workbook to dept.overlapping_files, and reports the 全年 sheet of each', async () => {
    const run = await scenarios.run('disclosure-workbook-and-its-copy', {
      roster: [{ code: 'enforcement', owes: ['disclosure'] }],
      files: {
        'enforcement/执法公示台账.xlsx': python(YEAR_SHEET_PASTED),
        'enforcement/执法公示台账（修改）.xlsx': python(YEAR_SHEET_PASTED),
      },
    });
    expect(run.findingsOf('dept.overlapping_files').map((f) => f.file)).toEqual(['enforcement/执法公示台账（修改）.xlsx']);
    // Each workbook's 全年 repeats its own quarters; no pair of sheets of the two files is reported.
    const found = run.findingsOf('sheet.overlapping_sheets');
    expect(found.map((f) => [f.file, f.sheet])).toEqual([
      ['enforcement/执法公示台账.xlsx', '全年'],
      ['enforcement/执法公示台账（修改）.xlsx', '全年'],
    ]);
    expect(found.every((f) => !f.message.includes('文件 '))).toBe(true);
    expect(run.findingsOf('row.duplicate')).toEqual([]);
  });
});
