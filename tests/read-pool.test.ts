import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeLedgerWorkbook } from '../demo/ledger-workbook.ts';
import { loadConfig } from '../pipeline/kernel/config/config.ts';
import type { IntakeFile } from '../pipeline/stages/1-intake/intake.ts';
import { ReadPool } from '../pipeline/stages/2-read/read-pool.ts';
import { blockRows } from '../sheets/row-block.ts';

function never(): never {
  throw new Error('the sheet holds no ledger rows');
}

const dir = join(import.meta.dirname, '.tmp', `read-pool-${randomBytes(4).toString('hex')}`);
const config = loadConfig();

function intakeFile(path: string, name: string): IntakeFile {
  return { path: `justice/${name}`, department: 'justice', status: 'new', versionId: 1n, version: 1, size: 1, archivedPath: path, oversized: false };
}

const small = join(dir, 'legal-aid-three-cases.xlsx');
const big = join(dir, 'mediation-60000-rows.xlsx');

beforeAll(async () => {
  mkdirSync(dir, { recursive: true });
  const row = (i: number) => [`法援〔2020〕${i}号`, new Date(Date.UTC(2020, 2, 1 + (i % 28))), `受援人${i}`];
  await writeLedgerWorkbook(small, [{ name: '法律援助', header: ['案件编号', '受理日期', '受援人'], rows: [1, 2, 3].map(row) }]);
  await writeLedgerWorkbook(big, [
    {
      name: '调解',
      header: ['序号', '受理日期', '当事人', '纠纷类型', '调解结果', '结案日期'],
      // Every party text unique and long: the shared-string table alone outgrows a small heap.
      rows: Array.from({ length: 60_000 }, (_, i) => [i + 1, new Date(Date.UTC(2020, 0, 1 + (i % 300))), `当事人甲${i}与当事人乙${i}：${'因宅基地边界、通行和排水问题多次发生争执'.repeat(6)}`, '邻里纠纷', '调解成功', new Date(Date.UTC(2020, 11, 31))]),
    },
  ]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the read pool', () => {
  it('reads a workbook in a worker thread and hands back its typed rows', async () => {
    const pool = new ReadPool({ catalog: config.ledgers, year: 2020, size: 1 });
    try {
      const read = await pool.read(intakeFile(small, 'legal-aid-three-cases.xlsx'));
      expect(read.status).toBe('read');
      expect(read.sheets[0]?.ledger?.id).toBe('legal_aid');
      // The definition is the main thread's own object again, not the worker's copy.
      expect(read.sheets[0]?.ledger).toBe(config.ledgers.byId('legal_aid'));
      expect(blockRows(read.sheets[0]?.block ?? never()).map((r) => r.values['case_no'])).toEqual(['法援〔2020〕1号', '法援〔2020〕2号', '法援〔2020〕3号']);
    } finally {
      await pool.close();
    }
  });

  it('gives up on a read that overruns its time, as a file.unreadable finding, and reads the next file', async () => {
    const pool = new ReadPool({ catalog: config.ledgers, year: 2020, size: 1 });
    try {
      const slow = await pool.read(intakeFile(big, 'mediation-60000-rows.xlsx'), { timeoutMs: 100 });
      expect(slow.status).toBe('unreadable');
      expect(slow.findings[0]?.code).toBe('file.unreadable');
      expect(slow.findings[0]?.message).toMatch(/读取超过 0\.1 秒仍未完成/);
      expect(slow.findings[0]?.file).toBe('justice/mediation-60000-rows.xlsx');
      const next = await pool.read(intakeFile(small, 'legal-aid-three-cases.xlsx'));
      expect(next.status).toBe('read');
    } finally {
      await pool.close();
    }
  });

  it('stops a read that passes its memory ceiling, as a file.unreadable finding', async () => {
    const pool = new ReadPool({ catalog: config.ledgers, year: 2020, size: 1, maxMemoryMb: 24 });
    try {
      const read = await pool.read(intakeFile(big, 'mediation-60000-rows.xlsx'));
      expect(read.status).toBe('unreadable');
      expect(read.findings[0]?.message).toMatch(/内存|中断/);
    } finally {
      await pool.close();
    }
  });
});
