/**
 * Every check code of contract §4: each scenario plants exactly one mistake in an otherwise
 * valid generated workbook (named after the mistake), runs the whole pipeline, and asserts the
 * finding's code, level, department, file, sheet and cell, the cell computed from the layout.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { a1, layoutOf, writeLedgerWorkbook, type CellInput, type SheetSpec } from '../demo/ledger-workbook.ts';
import { DEMO_CONFIG, loadConfig } from '../pipeline/kernel/config/config.ts';
import { openDatabase } from '../pipeline/kernel/db/open-database.ts';
import type { CheckCode, Finding, Level } from '../pipeline/kernel/findings/findings.ts';
import { loadChecks, runCheck } from '../pipeline/kernel/sql-catalog.ts';
import { day, useScenarios, type ScenarioRun, type ScenarioSpec } from './support/scenario.ts';

// What the checks find, not the files a run writes (tests/e2e.test.ts and others cover those).
const scenarios = useScenarios({ outputs: false });

// ---- Ledger sheets, valid unless a test changes one cell ---------------------------------

const MEDIATION = ['序号', '受理日期', '当事人', '纠纷类型', '调解结果', '结案日期'];
// With 整改意见建议 (blank: none received): a sheet without it would leave 整改意见、建议 short
// (header.missing_figure_column).
const LITIGATION = ['案号', '案件类别', '收案日期', '申请人/原告', '负责人出庭', '出庭负责人', '结案日期', '结果', '整改意见建议'];
const PENALTY = ['案件编号', '立案日期', '当事人', '法制审核日期', '是否重大执法决定', '集体讨论日期', '决定日期'];
const LEGAL_SERVICE = ['日期', '村居', '服务类别', '人次'];
const LEGAL_AID = ['案件编号', '受理日期', '受援人', '结案日期'];
const PUBLICITY = ['日期', '活动名称', '形式', '参与人数'];
const DISCLOSURE = ['序号', '公示日期', '公示类别', '公示内容'];
const SUMMARY = ['指标', '数值', '说明'];

/** Successful mediations of 2020, received on the 5th, closed on the 20th of a month. */
function mediationRows(n: number): CellInput[][] {
  return Array.from({ length: n }, (_, i) => [
    String(i + 1),
    day(2020, (i % 12) + 1, 5),
    `张${i + 1}与李${i + 1}`,
    '邻里纠纷',
    '调解成功',
    day(2020, (i % 12) + 1, 20),
  ]);
}

function mediationSheet(rows: CellInput[][], extra: Partial<SheetSpec> = {}): SheetSpec {
  return { name: '调解台账', title: '安定镇2020年人民调解台账', header: MEDIATION, rows, ...extra };
}

function litigationSheet(rows: CellInput[][]): SheetSpec {
  return { name: '应诉台账', title: '安定镇2020年行政复议应诉案件台账', header: LITIGATION, rows };
}

function lawsuit(n: number, overrides: Partial<Record<string, CellInput>> = {}): CellInput[] {
  return fromRecord(LITIGATION, {
    案号: `(2020)京0115行初${n}号`,
    案件类别: '行政诉讼',
    收案日期: day(2020, 3, n),
    '申请人/原告': `原告${n}`,
    负责人出庭: '是',
    出庭负责人: '王镇长',
    结案日期: day(2020, 9, n),
    结果: '驳回',
    ...overrides,
  });
}

function penaltyRow(n: number, overrides: Partial<Record<string, CellInput>> = {}): CellInput[] {
  return fromRecord(PENALTY, {
    案件编号: `安综执罚〔2020〕${n}号`,
    立案日期: day(2020, 4, n),
    当事人: `某商户${n}`,
    法制审核日期: day(2020, 4, n + 3),
    是否重大执法决定: '否',
    集体讨论日期: null,
    决定日期: day(2020, 4, n + 5),
    ...overrides,
  });
}

function penaltySheet(name: string, rows: CellInput[][]): SheetSpec {
  return { name, title: '安定镇综合执法队行政处罚案件台账', header: PENALTY, rows };
}

function legalServiceSheet(rows: CellInput[][], extra: Partial<SheetSpec> = {}): SheetSpec {
  return { name: '法律服务', title: '安定镇2020年公共法律服务台账', header: LEGAL_SERVICE, rows, ...extra };
}

function publicitySheet(rows: CellInput[][]): SheetSpec {
  return { name: '普法宣传', title: '2020年普法宣传活动台账', header: PUBLICITY, rows };
}

function fromRecord(header: readonly string[], record: Partial<Record<string, CellInput>>): CellInput[] {
  return header.map((h) => record[h] ?? null);
}

/** A copy of the rows with one cell replaced. */
function withCell(header: readonly string[], rows: CellInput[][], i: number, column: string, value: CellInput): CellInput[][] {
  const c = header.indexOf(column);
  if (c < 0) throw new Error(`no column ${column}`);
  return rows.map((r, j) => (j === i ? r.map((v, k) => (k === c ? value : v)) : r));
}

/** The A1 address where `rows[i]`'s cell under `column` lands. */
function cellOf(spec: SheetSpec, i: number, column: string): string {
  const layout = layoutOf(spec);
  return a1(layout.columnOf(column), layout.rowOfData(i));
}

interface Place {
  readonly department: string | null;
  readonly file: string | null;
  readonly sheet: string | null;
  readonly cell: string | null;
}

