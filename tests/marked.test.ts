/**
 * The department's own file, marked up (issue 4, point 3): offending cells filled red or yellow
 * with a note saying what to fix, everything else of the original kept; CSVs get an .xlsx copy;
 * each department's mail carries its own marked files and no other department's.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCsv, writeLedgerWorkbook } from '../demo/ledger-workbook.ts';
import { loadConfig } from '../pipeline/kernel/config/config.ts';
import { finding, type Finding } from '../pipeline/kernel/findings/findings.ts';
import { runPipeline } from '../pipeline/run.ts';
import { MARK_FILLS, markUpWorkbook, NOTES_SHEET } from '../reports/marked/mark-up-workbook.ts';
import { markedName } from '../reports/marked/write-marked-files.ts';
import { writeTownConfig } from './support/town-config.ts';

const ROOT = resolve(import.meta.dirname, '..');
const dir = join(ROOT, 'tests', '.tmp', `marked-${randomBytes(4).toString('hex')}`);
const RED = MARK_FILLS.错误;
const YELLOW = MARK_FILLS.警告;

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const fillOf = (cell: ExcelJS.Cell): string | undefined => (cell.fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb;
const noteOf = (cell: ExcelJS.Cell): string => {
  const note = cell.note as ExcelJS.Comment | string | undefined;
  if (note === undefined) return '';
  return typeof note === 'string' ? note : (note.texts ?? []).map((t) => t.text).join('');
};

async function load(path: string): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  return workbook;
}

/**
 * A ledger as a clerk makes it: a merged title, a header in row 2, data rows sharing one cell
 * style, set column widths, a 合计 formula, a note of the clerk's own, and a second sheet.
 */
async function clerkWorkbook(path: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('2020年');
  sheet.mergeCells('A1:E1');
  sheet.getCell('A1').value = '行政复议应诉案件台账';
  sheet.addRow(['案号', '案件类别', '收案日期', '负责人出庭', '人数']);
  const shared: Partial<ExcelJS.Style> = { font: { name: '宋体', size: 11 }, border: { top: { style: 'thin' } } };
  const data = [
    ['（2020）京0115行初1号', '行政诉讼', '2020-03-05', '是', 2],
    ['（2020）京0115行初2号', '行政诉讼', '2020-13-40', '否', 3],
    ['（2020）京0115行初3号', '行政复议', '2020-04-01', '是', 1],
    ['（2020）京0115行初4号', '行政诉讼', '2020-05-06', '否', 4],
  ];
  for (const values of data) {
    const row = sheet.addRow(values);
    row.eachCell((c) => (c.style = shared));
  }
  sheet.getCell('E7').value = { formula: 'SUM(E3:E6)', result: 10 };
  sheet.getCell('A7').value = '合计';
  sheet.mergeCells('B8:D8');
  sheet.getCell('B8').value = '填报人：张三';
  sheet.getCell('A3').note = '原来的批注：核对过';
  [24, 12, 14, 10, 8].forEach((w, i) => (sheet.getColumn(i + 1).width = w));
  const other = workbook.addWorksheet('填表说明');
  other.getCell('A1').value = '请按规定填写';
  other.getColumn(1).width = 40;
  await workbook.xlsx.writeFile(path);
}

