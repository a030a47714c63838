/**
 * Header labels as clerks write them, not as the ledger does: a column's name with words around
 * it (行政机关负责人是否出庭应诉 for 负责人出庭, 法制审核时间 for 法制审核日期), a two-level header
 * whose group label is not merged (a CSV export, a merge undone: 公示 over 日期 | 类别 | 内容), and
 * a group label with a filler (受理情况 over 日期 for 受理日期). Each is read as the column it
 * names, where exactly one field fits and no column of the header names that field as the ledger
 * writes it. Workbooks are written by exceljs (demo/ledger-workbook.ts), by openpyxl and
 * xlsxwriter (tests/header-labels-clerks-use/books.py), and CSV as text, then read by tally's
 * reader; the pipeline runs on a real DuckDB file.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCsv, writeLedgerWorkbook, type CellInput, type SheetSpec } from '../demo/ledger-workbook.ts';
import { extractSheet, type SheetExtraction } from '../sheets/extract-sheet.ts';
import { createLedgerCatalog, ledgerCatalogSchema, loadLedgerCatalog, type LedgerCatalog } from '../sheets/ledger-catalog.ts';
import { readFile } from '../sheets/read-file.ts';
import { headerOf } from './support/extraction.ts';
import { PYTHON, pythonWith } from './support/python.ts';
import { day, useScenarios } from './support/scenario.ts';

const catalog = loadLedgerCatalog(join(import.meta.dirname, '..', 'packs', 'anding-2020', 'ledgers.json'));
const dir = join(import.meta.dirname, '.tmp', `header-labels-clerks-use-${randomBytes(4).toString('hex')}`);
const scenarios = useScenarios({ outputs: false });

const BOOKS = join(import.meta.dirname, 'header-labels-clerks-use', 'books.py');
const hasWriters = pythonWith(['openpyxl', 'xlsxwriter'], 'the header-labels-clerks-use tests of workbooks written by openpyxl and xlsxwriter');

beforeAll(async () => {
  await mkdir(dir, { recursive: true });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The one sheet of a file, read by tally's reader and extracted. */
async function extractFile(path: string, within: LedgerCatalog = catalog): Promise<SheetExtraction> {
  const out: SheetExtraction[] = [];
  for await (const sheet of readFile(path)) out.push(extractSheet(sheet, within, { year: 2020, department: 'justice', file: basename(path) }));
  const [only, ...rest] = out;
  expect(rest).toEqual([]);
  if (only === undefined) throw new Error(`no sheet read from ${path}`);
  return only;
}

async function extractBook(file: string, sheet: SheetSpec, within: LedgerCatalog = catalog): Promise<SheetExtraction> {
  const path = join(dir, file);
  await writeLedgerWorkbook(path, [sheet]);
  return extractFile(path, within);
}

async function extractCsv(file: string, rows: (string | number)[][]): Promise<SheetExtraction> {
  const path = join(dir, file);
  await writeCsv(path, rows, { encoding: 'utf-8-bom' });
  return extractFile(path);
}

async function extractPython(book: string): Promise<SheetExtraction> {
  const path = join(dir, `${book}.xlsx`);
  execFileSync(PYTHON, [BOOKS, book, path]);
  return extractFile(path);
}

/** Findings without their messages (each checked to be Chinese). */
function findingsOf(x: SheetExtraction) {
  for (const f of x.findings) expect(f.message).toMatch(/[\u4e00-\u9fff]{4}/);
  return x.findings.map((f) => ({ code: f.code, level: f.level, cell: f.cell, expected: f.expected }));
}

/** Each row's values of some fields. */
function valuesOf(x: SheetExtraction, fields: readonly string[]) {
  return x.rows.map((r) => Object.fromEntries(fields.map((f) => [f, r.values[f] ?? null])));
}

const CASE_1 = '（2020）京0115行初1号';
const CASE_2 = '（2020）京0115行初2号';