/** Exactly one finding of the code, at that place, with that level. */
function expectOneFinding(run: ScenarioRun, code: CheckCode, level: Level, place: Place): Finding {
  const found = run.findingsOf(code);
  expect(found, JSON.stringify(found, null, 1)).toHaveLength(1);
  expect(found[0]).toMatchObject({ code, level, ...place });
  return found[0] as Finding;
}

/** Findings other than the codes the scenario is about: an otherwise valid inbox has none. */
function otherFindings(run: ScenarioRun, ...codes: CheckCode[]): Finding[] {
  return run.findings.filter((f) => !(codes as readonly string[]).includes(f.code));
}

const justiceOwesMediation: ScenarioSpec['roster'] = [{ code: 'justice', owes: ['mediation'] }];

// ---- file.unreadable -------------------------------------------------------------------------

describe('file.unreadable', () => {
  const valid = mediationSheet(mediationRows(3));
  const broken: [string, string, ScenarioSpec['files'][string]][] = [
    ['a zero-byte .xlsx', 'justice/mediation-zero-bytes.xlsx', { bytes: Buffer.alloc(0) }],
    ['a text file renamed .xlsx', 'justice/mediation-text-renamed.xlsx', { bytes: '这是调解台账的说明文字，不是表格。\r\n第二行。\r\n' }],
    [
      'a truncated .xlsx',
      'justice/mediation-truncated.xlsx',
      {
        write: async (path: string) => {
          await writeLedgerWorkbook(path, [mediationSheet(mediationRows(5))]);
          const bytes = await readFile(path);
          await writeFile(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
        },
      },
    ],
  ];

  it.each(broken)('reports %s as unreadable and still counts the valid ledger beside it', async (_what, path, content) => {
    const run = await scenarios.run('unreadable', {
      roster: justiceOwesMediation,
      files: { [path]: content, 'justice/mediation-valid.xlsx': [valid] },
    });
    expectOneFinding(run, 'file.unreadable', '错误', { department: 'justice', file: path, sheet: null, cell: null });
    expect(run.findingsOf('file.unreadable')[0]?.message).toMatch(/[\u4e00-\u9fff]/);
    expect(run.indicator('service.disputes_resolved').value).toBe(3);
    expect(run.submission('justice', 'mediation')).toMatchObject({ status: '已报', rows: 3 });
    expect(otherFindings(run, 'file.unreadable')).toEqual([]);
  });
});

// ---- file.unknown_department -----------------------------------------------------------------

describe('file.unknown_department', () => {
  let run: ScenarioRun;
  beforeAll(async () => {
    run = await scenarios.run('unknown-department', {
      roster: justiceOwesMediation,
      files: {
        'justice/mediation.xlsx': [mediationSheet(mediationRows(3))],
        'mediation-at-inbox-root.xlsx': [mediationSheet(mediationRows(2))],
        'village-committee/mediation-in-folder-not-on-roster.xlsx': [mediationSheet(mediationRows(4))],
      },
    });
  });

  it('reports a file at the inbox root, with no department', () => {
    const found = run.findingsOf('file.unknown_department').filter((f) => f.file === 'mediation-at-inbox-root.xlsx');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ level: '错误', department: null, sheet: null, cell: null });
  });

  it('reports a file in a folder not on the roster, with no department', () => {
    const found = run.findingsOf('file.unknown_department').filter((f) => f.file === 'village-committee/mediation-in-folder-not-on-roster.xlsx');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ level: '错误', department: null, sheet: null, cell: null });
  });

  it('reports nothing else of that code and counts only the rostered department', () => {
    expect(run.findingsOf('file.unknown_department')).toHaveLength(2);
    expect(run.indicator('service.disputes_resolved').value).toBe(3);
    expect(otherFindings(run, 'file.unknown_department')).toEqual([]);
  });
});

// ---- sheet.unrecognized ----------------------------------------------------------------------

describe('sheet.unrecognized', () => {
  it('warns about a sheet with data whose header matches no ledger, and reads the ledger beside it', async () => {
    const notes: SheetSpec = { name: '工作说明', header: ['工作内容', '完成情况'], rows: [['入户走访', '已完成'], ['矛盾排查', '已完成']] };
    const path = 'justice/mediation-with-notes-sheet.xlsx';
    const run = await scenarios.run('sheet-unrecognized', {
      roster: justiceOwesMediation,
      files: { [path]: [mediationSheet(mediationRows(3)), notes] },
    });
    expectOneFinding(run, 'sheet.unrecognized', '警告', { department: 'justice', file: path, sheet: '工作说明', cell: null });
    expect(run.indicator('service.disputes_resolved').value).toBe(3);
    expect(otherFindings(run, 'sheet.unrecognized')).toEqual([]);
  });
});

// ---- header.missing_column -------------------------------------------------------------------

