/**
 * A flood of findings (a million unreadable dates from one file: bench/stress unreadable-1m)
 * must not take DuckDB past its memory in the report stage: its hash of the findings, the
 * digest people read and the findings marked on a copy each stream or sort narrow columns, never
 * one text of every finding. Here 400,000 findings of long messages under a 128 MB limit, in a
 * real DuckDB file: one string of them all (~125 MB) failed with "Out of Memory", and the run
 * with it.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../pipeline/kernel/config/config.ts';
import { openDatabase, type TallyDatabase } from '../pipeline/kernel/db/open-database.ts';
import { findingsDigest, findingsOfFiles, SHOWN_PER_GROUP } from '../pipeline/kernel/findings/findings-store.ts';
import { findingsHash } from '../pipeline/stages/6-report/cached-digest.ts';
import { tmpDir } from './smtp-sink.ts';

const dir = tmpDir('findings-flood-memory');
const FILE = 'justice/调解台账-受理日期只写月份.xlsx';
const FLOOD = 400_000;
let tdb: TallyDatabase;

beforeAll(async () => {
  tdb = await openDatabase(join(dir, 'tally.duckdb'), loadConfig().ledgers);
  await tdb.connection.run(
    `insert into findings (run_id, seq, level, code, department, file, sheet, cell, message, expected, actual, ledger)
     select 1, i, '错误', 'cell.type', 'justice', $file, 'Sheet1', 'B' || (i + 3),
            '“受理日期”无法读取：“二月份”只写到月，没有写是哪一天。请填写日期（如 2020-03-05）。第' || (i + 3) || '行，当事人张' || i || '与李' || i || '，纠纷类型邻里纠纷，调解结果调解成功。',
            '日期', '二月份', 'mediation'
     from range($n) t(i)`,
    { file: FILE, n: FLOOD },
  );
  await tdb.connection.run(`set memory_limit = '128MB'`);
}, 120_000);
afterAll(async () => {
  await tdb.close();
  await rm(dir, { recursive: true, force: true });
});

describe(`${FLOOD.toLocaleString('en')} findings under a 128 MB limit`, () => {
  it('are hashed, and a change of one is another hash', async () => {
    const before = await findingsHash(tdb.connection, 1n);
    expect(before).toMatch(/^[0-9a-f]{64}$/);
    await tdb.connection.run(`update findings set actual = '三月份' where run_id = 1 and seq = 12345`);
    expect(await findingsHash(tdb.connection, 1n)).not.toBe(before);
  }, 60_000);

  it('are summarised: the first of the rule shown, one line for the rest with their rows', async () => {
    const digest = await findingsDigest(tdb.connection, 1n);
    expect(digest.shown).toHaveLength(SHOWN_PER_GROUP);
    expect(digest.shown[0]).toMatchObject({ cell: 'B3', code: 'cell.type' });
    expect(digest.omitted).toEqual([expect.objectContaining({ count: FLOOD - SHOWN_PER_GROUP, firstRow: SHOWN_PER_GROUP + 3, lastRow: FLOOD + 2 })]);
  }, 60_000);

  it('give the marked copy its first 5,000, in reading order', async () => {
    const marked = (await findingsOfFiles(tdb.connection, 1n, [FILE], 5_000)).get(FILE) ?? [];
    expect(marked).toHaveLength(5_000);
    expect(marked.at(-1)?.cell).toBe('B5002');
  }, 60_000);
});