describe('a column named with the words clerks put around its label', () => {
  it('reads 行政机关负责人是否出庭应诉 as 负责人出庭 and 法制审核时间 as 法制审核日期, with their values', async () => {
    const litigation = await extractBook('litigation-leader-column-as-clerks-write.xlsx', {
      name: '应诉',
      header: ['案号', '案件类别', '收案日期', '行政机关负责人是否出庭应诉', '出庭负责人'],
      rows: [
        [CASE_1, '行政诉讼', day(2020, 3, 2), '是', '王镇长'],
        [CASE_2, '行政诉讼', day(2020, 5, 6), '否', null],
      ],
    });
    expect(headerOf(litigation)).toEqual({
      ledger: 'litigation',
      rows: [1],
      columns: { case_no: 'A1', kind: 'B1', received_on: 'C1', leader_appeared: 'D1', leader_name: 'E1' },
    });
    expect(valuesOf(litigation, ['case_no', 'leader_appeared'])).toEqual([
      { case_no: CASE_1, leader_appeared: true },
      { case_no: CASE_2, leader_appeared: false },
    ]);
    expect(findingsOf(litigation)).toEqual([]);

    const penalty = await extractBook('penalty-review-time.xlsx', {
      name: '行政处罚',
      header: ['案件编号', '立案日期', '当事人', '法制审核时间'],
      rows: [['安综执罚〔2020〕1号', day(2020, 4, 1), '某商户', day(2020, 4, 3)]],
    });
    expect(headerOf(penalty).columns).toEqual({ case_no: 'A1', filed_on: 'B1', party: 'C1', reviewed_on: 'D1' });
    expect(valuesOf(penalty, ['reviewed_on'])).toEqual([{ reviewed_on: '2020-04-03' }]);
    expect(findingsOf(penalty)).toEqual([]);
  });

  it.each([
    ['行政机关负责人出庭应诉', 'leader_appeared', '是', true],
    ['负责人出庭应诉情况', 'leader_appeared', '否', false],
    ['开庭时间', 'hearing_on', day(2020, 4, 2), '2020-04-02'],
    ['结案时间（年月日）', 'closed_on', day(2020, 6, 30), '2020-06-30'],
    ['申请人/原告信息', 'claimant', '张某', '张某'],
  ] as const)('reads %j in a 行政复议应诉案件台账 as the column it names', async (label, field, cell, value) => {
    const x = await extractBook(`litigation-${field}-as-clerks-write.xlsx`, {
      name: '应诉',
      header: ['案号', '案件类别', '收案日期', label],
      rows: [[CASE_1, '行政诉讼', day(2020, 3, 2), cell]],
    });
    expect(headerOf(x).columns).toEqual({ case_no: 'A1', kind: 'B1', received_on: 'C1', [field]: 'D1' });
    expect(valuesOf(x, [field])).toEqual([{ [field]: value }]);
  });

  it('reads 受理时间 as the 受理日期 a 人民调解台账 requires: no header.missing_column', async () => {
    const x = await extractBook('mediation-received-time.xlsx', {
      name: '人民调解',
      header: ['受理时间', '当事人', '调解结果', '结案时间'],
      rows: [[day(2020, 2, 1), '张某与李某', '调解成功', day(2020, 2, 4)]],
    });
    expect(headerOf(x).columns).toEqual({ received_on: 'A1', parties: 'B1', result: 'C1', closed_on: 'D1' });
    expect(valuesOf(x, ['received_on', 'closed_on'])).toEqual([{ received_on: '2020-02-01', closed_on: '2020-02-04' }]);
    expect(findingsOf(x)).toEqual([]);
  });
});

