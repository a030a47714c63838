/**
 * Values a clerk cannot see in the workbook must not reach a figure unseen:
 *
 * - formula results the file itself says were never calculated (`<calcPr fullCalcOnLoad="1"/>`,
 *   what XlsxWriter writes with a placeholder 0 as every result) are read as no result, a
 *   `cell.formula_error` at each cell — never 0, 否 or an 1899 date;
 * - ledger rows on hidden and very hidden sheets are counted, each such sheet with a
 *   `sheet.hidden` warning naming it and how many rows it added.
 *
 * The workbooks are written by independent writers (Debian's python3-xlsxwriter and
 * python3-openpyxl under /usr/bin/python3, LibreOffice headless), read by tally's reader and run
 * through the whole pipeline on a real DuckDB file. Without the writers the tests skip, saying
 * why, except in CI.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile as readBytes, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawSheet } from '../sheets/raw-sheet.ts';
import { readFile } from '../sheets/read-file.ts';
import { parseWorkbook } from '../sheets/xlsx/workbook.ts';
import { NO_SOFFICE_REASON, SOFFICE } from './support/libreoffice.ts';
import { useScenarios } from './support/scenario.ts';
import { PYTHON, pythonWith } from './support/python.ts';

const dir = join(import.meta.dirname, '.tmp', `unseen-values-${randomBytes(4).toString('hex')}`);
const scenarios = useScenarios({ outputs: false });

const hasPython = pythonWith(['openpyxl', 'xlsxwriter'], 'unseen values');

/** Runs a Python script with the path to write as its argument. */
function python(script: string, path: string): void {
  execFileSync(PYTHON, ['-c', script, path], { stdio: ['ignore', 'ignore', 'pipe'] });
}