describe('header.missing_column', () => {
  it('points at the header row of a mediation sheet without 调解结果, and still reads its rows', async () => {
    const header = ['序号', '受理日期', '当事人', '结案日期'];
    const spec: SheetSpec = {
      name: '调解台账',
      title: '安定镇2020年人民调解台账',
      header,
      rows: [
        ['1', day(2020, 2, 3), '张某与李某', day(2020, 2, 10)],
        ['2', day(2020, 3, 3), '赵某与钱某', day(2020, 3, 12)],
        ['3', day(2020, 4, 3), '孙某与周某', day(2020, 4, 9)],
      ],
    };
    const path = 'justice/mediation-without-result-column.xlsx';
    const run = await scenarios.run('header-missing-column', { roster: justiceOwesMediation, files: { [path]: [spec] } });
    const f = expectOneFinding(run, 'header.missing_column', '错误', {
      department: 'justice',
      file: path,
      sheet: '调解台账',
      cell: String(layoutOf(spec).headerRows[0]),
    });
    expect(f.expected).toBe('调解结果');
    expect(run.submission('justice', 'mediation').rows).toBe(3);
    expect(otherFindings(run, 'header.missing_column')).toEqual([]);
  });

  it('leaves a figure that reads the missing column without a value (有错误, 【无法统计】), never the short sum of the other sheets', async () => {
    // 2 mediations in a complete file, 3 in a file without 调解结果: the figure cannot be 2.
    const without: SheetSpec = {
      name: '调解台账',
      header: ['序号', '受理日期', '当事人', '结案日期'],
      rows: [1, 2, 3].map((n) => [String(n), day(2020, n, 3), `张${n}与李${n}`, day(2020, n, 20)]),
    };
    const run = await scenarios.run('missing-column-figure-unknown', {
      roster: justiceOwesMediation,
      files: { 'justice/mediation-complete.xlsx': [mediationSheet(mediationRows(2))], 'justice/mediation-without-result-column.xlsx': [without] },
    });
    expectOneFinding(run, 'header.missing_column', '错误', { department: 'justice', file: 'justice/mediation-without-result-column.xlsx', sheet: '调解台账', cell: '1' });
    expect(run.indicator('service.disputes_resolved')).toMatchObject({ value: null, status: '有错误', wording: null });
    expect(run.summary.report.narrative).toContain('【无法统计：化解矛盾纠纷】');
    const rollup = run.summary.report.trace?.filter((r) => r.code === 'service.disputes_resolved') ?? [];
    expect(rollup.filter((r) => r.counted)).toHaveLength(2);
  });

  it('keeps the figures that do not read the missing column', async () => {
    // 学法活动台账 without its required 主题: the figures read 类别 and 日期 only.
    const study: SheetSpec = {
      name: '学法记录',
      header: ['日期', '类别', '组织部门'],
      rows: [
        [day(2020, 3, 2), '会前学法', '党政办'],
        [day(2020, 5, 6), '机关干部学法', '党政办'],
        [day(2020, 9, 8), '会前学法', '党政办'],
      ],
    };
    const run = await scenarios.run('missing-column-not-read', { roster: [{ code: 'office', owes: ['study'] }], files: { 'office/study-without-topic.xlsx': [study] } });
    expect(expectOneFinding(run, 'header.missing_column', '错误', { department: 'office', file: 'office/study-without-topic.xlsx', sheet: '学法记录', cell: '1' }).expected).toBe('主题');
    expect(run.indicator('study.pre_meeting')).toMatchObject({ value: 2, status: '有错误' });
    expect(run.indicator('study.staff_sessions').value).toBe(1);
  });
});

// ---- header.duplicate_column -----------------------------------------------------------------

describe('header.duplicate_column', () => {
  it('points at the second column that maps to 调解结果 (its alias 结果) and reads the first', async () => {
    const header = [...MEDIATION, '结果'];
    const spec: SheetSpec = {
      name: '调解台账',
      title: '安定镇2020年人民调解台账',
      header,
      rows: mediationRows(3).map((r) => [...r, '成功']),
    };
    const path = 'justice/mediation-result-column-twice.xlsx';
    const run = await scenarios.run('header-duplicate-column', { roster: justiceOwesMediation, files: { [path]: [spec] } });
    const layout = layoutOf(spec);
    const headerRow = layout.headerRows[0] ?? 0;
    const f = expectOneFinding(run, 'header.duplicate_column', '错误', {
      department: 'justice',
      file: path,
      sheet: '调解台账',
      cell: a1(layout.columnOf('结果'), headerRow),
    });
    expect(f.expected).toBe(a1(layout.columnOf('调解结果'), headerRow));
    expect(run.indicator('service.disputes_resolved').value).toBe(3);
    expect(otherFindings(run, 'header.duplicate_column')).toEqual([]);
  });
});

// ---- cell.required / cell.type / cell.enum / cell.formula_error --------------------------------

describe('cell.required', () => {
  it('points at an empty 受理日期 in a mediation sheet', async () => {
    const spec = mediationSheet(withCell(MEDIATION, mediationRows(3), 1, '受理日期', null));
    const path = 'justice/mediation-received-date-empty.xlsx';
    const run = await scenarios.run('cell-required', { roster: justiceOwesMediation, files: { [path]: [spec] } });
    expectOneFinding(run, 'cell.required', '错误', { department: 'justice', file: path, sheet: '调解台账', cell: cellOf(spec, 1, '受理日期') });
    expect(otherFindings(run, 'cell.required')).toEqual([]);
  });
});

describe('cell.type', () => {
  it('points at a 受理日期 that is no date', async () => {
    const spec = mediationSheet(withCell(MEDIATION, mediationRows(3), 2, '受理日期', '待补'));
    const path = 'justice/mediation-received-date-not-a-date.xlsx';
    const run = await scenarios.run('cell-type', { roster: justiceOwesMediation, files: { [path]: [spec] } });
    const f = expectOneFinding(run, 'cell.type', '错误', { department: 'justice', file: path, sheet: '调解台账', cell: cellOf(spec, 2, '受理日期') });
    expect(f.actual).toBe('待补');
    expect(otherFindings(run, 'cell.type')).toEqual([]);
  });
});

