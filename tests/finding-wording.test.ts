/**
 * What a finding tells the clerk is true and can be acted on (sweep D, D9/D11/D12): a 合计 is
 * compared at a cell's precision and its usual cause named (Excel's SUM leaves out numbers stored
 * as text); two rows are "完全相同" only when the cells tally could not read are the same too; the
 * department's mail says 第33行 for a row, not 单元格：33; a backup or a Word document beside
 * the ledgers is named and not read. Whole runs on real workbooks (exceljs, XlsxWriter), each on
 * its own DuckDB file; the mail read back from the outbox's .eml files.
 */
import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { writeLedgerWorkbook, type CellInput, type SheetSpec } from '../demo/ledger-workbook.ts';
import { PYTHON, pythonWith } from './support/python.ts';
import { day, useScenarios, type InboxFile } from './support/scenario.ts';

const scenarios = useScenarios({ outputs: false });
const withOutputs = useScenarios();
const withPython = pythonWith(['xlsxwriter'], 'a 合计 row written by XlsxWriter');

const LEGAL_SERVICE = ['日期', '村居', '服务类别', '人次'];

function serviceSheet(rows: CellInput[][], extra: Partial<SheetSpec> = {}): SheetSpec {
  return { name: '法律服务', title: '安定镇2020年公共法律服务台账', header: LEGAL_SERVICE, rows, ...extra };
}

const justiceOwesLegalService = [{ code: 'justice', owes: ['legal_service'] }];

/**
 * 行政处罚案件台账 with three fines, 1200.1, 2056.2 and “1,200” typed as text, and a 合计 row
 * =SUM(H3:H5) saved with Excel's result, 3256.3: SUM leaves the text out; tally reads it.
 */
const SUM_SKIPS_TEXT = `
import sys, datetime, xlsxwriter
wb = xlsxwriter.Workbook(sys.argv[1])
ws = wb.add_worksheet('处罚案件')
date = wb.add_format({'num_format': 'yyyy-mm-dd'})
ws.write_row(0, 0, ['安定镇综合执法队行政处罚案件台账'])
ws.write_row(1, 0, ['案件编号', '立案日期', '当事人', '案由', '法制审核日期', '是否重大执法决定', '决定日期', '罚款金额(元)'])
for i, fine in enumerate([1200.1, 2056.2, '1,200']):
    ws.write_string(2 + i, 0, '安综执罚〔2020〕%d号' % (i + 1))
    for c, d in ((1, 3), (4, 6), (6, 8)): ws.write_datetime(2 + i, c, datetime.datetime(2020, 4, d + i), date)
    ws.write_row(2 + i, 2, ['某商户%d' % (i + 1), '占道经营'])
    ws.write(2 + i, 5, '否')
    if isinstance(fine, str): ws.write_string(2 + i, 7, fine)
    else: ws.write_number(2 + i, 7, fine)
ws.write_string(5, 0, '合计')
ws.write_formula(5, 7, '=SUM(H3:H5)', None, 3256.3)
wb.close()
`;

describe('sheet.total_mismatch', () => {
  it.runIf(withPython)('gives the sum at a cell’s precision, and names Excel’s SUM leaving out numbers stored as text when the 合计 is short', async () => {
    const path = 'enforcement/处罚台账-合计用SUM.xlsx';
    const run = await scenarios.run('penalty-sum-skips-a-number-stored-as-text', {
      roster: [{ code: 'enforcement', owes: ['penalty'] }],
      files: { [path]: { write: async (p) => void execFileSync(PYTHON, ['-c', SUM_SKIPS_TEXT, p]) } },
    });
    const found = run.findingsOf('sheet.total_mismatch');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      file: path,
      sheet: '处罚案件',
      cell: 'H6',
      expected: '4456.3',
      actual: '3256.3',
      message:
        '合计行“罚款金额(元)”写的是 3256.3，但各行相加是 4456.3，比合计多 1200。' +
        '如果合计是用 Excel 的 SUM 公式算的，常见的原因是这一列有以文本形式保存的数字（如“1,200”，单元格左上角常有绿色小三角）：' +
        'Excel 的 SUM 不计入它们，tally 计入了。请选中这一列中的数字，点旁边出现的黄色感叹号，选“转换为数字”，合计会随之更新；' +
        '如果不是这个原因，请改正合计数或各行数字。',
    });
  });

  it('says by how much a 合计 over the sum is over, without the SUM hint', async () => {
    const rows: CellInput[][] = [
      [day(2020, 1, 6), '安定村', '法律咨询', 10],
      [day(2020, 2, 6), '前野厂村', '法律咨询', 20],
      [day(2020, 3, 6), '后安定村', '法律援助咨询', 30],
    ];
    const run = await scenarios.run('legal-service-total-over-the-sum', {
      roster: justiceOwesLegalService,
      files: { 'justice/法律服务-合计多写.xlsx': [serviceSheet(rows, { total: { position: 'bottom', cells: ['合计', null, null, 70] } })] },
    });
    expect(run.findingsOf('sheet.total_mismatch').map((f) => f.message)).toEqual([
      '合计行“人次”写的是 70，但各行相加是 60，比合计少 10。请改正合计数或各行数字。',
    ]);
  });
});

