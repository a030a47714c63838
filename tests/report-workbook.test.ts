import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finding } from '../pipeline/kernel/findings/findings.ts';
import type { ReportData } from '../reports/report-data.ts';
import { writeReportWorkbook } from '../reports/write-report-workbook.ts';

const dir = join('tests', '.tmp', `report-workbook-${randomBytes(4).toString('hex')}`);
const path = join(dir, 'report-2020.xlsx');

/** Two indicators (one known, one missing), three findings (two carrying formula-looking text). */
function reportWithInjection(): ReportData {
  return {
    year: 2020,
    town: '安定镇',
    district: '大兴区',
    title: '大兴区安定镇2020年度法治政府建设年度情况报告',
    generatedAt: new Date('2021-03-01T02:00:00Z'),
    indicators: [
      {
        seq: 1, code: 'enforcement.disclosures', section: '一(一)', name: '公示执法信息', value: 283, unit: '项',
        written: 'approx', wording: '280余项', sources: '综合执法队·执法公示台账', status: '有警告',
      },
      {
        seq: 2, code: 'service.aid_cases', section: '一(五)', name: '法律援助', value: null, unit: '件',
        written: 'exact', wording: null, sources: '司法所·法律援助台账', status: '缺报',
      },
    ],
    findings: [
      finding('cell.type', { department: 'enforcement', file: 'enforcement/公示.xlsx', sheet: '1月', cell: 'D7', actual: '=SUM(A1)' }, '=SUM(A1) 不是日期，请改成 2020-03-05 的写法'),
      finding('cell.enum', { department: 'zzz', file: 'zzz/a.csv', sheet: 'a', cell: '7', expected: '通过', actual: '@cmd' }, '@cmd|calc'),
      finding('file.unknown_department', { department: null, file: '散件.xlsx' }, '-1+2 请放到部门文件夹中'),
    ],
    submissions: [
      {
        department: '综合执法队', departmentCode: 'enforcement', ledger: '执法公示台账', ledgerId: 'disclosure', status: '已报',
        files: ['enforcement/公示.xlsx', 'enforcement/公示2.xlsx'], versions: [1, 2], receivedAt: '2021-01-05T16:30:00Z', rows: 283, findings: 1,
      },
      {
        department: '司法所', departmentCode: 'justice', ledger: '法律援助台账', ledgerId: 'legal_aid', status: '缺报',
        files: [], versions: [], receivedAt: null, rows: 0, findings: 0,
      },
    ],
    narrative: '大兴区安定镇2020年度法治政府建设年度情况报告\n\n第一段，全年公示执法信息280余项。\n\n第二段，提供法律援助【缺报：法律援助】。',
    departments: [{ code: 'enforcement', name: '综合执法队', email: 'zfd@example.org', owes: ['disclosure'] }],
    coordinator: { name: '司法所', email: 'fazhi@example.org' },
  };
}

let workbook: ExcelJS.Workbook;

beforeAll(async () => {
  await mkdir(dir, { recursive: true });
  await writeReportWorkbook(reportWithInjection(), path);
  workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function headerOf(sheet: ExcelJS.Worksheet): unknown[] {
  const values = sheet.getRow(1).values;
  return Array.isArray(values) ? values.slice(1) : [];
}

describe('writeReportWorkbook', () => {
  it('writes the four sheets of contract §5 with their exact headers', () => {
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['指标汇总', '问题清单', '报送情况', '报告正文']);
    // The contract's columns first and unchanged; 上年数值 and 同比 (issue 4) after them.
    expect(headerOf(workbook.getWorksheet('指标汇总')!)).toEqual(['序号', '指标编码', '板块', '指标名称', '数值', '单位', '报告表述', '来源', '状态', '上年数值', '同比']);
    expect(headerOf(workbook.getWorksheet('问题清单')!)).toEqual(['序号', '级别', '规则编码', '部门', '文件', '工作表', '单元格', '说明', '期望', '实际']);
    expect(headerOf(workbook.getWorksheet('报送情况')!)).toEqual(['部门', '台账', '状态', '文件', '版本', '接收时间', '行数', '问题数']);
    expect(workbook.creator).toBe('tally');
  });

  it('writes 数值 as a number cell, and leaves it empty when the value is unknown', () => {
    const sheet = workbook.getWorksheet('指标汇总')!;
    expect(sheet.getCell('E2').type).toBe(ExcelJS.ValueType.Number);
    expect(sheet.getCell('E2').value).toBe(283);
    expect(sheet.getCell('G2').value).toBe('280余项');
    expect(sheet.getCell('E3').type).toBe(ExcelJS.ValueType.Null);
    expect(sheet.getCell('I3').value).toBe('缺报');
    expect(sheet.getCell('I3').fill).toMatchObject({ type: 'pattern', fgColor: { argb: 'FFD9D9D9' } });
  });

  it('freezes the header row and puts a filter on it', () => {
    for (const name of ['指标汇总', '问题清单', '报送情况']) {
      const sheet = workbook.getWorksheet(name)!;
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(sheet.autoFilter).toBeTruthy();
      expect(sheet.getCell('A1').font?.bold).toBe(true);
      expect(sheet.getCell('A1').font?.name).toBe('宋体');
    }
  });

  it('names departments, falls back to the code, and marks findings with no department', () => {
    const sheet = workbook.getWorksheet('问题清单')!;
    expect(sheet.getCell('D2').value).toBe('综合执法队');
    expect(sheet.getCell('D3').value).toBe('zzz');
    expect(sheet.getCell('D4').value).toBe('（未归属）');
    expect(sheet.getCell('G3').value).toBe('7');
  });

  it('joins files and versions, and writes the time received in Shanghai time', () => {
    const sheet = workbook.getWorksheet('报送情况')!;
    expect(sheet.getCell('D2').value).toBe('enforcement/公示.xlsx、enforcement/公示2.xlsx');
    expect(sheet.getCell('E2').value).toBe('1、2');
    expect(sheet.getCell('F2').value).toBe('2021-01-06 00:30');
    expect(sheet.getCell('G2').value).toBe(283);
    expect(sheet.getCell('F3').value).toBeNull();
  });

  it('writes the title once, then one paragraph per row', () => {
    const sheet = workbook.getWorksheet('报告正文')!;
    const column = sheet.getColumn(1).values.slice(1);
    expect(column).toEqual([
      '大兴区安定镇2020年度法治政府建设年度情况报告',
      '第一段，全年公示执法信息280余项。',
      '第二段，提供法律援助【缺报：法律援助】。',
    ]);
  });

  it('writes formula-looking text as inert strings, never as formulas', async () => {
    const sheet = workbook.getWorksheet('问题清单')!;
    for (const address of ['H2', 'J2', 'H3', 'J3', 'H4']) {
      expect(sheet.getCell(address).type).toBe(ExcelJS.ValueType.String);
      expect(sheet.getCell(address).formula).toBeUndefined();
    }
    expect(sheet.getCell('J2').value).toBe('=SUM(A1)');
    expect(sheet.getCell('J3').value).toBe('@cmd');

    const zip = await JSZip.loadAsync(await readFile(path));
    const names = Object.keys(zip.files).filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n));
    expect(names).toContain('xl/worksheets/sheet2.xml');
    for (const name of names) {
      expect(await zip.file(name)!.async('string')).not.toMatch(/<f[\s>]/);
    }
  });
});