describe('what a looser reading refuses', () => {
  it('leaves 开庭时间 beside 开庭日期 unread (another column, not a header.duplicate_column), and reads 结案时间 as 结案日期', async () => {
    const x = await extractBook('litigation-hearing-date-and-time.xlsx', {
      name: '应诉',
      header: ['案号', '案件类别', '收案日期', '开庭日期', '开庭时间', '结案时间'],
      rows: [[CASE_1, '行政诉讼', day(2020, 3, 2), day(2020, 4, 2), '上午9:30', day(2020, 6, 30)]],
    });
    expect(headerOf(x).columns).toEqual({ case_no: 'A1', kind: 'B1', received_on: 'C1', hearing_on: 'D1', closed_on: 'F1' });
    expect(valuesOf(x, ['hearing_on', 'closed_on'])).toEqual([{ hearing_on: '2020-04-02', closed_on: '2020-06-30' }]);
    expect(findingsOf(x)).toEqual([]);
  });

  it('reads neither of two columns a looser reading gives one field (法制审核时间, 审核时间), and reads 决定时间 as 决定日期', async () => {
    const x = await extractBook('penalty-two-review-times.xlsx', {
      name: '行政处罚',
      header: ['案件编号', '立案日期', '法制审核时间', '审核时间', '决定时间'],
      rows: [['安综执罚〔2020〕1号', day(2020, 4, 1), day(2020, 4, 3), day(2020, 4, 5), day(2020, 4, 8)]],
    });
    expect(headerOf(x).columns).toEqual({ case_no: 'A1', filed_on: 'B1', decided_on: 'E1' });
    expect(findingsOf(x)).toEqual([]);
  });

  it('takes 是否 off for a yes/no column only, reads 时间 as 日期 for a date column only, and a core two fields give names neither', async () => {
    // A pack's own ledger: 公开, 登记日期 and 办理时间 are text, 办结日期 a date, 当事人 and
    // 当事人情况 two columns.
    const own = createLedgerCatalog(
      ledgerCatalogSchema.parse({
        ledgers: [
          {
            id: 'petitions',
            name: '信访事项台账',
            period: null,
            fields: [
              { id: 'item', header: '事项', type: 'text', required: true },
              { id: 'public', header: '公开', type: 'text' },
              { id: 'registered', header: '登记日期', type: 'text' },
              { id: 'closed_on', header: '办结日期', type: 'date' },
              { id: 'person', header: '当事人', type: 'text' },
              { id: 'situation', header: '当事人情况', type: 'text' },
              { id: 'urgent', header: '紧急', type: 'bool' },
              { id: 'handled_at', header: '办理时间', type: 'text' },
            ],
          },
        ],
      }).ledgers,
    );
    const x = await extractBook(
      'petitions-qualified-labels.xlsx',
      {
        name: '信访',
        header: ['事项', '是否公开', '登记时间', '办结时间', '当事人信息', '是否紧急', '办理日期'],
        rows: [['修路', '是', '3月', day(2020, 5, 6), '张某', '否', day(2020, 5, 2)]],
      },
      own,
    );
    expect(headerOf(x).columns).toEqual({ item: 'A1', closed_on: 'D1', urgent: 'F1' });
    expect(valuesOf(x, ['closed_on', 'urgent'])).toEqual([{ closed_on: '2020-05-06', urgent: false }]);
    expect(findingsOf(x)).toEqual([]);
  });

  it('does not read a group label over a column of its own as a looser name of it: 出庭情况 over 日期 is not 负责人出庭', async () => {
    const x = await extractBook('litigation-appearance-group-over-date.xlsx', {
      name: '应诉',
      header: ['案号', '案件类别', '收案日期', { group: '出庭情况', children: ['日期', '出庭负责人'] }, { group: '结案情况', children: ['日期', '结果'] }],
      rows: [[CASE_1, '行政诉讼', day(2020, 3, 2), day(2020, 4, 2), '王镇长', day(2020, 6, 30), '驳回']],
    });
    expect(headerOf(x)).toEqual({
      ledger: 'litigation',
      rows: [1, 2],
      columns: { case_no: 'A1', kind: 'B1', received_on: 'C1', leader_name: 'E2', closed_on: 'F2', outcome: 'G2' },
    });
    expect(findingsOf(x)).toEqual([]);
  });
});

/** 序号 | 公示 | 空 | 空 | 公示载体 over 空 | 日期 | 类别 | 内容 | 空, under a title in one cell: a CSV export of a two-level header. */
const DISCLOSURE_CSV: (string | number)[][] = [
  ['2020年执法公示台账', '', '', '', ''],
  ['序号', '公示', '', '', '公示载体'],
  ['', '日期', '类别', '内容', ''],
  [1, '2020-01-06', '事前公示', '安定镇第1号执法检查结果', '安定镇政府网站'],
  [2, '2020-02-06', '事后公示', '安定镇第2号执法检查结果', '安定镇政府网站'],
];
const DISCLOSURE_COLUMNS = { seq: 'A2', disclosed_on: 'B3', category: 'C3', content: 'D3', channel: 'E2' };

