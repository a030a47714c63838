/**
 * Values as systems export them and clerks type them, read as the clerk sees them in Excel:
 *
 * - a CSV field `="…"` (case-handling systems keep case numbers and dates as text that way) is
 *   the text inside, as Excel and LibreOffice show it — in a GBK file quoted by the CSV rules
 *   (`"=""2020-01-03"""`) and in a UTF-8 file unquoted;
 * - a date or number after an apostrophe (`'2020-03-05`, which Excel and LibreOffice show with
 *   its apostrophe, as text) is read, with a `cell.leading_apostrophe` warning at its cell;
 * - a formula that mirrors an empty date cell (`='结案登记'!B3`, its result 0, shown 1900/1/0)
 *   is an empty cell, not a date of 1899; a 0 typed in is refused in plain words; a formula whose
 *   result was never calculated is still a `cell.formula_error`;
 * - dates clerks type with a time of day, a trailing 日 or full stop, or without 日 are read;
 *   what cannot be read is refused with the reason (a two-digit year, no day, no year, two dates).
 *
 * The files are written here (CSV bytes, workbooks by openpyxl and XlsxWriter under
 * /usr/bin/python3, recalculated by LibreOffice), read by tally's reader and checked against
 * LibreOffice where it is installed; the whole pipeline runs on real DuckDB files.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile as readBytes, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCsv } from '../demo/ledger-workbook.ts';
import { loadLedgerCatalog } from '../sheets/ledger-catalog.ts';
import type { RawSheet, RawValue } from '../sheets/raw-sheet.ts';
import { readCell } from '../sheets/read-cell.ts';
import { readFile } from '../sheets/read-file.ts';
import { parseDate } from '../sheets/values/parse-date.ts';
import type { Parsed } from '../sheets/values/parsed.ts';
import { NO_SOFFICE_REASON, SOFFICE } from './support/libreoffice.ts';
import { PYTHON, pythonWith } from './support/python.ts';
import { queryDatabase } from './support/query-database.ts';
import { useScenarios } from './support/scenario.ts';

const DIR = join(import.meta.dirname, '.tmp', `system-exports-and-dates-${randomBytes(4).toString('hex')}`);
const catalog = loadLedgerCatalog(join(import.meta.dirname, '..', 'packs', 'anding-2020', 'ledgers.json'));
const scenarios = useScenarios({ outputs: false });
const hasPython = pythonWith(['openpyxl', 'xlsxwriter'], 'system exports and dates');
const ctx = { year: 2020 };

beforeAll(async () => {
  await mkdir(DIR, { recursive: true });
});

afterAll(async () => {
  await rm(DIR, { recursive: true, force: true });
});

// ---- The fixtures

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const textFormula = (text: string) => `="${text}"`;
const caseNo = (n: number) => `京兴安综罚〔2020〕第${String(n).padStart(4, '0')}号`;

const PENALTY_HEADER = ['案件编号', '立案日期', '当事人', '案由', '法制审核日期', '是否重大执法决定', '集体讨论日期', '决定日期', '罚款金额(元)'];

/**
 * 15 penalty cases as a case-handling system exports them: the case number and the dates
 * written `="…"`, the rest plain, 集体讨论日期 empty; reviewed 5 days after filing, all in 2020.
 */
function penaltyExport(): string[][] {
  const rows = [PENALTY_HEADER];
  for (let i = 0; i < 15; i++) {
    const filed = Date.UTC(2020, 0, 3) + i * 20 * DAY;
    rows.push([
      textFormula(caseNo(i + 1)),
      textFormula(isoDay(filed)),
      `当事人${i + 1}`,
      '违法建设',
      textFormula(isoDay(filed + 5 * DAY)),
      '否',
      '',
      textFormula(isoDay(filed + 8 * DAY)),
      String([500, 1000, 2000, 5000][i % 4]),
    ]);
  }
  return rows;
}

/**
 * 12 legal-service rows as an export and a clerk's edits leave them: 日期 written `'2020-…`
 * (rows 3, 7, 11) or `="2020-…"` (rows 4, 8, 12), 人次 written `="n"` (rows 2, 5, 8, 11) or
 * `'8` (row 7), and 村居 `'安定村` in row 9 (a text column). 人次 is 3 + i: 法律咨询 on the
 * even i (3+5+…+13 = 48), 法律援助咨询 on the odd (4+6+…+14 = 54).
 */
