/**
 * Never a short figure in silence: a number a cell does not state exactly in its column's terms
 * is a finding at that cell.
 *
 * - An approximation (`约300`, `280余`, `二十余`, `近50`, `超过100`, `逾20`, `10多`, `三十来`,
 *   `50左右`, `100人以上`) is counted as its number, with a `cell.approximate` (警告) asking for the
 *   exact one. Words that only say "in all" or "in money" (`共15次`, `合计15`, `人民币500元`, `￥500`) are exact.
 * - A measure word counting another thing than the column (`3件` or `2场` in 人次, `5人` in 件数)
 *   is counted as written, with a `cell.measure_word` (警告); 次 in a 人次 column is its shorthand.
 * - An amount in another magnitude than the column's (`3.5万元` in 元, `35000元` in 万元,
 *   `1.2万人次` in 人次, `三万` in 人次, `壹万元整` in 元) states its own magnitude: it is counted
 *   converted into the column's unit, exactly, with a `cell.unit_mismatch` (警告) saying to what.
 * - 大写 amounts close with 整 or 正 (`伍仟元整`); `十二点五` is 12.5.
 * - A 年度统计表 writes its claims as the report does (`1200余`): no cell.approximate there.
 *
 * The parser is tested on its own; then workbooks written by openpyxl (Debian's python3) and a
 * CSV written byte by byte are read by tally's reader and run through the whole pipeline on a
 * real DuckDB file, the figures, the stored values and the findings with their cells checked.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractSheet, type SheetExtraction } from '../sheets/extract-sheet.ts';
import { loadLedgerCatalog } from '../sheets/ledger-catalog.ts';
import type { RawValue } from '../sheets/raw-sheet.ts';
import { readFile } from '../sheets/read-file.ts';
import { columnUnit, ok, parseInteger, parseNumber, type Bound } from '../sheets/values/index.ts';
import { PYTHON, pythonWith } from './support/python.ts';
import { queryDatabase } from './support/query-database.ts';
import { useScenarios, type ScenarioRun } from './support/scenario.ts';

const catalog = loadLedgerCatalog(join(import.meta.dirname, '..', 'packs', 'anding-2020', 'ledgers.json'));
const dir = join(import.meta.dirname, '.tmp', `approximate-values-${randomBytes(4).toString('hex')}`);
const scenarios = useScenarios({ outputs: false });
const hasPython = pythonWith(['openpyxl'], 'approximate values');

beforeAll(async () => {
  await mkdir(dir, { recursive: true });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs a Python script with the path to write as its argument. */
function python(script: string, path: string): void {
  execFileSync(PYTHON, ['-c', script, path], { stdio: ['ignore', 'ignore', 'pipe'] });
}

// ---- The parser ------------------------------------------------------------------------------

describe('parseNumber: approximations', () => {
  it.each<[RawValue, number, string, Bound]>([
    ['约300', 300, '约', 'about'],
    ['大约300', 300, '大约', 'about'],
    ['约计300', 300, '约计', 'about'],
    ['将近50', 50, '将近', 'less'],
    ['近50', 50, '近', 'less'],
    ['超过100', 100, '超过', 'more'],
    ['超100', 100, '超', 'more'],
    ['逾20', 20, '逾', 'more'],
    ['280余', 280, '余', 'more'],
    ['1,200余人次', 1200, '余', 'more'],
    ['二十余', 20, '余', 'more'],
    ['二十余人', 20, '余', 'more'],
    ['10多', 10, '多', 'more'],
    ['10多次', 10, '多', 'more'],
    ['300+', 300, '+', 'more'],
    ['三十来', 30, '来', 'about'],
    ['三十来人', 30, '来', 'about'],
    ['50左右', 50, '左右', 'about'],
    ['50人左右', 50, '左右', 'about'],
    ['50上下', 50, '上下', 'about'],
    ['100以上', 100, '以上', 'atLeast'],
    ['100人以上', 100, '以上', 'atLeast'],
    ['三十人以上', 30, '以上', 'atLeast'],
    ['50以下', 50, '以下', 'atMost'],
    ['50以内', 50, '以内', 'atMost'],
    ['约 300 人', 300, '约', 'about'],
    ['２８０余', 280, '余', 'more'],
  ])('reads %j as %d, noting the approximation (%s)', (raw, value, word, bound) => {
    expect(parseNumber(raw)).toEqual({ ok: true, value, notes: [{ kind: 'approximate', word, bound }] });
  });

  it.each<[RawValue, number]>([
    ['共15次', 15],
    ['共计15', 15],
    ['合计15', 15],
    ['累计15', 15],
    ['总计15', 15],
    ['计15', 15],
    ['达300', 300],
    ['多达300', 300],
    ['人民币500元', 500],
    ['RMB500', 500],
    ['￥500', 500],
    ['¥500', 500],
    ['1,200人次', 1200],
    ['三十五次', 35],
    ['15人（含村干部）', 15],
    ['2来访', 2],
  ])('reads %j as exactly %d, with no note', (raw, value) => {
    const parsed = parseNumber(raw);
    expect(parsed).toEqual({ ok: true, value });
    expect('notes' in parsed).toBe(false);
  });

  it('keeps the notes through parseInteger, and its failures as they were', () => {
    expect(parseInteger('280余', { min: 0 })).toEqual({ ok: true, value: 280, notes: [{ kind: 'approximate', word: '余', bound: 'more' }] });
    expect(parseInteger('约3.5')).toEqual({ ok: false, reason: '“约3.5”应为整数' });
    expect(parseInteger('约-3', { min: 0 })).toEqual({ ok: false, reason: '“约-3”不能小于0' });
  });

  it('makes nothing new for a plain cell: the shared results of ok() and no notes', () => {
    expect(parseNumber(null, { unit: columnUnit('人次') })).toBe(ok(null));
    expect(parseNumber('15', { unit: columnUnit('人次') })).toEqual({ ok: true, value: 15 });
    expect(parseNumber(15, { unit: columnUnit('人次') })).toEqual({ ok: true, value: 15 });
    expect('notes' in parseNumber('15人次', { unit: columnUnit('人次') })).toBe(false);
  });
});

