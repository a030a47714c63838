/**
 * A block of rows pasted again inside one sheet (sheet.pasted_block, sql/checks/ and the run
 * table `pasted_blocks` of pipeline/kernel/db/pasted-blocks.ts): one 错误 on the sheet that says
 * which rows were pasted again, where and how often, with the figure 有错误 and its value what the
 * rows say; not a row.duplicate warning per copied row. Two identical rows, or rows repeated here
 * and there, stay row.duplicate. Workbooks written as clerks make them (exceljs, openpyxl) and
 * CSV, each run on its own DuckDB file.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { CellInput, SheetSpec } from '../demo/ledger-workbook.ts';
import { PYTHON, pythonWith } from './support/python.ts';
import { day, useScenarios, type InboxFile } from './support/scenario.ts';

const scenarios = useScenarios({ outputs: false });
const withPython = pythonWith(['openpyxl'], 'pasted blocks written by openpyxl');

/** A workbook written by a Python script given the path (`sys.argv[1]`). */
const python = (script: string): InboxFile => ({ write: async (path) => void execFileSync(PYTHON, ['-c', script, path]) });

const MEDIATION = ['序号', '受理日期', '当事人', '纠纷类型', '调解结果', '结案日期'];
const justiceOwesMediation = [{ code: 'justice', owes: ['mediation'] }];
const iso = (d: Date) => d.toISOString().slice(0, 10);

/** Mediation number `i` (distinct parties), closed in 2020; 序号 is given by its place. */
function mediation(i: number): CellInput[] {
  const month = (i % 12) + 1;
  return [day(2020, month, 3), `张${i}与李${i}`, '邻里纠纷', '调解成功', day(2020, month, 18)];
}

/** The mediations `ids` in that order, 序号 numbered on 1, 2, 3 … as a clerk's sheet has it. */
function numbered(ids: readonly number[]): CellInput[][] {
  return ids.map((id, n) => [n + 1, ...mediation(id)]);
}

