/**
 * What a clerk's ordinary sheet holds that the row rules once took for something else: the
 * signature block under the footer (the unit and the day it signed), a summary table of its own
 * under 填报人, a month's 小计 whose month is a date, 1月 | 小计, a village's 小计 naming its
 * 服务类别, 其中：… under the 合计, and 1-12月合计. Real xlsx files written by openpyxl (and
 * CSV), read through tally's reader, and whole runs on a DuckDB file.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractSheet, type SheetExtraction } from '../sheets/extract-sheet.ts';
import { loadLedgerCatalog } from '../sheets/ledger-catalog.ts';
import { readFile } from '../sheets/read-file.ts';
import { useScenarios } from './support/scenario.ts';

const catalog = loadLedgerCatalog(join(import.meta.dirname, '..', 'packs', 'anding-2020', 'ledgers.json'));
const dir = join(import.meta.dirname, '.tmp', `row-rules-fp-${randomBytes(4).toString('hex')}`);
const scenarios = useScenarios({ outputs: false });
const PYTHON = '/usr/bin/python3';

beforeAll(async () => {
  await mkdir(dir, { recursive: true });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** openpyxl's preamble: `D` a date, `sheet(rows)` a workbook of one sheet saved at argv[1]. */
const PRELUDE = `
import openpyxl, datetime, sys
D = datetime.datetime
def sheet(rows, fmt=None):
    wb = openpyxl.Workbook(); ws = wb.active; ws.title = 'Sheet1'
    for r in rows: ws.append(r)
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, datetime.datetime): c.number_format = fmt or 'yyyy-mm-dd'
    wb.save(sys.argv[1])
`;

function writeWithPython(file: string, script: string): string {
  const path = join(dir, file);
  execFileSync(PYTHON, ['-c', PRELUDE + script, path]);
  return path;
}

async function extractPath(path: string, department = 'justice'): Promise<SheetExtraction[]> {
  const out: SheetExtraction[] = [];
  for await (const sheet of readFile(path)) out.push(extractSheet(sheet, catalog, { year: 2020, department, file: basename(path) }));
  return out;
}

async function only(path: string): Promise<SheetExtraction> {
  const [x] = await extractPath(path);
  if (x === undefined) throw new Error(`no sheet in ${path}`);
  return x;
}

const MEDIATION = `
hdr = ['序号', '受理日期', '当事人', '纠纷类型', '案件来源', '调解结果', '结案日期']
cases = [[i + 1, D(2020, 3, i + 1), '张%d与李%d' % (i, i), '邻里纠纷', '村调委会', '调解成功', D(2020, 3, i + 10)] for i in range(5)]
`;
const SERVICE = `
hdr = ['日期', '村居', '服务类别', '人次']
rows = [[D(2020, 5, i + 1), '西庄村', '法律咨询', 3] for i in range(4)]
`;

describe('row.below_footer: the footer’s own lines and tables are not cases', () => {
  it('says nothing of the unit and the day it signed, under the signatures', async () => {
    const path = writeWithPython(
      'signdate.xlsx',
      MEDIATION +
        `sheet([['后安定村人民调解台账'], hdr] + cases + [
  ['单位负责人：张三', None, '填表人：李四', None, '联系电话：13800000000', None, '填报日期：2021年1月5日'],
  [None, '安定镇司法所', None, None, None, None, D(2020, 12, 31)],
])`,
    );
    const x = await only(path);
    expect(x.findings.map((f) => f.code)).toEqual([]);
    expect(x.rows).toHaveLength(5);
  });

  it('says nothing of the signer’s name and the date under 填报人', async () => {
    const path = writeWithPython('namedate.xlsx', MEDIATION + `sheet([hdr] + cases + [['填报人：李四', None, None, '审核人：王五'], [None, D(2020, 12, 28), '李四']])`);
    const x = await only(path);
    expect(x.findings.map((f) => f.code)).toEqual([]);
    expect(x.rows).toHaveLength(5);
  });

  it('says nothing of a 分类统计 table under 填报人, with or without its title', async () => {
    const mediation = writeWithPython(
      'second-table.xlsx',
      MEDIATION +
        `sheet([hdr] + cases + [['填报人：李四', '', '审核人：王五'], [], ['统计', None, '纠纷类型', '件数', None, '调解结果'],
  [None, None, '邻里纠纷', 3, None, '调解成功'], [None, None, '婚姻家庭', 2, None, '调解成功'], [None, None, '合计', 5]])`,
    );
    const service = writeWithPython(
      'service-second-table.xlsx',
      SERVICE + `sheet([hdr] + rows + [['填报人：李四', '审核人：王五'], [], [None, '分类统计', None, None], [None, '全年', '法律咨询', 12], [None, '全年', '法律援助咨询', 0]])`,
    );
    const untitled = writeWithPython(
      'untitled-table.xlsx',
      MEDIATION + `sheet([hdr] + cases + [['填报人：李四'], [None, None, '婚姻家庭', 2, None, '调解成功']])`,
    );
    for (const path of [mediation, service, untitled]) {
      const x = await only(path);
      expect(x.findings.map((f) => `${f.code} ${f.cell ?? ''}`), basename(path)).toEqual([]);
      expect(x.totals, basename(path)).toEqual([]);
    }
  });

  it('still says a case left under the footer with its 调解结果 forgotten', async () => {
    const path = writeWithPython(
      'case-under-footer.xlsx',
      MEDIATION + `sheet([hdr] + cases + [['填报人：李四'], [6, D(2020, 12, 3), '张六与李六', '婚姻家庭', '来访', None, None]])`,
    );
    const x = await only(path);
    expect(x.findings.map((f) => `${f.code} ${f.cell ?? ''} ${f.expected ?? ''}`)).toEqual(['row.below_footer 8 调解结果']);
    expect(x.rows).toHaveLength(5);
  });

  it('says nothing of 2020年12月31日 | 安定镇司法所 under the footer of a CSV, in a whole run', async () => {
    const run = await scenarios.run('csv-signature', {
      roster: [{ code: 'justice', owes: ['legal_service'] }],
      files: {
        'justice/公共法律服务台账.csv': {
          csv: [
            ['日期', '村居', '服务类别', '人次'],
            ['2020-03-05', '后安定村', '法律咨询', 10],
            ['2020-04-01', '西庄村', '法律咨询', 12],
            ['2020-04-02', '西庄村', '法律援助咨询', 8],
            ['合计', '', '', 30],
            ['填报人：李四', '', '审核人：王五', ''],
            ['2020年12月31日', '安定镇司法所', '', ''],
          ],
          encoding: 'gb18030',
        },
      },
    });
    expect(run.findings.filter((f) => f.code !== 'dept.missing_submission').map((f) => `${f.code} ${f.cell ?? ''}`)).toEqual([]);
    expect(run.indicator('service.consultations').value).toBe(22);
    expect(run.indicator('service.consultations').status).not.toBe('有错误');
  });
});