describe('cell.enum', () => {
  it('points at a 调解结果 outside its list', async () => {
    const spec = mediationSheet(withCell(MEDIATION, mediationRows(3), 0, '调解结果', '已撤回'));
    const path = 'justice/mediation-result-withdrawn.xlsx';
    const run = await scenarios.run('cell-enum', { roster: justiceOwesMediation, files: { [path]: [spec] } });
    const f = expectOneFinding(run, 'cell.enum', '错误', { department: 'justice', file: path, sheet: '调解台账', cell: cellOf(spec, 0, '调解结果') });
    expect(f.actual).toBe('已撤回');
    expect(run.indicator('service.disputes_resolved').value).toBe(2);
    expect(otherFindings(run, 'cell.enum')).toEqual([]);
  });
});

describe('cell.formula_error', () => {
  it('points at a 人次 formula whose cached value is #DIV/0!', async () => {
    const rows: CellInput[][] = [
      [day(2020, 1, 6), '安定村', '法律咨询', 12],
      [day(2020, 2, 6), '前野厂村', '法律咨询', { formula: 'D3/0', result: { error: '#DIV/0!' } }],
      [day(2020, 3, 6), '后安定村', '法律援助咨询', 5],
    ];
    const spec = legalServiceSheet(rows);
    const path = 'justice/legal-service-visits-div0.xlsx';
    const run = await scenarios.run('cell-formula-error', {
      roster: [{ code: 'justice', owes: ['legal_service'] }],
      files: { [path]: [spec] },
    });
    const f = expectOneFinding(run, 'cell.formula_error', '错误', { department: 'justice', file: path, sheet: '法律服务', cell: cellOf(spec, 1, '人次') });
    expect(f.actual).toBe('#DIV/0!');
    expect(run.indicator('service.consultations').value).toBe(12);
    expect(otherFindings(run, 'cell.formula_error')).toEqual([]);
  });
});

describe('bad cells of a sheet', () => {
  it('leave the other rows of the sheet loaded and counted', async () => {
    const good = mediationRows(2);
    const rows: CellInput[][] = [
      ...good,
      ['3', '待补', '甲与乙', '邻里纠纷', '调解中', null],
      ['4', day(2020, 6, 1), '丙与丁', '邻里纠纷', '搁置', day(2020, 6, 9)],
      ['5', null, '戊与己', '婚姻家庭', '调解中', null],
      ['6', { formula: 'DATE(2020,13,)', result: { error: '#VALUE!' } }, '庚与辛', '劳务纠纷', '调解中', null],
    ];
    const spec = mediationSheet(rows);
    const path = 'justice/mediation-one-of-each-bad-cell.xlsx';
    const run = await scenarios.run('bad-cells', { roster: justiceOwesMediation, files: { [path]: [spec] } });
    const byCode = (code: CheckCode) => run.findingsOf(code).map((f) => f.cell);
    expect(byCode('cell.type')).toEqual([cellOf(spec, 2, '受理日期')]);
    expect(byCode('cell.enum')).toEqual([cellOf(spec, 3, '调解结果')]);
    expect(byCode('cell.required')).toEqual([cellOf(spec, 4, '受理日期')]);
    expect(byCode('cell.formula_error')).toEqual([cellOf(spec, 5, '受理日期')]);
    expect(run.indicator('service.disputes_resolved').value).toBe(2);
    expect(run.submission('justice', 'mediation').rows).toBe(6);
  });
});

// ---- cell.out_of_period ----------------------------------------------------------------------

describe('cell.out_of_period', () => {
  it('points at the 结案日期 of a mediation closed in 2021, and leaves the row out', async () => {
    const rows = withCell(MEDIATION, mediationRows(3), 2, '结案日期', day(2021, 1, 6));
    // Received in 2019, closed in 2020: in the year by its 结案日期, not out of period.
    const spec = mediationSheet(withCell(MEDIATION, rows, 0, '受理日期', day(2019, 12, 20)));
    const path = 'justice/mediation-closed-in-2021.xlsx';
    const run = await scenarios.run('out-of-period-closed', { roster: justiceOwesMediation, files: { [path]: [spec] } });
    const f = expectOneFinding(run, 'cell.out_of_period', '警告', { department: 'justice', file: path, sheet: '调解台账', cell: cellOf(spec, 2, '结案日期') });
    expect(f.actual).toBe('2021-01-06');
    expect(run.indicator('service.disputes_resolved').value).toBe(2);
    expect(otherFindings(run, 'cell.out_of_period')).toEqual([]);
  });

  it('points at the 受理日期 of a pending mediation received in 2019 (no 结案日期)', async () => {
    const rows = withCell(MEDIATION, mediationRows(3), 1, '调解结果', '调解中');
    const spec = mediationSheet(withCell(MEDIATION, withCell(MEDIATION, rows, 1, '结案日期', null), 1, '受理日期', day(2019, 11, 2)));
    const path = 'justice/mediation-pending-received-2019.xlsx';
    const run = await scenarios.run('out-of-period-received', { roster: justiceOwesMediation, files: { [path]: [spec] } });
    expectOneFinding(run, 'cell.out_of_period', '警告', { department: 'justice', file: path, sheet: '调解台账', cell: cellOf(spec, 1, '受理日期') });
    expect(otherFindings(run, 'cell.out_of_period')).toEqual([]);
  });

  it('points at a 公示日期 of 2019 in a disclosure ledger, and leaves the row out', async () => {
    const rows: CellInput[][] = [
      ['1', day(2020, 1, 8), '事前公示', '执法主体、权限公示'],
      ['2', day(2019, 12, 30), '事后公示', '行政处罚决定公示'],
      ['3', day(2020, 5, 8), '事中公示', '执法人员身份公示'],
    ];
    const spec: SheetSpec = { name: '公示台账', title: '2020年执法公示台账', header: DISCLOSURE, rows };
    const path = 'enforcement/disclosure-date-2019.xlsx';
    const run = await scenarios.run('out-of-period-disclosure', {
      roster: [{ code: 'enforcement', owes: ['disclosure'] }],
      files: { [path]: [spec] },
    });
    expectOneFinding(run, 'cell.out_of_period', '警告', { department: 'enforcement', file: path, sheet: '公示台账', cell: cellOf(spec, 1, '公示日期') });
    expect(run.indicator('enforcement.disclosures').value).toBe(2);
    expect(otherFindings(run, 'cell.out_of_period')).toEqual([]);
  });
});