describe('columnUnit: the unit a column is kept in, from its header', () => {
  it.each<[string, string | null, string | null, number]>([
    ['人次', '人次', 'person', 1],
    ['参与人数', '人', 'person', 1],
    ['参加人数', '人', 'person', 1],
    ['罚款金额(元)', '元', 'money', 1],
    ['罚没金额(元)', '元', 'money', 1],
    ['标的额(万元)', '万元', 'money', 1e4],
    ['标的额（万）', '万元', 'money', 1e4],
    ['案件数', '件', 'case', 1],
    ['次数', '次', 'event', 1],
    ['场次', '场次', 'event', 1],
    ['数值', null, null, 1],
  ])('reads %s as %s', (header, text, kind, magnitude) => {
    expect(columnUnit(header)).toMatchObject({ text, kind, magnitude });
  });
});

describe('parseNumber: a unit written in a cell, held against its column', () => {
  it.each<[string, RawValue, number]>([
    ['人次', '15人次', 15],
    ['人次', '15人', 15],
    ['人次', '15', 15],
    ['人次', '5个', 5],
    ['参与人数', '50人次', 50],
    ['参与人数', '50名', 50],
    ['罚款金额(元)', '500元', 500],
    ['罚款金额(元)', '人民币500元', 500],
    ['标的额(万元)', '3.5万元', 3.5],
    ['标的额(万元)', '三十五万元', 35],
    ['标的额(万元)', '35000', 35000],
    ['案件数', '3件', 3],
    ['次数', '15次', 15],
    ['场次', '3场', 3],
    ['数值', '35件', 35],
    ['数值', '1,236人次', 1236],
    // 次 in a 人次 column is its shorthand (人次 counts visits).
    ['人次', '10次', 10],
    ['人次', '共15次', 15],
    ['人次', '十次', 10],
    ['参与人数(人次)', '10次', 10],
    // 大写 amounts, closed with 整 or 正, and a decimal point in words.
    ['罚款金额(元)', '伍仟元整', 5000],
    ['罚款金额(元)', '贰仟伍佰元整', 2500],
    ['罚款金额(元)', '人民币伍仟元整', 5000],
    ['罚款金额(元)', '伍仟元正', 5000],
    ['数值', '十二点五', 12.5],
    ['数值', '三点零五', 3.05],
  ])('reads %s %j as %d, with no note: the same unit, or none', (header, raw, value) => {
    expect(parseNumber(raw, { unit: columnUnit(header) })).toEqual({ ok: true, value });
  });

  it.each<[string, RawValue, number, string, string, string]>([
    ['人次', '3件', 3, '件', '件数', '人次'],
    ['人次', '2场', 2, '场', '次数', '人次'],
    ['人次', '5户', 5, '户', '户数', '人次'],
    ['参与人数', '3场', 3, '场', '次数', '人数'],
    ['案件数', '5人', 5, '人', '人数', '件数'],
    ['次数', '15人次', 15, '人次', '人次', '次数'],
    ['罚款金额(元)', '3件', 3, '件', '件数', '金额'],
  ])('reads %s %j as %d, noting the measure word %s (counts %s, not %s)', (header, raw, value, word, counts, column) => {
    expect(parseNumber(raw, { unit: columnUnit(header) })).toEqual({ ok: true, value, notes: [{ kind: 'measure_word', word, counts, column }] });
  });

  it.each<[string, RawValue, string, string | null, number, number]>([
    ['罚款金额(元)', '3.5万元', '万元', '元', 35000, 1e4],
    ['罚款金额(元)', '1万元', '万元', '元', 10000, 1e4],
    ['罚款金额(元)', '1千元', '千元', '元', 1000, 1e3],
    ['罚款金额(元)', '3千元', '千元', '元', 3000, 1e3],
    ['罚款金额(元)', '1.1万元', '万元', '元', 11000, 1e4],
    ['罚款金额(元)', '0.3万元', '万元', '元', 3000, 1e4],
    ['罚款金额(元)', '三十五万', '万', '元', 350000, 1e4],
    ['罚款金额(元)', '一千元', '千元', '元', 1000, 1e3],
    ['罚款金额(元)', '壹万元整', '万元', '元', 10000, 1e4],
    ['罚款金额(元)', '人民币壹万元整', '万元', '元', 10000, 1e4],
    ['标的额(万元)', '35000元', '元', '万元', 3.5, 1e-4],
    ['标的额(万元)', '125000元', '元', '万元', 12.5, 1e-4],
    ['标的额(万元)', '人民币1234.5元', '元', '万元', 0.12345, 1e-4],
    ['人次', '1.2万人次', '万人次', '人次', 12000, 1e4],
    ['人次', '2万人次', '万人次', '人次', 20000, 1e4],
    ['人次', '十万', '万', '人次', 100000, 1e4],
    ['人次', '三万', '万', '人次', 30000, 1e4],
    ['数值', '1.2万', '万', null, 12000, 1e4],
    ['数值', '两千五百万', '万', null, 25000000, 1e4],
    ['参与人数', '1千人次', '千人次', '人', 1000, 1e3],
    ['参与人数', '1.2千人', '千人', '人', 1200, 1e3],
  ])('reads %s %j (in %s, the column in %s) converted into the column’s unit: %d, exactly, with a note', (header, raw, unit, column, value, ratio) => {
    expect(parseNumber(raw, { unit: columnUnit(header) })).toEqual({
      ok: true,
      value,
      notes: [{ kind: 'unit_mismatch', unit, column, value, ratio }],
    });
  });

  it('holds an integer column to whole numbers after the conversion, saying what the amount came to', () => {
    expect(parseInteger('1.25万人次', { unit: columnUnit('人次'), min: 0 })).toMatchObject({ ok: true, value: 12500 });
    expect(parseInteger('三万', { unit: columnUnit('人次'), min: 0 })).toMatchObject({ ok: true, value: 30000 });
    expect(parseInteger('0.00001万', { unit: columnUnit('人次'), min: 0 })).toEqual({ ok: false, reason: '“0.00001万”折合 0.1 人次，应为整数' });
    expect(parseInteger('0.00001万', { unit: columnUnit('数值') })).toEqual({ ok: false, reason: '“0.00001万”折合 0.1，应为整数' });
  });

  it('converts a number only when it states a magnitude: a plain number, or one in the column’s, stays as written', () => {
    expect(parseNumber('35000', { unit: columnUnit('标的额(万元)') })).toEqual({ ok: true, value: 35000 });
    expect(parseNumber('3.5万元', { unit: columnUnit('标的额(万元)') })).toEqual({ ok: true, value: 3.5 });
    expect(parseNumber('三万元', { unit: columnUnit('标的额(万元)') })).toEqual({ ok: true, value: 3 });
    expect(parseNumber('一千二百', { unit: columnUnit('罚款金额(元)') })).toEqual({ ok: true, value: 1200 });
    // A magnitude inside the numeral is part of it: read whole (一亿五千 was once taken as 一亿五千 万).
    expect(parseNumber('两千五百元', { unit: columnUnit('罚款金额(元)') })).toEqual({ ok: true, value: 2500 });
    expect(parseNumber('一亿五千万', { unit: columnUnit('数值') })).toEqual({ ok: true, value: 150000000 });
  });

  it('notes an approximation together with the measure word, and with a conversion', () => {
    expect(parseNumber('50场左右', { unit: columnUnit('参与人数') })).toEqual({
      ok: true,
      value: 50,
      notes: [
        { kind: 'approximate', word: '左右', bound: 'about' },
        { kind: 'measure_word', word: '场', counts: '次数', column: '人数' },
      ],
    });
    expect(parseNumber('约3.5万元', { unit: columnUnit('罚款金额(元)') })).toEqual({
      ok: true,
      value: 35000,
      notes: [
        { kind: 'approximate', word: '约', bound: 'about' },
        { kind: 'unit_mismatch', unit: '万元', column: '元', value: 35000, ratio: 1e4 },
      ],
    });
  });

  it('judges no unit without a column: the parser alone never applies one', () => {
    expect(parseNumber('3.5万元')).toEqual({ ok: true, value: 3.5 });
    expect(parseNumber('3件')).toEqual({ ok: true, value: 3 });
  });
});