/** Publicity of three months, each closed by `<month cell> | 小计 | | | 80`, then 合计 240. */
const PUBLICITY_MONTHS = `
import json
months = json.loads(sys.argv[2])
wb = openpyxl.Workbook(); ws = wb.active; ws.title = 'Sheet1'
ws.append(['日期', '活动名称', '宣传主题', '形式', '参与人数'])
for m, label in enumerate(months, start=1):
    for i in range(2):
        ws.append([D(2020, m, i + 10), '%d月法治宣传%d' % (m, i), '宪法', '讲座', 40]); ws.cell(ws.max_row, 1).number_format = 'yyyy-mm-dd'
    if label == 'date':
        # Typing 2020年3月 stores the month's first day, shown as the clerk typed it.
        ws.append([D(2020, m, 1), '小计', None, None, 80]); ws.cell(ws.max_row, 1).number_format = 'yyyy"年"m"月"'
    else:
        ws.append([label, '小计', None, None, 80])
ws.append([D(2020, 12, 1), '小计算器使用培训', '科普', '培训', 20]); ws.cell(ws.max_row, 1).number_format = 'yyyy-mm-dd'
ws.append([D(2020, 12, 2), '合计', '年终', '座谈', 10]); ws.cell(ws.max_row, 1).number_format = 'yyyy-mm-dd'
ws.append(['合计', None, None, None, 270])
wb.save(sys.argv[1])
`;

function writePublicityMonths(file: string, months: readonly string[]): string {
  const path = join(dir, file);
  execFileSync(PYTHON, ['-c', PRELUDE + PUBLICITY_MONTHS, path, JSON.stringify(months)]);
  return path;
}

describe('a month’s 小计 whose month is a date (2020年3月 typed, a date stored)', () => {
  it('is a subtotal; an activity with a date and its name (小计算器使用培训, even 合计 with its theme) stays data', async () => {
    const x = await only(writePublicityMonths('month-dates.xlsx', ['date', 'date', 'date']));
    expect(x.rows.map((r) => r.rowNumber)).toEqual([2, 3, 5, 6, 8, 9, 11, 12]);
    expect(x.findings.map((f) => f.code)).toEqual([]);
    expect(x.totals).toEqual([{ field: 'participants', stated: 270, cell: 'E13' }]);
  });

  it('counts the activities once in a whole run, and blames no 合计', async () => {
    const run = await scenarios.run('month-date-subtotals', {
      roster: [{ code: 'justice', owes: ['publicity'] }],
      files: { 'justice/司法所普法宣传台账.xlsx': { write: async (path) => void execFileSync(PYTHON, ['-c', PRELUDE + PUBLICITY_MONTHS, path, '["date","date","date"]']) } },
    });
    expect(run.findings.filter((f) => f.code !== 'dept.missing_submission').map((f) => `${f.code} ${f.cell ?? ''}`)).toEqual([]);
    expect(run.indicator('publicity.events').value).toBe(8);
  });
});

