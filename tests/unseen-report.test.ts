/**
 * A report tally's authors had not seen, adopted from the README alone: 临江县城东街道's 2022
 * 法治政府建设情况报告 (tests/unseen-report/report-text.txt), its pack written as files in a temporary
 * folder (tests/unseen-report/chengdong-2022.ts), its departments' files filled as clerks fill
 * them. Through the CLI: `tally pack check`, `tally templates`, `tally run`, then `tally verify`
 * of the real report's text against the figures. Every figure of the report comes out as the
 * report writes it (123.45万元, 3.2万人次, 12.5%, 未发生行政诉讼案件), worked out apart from tally.
 */
import { randomBytes } from 'node:crypto';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from './support/cli.ts';
import { chengdongConfig, EXPECTED, writeChengdongInbox, writeChengdongPack, writePreviousWorkbook } from './unseen-report/chengdong-2022.ts';

const root = join(tmpdir(), `tally-unseen-report-${randomBytes(4).toString('hex')}`);
const config = join(root, 'chengdong.json');
const out = join(root, 'out');
const REPORT = join(import.meta.dirname, 'unseen-report', 'report-text.txt');

/** How the report writes its amounts: 万元 to two decimals, 万人次 to one. */
const EXTRAS = { 'contracts.amount': { decimals: 2 }, 'penalty.fines': { decimals: 2 }, 'publicity.audience': { decimals: 1 } };

let check: CliResult;
let templates: CliResult;
let run: CliResult;
let verify: CliResult;
const figures = new Map<string, unknown[]>();
const findings: unknown[][] = [];
let text = '';
let mails = '';

beforeAll(async () => {
  await writeChengdongPack(join(root, 'pack'), { extras: EXTRAS });
  await writeFile(config, JSON.stringify(chengdongConfig('./pack')));
  await writeChengdongInbox(join(root, 'inbox'));
  check = await runCli(['pack', 'check', join(root, 'pack'), '--config', config]);
  templates = await runCli(['templates', '--config', config, '--out', join(root, '模板')]);
  // Last year's report, for the one sentence that compares with it (同比增长25%).
  await writePreviousWorkbook(join(root, 'report-2021.xlsx'));
  run = await runCli(['run', '--config', config, '--inbox', join(root, 'inbox'), '--out', out, '--previous', join(root, 'report-2021.xlsx')]);
  verify = await runCli(['verify', REPORT, '--config', config, '--out', out]);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(join(out, 'report-2022.xlsx'));
  workbook.getWorksheet('指标汇总')?.eachRow((row, n) => {
    const values = (row.values as unknown[]).slice(1);
    if (n > 1) figures.set(String(values[1]), values);
  });
  workbook.getWorksheet('问题清单')?.eachRow((row, n) => {
    if (n > 1) findings.push((row.values as unknown[]).slice(1));
  });
  workbook.getWorksheet('报告正文')?.eachRow((row) => (text += `${String(row.getCell(1).value)}\n`));
  for (const name of (await readdir(join(out, 'outbox'))).filter((f) => f.endsWith('.eml')).sort()) {
    const mail = await simpleParser(await readFile(join(out, 'outbox', name)));
    mails += `${mail.subject ?? ''}\n${mail.text ?? ''}\n`;
  }
}, 240_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The report's paragraphs, as its text has them (indent and blank lines off). */
async function reportParagraphs(): Promise<string[]> {
  return (await readFile(REPORT, 'utf8'))
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

describe('临江县城东街道 2022, a report written elsewhere, as a pack of files', () => {
  it('passes pack check with no warning, and writes each department its template', () => {
    expect(check.code, check.stderr + check.stdout).toBe(0);
    expect(check.stdout + check.stderr).not.toContain('警告');
    expect(templates.code, templates.stderr).toBe(0);
    expect(templates.stdout).toContain('司法所-2022年台账模板.xlsx（4 本台账）');
  });

  it('tells the clerks to upload through the office that collects, 城东街道法治办, not a 司法所 it does not have', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(root, '模板', '党政办-2022年台账模板.xlsx'));
    const notes: string[] = [];
    workbook.getWorksheet('填表说明')?.eachRow((row) => notes.push(String(row.getCell(1).value)));
    expect(notes.find((n) => n.startsWith('说明六'))).toContain('请通过城东街道法治办发给本部门的专用链接上传');
  });

  it('runs, and fills every figure with what its rows add up to', () => {
    expect(run.code, run.stderr + run.stdout).toBe(0);
    for (const [code, value] of Object.entries(EXPECTED)) {
      const cell = figures.get(code)?.[4];
      expect([code, typeof cell === 'number' ? Number(cell.toPrecision(12)) : cell]).toEqual([code, value]);
    }
  });

  it('writes amounts and sums as the report does: 万元 to two decimals, 万人次 to one', () => {
    expect(figures.get('contracts.amount')?.[6]).toBe('3256.78万元');
    expect(figures.get('penalty.fines')?.[6]).toBe('123.45万元');
    expect(figures.get('publicity.audience')?.[6]).toBe('3.2万人次');
    expect(figures.get('penalty.cases')?.[6]).toBe('210余件');
  });

  it('derives the rates, and says a rate of 0/0 has no value', () => {
    expect(figures.get('cases.correction_rate')?.slice(4, 7)).toEqual([12.5, '%', '12.5%']);
    expect(figures.get('disputes.success_rate')?.slice(4, 7)).toEqual([98.7, '%', '98.7%']);
    expect(figures.get('cases.appearance_rate')?.[6]).toBe('分母为0（行政诉讼案件为0，不计算出庭应诉率）');
    expect(figures.get('docs.filing_rate')?.[6]).toBe('分母为0（制定行政规范性文件为0，不计算行政规范性文件报备率）');
  });

  it('prints the report text of 2022, its figures and its zeros in words', async () => {
    const paragraphs = await reportParagraphs();
    // Every paragraph of the real report, 同比增长25% against last year's report included.
    for (const p of paragraphs) expect(text).toContain(p);
    expect(text).toContain('全年办理法律援助案件45件，同比增长25%。');
    expect(text).toContain('2023年，街道将持续深化法治政府建设');
    expect(text).not.toMatch(/【|\{\{|\}\}/);
  });

  it('finds the planted mistakes and nothing else', () => {
    const codes = findings.map((f) => String(f[2])).sort();
    expect(codes).toEqual(['cell.out_of_period', 'cell.out_of_period', 'cell.out_of_period', 'cell.out_of_period', 'cell.out_of_period', 'cell.out_of_period', 'cell.out_of_period', 'cell.type']);
    expect(findings.find((f) => f[2] === 'cell.type')?.slice(5, 7)).toEqual(['处罚案件', 'F11']);
  });

  it('verifies the real report: every figure it can tie is consistent, none missed', () => {
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/普法受众3\.2万人次\s/);
    expect(verify.stdout).toMatch(/12个\s+涉及社区\s+12\s+12个\s+一致/);
    // 同比增长25%: 45件 against last year's 36件, from the report workbook the run was given.
    expect(verify.stdout).toMatch(/增长25%\s+办理法律援助案件（与上年比）\s+45\s+增长25%\s+一致/);
    expect(verify.stdout).not.toContain('无法判断    ');
    expect(verify.stdout).not.toContain('不一致    ');
    expect(verify.stdout).not.toContain('草稿中没有找到的指标');
  });

  it('mails name the report of the pack and the 街道, not another town kind', () => {
    expect(mails).toContain('临江县城东街道2022年度法治政府建设情况报告');
    expect(mails).not.toContain('全镇');
  });
});