// ---- Workbooks and a CSV, read by tally and run through the pipeline ---------------------------

/**
 * 公共法律服务台账 as a clerk fills it: a merged title, then 法律咨询 280余 (D3), 约30 (D4), 15 (a
 * number), 共15人次, 二十余 (D7); 法律援助咨询 3件 (D8), 10人次, 2万人次 (D10: 20000), 10次 (D11: 人次's shorthand).
 */
const LEGAL_SERVICE_WITH_APPROXIMATIONS = String.raw`
import sys, datetime, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.title = '公共法律服务'
ws.append(['安定镇公共法律服务台账（2020年）'])
ws.merge_cells('A1:D1')
ws.append(['服务日期', '村居', '服务类别', '人次'])
rows = [
    (1, '安定村', '法律咨询', '280余'),
    (2, '前野厂村', '法律咨询', '约30'),
    (3, '后安定村', '法律咨询', 15),
    (4, '东白塔村', '法律咨询', '共15人次'),
    (5, '高店村', '法律咨询', '二十余'),
    (6, '安定村', '法律援助咨询', '3件'),
    (7, '前野厂村', '法律援助咨询', '10人次'),
    (8, '西白塔村', '法律援助咨询', '2万人次'),
    (9, '东白塔村', '法律援助咨询', '10次'),
]
for month, village, category, visits in rows:
    ws.append([datetime.date(2020, month, 6), village, category, visits])
    ws.cell(row=ws.max_row, column=1).number_format = 'yyyy-mm-dd'
wb.save(sys.argv[1])
`;