function legalServiceExport(): string[][] {
  const rows = [['日期', '村居', '服务类别', '人次']];
  for (let i = 0; i < 12; i++) {
    const date = isoDay(Date.UTC(2020, i, 10));
    const visits = String(3 + i);
    rows.push([
      i % 4 === 1 ? `'${date}` : i % 4 === 2 ? textFormula(date) : date,
      i === 7 ? "'安定村" : ['前安定村', '后安定村', '安定村'][i % 3] ?? '',
      i % 2 === 0 ? '法律咨询' : '法律援助咨询',
      i % 3 === 0 ? textFormula(visits) : i === 5 ? `'${visits}` : visits,
    ]);
  }
  return rows;
}

/**
 * The forms of `="…"` one by one, as written in a CSV line (unquoted unless the line quotes
 * it), with what Excel and LibreOffice show: the first ones tally reads the same way; the last
 * ones are other formulas (calculated there, not here) and a literal with a lone quote (an
 * error there), which tally keeps as written.
 */
const FORMS: readonly { readonly csv: string; readonly shown: string | null; readonly tally?: string }[] = [
  { csv: '="0012"', shown: '0012' },
  { csv: '"=""0012"""', shown: '0012' },
  { csv: '= "科员"', shown: '科员' },
  { csv: '="科员" ', shown: '科员' },
  { csv: '"=""第""""1""""号"""', shown: '第"1"号' },
  { csv: '=""', shown: null },
  { csv: '="=""y"""', shown: '="y"' },
  { csv: ' ="x"', shown: ' ="x"' },
  { csv: "'2020-03-05", shown: "'2020-03-05" },
  { csv: '=1+1', shown: '2', tally: '=1+1' },
  { csv: '="a"&"b"', shown: 'ab', tally: '="a"&"b"' },
  { csv: '="a"b"', shown: '#VALUE!', tally: '="a"b"' },
];

async function writeFixtures(): Promise<void> {
  await writeCsv(join(DIR, 'penalty-case-system-export-gbk.csv'), penaltyExport(), { encoding: 'gb18030' });
  await writeCsv(join(DIR, 'legal-service-export-with-apostrophes-utf8.csv'), legalServiceExport());
  const forms = ['序号,内容', ...FORMS.map((f, i) => `${i + 1},${f.csv}`)].join('\r\n') + '\r\n';
  await writeFile(join(DIR, 'text-formula-forms-utf8.csv'), forms, 'utf8');
}

async function readAll(path: string): Promise<RawSheet[]> {
  const sheets: RawSheet[] = [];
  for await (const sheet of readFile(path)) sheets.push(sheet);
  return sheets;
}

/** A sheet's rows as the text of each cell (null for none), trailing empty cells dropped. */
async function cellTexts(path: string): Promise<(string | null)[][]> {
  const [sheet] = await readAll(path);
  return (sheet?.rows ?? []).map((r) => {
    // Array.from, not map: a reader may leave an empty cell a hole in the array (the HTML one does).
    const cells = Array.from(r.cells, (c) => (c === undefined ? null : String(c.value)));
    while (cells.length > 0 && cells[cells.length - 1] === null) cells.pop();
    return cells;
  });
}

