/**
 * The second bundled pack, end to end through the CLI: `tally demo --pack liangzhu-2023` lays out
 * 良渚街道's 2023 inbox (other ledgers, other roster) and runs it; the workbook shows the published
 * figures, the rates and shares written as the report writes them, and the planted mistakes.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planLiangzhu2023 } from '../demo/liangzhu-2023/plan.ts';
import { runCli, type CliResult } from './support/cli.ts';

const dir = resolve(import.meta.dirname, '.tmp', `liangzhu-${randomBytes(4).toString('hex')}`);
let result: CliResult;
const rows = new Map<string, unknown[]>();
const findings: unknown[][] = [];

beforeAll(async () => {
  result = await runCli(['demo', '--pack', 'liangzhu-2023', '--dir', dir]);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(join(dir, 'out', 'report-2023.xlsx'));
  workbook.getWorksheet('指标汇总')?.eachRow((row, n) => {
    const values = (row.values as unknown[]).slice(1);
    if (n > 1) rows.set(String(values[1]), values);
  });
  workbook.getWorksheet('问题清单')?.eachRow((row, n) => {
    if (n > 1) findings.push((row.values as unknown[]).slice(1));
  });
}, 180_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const value = (code: string) => rows.get(code)?.[4];
const wording = (code: string) => rows.get(code)?.[6];

describe('tally demo --pack liangzhu-2023', () => {
  it('runs to the end and writes report-2023.xlsx', () => {
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('report-2023.xlsx');
  });

  it('shows the published figures in 指标汇总: 审核合同2657份, 规范性文件13份, 法律意见书26份, 持证执法人员56人', () => {
    expect(value('review.contracts')).toBe(2657);
    expect(value('review.normative_docs')).toBe(13);
    expect(value('review.legal_opinions')).toBe(26);
    expect(value('staff.certified')).toBe(56);
  });

  it('writes 出庭应诉率 as 100% and 持证比例 as 超过95% in 报告表述', () => {
    expect(wording('cases.appearance_rate')).toBe('100%');
    expect(wording('staff.certified_share')).toBe('超过95%');
    expect(value('staff.certified_share')).toBe(96.6);
    expect(wording('cases.total')).toBe('23件');
    expect(wording('disputes.success_rate')).toBe('96.9%');
  });

  it('fills every figure the demo ledgers add up to (13 indicators, then 4 derived)', () => {
    const plan = planLiangzhu2023();
    for (const [code, expected] of Object.entries(plan.expected)) expect(value(code), code).toBe(expected);
    expect(rows.size).toBe(17);
  });

  it('finds each planted mistake at its cell, the pack’s own check codes too', () => {
    const plan = planLiangzhu2023();
    expect(plan.planted.length).toBeGreaterThanOrEqual(8);
    for (const p of plan.planted) {
      const hit = findings.find((f) => f[2] === p.code && String(f[4]).endsWith(p.file) && f[5] === p.sheet && (f[6] ?? null) === p.cell);
      expect(hit, `${p.code} ${p.file} ${p.sheet}!${p.cell}`).toBeDefined();
    }
    const levels = new Map(findings.map((f) => [f[2], f[1]]));
    expect(levels.get('enforcer.cert_missing')).toBe('错误');
    expect(levels.get('enforcer.cert_expired')).toBe('警告');
  });
});