/**
 * 行政处罚案件台账: 罚款金额(元) 3.5万元 (I2: 35000), 500元, 2000 (a number), 逾200 (I5), and 大写
 * amounts: 伍仟元整, 贰仟伍佰元整, 壹万元整 (I8: 10000), 一千元 (I9: 1000), 1千元 (I10: 1000).
 */
const PENALTY_WITH_AMOUNTS_IN_WAN = String.raw`
import sys, datetime, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.title = '行政处罚'
ws.append(['案件编号', '立案日期', '当事人', '案由', '法制审核日期', '是否重大执法决定', '集体讨论日期', '决定日期', '罚款金额(元)'])
fines = ['3.5万元', '500元', 2000, '逾200', '伍仟元整', '贰仟伍佰元整', '壹万元整', '一千元', '1千元']
for i, fine in enumerate(fines):
    ws.append(['安执罚〔2020〕%d号' % (i + 1), datetime.date(2020, i + 2, 3), '当事人%d' % (i + 1), '占道经营',
               datetime.date(2020, i + 2, 10), '否', None, datetime.date(2020, i + 2, 20), fine])
    for c in (2, 5, 8):
        ws.cell(row=ws.max_row, column=c).number_format = 'yyyy-mm-dd'
wb.save(sys.argv[1])
`;

/**
 * 年度统计表 as the report writes its figures: 法律咨询 360余 (B2: how the report writes 360),
 * 法律援助业务咨询 2万余 (B3: 20000, in the report's words for 20013).
 */
const SUMMARY_AS_THE_REPORT_WRITES = String.raw`
import sys, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.title = '统计表'
ws.append(['指标', '数值', '说明'])
ws.append(['法律咨询', '360余', None])
ws.append(['法律援助业务咨询', '2万余', None])
wb.save(sys.argv[1])
`;