/** Four activities, the stamp line, then the unit and the day it signed: 2020-12-30 | 安定镇综合执法队. */
const PUBLICITY_SIGNED = `
hdr = ['日期', '活动名称', '宣传主题', '形式', '参与人数']
rows = [[D(2020, 4, i + 1), '普法进社区%d' % i, '民法典', '讲座', 50] for i in range(4)]
sheet([hdr] + rows + [['填报单位（盖章）：', None, None, '填报人：李四'], [D(2020, 12, 30), '安定镇综合执法队'],
  [D(2020, 12, 29), '宪法宣传周活动'], ['2020年12月31日', '安定镇人民政府（盖章）']])
`;

describe('the unit and the day it signed, under the footer, filling 日期 and 活动名称', () => {
  it('is the footer’s, not an activity; an activity added under the footer is still read', async () => {
    const x = await only(writeWithPython('publicity-signed.xlsx', PUBLICITY_SIGNED));
    expect(x.rows.map((r) => r.rowNumber)).toEqual([2, 3, 4, 5, 8]);
    expect(x.findings.map((f) => f.code)).toEqual([]);
  });

  it('counts the activities only, in a whole run', async () => {
    const run = await scenarios.run('publicity-signed', {
      roster: [{ code: 'enforcement', owes: ['publicity'] }],
      files: { 'enforcement/执法队普法宣传台账.xlsx': { write: async (path) => void execFileSync(PYTHON, ['-c', PRELUDE + PUBLICITY_SIGNED, path]) } },
    });
    expect(run.findings.filter((f) => f.code !== 'dept.missing_submission').map((f) => `${f.code} ${f.cell ?? ''}`)).toEqual([]);
    expect(run.indicator('publicity.events').value).toBe(5);
  });
});

describe('a month in digits beside 小计 (1月 | 小计, 2月份 | 小计)', () => {
  it('is a subtotal, as 一月 | 小计 is', async () => {
    const x = await only(writePublicityMonths('month-digits.xlsx', ['1月', '2月份', '一月']));
    expect(x.rows.map((r) => r.rowNumber)).toEqual([2, 3, 5, 6, 8, 9, 11, 12]);
    expect(x.findings.map((f) => `${f.code} ${f.cell ?? ''}`)).toEqual([]);
    expect(x.totals).toEqual([{ field: 'participants', stated: 270, cell: 'E13' }]);
  });
});

describe('a village’s 小计 that names the 服务类别 its rows share (后安定村小计 | | 法律咨询 | 30)', () => {
  it('is a subtotal, and the 全镇合计 of 60 is stated against six rows of 10', async () => {
    const x = await only(
      writeWithPython(
        'service-village-category.xlsx',
        SERVICE.replace('rows = ', 'unused = ') +
          `rows = [hdr]
for v in ['后安定村', '西庄村']:
    for i in range(3): rows.append([D(2020, 4, i + 1), v, '法律咨询', 10])
    rows.append(['%s小计' % v, None, '法律咨询', 30])
rows.append(['全镇合计', None, None, 60])
sheet(rows)`,
      ),
    );
    expect(x.rows.map((r) => r.rowNumber)).toEqual([2, 3, 4, 6, 7, 8]);
    expect(x.findings.map((f) => `${f.code} ${f.cell ?? ''}`)).toEqual([]);
    expect(x.totals).toEqual([{ field: 'visits', stated: 60, cell: 'D10' }]);
  });
});

describe('其中：… under the 合计', () => {
  it('breaks the total down: not data, compared with nothing, in one cell or spread over the row', async () => {
    const inOneCell = writeWithPython('breakdown.xlsx', MEDIATION + `sheet([hdr] + cases + [['合计：5件'], ['其中：调解成功5件，调解不成功0件']])`);
    const spread = writeWithPython(
      'breakdown-cells.xlsx',
      MEDIATION + `sheet([hdr] + cases + [['合计', None, None, None, None, '5件'], ['其中', None, None, None, None, '调解成功', None], [None, '内含：邻里纠纷5件']])`,
    );
    for (const path of [inOneCell, spread]) {
      const x = await only(path);
      expect(x.rows.map((r) => r.rowNumber), basename(path)).toEqual([2, 3, 4, 5, 6]);
      expect(x.findings.map((f) => `${f.code} ${f.cell ?? ''}`), basename(path)).toEqual([]);
      expect(x.totals.map((t) => t.stated), basename(path)).toEqual([5]);
    }
  });
});

describe('1-12月合计 and its kin', () => {
  it('is the grand total, compared with the rows, while 1-3月合计 stays a subtotal', async () => {
    for (const label of ['1-12月合计', '2020年1-12月合计', '1月-12月合计', '一至十二月合计']) {
      const path = writeWithPython(
        `whole-year-${label}.xlsx`,
        `hdr = ['日期', '活动名称', '宣传主题', '形式', '参与人数']
rows = [[D(2020, 8, i + 1), '活动%d' % i, '宪法', '讲座', 10] for i in range(3)]
sheet([hdr] + rows + [['1-3月合计', None, None, None, 20], [${JSON.stringify(label)}, None, None, None, 99]])`,
      );
      const x = await only(path);
      expect(x.rows.map((r) => r.rowNumber), label).toEqual([2, 3, 4]);
      expect(x.totals, label).toEqual([{ field: 'participants', stated: 99, cell: 'E6' }]);
    }
  });
});