describe('markUpWorkbook on a generated workbook with planted mistakes', () => {
  const source = join(dir, 'unit', 'original.xlsx');
  const target = join(dir, 'unit', 'marked.xlsx');
  const at = { department: 'justice', file: 'justice/应诉台账.xlsx', sheet: '2020年', ledger: 'litigation' };
  const findings: Finding[] = [
    finding('cell.type', { ...at, cell: 'C4', expected: '日期，如 2020-03-05', actual: '2020-13-40' }, '“收案日期”不是有效的日期，请改正。'),
    finding('cell.out_of_period', { ...at, cell: 'C4', expected: '2020年内的日期', actual: '2020-13-40' }, '日期不在年度内。'),
    finding('row.duplicate', { ...at, cell: '6' }, '与第3行完全相同，请确认是否重复登记。'),
    finding('row.rule', { ...at, cell: 'A3' }, '负责人出庭为“是”，但没有出庭负责人。'),
    finding('sheet.total_mismatch', { ...at, cell: 'C8', expected: '10', actual: '=HYPERLINK("http://x")' }, '=HYPERLINK("http://x") 合计不对'),
    finding('file.unreadable', { department: 'justice', file: at.file }, '=1+1 文件级的问题'),
    finding('sheet.unrecognized', { department: 'justice', file: at.file, sheet: '没有这张表' }, '工作表找不到'),
  ];
  let marked: ExcelJS.Workbook;
  let result: Awaited<ReturnType<typeof markUpWorkbook>>;

  beforeAll(async () => {
    await mkdir(join(dir, 'unit'), { recursive: true });
    await clerkWorkbook(source);
    result = await markUpWorkbook({ source, fileName: '应诉台账.xlsx', findings, target });
    marked = await load(target);
  });

  it('fills the offending cells red for 错误 and yellow for 警告, and leaves their look-alike neighbours alone', () => {
    const sheet = marked.getWorksheet('2020年')!;
    expect(fillOf(sheet.getCell('C4'))).toBe(RED);
    expect(fillOf(sheet.getCell('A3'))).toBe(RED);
    // Same style as C4 in the original: exceljs shares style objects, the copy must not.
    expect(fillOf(sheet.getCell('B4'))).toBeUndefined();
    expect(fillOf(sheet.getCell('C5'))).toBeUndefined();
    expect(sheet.getCell('B4').font?.name).toBe('宋体');
    expect(sheet.getCell('C4').font?.name).toBe('宋体');
    expect(sheet.getCell('C4').border?.top?.style).toBe('thin');
  });

  it("marks every used cell of a row-only finding ('6') yellow, with the note on its first cell", () => {
    const sheet = marked.getWorksheet('2020年')!;
    for (const c of ['A6', 'B6', 'C6', 'D6', 'E6']) expect(fillOf(sheet.getCell(c)), c).toBe(YELLOW);
    expect(noteOf(sheet.getCell('A6'))).toContain('与第3行完全相同');
    expect(noteOf(sheet.getCell('B6'))).toBe('');
    expect(fillOf(sheet.getCell('A5'))).toBeUndefined();
  });

  it('writes a note with each finding, 期望 and 实际, and keeps the note the cell had', () => {
    const sheet = marked.getWorksheet('2020年')!;
    const c4 = noteOf(sheet.getCell('C4'));
    expect(c4).toContain('【错误】“收案日期”不是有效的日期，请改正。');
    expect(c4).toContain('期望：日期，如 2020-03-05');
    expect(c4).toContain('实际：2020-13-40');
    expect(c4).toContain('【警告】日期不在年度内。');
    const a3 = noteOf(sheet.getCell('A3'));
    expect(a3).toContain('负责人出庭为“是”，但没有出庭负责人。');
    expect(a3).toContain('原批注：原来的批注：核对过');
  });

  it('marks the top-left cell of a merged range a finding points into', () => {
    const sheet = marked.getWorksheet('2020年')!;
    expect(fillOf(sheet.getCell('B8'))).toBe(RED);
    expect(noteOf(sheet.getCell('B8'))).toContain('合计不对');
  });

  it('keeps merges, column widths, values, the formula of the original and the other sheets', () => {
    const sheet = marked.getWorksheet('2020年')!;
    const merges = (sheet.model as unknown as { merges: string[] }).merges;
    expect([...merges].sort()).toEqual(['A1:E1', 'B8:D8']);
    expect([1, 2, 3, 4, 5].map((c) => sheet.getColumn(c).width)).toEqual([24, 12, 14, 10, 8]);
    expect(sheet.getCell('A1').value).toBe('行政复议应诉案件台账');
    expect(sheet.getCell('C4').value).toBe('2020-13-40');
    expect(sheet.getCell('E7').formula).toBe('SUM(E3:E6)');
    const other = marked.getWorksheet('填表说明')!;
    expect(other.getCell('A1').value).toBe('请按规定填写');
    expect(other.getColumn(1).width).toBe(40);
  });

  it('lists the findings with no cell to mark on a first sheet 问题说明, as text, never as formulas', async () => {
    expect(marked.worksheets.map((s) => s.name)).toEqual([NOTES_SHEET, '2020年', '填表说明']);
    const notes = marked.getWorksheet(NOTES_SHEET)!;
    expect(notes.getCell('F2').value).toBe('=1+1 文件级的问题');
    expect(notes.getCell('F3').value).toBe('工作表找不到');
    expect(notes.getCell('D3').value).toBe('没有这张表');
    expect(fillOf(notes.getCell('B2'))).toBe(RED);
    expect(result).toEqual({ cells: 8, listed: 2 }); // C4, A3, A6–E6, B8
    // The only formula in the copy is the original's own 合计.
    const zip = await JSZip.loadAsync(await readFile(target));
    const formulas: string[] = [];
    for (const name of Object.keys(zip.files).filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n))) {
      formulas.push(...[...(await zip.file(name)!.async('string')).matchAll(/<f[\s>][^<]*<\/f>|<f>[^<]*<\/f>/g)].map((m) => m[0]));
    }
    expect(formulas).toEqual(['<f>SUM(E3:E6)</f>']);
  });
});

