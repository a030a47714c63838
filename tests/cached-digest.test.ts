/**
 * The report stage keeps the run's findings digest beside the report with the hash of the
 * findings it was made from (pipeline/stages/6-report/cached-digest.ts): a run whose findings are
 * row for row the same reads it back; any other makes it again. Real DuckDB file.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../pipeline/kernel/config/config.ts';
import { openDatabase, type TallyDatabase } from '../pipeline/kernel/db/open-database.ts';
import { finding, type Finding } from '../pipeline/kernel/findings/findings.ts';
import { findingsDigest, RunFindings } from '../pipeline/kernel/findings/findings-store.ts';
import { cachedFindingsDigest, findingsHash, keptDigestPath } from '../pipeline/stages/6-report/cached-digest.ts';
import { tmpDir } from './smtp-sink.ts';

const dir = tmpDir('cached-digest');
let tdb: TallyDatabase;
let nextRun = 1n;

beforeAll(async () => {
  tdb = await openDatabase(join(dir, 'tally.duckdb'), loadConfig().ledgers);
});
afterAll(async () => {
  await tdb.close();
  await rm(dir, { recursive: true, force: true });
});

function findings(overrides: Partial<Finding> = {}): Finding[] {
  return [
    finding('cell.type', { department: 'enforcement', file: 'enforcement/公示.xlsx', sheet: '1月', cell: 'B7', expected: '日期', actual: '2020-13-45' }, '公示日期不是有效日期，请改正'),
    ...Array.from({ length: 25 }, (_, i) => finding('row.duplicate', { department: 'justice', file: 'justice/调解.xlsx', sheet: 'Sheet1', cell: String(i + 3) }, '与上一行完全相同')),
    { ...finding('sheet.unrecognized', { department: 'justice', file: 'justice/杂表.xlsx', sheet: '说明' }, '无法识别这张表是哪一种台账'), ...overrides },
  ];
}

/** A run with these findings; its id. */
async function runWith(list: readonly Finding[]): Promise<bigint> {
  const runId = nextRun++;
  await new RunFindings(tdb.db, tdb.connection, runId).add(list);
  return runId;
}

describe('the kept findings digest', () => {
  it('is read back for findings row for row the same, and made again when one finding differs', async () => {
    const path = keptDigestPath(dir, 2020);
    const first = await runWith(findings());
    const made = await cachedFindingsDigest(tdb.connection, first, path, true);
    expect(made).toEqual(await findingsDigest(tdb.connection, first));
    expect(made.omitted).toHaveLength(1); // 25 duplicates: 20 shown, the rest in one line

    // Marked, so that reading it back shows.
    const kept = JSON.parse(await readFile(path, 'utf8')) as { findings: string; digest: { shown: Finding[] } };
    await writeFile(path, JSON.stringify({ ...kept, digest: { ...kept.digest, shown: [] } }));
    const same = await runWith(findings());
    expect((await cachedFindingsDigest(tdb.connection, same, path, true)).shown).toEqual([]);

    // One field of one finding changed (here, a null made an empty text): made again, and kept.
    const changed = await runWith(findings({ cell: '' }));
    const again = await cachedFindingsDigest(tdb.connection, changed, path, true);
    expect(again).toEqual(await findingsDigest(tdb.connection, changed));
    expect(again.shown.length).toBeGreaterThan(0);
    expect((JSON.parse(await readFile(path, 'utf8')) as { findings: string }).findings).toBe(await findingsHash(tdb.connection, changed));

    // Not kept when the stage writes nothing (the portal's check of an upload).
    const other = await runWith(findings({ message: '另一种说法' }));
    await cachedFindingsDigest(tdb.connection, other, path, false);
    expect((JSON.parse(await readFile(path, 'utf8')) as { findings: string }).findings).toBe(await findingsHash(tdb.connection, changed));
  });

  it('tells apart findings whose fields only shift text between columns, and the same findings in another order', async () => {
    const a = await runWith([{ ...findings()[0]!, file: 'ab', sheet: 'c' }]);
    const b = await runWith([{ ...findings()[0]!, file: 'a', sheet: 'bc' }]);
    const c = await runWith([{ ...findings()[0]!, file: null, sheet: 'c' }]);
    const d = await runWith([{ ...findings()[0]!, file: '', sheet: 'c' }]);
    const hashes = await Promise.all([a, b, c, d].map((r) => findingsHash(tdb.connection, r)));
    expect(new Set(hashes).size).toBe(4);
    const list = findings();
    const forward = await runWith(list);
    const backward = await runWith([...list].reverse());
    expect(await findingsHash(tdb.connection, forward)).not.toBe(await findingsHash(tdb.connection, backward));
    expect(await findingsHash(tdb.connection, forward)).toBe(await findingsHash(tdb.connection, await runWith(list)));
  });
});