// ---- row.duplicate_key -----------------------------------------------------------------------

describe('row.duplicate_key', () => {
  const enforcementOwesPenalty = [{ code: 'enforcement', owes: ['penalty'] }];

  it('points at the second 案件编号 of a case repeated across two sheets of one workbook', async () => {
    const january = penaltySheet('1月', [penaltyRow(1), penaltyRow(2)]);
    const february = penaltySheet('2月', [penaltyRow(3), penaltyRow(2, { 当事人: '某商户二' })]);
    const path = 'enforcement/penalty-duplicate-case-no-across-sheets.xlsx';
    const run = await scenarios.run('duplicate-key-sheets', { roster: enforcementOwesPenalty, files: { [path]: [january, february] } });
    const f = expectOneFinding(run, 'row.duplicate_key', '错误', { department: 'enforcement', file: path, sheet: '2月', cell: cellOf(february, 1, '案件编号') });
    expect(f.actual).toBe('安综执罚〔2020〕2号');
    expect(otherFindings(run, 'row.duplicate_key')).toEqual([]);
  });

  it('points at the second 案件编号 of a case repeated across two files of one department', async () => {
    const first = penaltySheet('上半年', [penaltyRow(1), penaltyRow(2)]);
    const second = penaltySheet('下半年', [penaltyRow(2, { 当事人: '某商户二' }), penaltyRow(4)]);
    const run = await scenarios.run('duplicate-key-files', {
      roster: enforcementOwesPenalty,
      files: { 'enforcement/penalty-a-first-half.xlsx': [first], 'enforcement/penalty-b-second-half.xlsx': [second] },
    });
    expectOneFinding(run, 'row.duplicate_key', '错误', {
      department: 'enforcement',
      file: 'enforcement/penalty-b-second-half.xlsx',
      sheet: '下半年',
      cell: cellOf(second, 0, '案件编号'),
    });
    expect(otherFindings(run, 'row.duplicate_key')).toEqual([]);
  });

  it('does not compare the keys of two departments', async () => {
    const run = await scenarios.run('duplicate-key-departments', {
      roster: [
        { code: 'enforcement', owes: ['penalty'] },
        { code: 'office', owes: ['penalty'] },
      ],
      files: {
        'enforcement/penalty-same-case-no-as-office.xlsx': [penaltySheet('台账', [penaltyRow(1), penaltyRow(2)])],
        'office/penalty-same-case-no-as-enforcement.xlsx': [penaltySheet('台账', [penaltyRow(2)])],
      },
    });
    expect(run.findingsOf('row.duplicate_key')).toEqual([]);
    expect(run.findings).toEqual([]);
  });
});

// ---- row.duplicate ---------------------------------------------------------------------------

describe('row.duplicate', () => {
  it('points at the row that repeats another row field for field (序号 aside)', async () => {
    const rows = mediationRows(3);
    const second = rows[1] ?? [];
    rows.push(['4', ...second.slice(1)]);
    const spec = mediationSheet(rows);
    const path = 'justice/mediation-same-dispute-twice.xlsx';
    const run = await scenarios.run('row-duplicate', { roster: justiceOwesMediation, files: { [path]: [spec] } });
    expectOneFinding(run, 'row.duplicate', '警告', { department: 'justice', file: path, sheet: '调解台账', cell: String(layoutOf(spec).rowOfData(3)) });
    expect(otherFindings(run, 'row.duplicate')).toEqual([]);
  });
});

// ---- row.date_order --------------------------------------------------------------------------

describe('row.date_order', () => {
  it('points at a 结案日期 earlier than the 受理日期 of its mediation', async () => {
    const spec = mediationSheet(withCell(MEDIATION, mediationRows(3), 1, '结案日期', day(2020, 2, 1)));
    const path = 'justice/mediation-closed-before-received.xlsx';
    const run = await scenarios.run('row-date-order', { roster: justiceOwesMediation, files: { [path]: [spec] } });
    const f = expectOneFinding(run, 'row.date_order', '错误', { department: 'justice', file: path, sheet: '调解台账', cell: cellOf(spec, 1, '结案日期') });
    expect(f.actual).toBe('2020-02-01');
    expect(otherFindings(run, 'row.date_order')).toEqual([]);
  });
});

// ---- row.rule --------------------------------------------------------------------------------

