/**
 * Volume (issue 12): a department that pasted a block of rows over and over is told so once
 * (sheet.pasted_block), not with a warning per copied row; a flood of findings that are each
 * real (a bad date in every row) completes the run, and what people read says the first
 * findings of each file, sheet and rule and then one line for the rest; the complete list is a
 * CSV beside the report; the department's mail stays small. (Every full-size case is in
 * `npm run stress`.)
 */
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { simpleParser } from 'mailparser';
import { writeLedgerWorkbook } from '../demo/ledger-workbook.ts';
import { extractSheet } from '../sheets/extract-sheet.ts';
import { loadLedgerCatalog } from '../sheets/ledger-catalog.ts';
import { readFile as readWorkbook } from '../sheets/read-file.ts';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../pipeline/kernel/config/config.ts';
import { SHOWN_PER_GROUP } from '../pipeline/kernel/findings/findings-store.ts';
import { runPipeline } from '../pipeline/run.ts';
import { day, useScenarios, type ScenarioRun } from './support/scenario.ts';

const scenarios = useScenarios();

const BLOCK = 7_500;
const PASTES = 20;
const ROWS = BLOCK * PASTES;
const COPIED = ROWS - BLOCK;
const FILE = 'justice/mediation-block-pasted-twenty-times.csv';
const PASTED = `第2–7501行（共7500行）在本工作表中又重复粘贴了19次（第7502–150001行），这些行被重复计数，《人民调解台账》的数字因此偏大。请删除重复粘贴的行，只保留一份。`;

/** 人民调解台账 as a CSV: one block of distinct mediations, pasted twenty times (序号 numbered on). */
function pastedLedger(): (string | number)[][] {
  const header = ['序号', '受理日期', '当事人', '纠纷类型', '调解结果', '结案日期'];
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  const rows: (string | number)[][] = [header];
  for (let n = 0; n < ROWS; n++) {
    const i = n % BLOCK;
    const month = (i % 12) + 1;
    rows.push([n + 1, iso(day(2020, month, 5)), `张${i + 1}与李${i + 1}`, '邻里纠纷', '调解成功', iso(day(2020, month, 20))]);
  }
  return rows;
}

describe('a ledger with a block of rows pasted twenty times (142,500 copied rows)', () => {
  let run: ScenarioRun;

  it('completes the run and reports the pasted block once, the figure 有错误 at what the rows count', { timeout: 240_000 }, async () => {
    run = await scenarios.run('mediation-block-pasted-twenty-times', {
      roster: [{ code: 'justice', owes: ['mediation'] }],
      files: { [FILE]: { csv: pastedLedger() } },
    });
    expect(run.findings).toEqual([
      {
        level: '错误',
        code: 'sheet.pasted_block',
        department: 'justice',
        file: FILE,
        sheet: 'mediation-block-pasted-twenty-times',
        cell: null,
        ledger: 'mediation',
        message: PASTED,
        expected: '每件事只登记一次',
        actual: `${COPIED} 行重复粘贴`,
      },
    ]);
    expect(run.summary.findings).toMatchObject({ 错误: 1, 警告: 0 });
    expect(run.indicator('service.disputes_resolved')).toMatchObject({ value: ROWS, status: '有错误' });
  });

  it('writes that one finding into 问题清单 and findings-2020.csv, with no row.duplicate', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(run.dir, 'out', 'report-2020.xlsx'));
    const sheet = workbook.getWorksheet('问题清单');
    const texts: string[] = [];
    sheet?.eachRow((row) => texts.push(String(row.getCell(8).value ?? '')));
    expect(texts.filter((t) => t === PASTED)).toHaveLength(1);
    expect(texts.some((t) => t.startsWith('同类问题另有'))).toBe(false);

    const csv = await readFile(join(run.dir, 'out', 'findings-2020.csv'), 'utf8');
    expect(csv.startsWith('\ufeff级别,规则编码')).toBe(true);
    const lines = csv.trimEnd().split('\n');
    expect(lines.filter((l) => l.includes('row.duplicate'))).toHaveLength(0);
    expect(lines.filter((l) => l.includes('sheet.pasted_block'))).toHaveLength(1);
  });

  it("tells the department in its mail, which stays small", async () => {
    const outbox = join(run.dir, 'out', 'outbox');
    const files = (await readdir(outbox)).filter((f) => f.endsWith('.eml'));
    let found = false;
    for (const f of files) {
      const raw = await readFile(join(outbox, f));
      const mail = await simpleParser(raw);
      if (mail.to === undefined || !JSON.stringify(mail.to).includes('justice@')) continue;
      found = true;
      expect((await stat(join(outbox, f))).size).toBeLessThan(1024 * 1024);
      expect(mail.text).toContain('第2–7501行（共7500行）在本工作表中又重复粘贴了19次');
      expect(mail.text).not.toContain('同类问题另有');
    }
    expect(found).toBe(true);
  });
});