describe('row.duplicate', () => {
  it('does not call two rows the same when they differ in a cell tally could not read (日期 “2月” and “3月”), and does when those cells are the same', async () => {
    const path = 'justice/法律服务-按月汇总.xlsx';
    const run = await scenarios.run('legal-service-month-labels-in-date-column', {
      roster: justiceOwesLegalService,
      files: {
        [path]: [
          serviceSheet([
            [day(2020, 1, 6), '安定村', '法律咨询', 10],
            ['2月', '全镇', '法律援助咨询', 29],
            ['3月', '全镇', '法律援助咨询', 29],
            ['3月', '全镇', '法律援助咨询', 29],
          ]),
        ],
      },
    });
    // Rows 4, 5, 6: 2月 is no copy of 3月; the second 3月 row is one of the first.
    expect(run.findingsOf('row.duplicate').map((f) => [f.cell, f.message])).toEqual([
      ['6', `此行与 ${path} 法律服务 第5行 完全相同（序号除外），可能重复登记（会被重复计数）。如确是两件事，请在内容上加以区分；否则请删除一行。`],
    ]);
    expect(run.findingsOf('cell.type').map((f) => f.cell)).toEqual(['A4', 'A5', 'A6']);
  });

  it('takes an amount written in another magnitude (2万人次) as the number it was counted as: the same row as 20000', async () => {
    const path = 'justice/法律服务-万人次.xlsx';
    const run = await scenarios.run('legal-service-same-row-in-two-magnitudes', {
      roster: justiceOwesLegalService,
      files: {
        [path]: [
          serviceSheet([
            [day(2020, 1, 6), '安定村', '法律咨询', 20000],
            [day(2020, 1, 6), '安定村', '法律咨询', '2万人次'],
          ]),
        ],
      },
    });
    expect(run.findingsOf('cell.unit_mismatch').map((f) => f.cell)).toEqual(['D4']);
    expect(run.findingsOf('row.duplicate').map((f) => f.cell)).toEqual(['4']);
  });
});

describe("a department's mail", () => {
  it('says 第N行 where a finding is about a row, and 单元格：D7 where it is about a cell', async () => {
    const rows: CellInput[][] = [
      [day(2020, 1, 6), '安定村', '法律咨询', 10],
      [day(2020, 2, 6), '前野厂村', '法律咨询', 20],
      [day(2020, 2, 6), '前野厂村', '法律咨询', 20],
      [day(2020, 3, 6), '后安定村', '法律咨询', '见附件'],
    ];
    const run = await withOutputs.run('legal-service-mail-places', {
      roster: justiceOwesLegalService,
      files: { 'justice/法律服务台账.xlsx': [serviceSheet(rows)] },
    });
    expect(run.findingsOf('row.duplicate').map((f) => f.cell)).toEqual(['5']);
    const outbox = join(run.dir, 'out', 'outbox');
    const eml = (await readdir(outbox)).find((f) => f.endsWith('.eml') && f.includes('justice'));
    const mail = await simpleParser(await readFile(join(outbox, eml ?? 'no mail to justice')));
    expect(mail.text).toContain('文件：justice/法律服务台账.xlsx；工作表：法律服务；第5行。此行与');
    expect(mail.text).toContain('文件：justice/法律服务台账.xlsx；工作表：法律服务；单元格：D6。');
    expect(mail.text).not.toMatch(/单元格：\d+。/);
    expect(mail.html).toContain('<th');
    expect(mail.html).toContain('第5行');
    expect(mail.html).toContain('位置');
  });
});