/** The same as CSV rows, header first. */
function csv(ids: readonly number[]): (string | number)[][] {
  return [MEDIATION, ...numbered(ids).map((r) => r.map((v) => (v instanceof Date ? iso(v) : (v as string | number))))];
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const times = <T>(n: number, ids: readonly T[]): T[] => Array.from({ length: n }, () => ids).flat();

function mediationSheet(name: string, ids: readonly number[]): SheetSpec {
  return { name, title: `安定镇2020年人民调解台账（${name}）`, header: MEDIATION, rows: numbered(ids) };
}

const END = '这些行被重复计数，《人民调解台账》的数字因此偏大。请删除重复粘贴的行，只保留一份。';

describe('sheet.pasted_block', () => {
  it('reports a block of 10 mediations pasted 20 times (exceljs) once, at the sheet, and the figure 有错误 at its full count', async () => {
    const path = 'justice/人民调解台账.xlsx';
    const run = await scenarios.run('mediation-block-pasted-twenty-times-xlsx', {
      roster: justiceOwesMediation,
      files: { [path]: [mediationSheet('调解', times(20, range(1, 10)))] },
    });
    // Title row 1, header row 2: the block is rows 3–12, its 19 copies rows 13–202.
    expect(run.findingsOf('sheet.pasted_block')).toEqual([
      {
        level: '错误',
        code: 'sheet.pasted_block',
        department: 'justice',
        file: path,
        sheet: '调解',
        cell: null,
        ledger: 'mediation',
        message: `第3–12行（共10行）在本工作表中又重复粘贴了19次（第13–202行），${END}`,
        expected: '每件事只登记一次',
        actual: '190 行重复粘贴',
      },
    ]);
    expect(run.findingsOf('row.duplicate')).toEqual([]);
    expect(run.findings.filter((f) => f.code !== 'sheet.pasted_block')).toEqual([]);
    // The figure is what the rows say (never silently short), and it cannot be trusted.
    expect(run.indicator('service.disputes_resolved')).toMatchObject({ value: 200, status: '有错误' });
  });

  it.runIf(withPython)('reports five rows pasted once at the end of the sheet (openpyxl)', async () => {
    const path = 'justice/调解台账-粘贴一次.xlsx';
    const script = `
import sys, datetime, openpyxl
wb = openpyxl.Workbook(); ws = wb.active; ws.title = 'Sheet1'
ws.append(${JSON.stringify(MEDIATION)})
def row(i):
    m = i % 12 + 1
    return [datetime.date(2020, m, 3), '张%d与李%d' % (i, i), '邻里纠纷', '调解成功', datetime.date(2020, m, 18)]
ids = list(range(1, 11)) + [3, 4, 5, 6, 7]
for n, i in enumerate(ids): ws.append([n + 1] + row(i))
wb.save(sys.argv[1])
`;
    const run = await scenarios.run('mediation-five-rows-pasted-once', { roster: justiceOwesMediation, files: { [path]: python(script) } });
    const found = run.findingsOf('sheet.pasted_block');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ level: '错误', file: path, sheet: 'Sheet1', cell: null, actual: '5 行重复粘贴' });
    expect(found[0]?.message).toBe(`第4–8行（共5行）在本工作表中又重复粘贴了1次（第12–16行），${END}`);
    expect(run.findingsOf('row.duplicate')).toEqual([]);
    expect(run.indicator('service.disputes_resolved')).toMatchObject({ value: 15, status: '有错误' });
  });

  it.runIf(withPython)('counts copies with blank rows and a 小计 row between them as one run (openpyxl, 公共法律服务台账)', async () => {
    const path = 'justice/公共法律服务台账.xlsx';
    // A block of four consultations (rows 2–5), a blank row, a copy (7–10), a 小计 row, a copy
    // (12–15), two blank rows, a copy (18–21).
    const script = `
import sys, datetime, openpyxl
wb = openpyxl.Workbook(); ws = wb.active; ws.title = '一季度'
ws.append(['日期', '村居', '服务类别', '人次'])
block = [[datetime.date(2020, 1, 6), '安定村', '法律咨询', 12], [datetime.date(2020, 1, 9), '前野厂村', '法律咨询', 7],
         [datetime.date(2020, 2, 4), '后安定村', '法律援助咨询', 3], [datetime.date(2020, 3, 2), '西芦各庄村', '法律咨询', 9]]
def put(rows):
    for r in rows:
        ws.append(r)
        ws.cell(row=ws.max_row, column=1).number_format = 'yyyy-mm-dd'
put(block); ws.append([]); put(block); ws.append(['小计', None, None, 31]); put(block)
ws.append([]); ws.append([]); put(block)
wb.save(sys.argv[1])
`;
    const run = await scenarios.run('legal-service-block-pasted-between-blank-and-subtotal-rows', {
      roster: [{ code: 'justice', owes: ['legal_service'] }],
      files: { [path]: python(script) },
    });
    const found = run.findingsOf('sheet.pasted_block');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ sheet: '一季度', ledger: 'legal_service', actual: '12 行重复粘贴' });
    expect(found[0]?.message).toBe(
      '第2–5行（共4行）在本工作表中又重复粘贴了3次（第7–21行），这些行被重复计数，《公共法律服务台账》的数字因此偏大。请删除重复粘贴的行，只保留一份。',
    );
    expect(run.findingsOf('row.duplicate')).toEqual([]);
    expect(run.indicator('service.consultations')).toMatchObject({ value: 4 * 28, status: '有错误' });
  });

  it('leaves two identical rows, and rows repeated here and there, to row.duplicate (CSV)', async () => {
    const path = 'justice/调解台账.csv';
    // Mediations 1–12, then 2, 6 and 4 again: three repeated rows side by side, but not in the
    // order of any three rows above them; and mediation 9 twice in a row (two identical rows).
    const ids = [...range(1, 9), 9, 10, 11, 12, 2, 6, 4];
    const run = await scenarios.run('mediation-rows-repeated-here-and-there', { roster: justiceOwesMediation, files: { [path]: { csv: csv(ids) } } });
    expect(run.findingsOf('sheet.pasted_block')).toEqual([]);
    const duplicates = run.findingsOf('row.duplicate');
    expect(duplicates.map((f) => [f.cell, f.level])).toEqual([
      ['11', '警告'],
      ['15', '警告'],
      ['16', '警告'],
      ['17', '警告'],
    ]);
    expect(duplicates[1]?.message).toMatch(new RegExp(`^此行与 ${path} 调解台账 第3行 完全相同`));
    expect(run.indicator('service.disputes_resolved')).toMatchObject({ value: ids.length, status: '有警告' });
  });

  it('reports a keyed ledger block pasted twice once, not a row.duplicate_key per case, and keeps a case number given twice', async () => {
    const path = 'enforcement/行政处罚案件台账.xlsx';
    const header = ['案件编号', '立案日期', '当事人', '案由', '法制审核日期', '是否重大执法决定', '决定日期', '罚款金额(元)'];
    const penalty = (n: number, party = `某商户${n}`): CellInput[] => [
      `安综执罚〔2020〕${n}号`, day(2020, 1 + (n % 12), 2), party, '占道经营', day(2020, 1 + (n % 12), 5), '否', day(2020, 1 + (n % 12), 8), 100 * n,
    ];
    // Cases 1–8 (rows 3–10), cases 3–6 pasted twice (rows 11–18), case 20, and case 7's number
    // given again to another party (row 20): that one is row.duplicate_key.
    const rows = [...range(1, 8).map((n) => penalty(n)), ...times(2, range(3, 6)).map((n) => penalty(n)), penalty(20), penalty(7, '另一商户')];
    const run = await scenarios.run('penalty-block-pasted-twice', {
      roster: [{ code: 'enforcement', owes: ['penalty'] }],
      files: { [path]: [{ name: '处罚案件', title: '行政处罚案件台账', header, rows }] },
    });
    const found = run.findingsOf('sheet.pasted_block');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ level: '错误', sheet: '处罚案件', ledger: 'penalty', actual: '8 行重复粘贴' });
    expect(found[0]?.message).toBe(
      '第5–8行（共4行）在本工作表中又重复粘贴了2次（第11–18行），这些行被重复计数，《行政处罚案件台账》的数字因此偏大。请删除重复粘贴的行，只保留一份。',
    );
    expect(run.findingsOf('row.duplicate_key').map((f) => f.cell)).toEqual(['A20']);
    expect(run.indicator('enforcement.penalty_reviews')).toMatchObject({ value: rows.length, status: '有错误' });
  });

  it('reports a block pasted ten times after other rows as one range (CSV)', async () => {
    const path = 'justice/调解台账-隔行后粘贴十次.csv';
    // Mediations 1–5 (rows 2–6), 6 and 7, then 1–5 ten times (rows 9–58): the first copy lies 7
    // rows below the block, each other copy 5 rows below the one before.
    const run = await scenarios.run('mediation-block-pasted-ten-times-after-other-rows', {
      roster: justiceOwesMediation,
      files: { [path]: { csv: csv([...range(1, 7), ...times(10, range(1, 5))]) } },
    });
    expect(run.findingsOf('sheet.pasted_block').map((f) => [f.message, f.actual])).toEqual([
      [`第2–6行（共5行）在本工作表中又重复粘贴了10次（第9–58行），${END}`, '50 行重复粘贴'],
    ]);
    expect(run.findingsOf('row.duplicate')).toEqual([]);
  });

  it('names the first three places of a block pasted five times, and each block pasted (CSV)', async () => {
    const path = 'justice/调解台账-多处粘贴.csv';
    // Block A = mediations 1–3 (rows 2–4); it comes again after each of mediations 4–8, at rows
    // 6–8, 10–12, 14–16, 18–20, 22–24; block B = mediations 30–32 (rows 25–27) comes again at 28–30.
    const ids = [...range(1, 3), ...range(4, 8).flatMap((n) => [n, 1, 2, 3]), 30, 31, 32, 30, 31, 32];
    const run = await scenarios.run('mediation-blocks-pasted-in-many-places', { roster: justiceOwesMediation, files: { [path]: { csv: csv(ids) } } });
    const found = run.findingsOf('sheet.pasted_block');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ actual: '18 行重复粘贴' });
    expect(found[0]?.message).toBe(
      '本工作表中有 2 组行被重复粘贴：第2–4行（共3行）又重复粘贴了5次（第6–8行、第10–12行、第14–16行等 5 处）；' +
        `第25–27行（共3行）又重复粘贴了1次（第28–30行），${END}`,
    );
    expect(run.findingsOf('row.duplicate')).toEqual([]);
  });

  it('finds a block that holds two identical rows pasted again, and leaves its own pair to row.duplicate (CSV)', async () => {
    const path = 'justice/调解台账-块内有重复.csv';
    // Mediations 1, 2, 2, 3, 4 (rows 2–6), pasted twice after them (rows 7–16).
    const run = await scenarios.run('mediation-block-with-a-pair-pasted', {
      roster: justiceOwesMediation,
      files: { [path]: { csv: csv(times(3, [1, 2, 2, 3, 4])) } },
    });
    expect(run.findingsOf('sheet.pasted_block').map((f) => f.message)).toEqual([`第2–6行（共5行）在本工作表中又重复粘贴了2次（第7–16行），${END}`]);
    expect(run.findingsOf('row.duplicate').map((f) => f.cell)).toEqual(['4']);
  });

  it('reports only the rows of a copy that equal the block: a copy with one cell edited (exact rows only)', async () => {
    const path = 'justice/调解台账-改了一格.csv';
    // Mediations 1–7 (rows 2–8), pasted once (rows 9–15) with the third row's parties edited:
    // rows 12–15 are a copy of rows 5–8; rows 9–10, two rows, stay row.duplicate.
    const rows = csv([...range(1, 7), ...range(1, 7)]);
    const edited = rows[10];
    if (edited !== undefined) edited[2] = '王3与赵3';
    const run = await scenarios.run('mediation-copy-with-one-cell-edited', { roster: justiceOwesMediation, files: { [path]: { csv: rows } } });
    const found = run.findingsOf('sheet.pasted_block');
    expect(found.map((f) => f.message)).toEqual([`第5–8行（共4行）在本工作表中又重复粘贴了1次（第12–15行），${END}`]);
    expect(run.findingsOf('row.duplicate').map((f) => f.cell)).toEqual(['9', '10']);
  });

  it('leaves three rows copied into another sheet to row.duplicate, and names the first sheet in tab order', async () => {
    const path = 'justice/调解台账-两个月.xlsx';
    // Tab order: 二月 before 一月 (a name order would put 一月 first). 一月 copies three of 二月's
    // ten rows: under half a sheet, so no sheet.overlapping_sheets, and not inside one sheet.
    const run = await scenarios.run('mediation-three-rows-copied-into-another-sheet', {
      roster: justiceOwesMediation,
      files: { [path]: [mediationSheet('二月', range(1, 10)), mediationSheet('一月', [...range(21, 30), 4, 5, 6])] },
    });
    expect(run.findingsOf('sheet.pasted_block')).toEqual([]);
    expect(run.findingsOf('sheet.overlapping_sheets')).toEqual([]);
    const duplicates = run.findingsOf('row.duplicate');
    expect(duplicates.map((f) => [f.sheet, f.cell])).toEqual([
      ['一月', '13'],
      ['一月', '14'],
      ['一月', '15'],
    ]);
    expect(duplicates[0]?.message).toMatch(new RegExp(`^此行与 ${path} 二月 第6行 完全相同`));
  });
});

describe('a sheet with columns tally does not read', () => {
  it('nine consultations of a 集中服务日 going round three villages, each with its own 咨询人, are no pasted block', async () => {
    const path = 'justice/公共法律服务台账-集中服务日.xlsx';
    const villages = ['后安定村', '前安定村', '西庄村'];
    const rows: CellInput[][] = Array.from({ length: 9 }, (_, i) => [i + 1, day(2020, 3, 15), villages[i % 3] ?? '', `咨询人${i + 1}`, '法律咨询', 1]);
    const run = await scenarios.run('legal-service-day-round-three-villages', {
      roster: [{ code: 'justice', owes: ['legal_service'] }],
      files: { [path]: [{ name: '3月', header: ['序号', '日期', '村居', '咨询人', '服务类别', '人次'], rows }] },
    });
    expect(run.findingsOf('sheet.pasted_block')).toEqual([]);
    // What tally reads of them is alike: a warning to confirm, as before pasted blocks.
    expect(run.findingsOf('row.duplicate').length).toBe(6);
    expect(run.indicator('service.consultations')).toMatchObject({ value: 9, status: '有警告' });
  });
});