/** Runs `soffice` headless with a profile of its own (tests may run at the same time). */
async function soffice(args: readonly string[]): Promise<void> {
  if (SOFFICE === undefined) throw new Error(NO_SOFFICE_REASON);
  const profile = await mkdtemp(join(tmpdir(), 'tally-lo-'));
  try {
    const result = spawnSync(SOFFICE, [`-env:UserInstallation=${pathToFileURL(profile).href}`, '--headless', '--norestore', ...args], {
      encoding: 'utf8',
      timeout: 180_000,
    });
    if (result.status !== 0) throw new Error(`soffice failed (${result.status ?? result.signal}): ${result.stderr}`);
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

/**
 * CSVs as LibreOffice opens them with its default CSV settings (the columns' type Standard, so
 * a `=…` field is a formula, as in Excel), converted to xlsx (one soffice for the files of one
 * character set) and read back by openpyxl as the values LibreOffice calculated and shows: each
 * cell's text (a whole number without `.0`, a date as YYYY-MM-DD), null for none; trailing
 * empty cells and empty rows dropped. By file name.
 */
async function readWithLibreOffice(files: Readonly<Record<string, 'gb18030' | 'utf-8'>>): Promise<Map<string, (string | null)[][]>> {
  const out = join(DIR, 'libreoffice');
  for (const charset of ['gb18030', 'utf-8'] as const) {
    const names = Object.keys(files).filter((name) => files[name] === charset);
    // Comma, double quote, character set (85 GB18030, 76 UTF-8), from line 1.
    const filter = `--infilter=CSV:44,34,${charset === 'gb18030' ? 85 : 76},1`;
    if (names.length > 0) await soffice([filter, '--convert-to', 'xlsx', '--outdir', out, ...names.map((name) => join(DIR, name))]);
  }
  const names = Object.keys(files);
  const xlsx = names.map((name) => join(out, name.replace(/\.csv$/, '.xlsx')));
  const read = openpyxlTexts(xlsx);
  return new Map(names.map((name, i) => [name, read[xlsx[i] ?? ''] ?? []]));
}

/**
 * The workbooks at `paths` (LibreOffice's) as openpyxl reads their first sheet's calculated
 * values: each cell's text (a whole number without `.0`, a date as YYYY-MM-DD), null for none;
 * trailing empty cells and empty rows dropped. By path.
 */
function openpyxlTexts(paths: readonly string[]): Record<string, (string | null)[][]> {
  const script = [
    'import datetime, json, sys, openpyxl',
    'def text(v):',
    '    if v is None: return None',
    '    if isinstance(v, datetime.datetime): return v.date().isoformat() if v.time() == datetime.time() else v.isoformat()',
    '    if isinstance(v, float) and v.is_integer(): return str(int(v))',
    '    return str(v)',
    'out = {}',
    'for p in sys.argv[1:]:',
    '    rows = []',
    '    for r in openpyxl.load_workbook(p, data_only=True).active.iter_rows(values_only=True):',
    '        cells = [text(v) for v in r]',
    '        while cells and cells[-1] is None: cells.pop()',
    '        if cells: rows.append(cells)',
    '    out[p] = rows',
    'print(json.dumps(out))',
  ].join('\n');
  return JSON.parse(execFileSync(PYTHON, ['-c', script, ...paths], { encoding: 'utf8' })) as Record<string, (string | null)[][]>;
}

const field = (ledger: string, id: string) => {
  const found = catalog.byId(ledger)?.fields.find((f) => f.id === id);
  if (found === undefined) throw new Error(`no field ${ledger}.${id}`);
  return found;
};

const reasonOf = (p: Parsed<unknown>) => (p.ok ? null : p.reason);

// ---- `="…"` and `'…` in a CSV

describe('a CSV field written ="…", as case-handling systems export', () => {
  beforeAll(writeFixtures);

  it('is read as the text inside: a GBK file quoted by the CSV rules, a UTF-8 file unquoted', async () => {
    const penalty = await cellTexts(join(DIR, 'penalty-case-system-export-gbk.csv'));
    expect(penalty).toHaveLength(16);
    expect(penalty[1]).toEqual(['京兴安综罚〔2020〕第0001号', '2020-01-03', '当事人1', '违法建设', '2020-01-08', '否', null, '2020-01-11', '500']);
    expect(penalty[15]?.[0]).toBe('京兴安综罚〔2020〕第0015号');

    const forms = await cellTexts(join(DIR, 'text-formula-forms-utf8.csv'));
    expect(forms.slice(1).map((r) => r[1] ?? null)).toEqual(FORMS.map((f) => f.tally ?? f.shown));
  });

  it.skipIf(SOFFICE === undefined || !hasPython)(
    `is read as LibreOffice shows it, and so is a leading apostrophe${SOFFICE === undefined ? ` (skipped: ${NO_SOFFICE_REASON})` : ''}`,
    async () => {
      const service = 'legal-service-export-with-apostrophes-utf8.csv';
      const read = await readWithLibreOffice({
        'penalty-case-system-export-gbk.csv': 'gb18030',
        [service]: 'utf-8',
        'text-formula-forms-utf8.csv': 'utf-8',
      });
      expect(await cellTexts(join(DIR, 'penalty-case-system-export-gbk.csv'))).toEqual(read.get('penalty-case-system-export-gbk.csv'));
      // LibreOffice reads the plain 2020-01-10 as a date and 5 as a number: their texts are the same.
      const office = read.get(service) ?? [];
      expect(await cellTexts(join(DIR, service))).toEqual(office);
      // The apostrophe is shown, as text: `'2020-02-10` in A3, `'8` in D7.
      expect([office[2]?.[0], office[6]?.[3], office[8]?.[1]]).toEqual(["'2020-02-10", "'8", "'安定村"]);

      const forms = read.get('text-formula-forms-utf8.csv') ?? [];
      expect(forms.slice(1).map((r) => r[1] ?? null)).toEqual(FORMS.map((f) => f.shown));
    },
    240_000,
  );
});

/**
 * `rows` as the HTML table a case-handling system's export button saves as `.xls`, in GBK as
 * such systems write it (the charset in a <meta>), `"` written `&quot;` as HTML writers do.
 */
function htmlXls(rows: readonly (readonly string[])[]): Buffer {
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const html =
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"></head><body>\n<table border="1">\n' +
    rows.map((r) => `<tr>${r.map((c) => `<td>${escape(c)}</td>`).join('')}</tr>`).join('\n') +
    '\n</table>\n</body></html>\n';
  return iconv.encode(html, 'gbk');
}

describe('an HTML table saved as .xls (a case system’s “Excel” export) with cells written ="…"', () => {
  const xls = join(DIR, 'penalty-case-system-export-html.xls');
  beforeAll(async () => {
    await writeFile(xls, htmlXls(penaltyExport()));
    await writeCsv(join(DIR, 'penalty-case-system-export-gbk.csv'), penaltyExport(), { encoding: 'gb18030' });
  });

  it('is read as the text inside, as the CSV export is', async () => {
    const html = await cellTexts(xls);
    expect(html).toHaveLength(16);
    expect(html[1]).toEqual(['京兴安综罚〔2020〕第0001号', '2020-01-03', '当事人1', '违法建设', '2020-01-08', '否', null, '2020-01-11', '500']);
    expect(html).toEqual(await cellTexts(join(DIR, 'penalty-case-system-export-gbk.csv')));
  });

  it.skipIf(SOFFICE === undefined || !hasPython)(
    `is read as LibreOffice shows it${SOFFICE === undefined ? ` (skipped: ${NO_SOFFICE_REASON})` : ''}`,
    async () => {
      const out = join(DIR, 'libreoffice-html');
      await soffice(['--convert-to', 'xlsx', '--outdir', out, xls]);
      const office = openpyxlTexts([join(out, 'penalty-case-system-export-html.xlsx')]);
      expect(await cellTexts(xls)).toEqual(Object.values(office)[0]);
    },
    240_000,
  );

  it('counts its 15 reviewed cases in a whole run, with its case numbers stored plain', async () => {
    const run = await scenarios.run('penalty-case-system-export-html-xls', {
      roster: [{ code: 'enforcement', owes: ['penalty'] }],
      files: { 'enforcement/行政处罚案件台账.xls': { bytes: htmlXls(penaltyExport()) } },
    });
    expect(run.findings.filter((f) => f.code.startsWith('cell.'))).toEqual([]);
    expect(run.indicator('enforcement.penalty_reviews')).toMatchObject({ value: 15, status: '正常' });
    const stored = await queryDatabase(
      join(run.dir, 'tally.duckdb'),
      `select case_no, cast(filed_on as varchar) as filed_on, fine from ledger_penalty order by row_no limit 2`,
    );
    expect(stored).toEqual([
      { case_no: caseNo(1), filed_on: '2020-01-03', fine: 500 },
      { case_no: caseNo(2), filed_on: '2020-01-23', fine: 1000 },
    ]);
  }, 120_000);
});

describe("a date or a number after an apostrophe ('2020-03-05)", () => {
  it('is read without it in a date, number or yes/no column, and kept as Excel shows it in a text column', () => {
    expect(readCell(field('legal_service', 'served_on'), "'2020-03-05", ctx)).toEqual({ ok: true, value: '2020-03-05' });
    expect(readCell(field('legal_service', 'served_on'), "'2020年3月5日 上午", ctx)).toEqual({ ok: true, value: '2020-03-05' });
    expect(readCell(field('legal_service', 'visits'), "'12", ctx)).toEqual({ ok: true, value: 12 });
    expect(readCell(field('penalty', 'fine'), "'1,200", ctx)).toEqual({ ok: true, value: 1200 });
    expect(readCell(field('penalty', 'major'), "'是", ctx)).toEqual({ ok: true, value: true });
    expect(readCell(field('legal_service', 'village'), "'前安定村", ctx)).toEqual({ ok: true, value: "'前安定村" });
    expect(readCell(field('penalty', 'case_no'), "'0012", ctx)).toEqual({ ok: true, value: "'0012" });
    // What does not read after the apostrophe either is refused as written.
    expect(reasonOf(readCell(field('legal_service', 'served_on'), "'待定", ctx))).toBe("“'待定”不是有效日期，请写成2020-03-05");
    expect(reasonOf(readCell(field('legal_service', 'served_on'), "''2020-03-05", ctx))).toMatch(/^“''2020-03-05”/);
  });
});

describe('the whole pipeline, on a real DuckDB file', () => {
  it('counts a system export and an apostrophe-marked CSV as the clerk sees them, with keys stored plain and a warning at each apostrophe', async () => {
    const run = await scenarios.run('system-export-and-apostrophes', {
      roster: [
        { code: 'enforcement', owes: ['penalty'] },
        { code: 'justice', owes: ['legal_service'] },
      ],
      files: {
        'enforcement/行政处罚案件台账.csv': { csv: penaltyExport(), encoding: 'gb18030' },
        // The same case entered again in another file, not yet reviewed: a duplicate key with the export's.
        'enforcement/行政处罚案件台账（补录）.xlsx': [
          {
            name: '补录',
            header: ['案件编号', '立案日期', '当事人', '案由'],
            rows: [[caseNo(3), new Date(Date.UTC(2020, 1, 12)), '当事人3', '违法建设']],
          },
        ],
        'justice/公共法律服务台账.csv': { csv: legalServiceExport() },
      },
    });

    // 15 reviewed cases (the 补录 row has no 法制审核日期); 48 and 54 人次.
    expect(run.indicator('enforcement.penalty_reviews')).toMatchObject({ value: 15, status: '有错误' });
    expect(run.indicator('service.consultations')).toMatchObject({ value: 48, status: '有警告' });
    expect(run.indicator('service.aid_consultations')).toMatchObject({ value: 54, status: '有警告' });
    expect(run.findingsOf('cell.type')).toEqual([]);

    // The export's key is the case number the xlsx holds: the case entered twice is found.
    const duplicates = run.findingsOf('row.duplicate_key');
    expect(duplicates.map((f) => [f.file, f.cell])).toEqual([['enforcement/行政处罚案件台账（补录）.xlsx', 'A2']]);
    expect(duplicates[0]?.message).toContain(`“${caseNo(3)}”`);
    const stored = await queryDatabase(
      join(run.dir, 'tally.duckdb'),
      `select case_no, cast(filed_on as varchar) as filed_on, cast(reviewed_on as varchar) as reviewed_on from ledger_penalty where file like '%.csv' order by row_no limit 2`,
    );
    expect(stored).toEqual([
      { case_no: caseNo(1), filed_on: '2020-01-03', reviewed_on: '2020-01-08' },
      { case_no: caseNo(2), filed_on: '2020-01-23', reviewed_on: '2020-01-28' },
    ]);

    // Each date and number read after an apostrophe, and only those, is a warning at its cell.
    const marked = run.findingsOf('cell.leading_apostrophe');
    expect(marked.map((f) => [f.level, f.cell, f.actual, f.expected])).toEqual([
      ['警告', 'A3', "'2020-02-10", '2020-02-10'],
      ['警告', 'A7', "'2020-06-10", '2020-06-10'],
      ['警告', 'D7', "'8", '8'],
      ['警告', 'A11', "'2020-10-10", '2020-10-10'],
    ]);
    expect(marked[0]?.message).toBe(
      "“日期”填的是“'2020-02-10”，开头多了一个英文单引号（'）：Excel 会把它显示出来，并把这一格当作文字而不是日期。已去掉单引号，按“2020-02-10”读取；请删去开头的单引号。",
    );
    expect(marked.every((f) => f.file === 'justice/公共法律服务台账.csv' && f.ledger === 'legal_service')).toBe(true);
    const villages = await queryDatabase(join(run.dir, 'tally.duckdb'), `select village from ledger_legal_service where row_no = 9`);
    expect(villages).toEqual([{ village: "'安定村" }]);
  }, 120_000);
});

// ---- A formula that mirrors an empty date cell

/**
 * 人民调解台账 whose 结案日期 (G) is `='结案登记'!B<r>`, copied from a hidden register sheet
 * whose B is empty for rows 3, 5, 6, 7; G5 is left General (it shows 0), the others are
 * formatted as dates (they show 1900/1/0). G8 holds a 0 typed in, formatted as a date. Rows 2,
 * 4 and 6 are 调解成功; row 6 has no 结案日期 (a row.rule). argv: the path, and `openpyxl` or
 * `xlsxwriter` (which stores a placeholder 0 as each formula's result and asks Excel to
 * calculate on opening), the number of rows, and `pending` to make every row 调解中.
 */
const MEDIATION_MIRROR = String.raw`
import sys, datetime
path, writer, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
results = ['调解成功', '调解中', '调解成功', '调解不成功', '调解成功', '调解中', '调解中']
if sys.argv[4:] == ['pending']: results = ['调解中'] * 7
closed = [datetime.datetime(2020, 3, 9), None, datetime.datetime(2020, 5, 20), None, None, None, None]
header = ['序号', '受理日期', '当事人', '纠纷类型', '案件来源', '调解结果', '结案日期']
if writer == 'openpyxl':
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active; ws.title = '调解台账'
    reg = wb.create_sheet('结案登记'); reg.sheet_state = 'hidden'
    def put(sheet, r, c, v, fmt=None):
        cell = sheet.cell(r + 1, c + 1, v)
        if fmt: cell.number_format = fmt
else:
    import xlsxwriter
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet('调解台账')
    reg = wb.add_worksheet('结案登记'); reg.hide()
    df = wb.add_format({'num_format': 'yyyy-mm-dd'})
    def put(sheet, r, c, v, fmt=None):
        f = df if fmt else None
        if isinstance(v, str) and v.startswith('='): sheet.write_formula(r, c, v, f)
        elif isinstance(v, datetime.datetime): sheet.write_datetime(r, c, v, f)
        else: sheet.write(r, c, v, f)
for c, h in enumerate(header): put(ws, 0, c, h)
put(reg, 0, 0, '登记号'); put(reg, 0, 1, '结案登记日期')
for i in range(n):
    r = i + 1
    put(reg, r, 0, i + 1)
    if closed[i] is not None: put(reg, r, 1, closed[i], 'yyyy-mm-dd')
    for c, v in enumerate([i + 1, datetime.datetime(2020, i + 2, 3), '张某%d与李某%d' % (i, i), '邻里纠纷', '村调委会', results[i]]):
        put(ws, r, c, v, 'yyyy-mm-dd' if c == 1 else None)
    if i < 6: put(ws, r, 6, "='结案登记'!B%d" % (r + 1), None if i == 3 else 'yyyy-mm-dd')
    else: put(ws, r, 6, 0, 'yyyy-mm-dd')
if writer == 'openpyxl': wb.save(path)
else: wb.close()
`;

function python(script: string, ...args: string[]): void {
  execFileSync(PYTHON, ['-c', script, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** The workbook written by openpyxl (no results stored), then opened and saved by LibreOffice (which calculates them). */
async function mediationCalculatedByLibreOffice(path: string): Promise<void> {
  const source = join(DIR, 'mediation-mirror-openpyxl', 'mediation-mirror.xlsx');
  await mkdir(join(DIR, 'mediation-mirror-openpyxl'), { recursive: true });
  python(MEDIATION_MIRROR, source, 'openpyxl', '7');
  const out = join(DIR, 'mediation-mirror-libreoffice');
  await soffice(['--convert-to', 'xlsx', '--outdir', out, source]);
  await writeFile(path, await readBytes(join(out, 'mediation-mirror.xlsx')));
}

describe.skipIf(!hasPython || SOFFICE === undefined)(
  `a formula that mirrors an empty date cell${SOFFICE === undefined ? ` (skipped: ${NO_SOFFICE_REASON})` : ''}`,
  () => {
    it('reads as empty (its result 0, in a date format or General), a 0 typed in is refused in plain words, and a formula never calculated is still a finding', async () => {
      const run = await scenarios.run('formula-mirrors-empty-date-cell', {
        roster: [
          { code: 'justice', owes: ['mediation'] },
          { code: 'counsel', owes: ['mediation'] },
          { code: 'office', owes: ['mediation'] },
        ],
        files: {
          // Calculated by LibreOffice: G3, G5, G6, G7 hold 0.
          'justice/人民调解台账.xlsx': { write: mediationCalculatedByLibreOffice },
          // The same formulas never calculated: XlsxWriter's placeholder 0, openpyxl's nothing (both 调解中).
          'counsel/人民调解台账.xlsx': { write: async (path) => python(MEDIATION_MIRROR, path, 'xlsxwriter', '2', 'pending') },
          'office/人民调解台账.xlsx': { write: async (path) => python(MEDIATION_MIRROR, path, 'openpyxl', '2', 'pending') },
        },
      });
      const justice = (code: Parameters<typeof run.findingsOf>[0]) => run.findingsOf(code).filter((f) => f.department === 'justice');

      // No date of 1899, no “0” refused: the mirrored cells are empty; only the typed 0 is refused.
      expect(justice('cell.type').map((f) => [f.cell, f.message])).toEqual([
        ['G8', '“结案日期”无法读取：单元格里是数字 0（设为日期格式时显示为 1900/1/0 或 1900-01-00），不是日期；没有日期请留空。请填写日期（如 2020-03-05）。'],
      ]);
      expect(justice('cell.formula_error')).toEqual([]);
      // 调解成功 with its 结案日期 empty: the rule for an empty date, at G6.
      expect(justice('row.rule').map((f) => f.cell)).toEqual(['G6']);
      const closed = await queryDatabase(
        join(run.dir, 'tally.duckdb'),
        `select row_no, cast(closed_on as varchar) as closed_on from ledger_mediation where department = 'justice' order by row_no`,
      );
      expect(closed.map((r) => r['closed_on'] ?? null)).toEqual(['2020-03-09', null, '2020-05-20', null, null, null, null]);
      // Rows 2, 4 and 6 are 调解成功 in 2020 (row 6 by its 受理日期); the others' rows are 调解中.
      expect(run.indicator('service.disputes_resolved')).toMatchObject({ value: 3, status: '有错误' });

      // A result never calculated is unknown, not empty: each such cell stays a finding.
      for (const department of ['counsel', 'office']) {
        const uncalculated = run.findingsOf('cell.formula_error').filter((f) => f.department === department);
        expect(uncalculated.map((f) => [f.cell, f.actual]), department).toEqual([
          ['G2', '公式未计算'],
          ['G3', '公式未计算'],
        ]);
      }
    }, 240_000);
  },
);

// ---- Dates clerks type

describe('parseDate: dates as clerks type them', () => {
  it.each<[string, RawValue, string]>([
    ['drops a period of the day after the date', '2020-3-5 上午', '2020-03-05'],
    ['drops a time in Chinese after the date', '2020-3-5 下午3点', '2020-03-05'],
    ['drops 上午 right after 日', '2020年03月5日上午', '2020-03-05'],
    ['drops a span of time', '2020年3月5日 9:30-11:30', '2020-03-05'],
    ['drops a span of time in Chinese', '2020年3月5日上午9点至11点半', '2020-03-05'],
    ['drops a clock time with AM/PM', '2020/3/5 10:30 AM', '2020-03-05'],
    ['drops a time after the weekday, and checks the weekday', '2020年3月5日星期四上午9点', '2020-03-05'],
    ['drops a time after a weekday in brackets', '2020-03-05（周四）下午', '2020-03-05'],
    ['reads 年月 and the day without 日', '2020年3月5', '2020-03-05'],
    ['reads 月 and the day without 日 in the period year', '3月5', '2020-03-05'],
    ['reads 日 after a date in figures', '2020.3.5日', '2020-03-05'],
    ['reads a full stop after a date', '2020.03.05.', '2020-03-05'],
    ['reads a Chinese full stop after a date', '2020年3月5日。', '2020-03-05'],
    ['reads the full stop of a Chinese input method between the figures', '2020。3。5', '2020-03-05'],
  ])('%s', (_name, raw, expected) => {
    expect(parseDate(raw, ctx)).toEqual({ ok: true, value: expected });
  });

  it('takes a time off only where the date visibly ends: a clock run into the day is refused', () => {
    expect(parseDate('2020-3-5上午10:30', ctx)).toEqual({ ok: true, value: '2020-03-05' });
    expect(reasonOf(parseDate('2020-3-510:30', ctx))).toBe('“2020-3-510:30”不是有效日期，请写成2020-03-05');
    expect(reasonOf(parseDate('2020-3-15点', ctx))).toBe('“2020-3-15点”不是有效日期，请写成2020-03-05');
    expect(reasonOf(parseDate('2020年3月5日星期五上午', ctx))).toBe('“2020年3月5日星期五上午”的日期和星期对不上：2020-03-05是星期四，请核对日期');
  });

  it.each<[string, RawValue, string]>([
    ['refuses a year of two figures, saying it must be written in full', '20年3月5日', '“20年3月5日”的年份只写了“20”，年份要写全四位（如“2020年”）'],
    ['refuses a year of two Chinese figures', '二〇年三月五日', '“二〇年三月五日”的年份只写了“二〇”，年份要写全四位（如“2020年”）'],
    ['refuses a year of two figures in a date in figures', '20.3.5', '“20.3.5”的年份只写了“20”，年份要写全四位（如“2020年”）'],
    ['refuses a month without a day', '2020年3月', '“2020年3月”只写到月，没有写是哪一天'],
    ['refuses a month in figures without a day', '2020-03', '“2020-03”只写到月，没有写是哪一天'],
    ['refuses a part of a month', '2020年3月上旬', '“2020年3月上旬”只写到月，没有写是哪一天'],
    ['refuses a month in Chinese numerals without a day', '二〇二〇年十二月', '“二〇二〇年十二月”只写到月，没有写是哪一天'],
    ['refuses a quarter', '2020年第一季度', '“2020年第一季度”没有写月和日'],
    ['refuses a bare year', '2020', '“2020”没有写月和日'],
    ['refuses M/D without a year (which is the month is unknown too)', '3/5', '“3/5”没有写年份，月和日谁先谁后也无法确定'],
    ['refuses M-D without a year', '3-5', '“3-5”没有写年份，月和日谁先谁后也无法确定'],
    ['refuses the year last, naming both readings', '5/3/2020', '“5/3/2020”把年份写在了最后，无法确定是5月3日还是3月5日，请按年、月、日的顺序写'],
    ['refuses the year last even when the order shows', '25/3/2020', '“25/3/2020”把年份写在了最后，请按年、月、日的顺序写'],
    ['refuses a span of days', '2020-3-5至3-7', '“2020-3-5至3-7”写了不止一个日期（或一段时间），一格只能填一个日期（如开始的那一天）'],
    ['refuses a span written 日-日', '2020年3月5日-6日', '“2020年3月5日-6日”写了不止一个日期（或一段时间），一格只能填一个日期（如开始的那一天）'],
    ['refuses two dates on two lines', '2020.3.5\n2020.3.6', '“2020.3.5 2020.3.6”写了不止一个日期（或一段时间），一格只能填一个日期（如开始的那一天）'],
    ['refuses 同上', '同上', '“同上”不是日期：每一行都要写出自己的日期，请不要写“同上”'],
    ['refuses a 0 typed in', 0, '“0”不是日期；没有日期请留空'],
    ['refuses a 0 typed as text', '0', '“0”不是日期；没有日期请留空'],
    ['refuses a 0 in a date format (Excel shows 1900/1/0)', new Date(Date.UTC(1899, 11, 31)), '单元格里是数字 0（设为日期格式时显示为 1900/1/0 或 1900-01-00），不是日期；没有日期请留空'],
    ['refuses a time of day without a date', new Date(Date.UTC(1899, 11, 31, 10, 30)), '单元格里只有时间 10:30，没有日期'],
    ['refuses a time of day as a number', 0.4375, '单元格里只有时间 10:30，没有日期'],
  ])('%s', (_name, raw, reason) => {
    expect(reasonOf(parseDate(raw, ctx))).toBe(reason);
  });
});