describe('a two-level header whose group label is not merged (a CSV export, a merge undone)', () => {
  it('reads 公示 over 日期 | 类别 | 内容 in a CSV as 公示日期, 公示类别, 公示内容 of a 执法公示台账', async () => {
    const x = await extractCsv('disclosure-group-unmerged.csv', DISCLOSURE_CSV);
    expect(headerOf(x)).toEqual({ ledger: 'disclosure', rows: [2, 3], columns: DISCLOSURE_COLUMNS });
    expect(valuesOf(x, ['disclosed_on', 'category', 'channel'])).toEqual([
      { disclosed_on: '2020-01-06', category: '事前公示', channel: '安定镇政府网站' },
      { disclosed_on: '2020-02-06', category: '事后公示', channel: '安定镇政府网站' },
    ]);
    expect(findingsOf(x)).toEqual([]);
  });

  it('reads a one-row header under an unmerged title and a 填报单位 line as before, though its title would carry (公示 over 类别)', async () => {
    const study = await extractCsv('study-under-unmerged-title.csv', [
      ['公示', '', '', '', ''],
      ['填报单位：安定镇综合保障办', '', '', '填报日期：2021年1月8日', ''],
      ['日期', '类别', '主题', '组织部门', '参加人数'],
      ['2020-03-05', '会前学法', '民法典', '综合保障办', 20],
    ]);
    expect(headerOf(study)).toEqual({ ledger: 'study', rows: [3], columns: { held_on: 'A3', category: 'B3', topic: 'C3', organizer: 'D3', participants: 'E3' } });
    expect(findingsOf(study)).toEqual([]);
    // And in the same folder, the two-level header beside it is read as the 执法公示台账 it is.
    const disclosure = await extractCsv('disclosure-group-unmerged-beside-study.csv', DISCLOSURE_CSV);
    expect(headerOf(disclosure).ledger).toBe('disclosure');
  });

  it('stops carrying a group at a column blank on both rows: 内容 after it is not 公示内容, and the finding names both header rows', async () => {
    const x = await extractCsv('disclosure-group-broken-by-blank-column.csv', [
      ['序号', '公示', '', '', '', '公示载体'],
      ['', '日期', '类别', '', '内容', ''],
      [1, '2020-01-06', '事前公示', '', '安定镇第1号执法检查结果', '安定镇政府网站'],
    ]);
    expect(headerOf(x)).toEqual({ ledger: 'disclosure', rows: [1, 2], columns: { seq: 'A1', disclosed_on: 'B2', category: 'C2', channel: 'F1' } });
    expect(findingsOf(x)).toEqual([{ code: 'header.missing_column', level: '错误', cell: '1', expected: '公示内容' }]);
    expect(x.findings[0]?.message).toContain('请在第 1、2 行表头中补上这一列');
  });

  it.runIf(hasWriters)('reads the same header saved by openpyxl with the merge undone', async () => {
    const x = await extractPython('disclosure-group-unmerged');
    expect(headerOf(x)).toEqual({ ledger: 'disclosure', rows: [2, 3], columns: DISCLOSURE_COLUMNS });
    expect(x.rowCount).toBe(7);
    expect(findingsOf(x)).toEqual([]);
  });
});

const MEDIATION_ROWS: CellInput[][] = [
  [1, day(2020, 2, 1), '张某与李某', '邻里纠纷', '调解成功', day(2020, 2, 4)],
  [2, day(2020, 3, 10), '王某与赵某', '婚姻家庭', '调解中', null],
];