describe('row.rule', () => {
  it('points at the empty 出庭负责人 of a lawsuit whose leader appeared', async () => {
    const spec = litigationSheet([lawsuit(1), lawsuit(2, { 出庭负责人: null }), lawsuit(3, { 负责人出庭: '否', 出庭负责人: null })]);
    const path = 'justice/litigation-leader-without-name.xlsx';
    const run = await scenarios.run('rule-leader-name', { roster: [{ code: 'justice', owes: ['litigation'] }], files: { [path]: [spec] } });
    expectOneFinding(run, 'row.rule', '错误', { department: 'justice', file: path, sheet: '应诉台账', cell: cellOf(spec, 1, '出庭负责人') });
    expect(otherFindings(run, 'row.rule')).toEqual([]);
  });

  it('points at the 案件类别 of a reconsideration marked 负责人出庭=是', async () => {
    const spec = litigationSheet([lawsuit(1), lawsuit(2, { 案号: '安政复〔2020〕2号', 案件类别: '行政复议' })]);
    const path = 'justice/litigation-leader-in-reconsideration.xlsx';
    const run = await scenarios.run('rule-leader-reconsideration', { roster: [{ code: 'justice', owes: ['litigation'] }], files: { [path]: [spec] } });
    expectOneFinding(run, 'row.rule', '错误', { department: 'justice', file: path, sheet: '应诉台账', cell: cellOf(spec, 1, '案件类别') });
    expect(otherFindings(run, 'row.rule')).toEqual([]);
  });

  it('points at the empty 结案日期 of a successful mediation', async () => {
    const spec = mediationSheet(withCell(MEDIATION, mediationRows(3), 2, '结案日期', null));
    const path = 'justice/mediation-success-without-closing-date.xlsx';
    const run = await scenarios.run('rule-mediation-closed', { roster: justiceOwesMediation, files: { [path]: [spec] } });
    expectOneFinding(run, 'row.rule', '错误', { department: 'justice', file: path, sheet: '调解台账', cell: cellOf(spec, 2, '结案日期') });
    expect(otherFindings(run, 'row.rule')).toEqual([]);
  });

  it('points at the empty 集体讨论日期 of a major enforcement decision', async () => {
    const spec = penaltySheet('台账', [penaltyRow(1), penaltyRow(2, { 是否重大执法决定: '是' }), penaltyRow(3, { 是否重大执法决定: '是', 集体讨论日期: day(2020, 4, 7) })]);
    const path = 'enforcement/penalty-major-decision-without-discussion.xlsx';
    const run = await scenarios.run('rule-major-decision', { roster: [{ code: 'enforcement', owes: ['penalty'] }], files: { [path]: [spec] } });
    expectOneFinding(run, 'row.rule', '错误', { department: 'enforcement', file: path, sheet: '台账', cell: cellOf(spec, 1, '集体讨论日期') });
    expect(otherFindings(run, 'row.rule')).toEqual([]);
  });
});

// ---- sheet.total_mismatch --------------------------------------------------------------------

describe('sheet.total_mismatch', () => {
  it('points at a 合计 人次 that differs from the sum of the rows', async () => {
    const rows: CellInput[][] = [
      [day(2020, 1, 6), '安定村', '法律咨询', 10],
      [day(2020, 2, 6), '前野厂村', '法律咨询', 20],
      [day(2020, 3, 6), '后安定村', '法律援助咨询', 30],
    ];
    const spec = legalServiceSheet(rows, { total: { position: 'bottom', cells: ['合计', null, null, 70] } });
    const path = 'justice/legal-service-total-row-wrong.xlsx';
    const run = await scenarios.run('total-sum', { roster: [{ code: 'justice', owes: ['legal_service'] }], files: { [path]: [spec] } });
    const layout = layoutOf(spec);
    const f = expectOneFinding(run, 'sheet.total_mismatch', '错误', {
      department: 'justice',
      file: path,
      sheet: '法律服务',
      cell: a1(layout.columnOf('人次'), layout.totalRow ?? 0),
    });
    expect({ expected: f.expected, actual: f.actual }).toEqual({ expected: '60', actual: '70' });
    expect(run.indicator('service.consultations').value).toBe(30);
    expect(otherFindings(run, 'sheet.total_mismatch')).toEqual([]);
  });

  it('points at a stated count (合计：12件) over a mediation sheet of 11 rows', async () => {
    const spec = mediationSheet(mediationRows(11), { total: { position: 'top', cells: ['合计：12件'] } });
    const path = 'justice/mediation-total-row-wrong.xlsx';
    const run = await scenarios.run('total-count', { roster: justiceOwesMediation, files: { [path]: [spec] } });
    const f = expectOneFinding(run, 'sheet.total_mismatch', '错误', {
      department: 'justice',
      file: path,
      sheet: '调解台账',
      cell: a1(1, layoutOf(spec).totalRow ?? 0),
    });
    expect({ expected: f.expected, actual: f.actual }).toEqual({ expected: '11', actual: '12' });
    expect(run.indicator('service.disputes_resolved').value).toBe(11);
    expect(otherFindings(run, 'sheet.total_mismatch')).toEqual([]);
  });
});

// ---- dept.missing_submission -----------------------------------------------------------------

