/**
 * A finding at a range (`D6:D7`, cell.merged_amount) is read at its range's first row, as people
 * read the 问题清单 and the mail: in its sheet's row order, not before every row of the sheet, and
 * counted in the "同类问题另有 … 处（第 m–n 行）" line when its rule has more than are shown.
 * Real DuckDB file.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../pipeline/kernel/config/config.ts';
import { openDatabase, type TallyDatabase } from '../pipeline/kernel/db/open-database.ts';
import { finding, omittedLine } from '../pipeline/kernel/findings/findings.ts';
import { findingsDigest, RunFindings } from '../pipeline/kernel/findings/findings-store.ts';
import { tmpDir } from './smtp-sink.ts';

const dir = tmpDir('finding-order-ranges');
let tdb: TallyDatabase;

beforeAll(async () => {
  tdb = await openDatabase(join(dir, 'tally.duckdb'), loadConfig().ledgers);
});
afterAll(async () => {
  await tdb.close();
  await rm(dir, { recursive: true, force: true });
});

const at = { department: 'justice', file: 'justice/公共法律服务台账.xlsx', sheet: '2020年' };

describe('findings at a range of cells', () => {
  it('sort at the range’s first row, between the rows around it', async () => {
    await new RunFindings(tdb.db, tdb.connection, 1n).add([
      finding('cell.approximate', { ...at, cell: 'C9' }, '服务人次是约数'),
      finding('cell.merged_amount', { ...at, cell: 'D6:D7' }, '服务人次合并了两行'),
      finding('cell.approximate', { ...at, cell: 'C3' }, '服务人次是约数'),
      finding('cell.merged_amount', { ...at, cell: 'AA12:AA14' }, '服务人次合并了三行'),
      finding('cell.merged_amount', { ...at, cell: 'D12:D13' }, '服务人次合并了两行'),
    ]);
    const digest = await findingsDigest(tdb.connection, 1n);
    expect(digest.shown.map((f) => f.cell)).toEqual(['C3', 'D6:D7', 'C9', 'D12:D13', 'AA12:AA14']);
  });

  it('give their rows to the line that counts the ones not shown', async () => {
    const ranges = Array.from({ length: 5 }, (_, i) => `D${10 * i + 20}:D${10 * i + 21}`);
    await new RunFindings(tdb.db, tdb.connection, 2n).add(ranges.map((cell) => finding('cell.merged_amount', { ...at, cell }, '服务人次合并了两行')));
    const digest = await findingsDigest(tdb.connection, 2n, { perGroup: 2 });
    expect(digest.shown.map((f) => f.cell)).toEqual(['D20:D21', 'D30:D31']);
    expect(digest.omitted).toHaveLength(1);
    expect(digest.omitted[0]).toMatchObject({ count: 3, firstRow: 40, lastRow: 60 });
    expect(omittedLine(digest.omitted[0]!)).toContain('40');
  });
});