/** 普法宣传台账 as a CSV (UTF-8 with BOM): 参与人数 近50 (E2), 超过100 (E3), 3场 (E4), 60人, 50左右 (E6). */
const PUBLICITY_CSV =
  '\ufeff日期,活动名称,宣传主题,形式,参与人数\r\n' +
  '2020-03-15,消费者权益日宣传,消费维权,摆摊,近50\r\n' +
  '2020-04-15,民法典进社区,民法典,讲座,超过100\r\n' +
  '2020-05-15,扫黑除恶宣传,扫黑除恶,发放材料,3场\r\n' +
  '2020-06-15,宪法宣传周,宪法,讲座,60人\r\n' +
  '2020-07-15,禁毒宣传,禁毒,展板,50左右\r\n';

describe.runIf(hasPython)('a workbook written by openpyxl, read by tally’s reader', () => {
  let sheets: SheetExtraction[];
  beforeAll(async () => {
    const path = join(dir, 'legal-service-with-approximations.xlsx');
    python(LEGAL_SERVICE_WITH_APPROXIMATIONS, path);
    sheets = [];
    for await (const sheet of readFile(path)) sheets.push(extractSheet(sheet, catalog, { year: 2020, department: 'justice', file: 'legal-service.xlsx' }));
  });

  it('reads each approximation as its number, a measure word as written, and an amount in 万 converted', () => {
    expect(sheets.map((x) => x.ledger?.id)).toEqual(['legal_service']);
    expect(sheets[0]?.rows.map((r) => [r.cells['visits'], r.values['visits']])).toEqual([
      ['D3', 280],
      ['D4', 30],
      ['D5', 15],
      ['D6', 15],
      ['D7', 20],
      ['D8', 3],
      ['D9', 10],
      ['D10', 20000],
      ['D11', 10],
    ]);
  });

  it('says so at each cell, in plain Chinese, and nothing of the exact ones', () => {
    const said = sheets[0]?.findings.map((f) => [f.code, f.level, f.cell, f.expected, f.actual, f.message]);
    expect(said).toEqual([
      ['cell.approximate', '警告', 'D3', '确切数字', '280余', '“人次”的“280余”是约数（多于 280），已按 280 计入，可能少计；请填写确切数字。'],
      ['cell.approximate', '警告', 'D4', '确切数字', '约30', '“人次”的“约30”是约数，已按 30 计入；请填写确切数字。'],
      ['cell.approximate', '警告', 'D7', '确切数字', '二十余', '“人次”的“二十余”是约数（多于 20），已按 20 计入，可能少计；请填写确切数字。'],
      [
        'cell.measure_word',
        '警告',
        'D8',
        '人次',
        '3件',
        '“人次”一栏应填人次，“3件”写的是件数（“件”），已按 3 计入；请核对是否填错了栏目或单位，改填人次的数字。',
      ],
      [
        'cell.unit_mismatch',
        '警告',
        'D10',
        '20000',
        '2万人次',
        '“人次”的“2万人次”已按 20000 人次计入（本栏以人次为单位）；请核对，今后请直接填写以人次计的数字。',
      ],
    ]);
  });
});

/** 行政处罚案件台账 with a 合计 row: 3.5万元 and 5000, and 合计 4万元 (I4) in 罚款金额(元). */
const PENALTY_WITH_TOTAL_IN_WAN = String.raw`
import sys, datetime, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.title = '行政处罚'
ws.append(['案件编号', '立案日期', '当事人', '案由', '法制审核日期', '是否重大执法决定', '集体讨论日期', '决定日期', '罚款金额(元)'])
for i, fine in enumerate(['3.5万元', 5000]):
    ws.append(['安执罚〔2020〕%d号' % (i + 1), datetime.date(2020, i + 2, 3), '当事人%d' % (i + 1), '占道经营',
               datetime.date(2020, i + 2, 10), '否', None, datetime.date(2020, i + 2, 20), fine])
ws.append(['合计', None, None, None, None, None, None, None, '4万元'])
wb.save(sys.argv[1])
`;

describe.runIf(hasPython)('a 合计 written in 万, read by tally’s reader', () => {
  it('reads the total in the column’s unit, as the rows it adds up: 40000 against 35000 + 5000', async () => {
    const path = join(dir, 'penalty-with-total-in-wan.xlsx');
    python(PENALTY_WITH_TOTAL_IN_WAN, path);
    const sheets: SheetExtraction[] = [];
    for await (const sheet of readFile(path)) sheets.push(extractSheet(sheet, catalog, { year: 2020, department: 'enforcement', file: 'penalty.xlsx' }));
    expect(sheets[0]?.rows.map((r) => r.values['fine'])).toEqual([35000, 5000]);
    expect(sheets[0]?.totals.map((t) => [t.field, t.stated, t.cell])).toEqual([['fine', 40000, 'I4']]);
  });
});