describe('dept.missing_submission', () => {
  it('reports a ledger owed and not sent, and leaves its indicator empty with 状态 缺报', async () => {
    const run = await scenarios.run('missing-submission', {
      roster: [{ code: 'justice', owes: ['mediation', 'legal_aid'] }],
      files: { 'justice/mediation-without-legal-aid.xlsx': [mediationSheet(mediationRows(3))] },
    });
    const f = expectOneFinding(run, 'dept.missing_submission', '错误', { department: 'justice', file: null, sheet: null, cell: null });
    expect(f.ledger).toBe('legal_aid');
    expect(run.indicator('service.aid_cases')).toMatchObject({ value: null, status: '缺报', wording: null });
    expect(run.submission('justice', 'legal_aid')).toMatchObject({ status: '缺报', rows: 0 });
    expect(run.indicator('service.disputes_resolved').value).toBe(3);
    expect(otherFindings(run, 'dept.missing_submission')).toEqual([]);
    expect(f.message).toMatch(/^尚未报送《法律援助台账》/);
  });

  it('says, when the files received hold a sheet whose header matched no ledger, that the ledger was not recognised in them', async () => {
    const unreadable: SheetSpec = { name: '法援', header: ['编号', '时间', '姓名'], rows: [['FY-1', day(2020, 4, 1), '王某']] };
    const run = await scenarios.run('missing-submission-unrecognized', {
      roster: [{ code: 'justice', owes: ['mediation', 'legal_aid'] }],
      files: { 'justice/mediation.xlsx': [mediationSheet(mediationRows(3))], 'justice/legal-aid-own-headers.xlsx': [unreadable] },
    });
    expectOneFinding(run, 'sheet.unrecognized', '警告', { department: 'justice', file: 'justice/legal-aid-own-headers.xlsx', sheet: '法援', cell: null });
    const f = expectOneFinding(run, 'dept.missing_submission', '错误', { department: 'justice', file: null, sheet: null, cell: null });
    expect(f.message).toContain('已收到的文件中没有识别出《法律援助台账》：“justice/legal-aid-own-headers.xlsx”的工作表“法援”的表头未能识别');
    expect(f.message).not.toContain('尚未报送');
    expect(f.actual).toBe('未识别');
    expect(run.indicator('service.aid_cases')).toMatchObject({ value: null, status: '缺报' });
  });

  it('says, when a file received could not be read, that the ledger may be in it, before any unrecognised sheet', async () => {
    const unrelated: SheetSpec = { name: 'Sheet3', header: ['工作内容', '完成情况'], rows: [['入户走访', '已完成']] };
    const run = await scenarios.run('missing-submission-unreadable', {
      roster: [{ code: 'justice', owes: ['mediation', 'legal_aid'] }],
      files: {
        'justice/mediation.xlsx': [mediationSheet(mediationRows(3)), unrelated],
        'justice/legal-aid.xlsx': { bytes: Buffer.from('这不是工作簿') },
      },
    });
    expectOneFinding(run, 'file.unreadable', '错误', { department: 'justice', file: 'justice/legal-aid.xlsx', sheet: null, cell: null });
    const f = expectOneFinding(run, 'dept.missing_submission', '错误', { department: 'justice', file: null, sheet: null, cell: null });
    expect(f.message).toContain('已收到的文件中没有识别出《法律援助台账》：文件“justice/legal-aid.xlsx”无法读取（见该文件的问题）；“justice/mediation.xlsx”的工作表“Sheet3”的表头未能识别');
    expect(f.actual).toBe('文件无法读取');
  });

  it('takes an empty ledger (header only) as a submission meaning 0', async () => {
    const empty: SheetSpec = { name: '法援台账', title: '安定镇2020年法律援助台账', header: LEGAL_AID, rows: [] };
    const run = await scenarios.run('empty-ledger', {
      roster: [{ code: 'justice', owes: ['mediation', 'legal_aid'] }],
      files: {
        'justice/mediation.xlsx': [mediationSheet(mediationRows(3))],
        'justice/legal-aid-header-only.xlsx': [empty],
      },
    });
    expect(run.findingsOf('dept.missing_submission')).toEqual([]);
    expect(run.indicator('service.aid_cases')).toMatchObject({ value: 0, status: '正常' });
    expect(run.submission('justice', 'legal_aid')).toMatchObject({ status: '空表', rows: 0 });
    expect(run.findings).toEqual([]);
  });
});

// ---- indicator.bound -------------------------------------------------------------------------

describe('indicator.bound', () => {
  // Through ledgers 负责人出庭 counts a subset of the lawsuits it is bounded by, so the SQL check
  // is run directly on the tables a run fills (indicator_bounds, run_indicators).
  const dir = join(import.meta.dirname, '.tmp', `indicator-bound-${randomBytes(4).toString('hex')}`);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function boundFindings(leaderAppearances: number, lawsuits: number): Promise<Finding[]> {
    const config = loadConfig(DEMO_CONFIG);
    const tdb = await openDatabase(join(dir, `bound-${leaderAppearances}-${lawsuits}.duckdb`), config.ledgers);
    try {
      const { connection } = tdb;
      await connection.run('create or replace table indicator_bounds (figure varchar, at_most varchar, message varchar, ledger varchar)');
      for (const b of config.report.bounds) {
        const ledger = config.report.indicators.find((i) => i.code === b.figure)?.ledgers[0] ?? '';
        await connection.run('insert into indicator_bounds values ($figure, $at_most, $message, $ledger)', { figure: b.figure, at_most: b.atMost, message: b.message, ledger });
      }
      await connection.run('create or replace table run_indicators (code varchar, name varchar, written varchar, value double)');
      const values: Record<string, number> = { 'litigation.leader_appearances': leaderAppearances, 'litigation.lawsuits': lawsuits };
      for (const [code, value] of Object.entries(values)) {
        const ind = config.report.indicators.find((i) => i.code === code);
        await connection.run('insert into run_indicators values ($code, $name, $written, $value)', { code, name: ind?.name ?? code, written: ind?.written ?? 'exact', value });
      }
      const check = loadChecks().find((c) => c.code === 'indicator.bound');
      if (check === undefined) throw new Error('sql/checks/indicator.bound.sql is missing');
      expect(check.phase).toBe('indicators');
      return await runCheck(connection, check, { year: 2020 });
    } finally {
      await tdb.close();
    }
  }

  it('reports 负责人出庭 more than 行政诉讼', async () => {
    const found = await boundFindings(16, 15);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      code: 'indicator.bound',
      level: '错误',
      department: null,
      file: null,
      sheet: null,
      cell: null,
      ledger: 'litigation',
      expected: '不超过 15',
      actual: '16',
    });
  });

  it('accepts 负责人出庭 equal to 行政诉讼', async () => {
    expect(await boundFindings(15, 15)).toEqual([]);
  });

  it('is not raised by a litigation ledger whose every lawsuit had its leader in court', async () => {
    const run = await scenarios.run('bound-all-leaders', {
      roster: [{ code: 'justice', owes: ['litigation'] }],
      files: { 'justice/litigation-leader-at-every-lawsuit.xlsx': [litigationSheet([lawsuit(1), lawsuit(2), lawsuit(3)])] },
    });
    expect(run.indicator('litigation.leader_appearances').value).toBe(3);
    expect(run.indicator('litigation.lawsuits').value).toBe(3);
    expect(run.findings).toEqual([]);
  });
});