describe('a CSV submission', () => {
  it('gets an .xlsx copy decoded as the pipeline reads it (GB18030 here), marked at the same cells', async () => {
    await mkdir(join(dir, 'csv'), { recursive: true });
    const source = join(dir, 'csv', 'ab12.csv');
    await writeCsv(source, [['日期', '服务类别', '人次'], ['2020-01-05', '法律咨询', '12'], ['2020-01-06', '咨询', '=1+2'], ['合计', '', '15']], { encoding: 'gb18030' });
    const target = join(dir, 'csv', '公共法律服务台账.xlsx');
    const at = { department: 'justice', file: 'justice/公共法律服务台账.csv', sheet: '公共法律服务台账', ledger: 'legal_service' };
    await markUpWorkbook({
      source,
      fileName: '公共法律服务台账.csv',
      findings: [finding('cell.enum', { ...at, cell: 'B3', expected: '法律咨询、法律援助咨询', actual: '咨询' }, '“服务类别”填写为“咨询”，不在可选值内。')],
      target,
    });
    const workbook = await load(target);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['公共法律服务台账']);
    const sheet = workbook.getWorksheet('公共法律服务台账')!;
    expect(sheet.getCell('A1').value).toBe('日期');
    expect(sheet.getCell('B2').value).toBe('法律咨询');
    expect(sheet.getCell('C2').value).toBe(12);
    expect(sheet.getCell('C3').value).toBe('=1+2');
    expect(sheet.getCell('C3').type).toBe(ExcelJS.ValueType.String);
    expect(fillOf(sheet.getCell('B3'))).toBe(RED);
    expect(noteOf(sheet.getCell('B3'))).toContain('实际：咨询');
    expect(markedName('justice/公共法律服务台账.csv', 'justice')).toBe('公共法律服务台账.xlsx');
    expect(markedName('justice/2020/..\\a.xlsm', 'justice')).toBe('2020_.._a.xlsx');
    expect(markedName('justice/.x.xlsx', 'justice', new Set(['x.xlsx']))).toBe('x(2).xlsx');
  });
});

