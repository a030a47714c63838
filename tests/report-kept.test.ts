/**
 * What the report stage keeps beside the report to skip on a rerun with nothing changed, each
 * with the hash of what it was made from (pipeline/stages/6-report/kept.ts): the findings digest
 * and the ledger submissions (read back when the rows they are made from hash the same, made again
 * when any differs), and the report's inputs in its stamp (its fingerprint not taken again when
 * they are the same). Real DuckDB file.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../pipeline/kernel/config/config.ts';
import { openDatabase, type TallyDatabase } from '../pipeline/kernel/db/open-database.ts';
import { finding, type Finding } from '../pipeline/kernel/findings/findings.ts';
import { findingsDigest, RunFindings } from '../pipeline/kernel/findings/findings-store.ts';
import { cachedFindingsDigest, findingsHash } from '../pipeline/stages/6-report/cached-digest.ts';
import { cachedLedgerSubmissions, ledgerSubmissions } from '../pipeline/stages/6-report/ledger-submissions.ts';
import { currentFilesHash } from '../pipeline/stages/6-report/current-files-hash.ts';
import { reportWriter } from '../reports/write-reports-if-changed.ts';
import { missingLedgersReport } from './support/missing-ledgers-report.ts';
import { keptPath } from '../pipeline/stages/6-report/kept.ts';
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
    const path = keptPath(dir, 'findings-digest', 2020);
    const digestOf = async (runId: bigint, keep = true) => (await cachedFindingsDigest(tdb.connection, runId, dir, 2020, keep)).digest;
    const first = await runWith(findings());
    const made = await digestOf(first);
    expect(made).toEqual(await findingsDigest(tdb.connection, first));
    expect(made.omitted).toHaveLength(1); // 25 duplicates: 20 shown, the rest in one line

    // Marked, so that reading it back shows.
    const kept = JSON.parse(await readFile(path, 'utf8')) as { key: string; value: { shown: Finding[] } };
    await writeFile(path, JSON.stringify({ ...kept, value: { ...kept.value, shown: [] } }));
    const same = await runWith(findings());
    expect((await digestOf(same)).shown).toEqual([]);

    // One field of one finding changed (here, a null made an empty text): made again, and kept.
    const changed = await runWith(findings({ cell: '' }));
    const again = await digestOf(changed);
    expect(again).toEqual(await findingsDigest(tdb.connection, changed));
    expect(again.shown.length).toBeGreaterThan(0);
    const keptKey = async () => (JSON.parse(await readFile(path, 'utf8')) as { key: string }).key;
    expect(await keptKey()).toBe(await findingsHash(tdb.connection, changed));

    // Not kept when the stage writes nothing (the portal's check of an upload).
    const other = await runWith(findings({ message: '另一种说法' }));
    await digestOf(other, false);
    expect(await keptKey()).toBe(await findingsHash(tdb.connection, changed));
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

describe('the kept ledger submissions', () => {
  /** A version of a file, current, with its sheets (ledger and rows each); its id. */
  let nextVersion = 1n;
  async function version(path: string, sheets: readonly [string | null, number][], version = 1): Promise<bigint> {
    const id = 1000n + nextVersion++;
    await tdb.db.updateTable('file_versions').set({ current: false }).where('path', '=', path).execute();
    await tdb.db
      .insertInto('file_versions')
      .values({ id, department: path.split('/')[0] ?? null, path, version, sha256: `h${id}`, size: 10n, received_at: '2021-01-04 09:00:00', archived_as: '', current: true, read_status: 'read' })
      .execute();
    for (const [i, [ledger, rows]] of sheets.entries()) {
      await tdb.db.insertInto('sheet_reads').values({ file_version_id: id, sheet_index: i, sheet: `Sheet${i + 1}`, hidden: false, ledger, header_rows: null, rows }).execute();
    }
    return id;
  }

  it('is read back while the rows it is made from are the same, and made again when a sheet or a version changes', async () => {
    const out = join(dir, 'submissions');
    await mkdir(out, { recursive: true });
    const path = keptPath(out, 'submissions', 2020);
    const submissions = async () => cachedLedgerSubmissions(tdb, out, 2020, true, await currentFilesHash(tdb.connection));
    await version('justice/调解.xlsx', [['mediation', 12], [null, 3]]);
    await version('justice/援助.xlsx', [['legal_aid', 4]]);
    await version('enforcement/公示.xlsx', [['disclosure', 30]]);
    const made = await submissions();
    expect(made).toEqual(await ledgerSubmissions(tdb));
    expect(made).toHaveLength(3);

    // Marked, so that reading it back shows; a run with nothing changed reads it back.
    const kept = JSON.parse(await readFile(path, 'utf8')) as { key: string; value: unknown[] };
    await writeFile(path, JSON.stringify({ ...kept, value: [] }));
    expect(await submissions()).toEqual([]);

    // One sheet's rows changed in place: made again.
    await tdb.db.updateTable('sheet_reads').set({ rows: 13 }).where('ledger', '=', 'mediation').execute();
    const rows = await submissions();
    expect(rows).toEqual(await ledgerSubmissions(tdb));
    expect(rows.find((r) => r.ledger === 'mediation')?.rows).toBe(13);

    // A new version of a file: made again.
    await version('justice/援助.xlsx', [['legal_aid', 5]], 2);
    const replaced = await submissions();
    expect(replaced).toEqual(await ledgerSubmissions(tdb));
    expect(replaced.find((r) => r.ledger === 'legal_aid')).toMatchObject({ versions: [2], rows: 5 });
  });
});

describe("the report's stamp", () => {
  it('keeps the inputs with the fingerprint: the same inputs skip the fingerprint, other inputs with the same content only renew the stamp', async () => {
    const out = join(dir, 'report');
    await mkdir(out, { recursive: true });
    const stamp = join(out, '.report-2020.sha256');
    const report = missingLedgersReport([{ code: 'justice', name: '司法所', ledger: 'legal_aid' }], new Date('2021-01-11T18:00:00Z'));
    const write = await reportWriter(report, out, 'inputs-1');
    expect(write).not.toBeNull();
    await write?.();
    const [fingerprint, inputs] = (await readFile(stamp, 'utf8')).split('\n');
    expect(inputs).toBe('inputs-1');

    // The same inputs: nothing written, whatever the content (the fingerprint is not taken).
    expect(await reportWriter({ ...report, narrative: '另一段正文' }, out, 'inputs-1')).toBeNull();
    // Other inputs, the same content: nothing written but the stamp, which now knows them.
    expect(await reportWriter({ ...report, generatedAt: new Date() }, out, 'inputs-2')).toBeNull();
    expect(await readFile(stamp, 'utf8')).toBe(`${fingerprint}\ninputs-2`);
    // Other inputs, other content: written.
    expect(await reportWriter({ ...report, narrative: '另一段正文' }, out, 'inputs-3')).not.toBeNull();

    // A stamp an older tally wrote (the fingerprint alone) is taken as it is, and given the inputs.
    await writeFile(stamp, fingerprint ?? '');
    expect(await reportWriter(report, out, 'inputs-4')).toBeNull();
    expect(await readFile(stamp, 'utf8')).toBe(`${fingerprint}\ninputs-4`);
  });
});