/**
 * Cells that say two things at once, each in its own ledger's sheet (openpyxl): 罚款金额(元)
 * 约3.5万元 (I2: approximate and in 万元, 35000) and 3万余元 (I3: 30000, more), 标的额(万元)
 * 约35000元 (C2: 3.5 万元), 人次 2万余人次 (D2: 20000, more) and 3件左右 (D3: approximate and 件数),
 * 参与人数 50场左右 (E2).
 */
const CELLS_SAYING_TWO_THINGS = String.raw`
import sys, datetime, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.title = '行政处罚'
ws.append(['案件编号', '立案日期', '当事人', '案由', '法制审核日期', '是否重大执法决定', '集体讨论日期', '决定日期', '罚款金额(元)'])
for i, fine in enumerate(['约3.5万元', '3万余元']):
    ws.append(['安执罚〔2020〕%d号' % (i + 1), datetime.date(2020, 3, 3), '当事人', '占道经营', datetime.date(2020, 3, 10), '否', None, None, fine])
ws = wb.create_sheet('合法性审查')
ws.append(['审查类别', '事项名称', '标的额(万元)', '审查日期'])
ws.append(['合同', '村道硬化工程合同', '约35000元', datetime.date(2020, 6, 8)])
ws = wb.create_sheet('公共法律服务')
ws.append(['服务日期', '村居', '服务类别', '人次'])
ws.append([datetime.date(2020, 5, 6), '安定村', '法律咨询', '2万余人次'])
ws.append([datetime.date(2020, 5, 7), '安定村', '法律咨询', '3件左右'])
ws = wb.create_sheet('普法宣传')
ws.append(['日期', '活动名称', '宣传主题', '形式', '参与人数'])
ws.append([datetime.date(2020, 3, 15), '消费者权益日宣传', '消费维权', '摆摊', '50场左右'])
wb.save(sys.argv[1])
`;

describe.runIf(hasPython)('a cell that is approximate and in another unit or measure word', () => {
  it('gets one finding at its cell, cell.approximate, saying both: approximate, and what it was counted as', async () => {
    const path = join(dir, 'cells-saying-two-things.xlsx');
    python(CELLS_SAYING_TWO_THINGS, path);
    const said: (string | null | undefined)[][] = [];
    for await (const sheet of readFile(path)) {
      const x = extractSheet(sheet, catalog, { year: 2020, department: 'enforcement', file: 'cells.xlsx' });
      for (const f of x.findings) said.push([f.code, f.level, `${sheet.name}!${f.cell ?? ''}`, f.expected, f.actual, f.message]);
    }
    expect(said).toEqual([
      [
        'cell.approximate',
        '警告',
        '行政处罚!I2',
        '确切数字',
        '约3.5万元',
        '“罚款金额(元)”的“约3.5万元”是约数，已换算为 35000 元计入（本栏以元为单位）；请填写以元计的确切数字。',
      ],
      [
        'cell.approximate',
        '警告',
        '行政处罚!I3',
        '确切数字',
        '3万余元',
        '“罚款金额(元)”的“3万余元”是约数（多于 30000），已换算为 30000 元计入（本栏以元为单位），可能少计；请填写以元计的确切数字。',
      ],
      [
        'cell.approximate',
        '警告',
        '合法性审查!C2',
        '确切数字',
        '约35000元',
        '“标的额(万元)”的“约35000元”是约数，已换算为 3.5 万元计入（本栏以万元为单位）；请填写以万元计的确切数字。',
      ],
      [
        'cell.approximate',
        '警告',
        '公共法律服务!D2',
        '确切数字',
        '2万余人次',
        '“人次”的“2万余人次”是约数（多于 20000），已换算为 20000 人次计入（本栏以人次为单位），可能少计；请填写以人次计的确切数字。',
      ],
      [
        'cell.approximate',
        '警告',
        '公共法律服务!D3',
        '确切数字',
        '3件左右',
        '“人次”的“3件左右”是约数，写的是件数（“件”），本栏应填人次，已按 3 计入；请核对是否填错了栏目或单位，改填人次的确切数字。',
      ],
      [
        'cell.approximate',
        '警告',
        '普法宣传!E2',
        '确切数字',
        '50场左右',
        '“参与人数”的“50场左右”是约数，写的是次数（“场”），本栏应填人数，已按 50 计入；请核对是否填错了栏目或单位，改填人数的确切数字。',
      ],
    ]);
  });
});

