/**
 * Header cells that carry a unit or a hint in brackets (人次（人）, 服务类别(必填), 服务日期（年月日）,
 * 服务类别⏎（法律咨询/法律援助咨询）): read as the column they name, unless the unit differs from the
 * ledger's own (罚款金额（万元） for 罚款金额(元)), which is said, never read 10,000 times off.
 * Workbooks are written by exceljs (demo/ledger-workbook.ts) and, for the pipeline, also by
 * openpyxl (tests/header-hints/books.py), then read by tally's reader.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeLedgerWorkbook, type CellInput, type SheetSpec } from '../demo/ledger-workbook.ts';
import { extractSheet, type SheetExtraction } from '../sheets/extract-sheet.ts';
import { createLedgerCatalog, ledgerCatalogSchema, loadLedgerCatalog, type LedgerCatalog } from '../sheets/ledger-catalog.ts';
import { readFile } from '../sheets/read-file.ts';
import { day, useScenarios, type ScenarioRun } from './support/scenario.ts';
import { PYTHON, pythonWith } from './support/python.ts';
import { headerOf } from './support/extraction.ts';

const catalog = loadLedgerCatalog(join(import.meta.dirname, '..', 'packs', 'anding-2020', 'ledgers.json'));
const dir = join(import.meta.dirname, '.tmp', `header-hints-${randomBytes(4).toString('hex')}`);
const scenarios = useScenarios({ outputs: false });

const BOOKS = join(import.meta.dirname, 'header-hints', 'books.py');
const hasOpenpyxl = pythonWith(['openpyxl'], 'the header-hints test of a workbook written by openpyxl');

beforeAll(async () => {
  await mkdir(dir, { recursive: true });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function extractAll(file: string, sheets: SheetSpec[], within: LedgerCatalog = catalog): Promise<SheetExtraction[]> {
  const path = join(dir, file);
  await writeLedgerWorkbook(path, sheets);
  const out: SheetExtraction[] = [];
  for await (const sheet of readFile(path)) out.push(extractSheet(sheet, within, { year: 2020, department: 'justice', file: basename(path) }));
  return out;
}

async function extractOne(file: string, sheet: SheetSpec, within: LedgerCatalog = catalog): Promise<SheetExtraction> {
  const [only, ...rest] = await extractAll(file, [sheet], within);
  expect(rest).toEqual([]);
  if (only === undefined) throw new Error(`no sheet read from ${file}`);
  return only;
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

const SERVICE_ROWS: CellInput[][] = [
  [day(2020, 2, 3), '后安定村', '法律咨询', 10],
  [day(2020, 3, 3), '前安定村', '法律援助咨询', 4],
];
const SERVICE_VALUES = [
  { served_on: '2020-02-03', village: '后安定村', category: '法律咨询', visits: 10 },
  { served_on: '2020-03-03', village: '前安定村', category: '法律援助咨询', visits: 4 },
];

describe('header labels with a unit or a hint in brackets', () => {
  it('reads a 公共法律服务台账 whose every header carries one, under a title row, as its columns', async () => {
    // Only 村居 is plain: the header row is found by the labels with their brackets off.
    const x = await extractOne('legal-service-headers-with-hints.xlsx', {
      name: '公共法律服务',
      title: '安定镇2020年公共法律服务台账',
      header: ['服务日期（年月日）', '村居', '服务类别(必填)', '人次（人）'],
      rows: SERVICE_ROWS,
    });
    expect(headerOf(x)).toEqual({ ledger: 'legal_service', rows: [2], columns: { served_on: 'A2', village: 'B2', category: 'C2', visits: 'D2' } });
    expect(valuesOf(x, ['served_on', 'village', 'category', 'visits'])).toEqual(SERVICE_VALUES);
    expect(findingsOf(x)).toEqual([]);
  });

  it.each([
    ['人次(人次)', 3, 'visits'],
    ['人次（人）（必填）', 3, 'visits'],
    ['日期(yyyy-mm-dd)', 0, 'served_on'],
    ['服务日期（年月日）', 0, 'served_on'],
    ['服务类别(必填)', 2, 'category'],
    ['服务类别\n（法律咨询/法律援助咨询）', 2, 'category'],
  ])('reads %j as the column it names, with no header.missing_column', async (label, column, field) => {
    const header = ['日期', '村居', '服务类别', '人次'];
    header[column] = label;
    const x = await extractOne(`legal-service-${field}-with-hint.xlsx`, { name: '公共法律服务', header, rows: SERVICE_ROWS });
    expect(x.ledger?.id).toBe('legal_service');
    expect(x.header?.columns.find((m) => m.field.id === field)?.address).toBe(`${String.fromCharCode(65 + column)}1`);
    expect(valuesOf(x, ['served_on', 'village', 'category', 'visits'])).toEqual(SERVICE_VALUES);
    expect(findingsOf(x)).toEqual([]);
  });

  it('reads 参与人数（人） in a 普法宣传台账 as 参与人数', async () => {
    const x = await extractOne('publicity-participants-in-persons.xlsx', {
      name: '普法宣传',
      header: ['日期', '活动名称', '形式', '参与人数（人）'],
      rows: [[day(2020, 12, 4), '国家宪法日宣传', '摆摊', 120]],
    });
    expect(headerOf(x).columns).toEqual({ held_on: 'A1', activity: 'B1', form: 'C1', participants: 'D1' });
    expect(valuesOf(x, ['participants'])).toEqual([{ participants: 120 }]);
    expect(findingsOf(x)).toEqual([]);
  });

  it('reads 罚款金额（元）, 罚款金额(元) and a bare 罚款金额 as 罚款金额(元), and 标的额（万元） and 标的额 as 标的额(万元)', async () => {
    for (const [i, label] of ['罚款金额（元）', '罚款金额(元)', '罚款金额', '罚款金额（元）（必填）', '罚款金额\n(单位：元)'].entries()) {
      const x = await extractOne(`penalty-fine-in-yuan-${i}.xlsx`, {
        name: '行政处罚',
        header: ['案件编号', '立案日期', '当事人', label],
        rows: [['安综执罚〔2020〕1号', day(2020, 4, 1), '某商户', 2000]],
      });
      expect(headerOf(x).columns, label).toEqual({ case_no: 'A1', filed_on: 'B1', party: 'C1', fine: 'D1' });
      expect(valuesOf(x, ['fine']), label).toEqual([{ fine: 2000 }]);
      expect(findingsOf(x), label).toEqual([]);
    }
    for (const [i, label] of ['标的额（万元）', '标的额', '标的额(万)'].entries()) {
      const x = await extractOne(`legality-review-amount-in-ten-thousands-${i}.xlsx`, {
        name: '合法性审查',
        header: ['审查类别', '事项名称', label, '审查日期'],
        rows: [['合同', '道路养护合同', 35.5, day(2020, 5, 6)]],
      });
      expect(headerOf(x).columns, label).toEqual({ category: 'A1', item: 'B1', amount: 'C1', reviewed_on: 'D1' });
      expect(valuesOf(x, ['amount']), label).toEqual([{ amount: 35.5 }]);
      expect(findingsOf(x), label).toEqual([]);
    }
  });

  it('reads 申请人（原告） as 申请人/原告 (the two names of one column, in brackets), but not 申请人 alone', async () => {
    const header = ['案号', '案件类别', '收案日期', '申请人（原告）', '申请人'];
    const x = await extractOne('litigation-claimant-in-brackets.xlsx', {
      name: '复议应诉',
      header,
      rows: [['(2020)京0115行初1号', '行政诉讼', day(2020, 3, 1), '张某', '李某']],
    });
    expect(headerOf(x).columns).toEqual({ case_no: 'A1', kind: 'B1', received_on: 'C1', claimant: 'D1' });
    expect(valuesOf(x, ['claimant'])).toEqual([{ claimant: '张某' }]);
    expect(findingsOf(x)).toEqual([]);
  });
});

describe('a unit in brackets other than the ledger’s own', () => {
  it('does not read 罚款金额（万元） as 罚款金额(元): header.unit_mismatch at its header cell, the rest read', async () => {
    const x = await extractOne('penalty-fine-in-ten-thousands.xlsx', {
      name: '行政处罚',
      title: '安定镇综合执法队行政处罚案件台账',
      header: ['案件编号', '立案日期', '当事人', '罚款金额（万元）'],
      rows: [['安综执罚〔2020〕1号', day(2020, 4, 1), '某商户', 0.2]],
    });
    expect(headerOf(x)).toEqual({ ledger: 'penalty', rows: [2], columns: { case_no: 'A2', filed_on: 'B2', party: 'C2' } });
    expect(valuesOf(x, ['case_no', 'fine'])).toEqual([{ case_no: '安综执罚〔2020〕1号', fine: null }]);
    expect(findingsOf(x)).toEqual([{ code: 'header.unit_mismatch', level: '错误', cell: 'D2', expected: '罚款金额(元)' }]);
    expect(x.findings[0]?.message).toContain('以“万元”为单位');
    expect(x.findings[0]?.message).toContain('以“元”为单位');
    expect(x.findings[0]?.message).toContain('请把该列数值换算为元');
  });

  it('does not read 标的额（元） as 标的额(万元), nor 人次（万人次） as 人次 (a required column: no header.missing_column besides)', async () => {
    const review = await extractOne('legality-review-amount-in-yuan.xlsx', {
      name: '合法性审查',
      header: ['审查类别', '事项名称', '标的额（元）', '审查日期'],
      rows: [['合同', '道路养护合同', 355000, day(2020, 5, 6)]],
    });
    expect(headerOf(review).columns).toEqual({ category: 'A1', item: 'B1', reviewed_on: 'D1' });
    expect(findingsOf(review)).toEqual([{ code: 'header.unit_mismatch', level: '错误', cell: 'C1', expected: '标的额(万元)' }]);

    const service = await extractOne('legal-service-visits-in-ten-thousands.xlsx', {
      name: '公共法律服务',
      header: ['日期', '村居', '服务类别', '人次（万人次）'],
      rows: SERVICE_ROWS,
    });
    expect(headerOf(service).columns).toEqual({ served_on: 'A1', village: 'B1', category: 'C1' });
    expect(findingsOf(service)).toEqual([{ code: 'header.unit_mismatch', level: '错误', cell: 'D1', expected: '人次' }]);
    expect(service.findings[0]?.message).toContain('按实际数填写');
  });
});

describe('matching stays unambiguous', () => {
  it('reports 人次 and 人次（人） side by side as header.duplicate_column, whichever comes first, and reads the first', async () => {
    const plainFirst = await extractOne('legal-service-visits-twice.xlsx', {
      name: '公共法律服务',
      header: ['日期', '村居', '服务类别', '人次', '人次（人）'],
      rows: [[day(2020, 2, 3), '后安定村', '法律咨询', 10, 12]],
    });
    expect(headerOf(plainFirst).columns.visits).toBe('D1');
    expect(valuesOf(plainFirst, ['visits'])).toEqual([{ visits: 10 }]);
    expect(findingsOf(plainFirst)).toEqual([{ code: 'header.duplicate_column', level: '错误', cell: 'E1', expected: 'D1' }]);

    const hintFirst = await extractOne('legal-service-visits-twice-hint-first.xlsx', {
      name: '公共法律服务',
      header: ['日期', '村居', '服务类别', '人次（人）', '人次'],
      rows: [[day(2020, 2, 3), '后安定村', '法律咨询', 12, 10]],
    });
    expect(valuesOf(hintFirst, ['visits'])).toEqual([{ visits: 12 }]);
    expect(findingsOf(hintFirst)).toEqual([{ code: 'header.duplicate_column', level: '错误', cell: 'E1', expected: 'D1' }]);
  });

  it('names neither of two fields whose labels differ only in a bracket once it is taken off', async () => {
    // A ledger of the pack's own: 金额(元) and 金额(万元) are two columns.
    const own = createLedgerCatalog(
      ledgerCatalogSchema.parse({
        ledgers: [
          {
            id: 'grants',
            name: '补助台账',
            period: null,
            fields: [
              { id: 'item', header: '项目', type: 'text', required: true },
              { id: 'yuan', header: '金额(元)', type: 'number' },
              { id: 'wan', header: '金额(万元)', type: 'number' },
            ],
          },
        ],
      }).ledgers,
    );
    const x = await extractOne('grants-amounts-by-unit.xlsx', { name: '补助', header: ['项目', '金额（必填）', '金额（万元）（必填）', '金额(元)'], rows: [['修路', 1, 2, 3]] }, own);
    expect(headerOf(x).columns).toEqual({ item: 'A1', wan: 'C1', yuan: 'D1' });
    expect(valuesOf(x, ['item', 'yuan', 'wan'])).toEqual([{ item: '修路', yuan: 3, wan: 2 }]);
    expect(findingsOf(x)).toEqual([]);
  });

  it('takes the header repeated with its hints further down (one block per month) for a header, not for data', async () => {
    const header = ['服务日期（年月日）', '村居', '服务类别(必填)', '人次（人）'];
    const x = await extractOne('legal-service-monthly-blocks-with-hints.xlsx', {
      name: '公共法律服务',
      header,
      rows: [SERVICE_ROWS[0] ?? [], [], header, SERVICE_ROWS[1] ?? []],
    });
    expect(x.rowCount).toBe(2);
    expect(valuesOf(x, ['served_on', 'village', 'category', 'visits'])).toEqual(SERVICE_VALUES);
    expect(findingsOf(x)).toEqual([]);
  });
});

describe('the pipeline, on a real DuckDB file', () => {
  function expectCounted(run: ScenarioRun, consultations: number, aid: number): void {
    expect(run.findingsOf('header.missing_column')).toEqual([]);
    expect(run.findingsOf('dept.missing_submission')).toEqual([]);
    expect(run.findingsOf('sheet.unrecognized')).toEqual([]);
    expect(run.submission('justice', 'legal_service').status).toBe('已报');
    expect(run.indicator('service.consultations').value).toBe(consultations);
    expect(run.indicator('service.aid_consultations').value).toBe(aid);
  }

  it('counts a 公共法律服务台账 whose headers carry hints: no missing column, no missing submission', async () => {
    const run = await scenarios.run('legal-service-headers-with-hints', {
      roster: [{ code: 'justice', owes: ['legal_service'] }],
      files: {
        'justice/legal-service-headers-with-hints.xlsx': [
          {
            name: '公共法律服务',
            title: '安定镇2020年公共法律服务台账',
            header: ['服务日期（年月日）', '村居', '服务类别\n（法律咨询/法律援助咨询）', '人次（人）'],
            rows: [
              [day(2020, 2, 3), '后安定村', '法律咨询', 110],
              [day(2020, 3, 3), '前安定村', '法律援助咨询', 4],
              [day(2020, 4, 3), '后安定村', '法律咨询', 25],
              [day(2020, 5, 3), '高店村', '法律援助咨询', 7],
            ],
          },
        ],
      },
    });
    expectCounted(run, 135, 11);
    expect(run.findings).toEqual([]);
  });

  it.runIf(hasOpenpyxl)('counts the same ledger written by openpyxl, a header broken over two lines in its cell', async () => {
    const run = await scenarios.run('legal-service-headers-with-hints-openpyxl', {
      roster: [{ code: 'justice', owes: ['legal_service'] }],
      files: {
        'justice/legal-service-headers-with-hints.xlsx': {
          write: async (path) => {
            execFileSync(PYTHON, [BOOKS, 'legal-service-headers-with-hints', path]);
          },
        },
      },
    });
    expectCounted(run, 60, 15);
    expect(run.findings).toEqual([]);
  });

  it('reports 罚款金额（万元） as header.unit_mismatch in the report, and still counts the cases', async () => {
    const path = 'enforcement/penalty-fine-in-ten-thousands.xlsx';
    const run = await scenarios.run('penalty-fine-in-ten-thousands', {
      roster: [{ code: 'enforcement', owes: ['penalty'] }],
      files: {
        [path]: [
          {
            name: '行政处罚',
            header: ['案件编号', '立案日期', '当事人', '法制审核日期', '罚款金额（万元）'],
            rows: [
              ['安综执罚〔2020〕1号', day(2020, 4, 1), '某商户', day(2020, 4, 3), 0.2],
              ['安综执罚〔2020〕2号', day(2020, 5, 1), '某公司', day(2020, 5, 3), 1.5],
            ],
          },
        ],
      },
    });
    const [f, ...more] = run.findingsOf('header.unit_mismatch');
    expect(more).toEqual([]);
    expect(f).toMatchObject({ level: '错误', department: 'enforcement', file: path, sheet: '行政处罚', cell: 'E1', expected: '罚款金额(元)', ledger: 'penalty' });
    expect(run.findings.filter((x) => x.code !== 'header.unit_mismatch')).toEqual([]);
    expect(run.indicator('enforcement.penalty_reviews').value).toBe(2);
  });
});