beforeAll(async () => {
  await mkdir(dir, { recursive: true });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// ---- The fixtures, written by XlsxWriter (which saves every formula with a placeholder result)

/**
 * 行政复议应诉案件台账 with 负责人出庭 derived by a formula on each of 10 lawsuits, 4 of which
 * name a leader who appeared: XlsxWriter stores 0 as each result (read as 否 before).
 */
const LITIGATION_BY_FORMULA = String.raw`
import sys, datetime, xlsxwriter
wb = xlsxwriter.Workbook(sys.argv[1])
ws = wb.add_worksheet('2020年')
df = wb.add_format({'num_format': 'yyyy-mm-dd'})
ws.write_row(0, 0, ['案号', '案件类别', '收案日期', '申请人/原告', '负责人出庭', '出庭负责人', '结案日期', '结果'])
for i in range(10):
    r = i + 1
    ws.write(r, 0, '(2020)京0115行初%d号' % (i + 1))
    ws.write(r, 1, '行政诉讼')
    ws.write_datetime(r, 2, datetime.datetime(2020, i + 1, 3), df)
    ws.write(r, 3, '原告%d' % (i + 1))
    ws.write_formula(r, 4, '=IF(F%d<>"","是","否")' % (r + 1))
    if i < 4: ws.write(r, 5, '镇长%d' % (i + 1))
    ws.write_datetime(r, 6, datetime.datetime(2020, i + 1, 20), df)
    ws.write(r, 7, '驳回')
wb.close()
`;

/**
 * 公共法律服务台账: E3 `=5+5` stored as 0, B4 `=DATE(2020,4,5)` stored as 0 (day 0 of 1900),
 * E5 `=5+5` stored as the 10 its caller gave (a result the program supplied: kept), and a 合计 row whose
 * `=SUM` is stored as 0.
 */
const SERVICE_BY_FORMULA = String.raw`
import sys, datetime, xlsxwriter
wb = xlsxwriter.Workbook(sys.argv[1])
ws = wb.add_worksheet('公共法律服务')
df = wb.add_format({'num_format': 'yyyy-mm-dd'})
ws.write_row(0, 0, ['日期', '村居', '服务类别', '人次'])
for i in range(6):
    r = i + 1
    if i == 2: ws.write_formula(r, 0, '=DATE(2020,4,5)', df)
    else: ws.write_datetime(r, 0, datetime.datetime(2020, i + 2, 10), df)
    ws.write(r, 1, '安定村%d' % i)
    ws.write(r, 2, '法律咨询')
    if i == 1: ws.write_formula(r, 3, '=5+5')
    elif i == 3: ws.write_formula(r, 3, '=5+5', None, 10)
    else: ws.write_number(r, 3, 10)
ws.write(7, 0, '合计')
ws.write_formula(7, 3, '=SUM(D2:D7)')
wb.close()
`;

async function readAll(path: string): Promise<RawSheet[]> {
  const sheets: RawSheet[] = [];
  for await (const sheet of readFile(path)) sheets.push(sheet);
  return sheets;
}

function cellAt(sheet: RawSheet | undefined, rowNumber: number, column: number) {
  return sheet?.rows.find((r) => r.rowNumber === rowNumber)?.cells[column];
}

describe('the workbook part says whether formula results were calculated', () => {
  const sheets = '<sheets><sheet name="台账" sheetId="1" r:id="rId1"/></sheets>';
  const book = (calc: string) =>
    `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">${sheets}${calc}</workbook>`;

  it('reads fullCalcOnLoad as XlsxWriter and openpyxl write it, and not from what Excel, WPS and LibreOffice write', () => {
    // XlsxWriter 3 and openpyxl 3 (both calcId 124519), and a template filler's.
    expect(parseWorkbook(book('<calcPr calcId="124519" fullCalcOnLoad="1"/>'), '').fullCalcOnLoad).toBe(true);
    expect(parseWorkbook(book("<calcPr fullCalcOnLoad='true'/>"), '').fullCalcOnLoad).toBe(true);
    // Excel 365, WPS 表格, LibreOffice 7.4, exceljs, and a workbook with no calcPr at all (SheetJS).
    expect(parseWorkbook(book('<calcPr calcId="191029"/>'), '').fullCalcOnLoad).toBe(false);
    expect(parseWorkbook(book('<calcPr calcId="144525" concurrentCalc="0"/>'), '').fullCalcOnLoad).toBe(false);
    expect(parseWorkbook(book('<calcPr iterateCount="100" refMode="A1" iterate="false" iterateDelta="0.0001"/>'), '').fullCalcOnLoad).toBe(false);
    expect(parseWorkbook(book('<calcPr calcId="171027"/>'), '').fullCalcOnLoad).toBe(false);
    expect(parseWorkbook(book(''), '').fullCalcOnLoad).toBe(false);
    expect(parseWorkbook(book('<calcPr calcId="124519" fullCalcOnLoad="0"/>'), '').fullCalcOnLoad).toBe(false);
  });
});

describe.runIf(hasPython)('formula results never calculated (XlsxWriter)', () => {
  it('reads each formula of such a workbook whose stored result is a placeholder (0) as having no result, and keeps a result its writer gave', async () => {
    const path = join(dir, 'formula-results-never-calculated.xlsx');
    python(SERVICE_BY_FORMULA, path);
    const workbookXml = await (await JSZip.loadAsync(await readBytes(path))).file('xl/workbook.xml')?.async('string');
    expect(workbookXml).toMatch(/<calcPr[^>]*fullCalcOnLoad="1"/);
    const [sheet] = await readAll(path);
    const uncalculated = { value: null, formula: true, uncalculated: true };
    expect(cellAt(sheet, 3, 3)).toEqual(uncalculated); // =5+5, stored 0
    expect(cellAt(sheet, 4, 0)).toEqual(uncalculated); // =DATE(2020,4,5), stored 0
    // =5+5, stored the 10 its caller gave: a result the writing program supplied, kept.
    expect(cellAt(sheet, 5, 3)).toEqual({ value: 10, formula: true });
    expect(cellAt(sheet, 8, 3)).toEqual(uncalculated); // =SUM(D2:D7), stored 0
    // Cells that are no formula read as written.
    expect(cellAt(sheet, 2, 3)).toEqual({ value: 10 });
    expect(cellAt(sheet, 2, 0)?.value).toEqual(new Date(Date.UTC(2020, 1, 10)));
  });

  it('reports each uncalculated formula at its cell, in plain Chinese, instead of 0, 否, an 1899 date or a wrong 合计', async () => {
    const run = await scenarios.run('formula-results-never-calculated', {
      roster: [{ code: 'justice', owes: ['litigation', 'legal_service'] }],
      files: {
        'justice/行政复议应诉案件台账.xlsx': { write: async (path) => python(LITIGATION_BY_FORMULA, path) },
        'justice/公共法律服务台账.xlsx': { write: async (path) => python(SERVICE_BY_FORMULA, path) },
      },
    });
    const errors = run.findingsOf('cell.formula_error');
    expect(errors.filter((f) => f.file === 'justice/行政复议应诉案件台账.xlsx').map((f) => f.cell)).toEqual(
      ['E2', 'E3', 'E4', 'E5', 'E6', 'E7', 'E8', 'E9', 'E10', 'E11'],
    );
    expect(errors.filter((f) => f.file === 'justice/公共法律服务台账.xlsx').map((f) => f.cell).sort()).toEqual(['A4', 'D3', 'D8']);
    for (const f of errors) {
      expect(f.level).toBe('错误');
      expect(f.actual).toBe('公式未计算');
      expect(f.message).toContain(`${f.cell}“`);
      expect(f.message).toMatch(/结果从未计算过.*不会计算公式的程序.*请用 Excel 或 WPS 打开这个文件.*保存/);
    }
    expect(errors.find((f) => f.cell === 'E2')?.message).toContain('E2“负责人出庭”是公式');
    expect(errors.find((f) => f.cell === 'D8')?.message).toMatch(/^合计行 D8“人次”是公式.*无法核对合计/);
    // Nothing blames the clerk for the placeholders: no 合计 that "differs", no date of 1899.
    expect(run.findingsOf('sheet.total_mismatch')).toEqual([]);
    expect(run.findingsOf('cell.type')).toEqual([]);
    // The figures these cells feed are not given as clean: 0 appearances would have been 正常.
    expect(run.indicator('litigation.leader_appearances').status).toBe('有错误');
    expect(run.indicator('service.consultations').status).toBe('有错误');
  });
});

/** LibreOffice's own save of a workbook with formulas: `soffice --convert-to xlsx` of a CSV holding them. */
async function libreOfficeSaved(csv: string, name: string): Promise<string> {
  if (SOFFICE === undefined) throw new Error(NO_SOFFICE_REASON);
  const source = join(dir, `${name}.csv`);
  await writeFile(source, csv);
  const profile = await mkdtemp(join(tmpdir(), 'tally-lo-'));
  try {
    const result = spawnSync(
      SOFFICE,
      // CSV import: comma, double quote, UTF-8 (76), from line 1; `=…` cells become formulas.
      [`-env:UserInstallation=${pathToFileURL(profile).href}`, '--headless', '--norestore', '--infilter=CSV:44,34,76,1', '--convert-to', 'xlsx', '--outdir', dir, source],
      { encoding: 'utf8', timeout: 180_000 },
    );
    if (result.status !== 0) throw new Error(`soffice failed (${result.status ?? result.signal}): ${result.stderr}`);
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
  return join(dir, `${name}.xlsx`);
}

describe.skipIf(SOFFICE === undefined)(`a workbook LibreOffice saved${SOFFICE === undefined ? ` (skipped: ${NO_SOFFICE_REASON})` : ''}`, () => {
  it('is read by the results LibreOffice calculated, with no finding for its formulas', async () => {
    const path = await libreOfficeSaved('日期,村居,服务类别,人次\n2020-03-05,安定村,法律咨询,=5+5\n2020-04-06,东庄村,法律咨询,3\n合计,,,=SUM(D2:D3)\n', 'formula-results-calculated-by-libreoffice');
    const workbookXml = await (await JSZip.loadAsync(await readBytes(path))).file('xl/workbook.xml')?.async('string');
    expect(workbookXml).not.toMatch(/fullCalcOnLoad/);
    const [sheet] = await readAll(path);
    expect(cellAt(sheet, 2, 3)).toEqual({ value: 10, formula: true });
    expect(cellAt(sheet, 4, 3)).toEqual({ value: 13, formula: true });
  }, 180_000);
});

// ---- Hidden sheets (openpyxl)

/**
 * 学法活动台账: the visible sheet holds one 会前学法 and one 机关干部学法; a hidden sheet 旧表
 * holds two draft rows (one of each), a very hidden sheet 备份 one 会前学法, and a hidden sheet
 * 下拉选项 the list of 类别 (no ledger).
 */
const STUDY_WITH_HIDDEN_SHEETS = String.raw`
import sys, datetime, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.title = '学法活动'
HEADER = ['日期', '类别', '主题', '组织部门', '参加人数']
ws.append(HEADER)
ws.append([datetime.date(2020, 3, 12), '会前学法', '学习《民法典》', '综合保障办', 15])
ws.append([datetime.date(2020, 6, 18), '机关干部学法', '学习《行政处罚法》', '综合保障办', 40])
old = wb.create_sheet('旧表')
old.sheet_state = 'hidden'
old.append(HEADER)
old.append([datetime.date(2020, 2, 20), '会前学法', '草稿：学习《信访条例》（未举办）', '综合保障办', 15])
old.append([datetime.date(2020, 3, 19), '机关干部学法', '草稿：学习《传染病防治法》（已取消）', '综合保障办', 40])
backup = wb.create_sheet('备份')
backup.sheet_state = 'veryHidden'
backup.append(HEADER)
backup.append([datetime.date(2020, 7, 20), '会前学法', '备份：学习《安全生产法》', '综合保障办', 15])
lists = wb.create_sheet('下拉选项')
lists.sheet_state = 'hidden'
for v in ['类别', '会前学法', '中心组学法', '机关干部学法', '法治培训']: lists.append([v])
for sheet in (ws, old, backup):
    for row in sheet.iter_rows(min_row=2, max_col=1):
        row[0].number_format = 'yyyy-mm-dd'
wb.save(sys.argv[1])
`;

describe.runIf(hasPython)('ledger rows on hidden sheets', () => {
  it('counts them, and warns on each hidden sheet read as a ledger with the rows it added and what to do', async () => {
    const run = await scenarios.run('ledger-on-hidden-and-very-hidden-sheets', {
      roster: [{ code: 'office', owes: ['study'] }],
      files: { 'office/学法活动台账.xlsx': { write: async (path) => python(STUDY_WITH_HIDDEN_SHEETS, path) } },
    });
    // Every sheet is read (contract §1): the hidden rows count, but not silently.
    expect(run.indicator('study.pre_meeting')).toMatchObject({ value: 3, status: '有警告' });
    expect(run.indicator('study.staff_sessions')).toMatchObject({ value: 2, status: '有警告' });
    const hidden = run.findingsOf('sheet.hidden');
    const placed = hidden.map(({ level, department, file, sheet, cell, ledger, actual }) => ({ level, department, file, sheet, cell, ledger, actual }));
    expect(placed.sort((a, b) => (a.actual ?? '').localeCompare(b.actual ?? ''))).toEqual([
      { level: '警告', department: 'office', file: 'office/学法活动台账.xlsx', sheet: '备份', cell: '1', ledger: 'study', actual: '隐藏工作表，读入 1 行' },
      { level: '警告', department: 'office', file: 'office/学法活动台账.xlsx', sheet: '旧表', cell: '1', ledger: 'study', actual: '隐藏工作表，读入 2 行' },
    ]);
    const old = hidden.find((f) => f.sheet === '旧表');
    const backup = hidden.find((f) => f.sheet === '备份');
    expect(old?.message).toMatch(/^工作表“旧表”是隐藏的，其中学法活动台账的 2 行数据已读入，和可见工作表一样计入统计。如果它是草稿或备份，请删除该工作表；如果是正式数据，请取消隐藏/);
    expect(old?.message).not.toContain('深度隐藏');
    expect(backup?.message).toMatch(/^工作表“备份”是隐藏的，其中学法活动台账的 1 行数据已读入.*深度隐藏.*Visible/);
    // The hidden list of 类别 is no ledger: nothing is said of it.
    expect(run.findings.filter((f) => f.sheet === '下拉选项')).toEqual([]);
    expect(run.findings.filter((f) => f.sheet === '学法活动')).toEqual([]);
  });
});