// ---- indicator.self_reported_mismatch --------------------------------------------------------

describe('indicator.self_reported_mismatch', () => {
  let run: ScenarioRun;
  const summary: SheetSpec = {
    name: '统计表',
    title: '2020年法治政府建设统计表',
    header: SUMMARY,
    rows: [
      ['化解矛盾纠纷', 4, '按指标名称填报'],
      ['service.consultations', 300, '按指标编码填报'],
      ['法律咨询', 280, '约数：280余'],
      ['service.aid_consultations', 0, '无'],
    ],
  };
  const path = 'justice/summary-claims-differ.xlsx';
  beforeAll(async () => {
    run = await scenarios.run('self-reported', {
      roster: [{ code: 'justice', owes: ['mediation', 'legal_service', 'summary'] }],
      files: {
        'justice/mediation.xlsx': [mediationSheet(mediationRows(3))],
        'justice/legal-service-283-visits.xlsx': [
          legalServiceSheet([
            [day(2020, 1, 6), '安定村', '法律咨询', 100],
            [day(2020, 2, 6), '前野厂村', '法律咨询', 100],
            [day(2020, 3, 6), '后安定村', '法律咨询', 83],
          ]),
        ],
        [path]: [summary],
      },
    });
  });

  it('reports a figure named by its 指标名称 that differs from the ledgers', () => {
    const found = run.findingsOf('indicator.self_reported_mismatch').filter((f) => f.cell === cellOf(summary, 0, '数值'));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ level: '错误', department: 'justice', file: path, sheet: '统计表', expected: '3', actual: '4' });
  });

  it('reports a figure named by its code that differs from the ledgers', () => {
    const found = run.findingsOf('indicator.self_reported_mismatch').filter((f) => f.cell === cellOf(summary, 1, '数值'));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ level: '错误', department: 'justice', file: path, sheet: '统计表', expected: '283', actual: '300' });
  });

  it('takes a rounded claim (280 for 283 on an approx figure) and a right one as consistent', () => {
    expect(run.indicator('service.consultations').value).toBe(283);
    expect(run.findingsOf('indicator.self_reported_mismatch')).toHaveLength(2);
    expect(otherFindings(run, 'indicator.self_reported_mismatch')).toEqual([]);
  });
});

// ---- publicity.cross_department_duplicate ------------------------------------------------------

describe('publicity.cross_department_duplicate', () => {
  it('warns both departments of the same activity (date and name) reported by each', async () => {
    const enforcement = publicitySheet([
      [day(2020, 12, 4), '宪法宣传日法治宣传进社区', '摆摊宣传', 200],
      [day(2020, 6, 26), '禁毒宣传活动', '发放资料', 80],
    ]);
    const justice = publicitySheet([
      [day(2020, 3, 15), '消费者权益日普法', '现场咨询', 60],
      [day(2020, 12, 4), '宪法宣传日 法治宣传进社区', '现场咨询', 150],
    ]);
    const run = await scenarios.run('publicity-same-activity-two-departments', {
      roster: [
        { code: 'enforcement', owes: ['publicity'] },
        { code: 'justice', owes: ['publicity'] },
      ],
      files: {
        'enforcement/publicity-same-activity-as-justice.xlsx': [enforcement],
        'justice/publicity-same-activity-as-enforcement.xlsx': [justice],
      },
    });
    const found = run.findingsOf('publicity.cross_department_duplicate');
    expect(found).toHaveLength(2);
    expect(found.find((f) => f.department === 'enforcement')).toMatchObject({
      level: '警告',
      file: 'enforcement/publicity-same-activity-as-justice.xlsx',
      sheet: '普法宣传',
      cell: cellOf(enforcement, 0, '活动名称'),
    });
    expect(found.find((f) => f.department === 'justice')).toMatchObject({
      level: '警告',
      file: 'justice/publicity-same-activity-as-enforcement.xlsx',
      sheet: '普法宣传',
      cell: cellOf(justice, 1, '活动名称'),
    });
    expect(run.indicator('publicity.events').value).toBe(4);
    expect(otherFindings(run, 'publicity.cross_department_duplicate')).toEqual([]);
  });
});