describe('files beside the ledgers that are not ledgers', () => {
  const rows: CellInput[][] = [
    [day(2020, 1, 6), '安定村', '法律咨询', 10],
    [day(2020, 2, 6), '前野厂村', '法律咨询', 20],
    [day(2020, 3, 6), '后安定村', '法律咨询', 23],
  ];
  const ledger: InboxFile = [serviceSheet(rows)];
  /** The ledger itself, under another name (a workbook, whatever the name says). */
  const copyOfLedger: InboxFile = { write: (path) => writeLedgerWorkbook(path, [serviceSheet(rows)]) };

  it('names a backup copy (.bak, .tmp, .xlk, …~), a zip and a Word report draft in a 警告 each, reads none of them, and counts the ledger once', async () => {
    const run = await scenarios.run('legal-service-folder-with-backups-and-a-report-draft', {
      roster: justiceOwesLegalService,
      files: {
        'justice/公共法律服务台账.xlsx': ledger,
        'justice/公共法律服务台账 - 副本.xlsx.bak': copyOfLedger,
        'justice/公共法律服务台账.xlsx~': copyOfLedger,
        'justice/公共法律服务台账的备份.xlk': copyOfLedger,
        'justice/~WRL0001.tmp': { bytes: 'scratch' },
        'justice/2020年法治政府建设工作总结.docx': copyOfLedger,
        'justice/2019年台账备份.zip': copyOfLedger,
        // Office's lock file and Windows' thumbnails stay silent, as before.
        'justice/~$公共法律服务台账.xlsx': { bytes: 'owner' },
        'justice/Thumbs.db': { bytes: 'thumbs' },
      },
    });
    expect(run.indicator('service.consultations')).toMatchObject({ value: 53, status: '正常' });
    const ignored = run.findingsOf('file.ignored');
    expect(ignored.every((f) => f.level === '警告' && f.department === 'justice' && f.ledger === null)).toBe(true);
    expect(Object.fromEntries(ignored.map((f) => [f.file, f.message]))).toEqual({
      'justice/2019年台账备份.zip':
        '“2019年台账备份.zip”是压缩包，tally 不解压，未读取，也不计入统计。如果其中有要报送的台账，请解压后把台账文件放入报送文件夹；否则请把它移出报送文件夹。',
      'justice/2020年法治政府建设工作总结.docx':
        '“2020年法治政府建设工作总结.docx”是 Word 文档，不是台账，未读取，也不计入统计。台账请用 Excel 表格（.xlsx、.xls、.et、.ods 或 .csv）报送；这个文件如果不需要报送，请把它移出报送文件夹。',
      'justice/~WRL0001.tmp':
        '“~WRL0001.tmp”是备份或临时文件（.tmp），不是报送的台账，未读取，也不计入统计。如果它正是要报送的台账，请在 Excel 中打开它，另存为 .xlsx 文件后重新报送；否则请把它移出报送文件夹。',
      'justice/公共法律服务台账 - 副本.xlsx.bak':
        '“公共法律服务台账 - 副本.xlsx.bak”是备份或临时文件（.bak），不是报送的台账，未读取，也不计入统计。如果它正是要报送的台账，请在 Excel 中打开它，另存为 .xlsx 文件后重新报送；否则请把它移出报送文件夹。',
      'justice/公共法律服务台账.xlsx~':
        '“公共法律服务台账.xlsx~”是备份或临时文件（名称以“~”结尾），不是报送的台账，未读取，也不计入统计。如果它正是要报送的台账，请在 Excel 中打开它，另存为 .xlsx 文件后重新报送；否则请把它移出报送文件夹。',
      'justice/公共法律服务台账的备份.xlk':
        '“公共法律服务台账的备份.xlk”是备份或临时文件（.xlk），不是报送的台账，未读取，也不计入统计。如果它正是要报送的台账，请在 Excel 中打开它，另存为 .xlsx 文件后重新报送；否则请把它移出报送文件夹。',
    });
    // Read, the copies were a file.unreadable each, or an overlapping file counted twice.
    expect(run.findings.filter((f) => f.code !== 'file.ignored')).toEqual([]);
    expect(run.submission('justice', 'legal_service').files).toEqual(['justice/公共法律服务台账.xlsx']);
  });
});