describe.runIf(hasPython)('a whole run: the figures, the stored values and the findings at their cells', () => {
  let run: ScenarioRun;
  const db = () => join(run.dir, 'tally.duckdb');
  beforeAll(async () => {
    run = await scenarios.run('approximate-values-and-units', {
      roster: [
        { code: 'justice', owes: ['legal_service'] },
        { code: 'enforcement', owes: ['penalty'] },
        { code: 'office', owes: ['publicity', 'summary'] },
      ],
      files: {
        'justice/公共法律服务台账.xlsx': { write: async (path) => python(LEGAL_SERVICE_WITH_APPROXIMATIONS, path) },
        'enforcement/行政处罚案件台账.xlsx': { write: async (path) => python(PENALTY_WITH_AMOUNTS_IN_WAN, path) },
        'office/普法宣传台账.csv': { bytes: Buffer.from(PUBLICITY_CSV, 'utf8') },
        'office/年度统计表.xlsx': { write: async (path) => python(SUMMARY_AS_THE_REPORT_WRITES, path) },
      },
    });
  }, 120_000);

  it('counts the approximations as their numbers and amounts in 万 converted, and gives the figures as 有警告', () => {
    // 280 + 30 + 15 + 15 + 20: each approximation is in the figure. 3 + 10 + 20000 + 10: the
    // 2万人次 converted. Nothing was left unread: no figure 有错误.
    expect(run.indicator('service.consultations')).toMatchObject({ value: 360, status: '有警告' });
    expect(run.indicator('service.aid_consultations')).toMatchObject({ value: 20023, status: '有警告' });
    // Approximations alone (and a measure word): counted, and the figure is not given as clean.
    expect(run.indicator('publicity.events')).toMatchObject({ value: 5, status: '有警告' });
    expect(run.indicator('enforcement.penalty_reviews')).toMatchObject({ value: 9, status: '有警告' });
  });

  it('takes the 年度统计表’s claims as the report writes them: no cell.approximate there, and no mismatch', async () => {
    const claims = await queryDatabase(db(), `select value__cell as cell, value from summary order by row_no`);
    expect(claims.map((r) => [r['cell'], Number(r['value'])])).toEqual([
      ['B2', 360],
      ['B3', 20000],
    ]);
    expect(run.findingsOf('cell.approximate').filter((f) => f.department === 'office' && f.sheet === '统计表')).toEqual([]);
    expect(run.findingsOf('indicator.self_reported_mismatch')).toEqual([]);
    // 2万 is still converted, and said so.
    const converted = run.findingsOf('cell.unit_mismatch').find((f) => f.sheet === '统计表');
    expect([converted?.level, converted?.cell, converted?.message]).toEqual([
      '警告',
      'B3',
      '“数值”的“2万余”已按 20000 计入（本栏只填数字本身）；请核对，今后请直接填写不带“万”的数字。',
    ]);
  });

  it('stores the values as counted in the DuckDB file', async () => {
    const visits = await queryDatabase(db(), `select visits__cell as cell, visits from legal_service order by row_no`);
    expect(visits.map((r) => [r['cell'], r['visits'] === null ? null : Number(r['visits'])])).toEqual([
      ['D3', 280],
      ['D4', 30],
      ['D5', 15],
      ['D6', 15],
      ['D7', 20],
      ['D8', 3],
      ['D9', 10],
      ['D10', 20000],
      ['D11', 10],
    ]);
    const fines = await queryDatabase(db(), `select fine__cell as cell, fine from penalty order by row_no`);
    expect(fines.map((r) => [r['cell'], r['fine']])).toEqual([
      ['I2', 35000],
      ['I3', 500],
      ['I4', 2000],
      ['I5', 200],
      ['I6', 5000],
      ['I7', 2500],
      ['I8', 10000],
      ['I9', 1000],
      ['I10', 1000],
    ]);
    const participants = await queryDatabase(db(), `select participants__cell as cell, participants from publicity order by row_no`);
    expect(participants.map((r) => [r['cell'], Number(r['participants'])])).toEqual([
      ['E2', 50],
      ['E3', 100],
      ['E4', 3],
      ['E5', 60],
      ['E6', 50],
    ]);
  });

  it('reports each at its file, sheet and cell, in the run’s findings and in the database', async () => {
    const placed = (code: string) => run.findingsOf(code as 'cell.approximate').map((f) => [f.level, f.department, f.file, f.sheet, f.cell, f.actual]);
    expect(placed('cell.approximate').sort()).toEqual(
      [
        ['警告', 'enforcement', 'enforcement/行政处罚案件台账.xlsx', '行政处罚', 'I5', '逾200'],
        ['警告', 'justice', 'justice/公共法律服务台账.xlsx', '公共法律服务', 'D3', '280余'],
        ['警告', 'justice', 'justice/公共法律服务台账.xlsx', '公共法律服务', 'D4', '约30'],
        ['警告', 'justice', 'justice/公共法律服务台账.xlsx', '公共法律服务', 'D7', '二十余'],
        ['警告', 'office', 'office/普法宣传台账.csv', '普法宣传台账', 'E2', '近50'],
        ['警告', 'office', 'office/普法宣传台账.csv', '普法宣传台账', 'E3', '超过100'],
        ['警告', 'office', 'office/普法宣传台账.csv', '普法宣传台账', 'E6', '50左右'],
      ].sort(),
    );
    expect(placed('cell.measure_word').sort()).toEqual(
      [
        ['警告', 'justice', 'justice/公共法律服务台账.xlsx', '公共法律服务', 'D8', '3件'],
        ['警告', 'office', 'office/普法宣传台账.csv', '普法宣传台账', 'E4', '3场'],
      ].sort(),
    );
    expect(placed('cell.unit_mismatch').sort()).toEqual(
      [
        ['警告', 'enforcement', 'enforcement/行政处罚案件台账.xlsx', '行政处罚', 'I2', '3.5万元'],
        ['警告', 'enforcement', 'enforcement/行政处罚案件台账.xlsx', '行政处罚', 'I8', '壹万元整'],
        ['警告', 'enforcement', 'enforcement/行政处罚案件台账.xlsx', '行政处罚', 'I9', '一千元'],
        ['警告', 'enforcement', 'enforcement/行政处罚案件台账.xlsx', '行政处罚', 'I10', '1千元'],
        ['警告', 'justice', 'justice/公共法律服务台账.xlsx', '公共法律服务', 'D10', '2万人次'],
        ['警告', 'office', 'office/年度统计表.xlsx', '统计表', 'B3', '2万余'],
      ].sort(),
    );
    const fine = run.findingsOf('cell.unit_mismatch').find((f) => f.cell === 'I2');
    expect(fine?.expected).toBe('35000');
    expect(fine?.message).toBe('“罚款金额(元)”的“3.5万元”已按 35000 元计入（本栏以元为单位）；请核对，今后请直接填写以元计的数字。');
    expect(run.findingsOf('cell.measure_word').find((f) => f.cell === 'E4')?.message).toBe(
      '“参与人数”一栏应填人数，“3场”写的是次数（“场”），已按 3 计入；请核对是否填错了栏目或单位，改填人数的数字。',
    );
    expect(run.findingsOf('cell.approximate').find((f) => f.cell === 'E2')?.message).toBe(
      '“参与人数”的“近50”是约数（不到 50），已按 50 计入，可能多计；请填写确切数字。',
    );
    // Nothing else is said of these cells: no cell.type, no 合计 to blame.
    expect(run.findingsOf('cell.type')).toEqual([]);
    const stored = await queryDatabase(
      db(),
      `select code, level, cell from findings where run_id = (select max(run_id) from findings) and code in ('cell.approximate', 'cell.measure_word', 'cell.unit_mismatch') order by code, cell`,
    );
    expect(stored.map((r) => [r['code'], r['level'], r['cell']])).toEqual([
      ['cell.approximate', '警告', 'D3'],
      ['cell.approximate', '警告', 'D4'],
      ['cell.approximate', '警告', 'D7'],
      ['cell.approximate', '警告', 'E2'],
      ['cell.approximate', '警告', 'E3'],
      ['cell.approximate', '警告', 'E6'],
      ['cell.approximate', '警告', 'I5'],
      ['cell.measure_word', '警告', 'D8'],
      ['cell.measure_word', '警告', 'E4'],
      ['cell.unit_mismatch', '警告', 'B3'],
      ['cell.unit_mismatch', '警告', 'D10'],
      ['cell.unit_mismatch', '警告', 'I10'],
      ['cell.unit_mismatch', '警告', 'I2'],
      ['cell.unit_mismatch', '警告', 'I8'],
      ['cell.unit_mismatch', '警告', 'I9'],
    ]);
  });
});