describe('marked copies in a run, and in each department’s mail', () => {
  const root = join(dir, 'run');
  const inbox = join(root, 'inbox');
  const out = join(root, 'out');
  // With 整改意见建议 (empty: none received): a fixed sheet without it would still be asked about it
  // (header.missing_figure_column), and keep its marked copy.
  const LITIGATION = ['案号', '案件类别', '收案日期', '负责人出庭', '出庭负责人', '整改意见建议'];
  const SERVICE = ['日期', '服务类别', '人次'];
  const STUDY = ['日期', '类别', '主题'];
  let configFile: string;
  const mailsTo = async (): Promise<Map<string, ParsedMail>> => {
    const files = (await readdir(join(out, 'outbox'))).filter((f) => f.endsWith('.eml')).sort();
    const mails = new Map<string, ParsedMail>();
    for (const f of files) {
      const mail = await simpleParser(await readFile(join(out, 'outbox', f)));
      const to = (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.value[0]?.address ?? '';
      mails.set(to, mail); // the latest per recipient
    }
    return mails;
  };
  const run = (hour: number) =>
    runPipeline({ config: loadConfig(configFile), inbox, out, dbPath: join(root, 'tally.duckdb'), now: () => new Date(Date.UTC(2021, 0, 10, hour)) });

  beforeAll(async () => {
    await mkdir(join(inbox, 'justice'), { recursive: true });
    await mkdir(join(inbox, 'office'), { recursive: true });
    configFile = join(root, 'config.json');
    await writeTownConfig(
      configFile,
      {
        departments: [
          { code: 'justice', name: '司法所', email: 'justice@anding.example.gov.cn', owes: ['litigation', 'legal_service'] },
          { code: 'office', name: '综合保障办', email: 'office@anding.example.gov.cn', owes: ['study'] },
        ],
      },
    );
    await writeLedgerWorkbook(join(inbox, 'justice', '应诉台账.xlsx'), [
      {
        name: '应诉',
        title: '行政复议应诉案件台账',
        header: LITIGATION,
        rows: [
          ['（2020）京0115行初1号', '行政诉讼', new Date(Date.UTC(2020, 2, 5)), '是', '王镇长'],
          ['（2020）京0115行初2号', '行政诉讼', new Date(Date.UTC(2020, 3, 5)), '是', null],
          ['（2020）京0115行初3号', '行政复议', new Date(Date.UTC(2020, 4, 5)), '否', null],
        ],
      },
    ]);
    await writeCsv(join(inbox, 'justice', '公共法律服务台账.csv'), [SERVICE, ['2020-01-05', '法律咨询', '12'], ['2020-01-06', '法律咨询', '3'], ['合计', '', '20']], { encoding: 'utf-8-bom' });
    await writeLedgerWorkbook(join(inbox, 'office', '学法.xlsx'), [{ name: '学法', header: STUDY, rows: [[new Date(Date.UTC(2020, 5, 1)), '会前学法', '民法典']] }]);
    await run(2);
  }, 120_000);

  it('writes the marked copies under <out>/marked/<department>/, the CSV as .xlsx, and none for a file without findings', async () => {
    expect((await readdir(join(out, 'marked', 'justice'))).filter((n) => !n.startsWith('.')).sort()).toEqual(['公共法律服务台账.xlsx', '应诉台账.xlsx']);
    expect(await readdir(join(out, 'marked')).then((d) => d.includes('office'))).toBe(false);
    const litigation = await load(join(out, 'marked', 'justice', '应诉台账.xlsx'));
    const sheet = litigation.getWorksheet('应诉')!;
    // Title in row 1 (merged over the six columns), header in row 2: the second case is row 4;
    // 出庭负责人 is column E.
    expect(fillOf(sheet.getCell('E4'))).toBe(RED);
    expect(noteOf(sheet.getCell('E4'))).toContain('出庭负责人');
    expect((sheet.model as unknown as { merges: string[] }).merges).toContain('A1:F1');
    const service = await load(join(out, 'marked', 'justice', '公共法律服务台账.xlsx'));
    const total = service.getWorksheet('公共法律服务台账')!.getCell('C4');
    expect(total.value).toBe(20);
    expect(fillOf(total)).toBe(RED);
    expect(noteOf(total)).toContain('期望：15');
  });

  it("attaches each department's own marked files to its mail, none of another's, and the .docx to the coordinator's", async () => {
    const mails = await mailsTo();
    const names = (to: string) => mails.get(to)?.attachments.map((a) => a.filename);
    expect(names('justice@anding.example.gov.cn')).toEqual(['report-2020.xlsx', '公共法律服务台账.xlsx', '应诉台账.xlsx']);
    expect(names('office@anding.example.gov.cn')).toEqual(['report-2020.xlsx']);
    expect(names('fazhi@anding.example.gov.cn')).toEqual(['report-2020.xlsx', 'report-2020.docx']);
    const justice = mails.get('justice@anding.example.gov.cn')!;
    expect(justice.text).toContain('批注版');
    const attached = justice.attachments.find((a) => a.filename === '应诉台账.xlsx')!;
    expect(attached.content.equals(await readFile(join(out, 'marked', 'justice', '应诉台账.xlsx')))).toBe(true);
  });

  it('keeps a marked copy as it is while nothing changed, and removes it once the file is fixed', async () => {
    const path = join(out, 'marked', 'justice', '应诉台账.xlsx');
    const before = (await stat(path)).mtimeMs;
    await run(3);
    expect((await stat(path)).mtimeMs).toBe(before);
    await writeLedgerWorkbook(join(inbox, 'justice', '应诉台账.xlsx'), [
      {
        name: '应诉',
        header: LITIGATION,
        rows: [
          ['（2020）京0115行初1号', '行政诉讼', new Date(Date.UTC(2020, 2, 5)), '是', '王镇长'],
          ['（2020）京0115行初2号', '行政诉讼', new Date(Date.UTC(2020, 3, 5)), '是', '李副镇长'],
        ],
      },
    ]);
    await run(4);
    expect((await readdir(join(out, 'marked', 'justice'))).filter((n) => !n.startsWith('.'))).toEqual(['公共法律服务台账.xlsx']);
    const justice = (await mailsTo()).get('justice@anding.example.gov.cn')!;
    expect(justice.attachments.map((a) => a.filename)).toEqual(['report-2020.xlsx', '公共法律服务台账.xlsx']);
  }, 120_000);
});