describe('a ledger with a bad date in each of 30,000 rows (its findings handed on with the parts of rows)', () => {
  const FILE = 'justice/mediation-dates-as-words.xlsx';
  const N = 30_000;
  let run: ScenarioRun;

  it('stores every finding, from every part of the sheet, once', { timeout: 240_000 }, async () => {
    const rows = Array.from({ length: N }, (_, i) => [String(i + 1), '去年春天', `王${i + 1}与赵${i + 1}`, '邻里纠纷', '调解成功', day(2020, 6, 30)]);
    const sheet = { name: '调解台账', header: ['序号', '受理日期', '当事人', '纠纷类型', '调解结果', '结案日期'], rows };
    run = await scenarios.run('mediation-dates-as-words', { roster: [{ code: 'justice', owes: ['mediation'] }], files: { [FILE]: [sheet] } });
    const csv = await readFile(join(run.dir, 'out', 'findings-2020.csv'), 'utf8');
    const lines = csv.split('\n').filter((l) => l.includes(',cell.type,'));
    expect(lines).toHaveLength(N);
    // Each row's own cell, each once: B2 … B30001.
    expect(new Set(lines.map((l) => /,(B\d+),/.exec(l)?.[1])).size).toBe(N);
    expect(run.findingsOf('cell.type')).toHaveLength(SHOWN_PER_GROUP);
    expect(run.summary.report.findingsOmitted?.find((o) => o.code === 'cell.type')).toMatchObject({ count: N - SHOWN_PER_GROUP, firstRow: SHOWN_PER_GROUP + 2, lastRow: N + 1 });
  });

  it('reads nothing again on a second run, and its findings stand', { timeout: 120_000 }, async () => {
    const second = await runPipeline({
      config: loadConfig(join(run.dir, 'config.json')),
      inbox: join(run.dir, 'inbox'),
      out: join(run.dir, 'out'),
      dbPath: join(run.dir, 'tally.duckdb'),
      now: () => new Date(Date.UTC(2021, 0, 11, 2, 0, 0)),
    });
    expect(second.filesRead).toBe(0);
    expect(second.findings.错误).toBe(run.summary.findings.错误);
  });
});

describe('a sheet whose long cells run past their own limit (DuckDB keeps each out of line)', () => {
  it('counts only cells over 1,000 characters, and says the long texts were the reason', async () => {
    const dir = join(import.meta.dirname, '.tmp', `long-cells-${process.pid}`);
    await mkdir(dir, { recursive: true });
    const path = join(dir, 'mediation-long-cells-pasted.xlsx');
    const long = '双方当事人因宅基地边界发生争执，'.repeat(100); // 1,600 characters: a long text
    const short = '邻里纠纷'.repeat(200); // 800 characters: not one
    const rows = Array.from({ length: 10 }, (_, i) => [String(i + 1), day(2020, 3, 5), `张${i + 1}与李${i + 1}`, i % 2 === 0 ? long : short, '调解成功', day(2020, 3, 20)]);
    await writeLedgerWorkbook(path, [{ name: '调解台账', header: ['序号', '受理日期', '当事人', '纠纷类型', '调解结果', '结案日期'], rows }]);
    try {
      const catalog = loadLedgerCatalog(join(import.meta.dirname, '..', 'packs', 'anding-2020', 'ledgers.json'));
      for await (const sheet of readWorkbook(path)) {
        const x = extractSheet(sheet, catalog, { year: 2020, department: 'justice', file: 'justice/x.xlsx', maxLongTextChars: 4_000 });
        // Long texts in rows 1, 3, 5 (1,600 each): the 5th row takes them past 4,000; the short
        // ones between count for nothing. Rows 1-5 are read, rows 6-10 (sheet rows 7-11) are not.
        expect(x.rowCount).toBe(5);
        const cut = x.findings.filter((f) => f.code === 'sheet.truncated');
        expect(cut).toHaveLength(1);
        expect(cut[0]).toMatchObject({ cell: '7', actual: '多出 5 行', expected: '长文本至多 4,000 字', level: '错误' });
        expect(cut[0]?.message).toContain('超过 1,000 字的长文本单元格合计超过 4,000 字的读取上限，从第 7 行起的 5 行未读取');
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a sheet whose text runs past the limit (rows of pasted paragraphs)', () => {
  it('reads the rows up to the limit and says from which row the rest was left out', async () => {
    const dir = join(import.meta.dirname, '.tmp', `long-text-${process.pid}`);
    await mkdir(dir, { recursive: true });
    const path = join(dir, 'mediation-paragraphs-pasted.xlsx');
    const paragraph = '双方当事人因宅基地边界发生争执，'.repeat(64); // 1,024 characters
    const rows = Array.from({ length: 10 }, (_, i) => [String(i + 1), day(2020, 3, 5), `张${i + 1}与李${i + 1}`, paragraph, '调解成功', day(2020, 3, 20)]);
    await writeLedgerWorkbook(path, [{ name: '调解台账', header: ['序号', '受理日期', '当事人', '纠纷类型', '调解结果', '结案日期'], rows }]);
    try {
      const catalog = loadLedgerCatalog(join(import.meta.dirname, '..', 'packs', 'anding-2020', 'ledgers.json'));
      for await (const sheet of readWorkbook(path)) {
        const x = extractSheet(sheet, catalog, { year: 2020, department: 'justice', file: 'justice/x.xlsx', maxTextChars: 3_500 });
        // The 4th row takes the text past 3,500 characters: rows 1-4 are read, rows 5-10 (sheet rows 6-11) are not.
        expect(x.rowCount).toBe(4);
        const cut = x.findings.filter((f) => f.code === 'sheet.truncated');
        expect(cut).toHaveLength(1);
        expect(cut[0]).toMatchObject({ cell: '6', actual: '多出 6 行', level: '错误' });
        expect(cut[0]?.message).toContain('文字总量超过 3,500 字的读取上限，从第 6 行起的 6 行未读取');
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