describe('a group label with a filler: 受理情况 over 日期 is 受理日期', () => {
  it('reads 受理情况 over 日期 as 受理日期 and 调解情况 over 结果 as 调解结果: no header.missing_column', async () => {
    const x = await extractBook('mediation-groups-with-filler.xlsx', {
      name: '人民调解',
      title: '安定镇2020年人民调解台账',
      header: ['序号', { group: '受理情况', children: ['日期', '当事人', '纠纷类型'] }, { group: '调解情况', children: ['结果', '结案日期'] }],
      rows: MEDIATION_ROWS,
    });
    expect(headerOf(x)).toEqual({
      ledger: 'mediation',
      rows: [2, 3],
      columns: { seq: 'A2', received_on: 'B3', parties: 'C3', dispute_type: 'D3', result: 'E3', closed_on: 'F3' },
    });
    expect(valuesOf(x, ['received_on', 'result'])).toEqual([
      { received_on: '2020-02-01', result: '调解成功' },
      { received_on: '2020-03-10', result: '调解中' },
    ]);
    expect(findingsOf(x)).toEqual([]);
  });

  it('reads 结案情况 over 日期 as 结案日期 and 出庭情况 over 是否出庭 as 负责人出庭 in a 行政复议应诉案件台账', async () => {
    const x = await extractBook('litigation-groups-with-filler.xlsx', {
      name: '应诉',
      header: ['案号', '案件类别', '收案日期', { group: '出庭情况', children: ['开庭日期', '是否出庭', '出庭负责人'] }, { group: '结案情况', children: ['日期', '结果'] }],
      rows: [[CASE_1, '行政诉讼', day(2020, 3, 2), day(2020, 4, 2), '是', '王镇长', day(2020, 6, 30), '驳回']],
    });
    expect(headerOf(x).columns).toEqual({
      case_no: 'A1',
      kind: 'B1',
      received_on: 'C1',
      hearing_on: 'D2',
      leader_appeared: 'E2',
      leader_name: 'F2',
      closed_on: 'G2',
      outcome: 'H2',
    });
    expect(valuesOf(x, ['leader_appeared', 'closed_on'])).toEqual([{ leader_appeared: true, closed_on: '2020-06-30' }]);
    expect(findingsOf(x)).toEqual([]);
  });

  it('names both rows of a two-level header in the header.missing_column it still gives', async () => {
    const x = await extractBook('mediation-received-date-missing.xlsx', {
      name: '人民调解',
      title: '安定镇2020年人民调解台账',
      header: ['序号', { group: '受理情况', children: ['当事人', '纠纷类型'] }, { group: '调解情况', children: ['结果', '结案日期'] }],
      rows: [[1, '张某与李某', '邻里纠纷', '调解成功', day(2020, 2, 4)]],
    });
    expect(findingsOf(x)).toEqual([{ code: 'header.missing_column', level: '错误', cell: '2', expected: '受理日期' }]);
    expect(x.findings[0]?.message).toContain('请在第 2、3 行表头中补上这一列');
  });

  it.runIf(hasWriters)('reads the same groups saved by xlsxwriter', async () => {
    const x = await extractPython('mediation-groups-with-filler');
    expect(headerOf(x)).toEqual({
      ledger: 'mediation',
      rows: [2, 3],
      columns: { seq: 'A2', received_on: 'B3', parties: 'C3', dispute_type: 'D3', result: 'E3', closed_on: 'F3' },
    });
    expect(x.rowCount).toBe(5);
    expect(findingsOf(x)).toEqual([]);
  });
});

describe('the pipeline, on a real DuckDB file', () => {
  it.runIf(hasWriters)('counts the figures read from headers as clerks write them, with no finding and nothing 缺报', async () => {
    const python = (book: string) => ({
      write: async (path: string) => {
        execFileSync(PYTHON, [BOOKS, book, path]);
      },
    });
    const run = await scenarios.run('headers-as-clerks-write', {
      roster: [
        { code: 'enforcement', owes: ['disclosure', 'penalty'] },
        { code: 'justice', owes: ['litigation', 'mediation'] },
      ],
      files: {
        'enforcement/执法公示台账.csv': { csv: DISCLOSURE_CSV, encoding: 'utf-8-bom' },
        'enforcement/行政处罚案件台账.xlsx': [
          {
            name: '行政处罚',
            title: '安定镇2020年行政处罚案件台账',
            header: ['案件编号', '立案日期', '当事人', '案由', '法制审核时间', '决定日期', '罚款金额(元)'],
            rows: [
              ['安综执罚〔2020〕1号', day(2020, 4, 1), '某商户', '占道经营', day(2020, 4, 3), day(2020, 4, 8), 500],
              ['安综执罚〔2020〕2号', day(2020, 5, 1), '某公司', '违法建设', day(2020, 5, 6), day(2020, 5, 9), 2000],
              ['安综执罚〔2020〕3号', day(2020, 6, 1), '某餐馆', '油烟扰民', day(2020, 6, 4), day(2020, 6, 10), 1000],
            ],
          },
        ],
        'justice/行政复议应诉案件台账.xlsx': python('litigation-leader-as-clerks-write'),
        'justice/人民调解台账.xlsx': python('mediation-groups-with-filler'),
      },
    });
    expect(run.findings).toEqual([]);
    for (const [department, ledger] of [
      ['enforcement', 'disclosure'],
      ['enforcement', 'penalty'],
      ['justice', 'litigation'],
      ['justice', 'mediation'],
    ] as const) {
      expect(run.submission(department, ledger).status, ledger).toBe('已报');
    }
    expect(run.indicator('enforcement.disclosures').value).toBe(2);
    expect(run.indicator('enforcement.penalty_reviews').value).toBe(3);
    expect(run.indicator('litigation.lawsuits').value).toBe(5);
    expect(run.indicator('litigation.leader_appearances').value).toBe(3);
    expect(run.indicator('service.disputes_resolved').value).toBe(4);
  });
});
