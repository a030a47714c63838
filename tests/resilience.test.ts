/**
 * Nothing a run goes through can corrupt the database or lose a submission: a run killed in
 * the middle of loading, a second run on the same database, files replaced and withdrawn.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeLedgerWorkbook, type CellInput } from '../demo/ledger-workbook.ts';
import { loadConfig } from '../pipeline/kernel/config/config.ts';
import { openDatabase } from '../pipeline/kernel/db/open-database.ts';
import { refreshOverlaps } from '../pipeline/kernel/db/run-tables.ts';
import { runPipeline } from '../pipeline/run.ts';
import { runCli, startCli } from './support/cli.ts';
import { queryDatabase } from './support/query-database.ts';

const dir = join(import.meta.dirname, '.tmp', `resilience-${randomBytes(4).toString('hex')}`);
const config = loadConfig();
const FILES = 10;
const ROWS = 3000;

function mediationRows(file: number, n: number): CellInput[][] {
  return Array.from({ length: n }, (_, i) => [
    i + 1,
    new Date(Date.UTC(2020, (i + file) % 12, 1 + (i % 27))),
    `当事人${file}-${i}`,
    '邻里纠纷',
    i % 4 === 0 ? '调解不成功' : '调解成功',
    new Date(Date.UTC(2020, 11, 1 + (i % 28))),
  ]);
}

/** An inbox of one big ledger per file, so loading takes long enough to be interrupted. */
async function bigInbox(inbox: string): Promise<void> {
  mkdirSync(join(inbox, 'justice'), { recursive: true });
  for (let f = 0; f < FILES; f++) {
    await writeLedgerWorkbook(join(inbox, 'justice', `调解台账-${String(f).padStart(2, '0')}村.xlsx`), [
      { name: '人民调解', header: ['序号', '受理日期', '当事人', '纠纷类型', '调解结果', '结案日期'], rows: mediationRows(f, ROWS) },
    ]);
  }
}

const query = queryDatabase;

const figures = (db: string) =>
  query(db, `select code, value from indicator_values where run_id = (select max(run_id) from indicator_values) order by code`);

const inbox = join(dir, 'inbox');
let cleanFigures: Record<string, unknown>[] = [];

beforeAll(async () => {
  mkdirSync(dir, { recursive: true });
  await bigInbox(inbox);
  const clean = await runCli(['run', '--inbox', inbox, '--out', join(dir, 'clean'), '--db', join(dir, 'clean.duckdb')]);
  expect(clean.code, clean.stderr).toBe(0);
  cleanFigures = await figures(join(dir, 'clean.duckdb'));
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a run killed with SIGKILL while loading', () => {
  it('leaves a consistent database, and the next run ends with exactly the figures of an uninterrupted run', async () => {
    const disputes = cleanFigures.find((r) => r['code'] === 'service.disputes_resolved');
    expect(disputes?.['value']).toBe(FILES * ROWS * 0.75);
    // Kill just after the 5th file is read: by then a first group of files has been loaded and
    // committed, the rest have not (the CLI prints each file as it is read, as it would to a log).
    let partial = false;
    for (const attempt of [1, 2, 3]) {
      const db = join(dir, `killed-${attempt}.duckdb`);
      const out = join(dir, `killed-${attempt}`);
      const { child, done } = startCli(['run', '--inbox', inbox, '--out', out, '--db', db]);
      let log = '';
      child.stderr?.on('data', (d: Buffer) => {
        log += d.toString();
        if (log.includes(`[5/${FILES}]`)) child.kill('SIGKILL');
      });
      const killed = await done;
      if (killed.signal !== 'SIGKILL') continue;
      const status = await query(db, `select read_status, count(*) as n from file_versions group by 1`);
      const n = (s: string) => Number(status.find((r) => r['read_status'] === s)?.['n'] ?? 0);
      // Consistent: every stored row belongs to a version whose load committed.
      const orphans = await query(db, `select count(*) as n from ledger_mediation m join file_versions v on v.id = m.file_version_id where v.read_status <> 'read'`);
      expect(Number(orphans[0]?.['n'])).toBe(0);
      const perFile = await query(db, `select file_version_id, count(*) as n from ledger_mediation group by 1`);
      for (const r of perFile) expect(Number(r['n'])).toBe(ROWS);
      if (n('read') > 0 && n('pending') > 0) partial = true;
      const again = await runCli(['run', '--inbox', inbox, '--out', out, '--db', db]);
      expect(again.code, again.stderr).toBe(0);
      expect(await figures(db)).toEqual(cleanFigures);
      if (partial) break;
    }
    expect(partial, 'no kill landed between two file loads').toBe(true);
  }, 240_000);
});

describe('one run at a time', () => {
  it('refuses a second run on a database in use, with a clear message and exit code 1', async () => {
    const db = join(dir, 'clean.duckdb');
    const instance = await DuckDBInstance.create(db);
    try {
      const second = await runCli(['run', '--inbox', inbox, '--out', join(dir, 'clean'), '--db', db]);
      expect(second.code).toBe(1);
      expect(second.stderr).toContain('正被另一个 tally 进程使用');
    } finally {
      instance.closeSync();
    }
    // …and the database is intact afterwards.
    expect(await figures(db)).toEqual(cleanFigures);
  }, 60_000);
});

describe('resubmission', () => {
  it('treats a file replaced under the same name as a new version: old rows stop counting but stay stored', async () => {
    const box = join(dir, 'resubmit');
    const out = join(dir, 'resubmit-out');
    const db = join(dir, 'resubmit.duckdb');
    const file = join(box, 'justice', '调解台账.xlsx');
    mkdirSync(join(box, 'justice'), { recursive: true });
    const sheet = (rows: CellInput[][]) => [{ name: '调解', header: ['序号', '受理日期', '当事人', '纠纷类型', '调解结果', '结案日期'], rows }];
    await writeLedgerWorkbook(file, sheet(mediationRows(0, 8))); // 6 调解成功
    const first = await runPipeline({ config, inbox: box, out, dbPath: db, now: () => new Date('2021-01-08T02:00:00Z') });
    expect(first.report.indicators.find((i) => i.code === 'service.disputes_resolved')?.value).toBe(6);

    await writeLedgerWorkbook(file, sheet(mediationRows(0, 12))); // 9 调解成功
    const second = await runPipeline({ config, inbox: box, out, dbPath: db, now: () => new Date('2021-01-12T02:00:00Z') });
    expect(second.filesRead).toBe(1);
    expect(second.report.indicators.find((i) => i.code === 'service.disputes_resolved')?.value).toBe(9);
    const row = second.report.submissions.find((s) => s.ledgerId === 'mediation');
    expect(row?.versions).toEqual([2]);
    expect(row?.receivedAt).toBe('2021-01-12T02:00:00.000Z');
    expect(row?.rows).toBe(12);
    const stored = await query(db, `select v.version, count(*) as n from ledger_mediation m join file_versions v on v.id = m.file_version_id group by 1 order by 1`);
    expect(stored.map((r) => [r['version'], Number(r['n'])])).toEqual([[1, 8], [2, 12]]);
    // Both versions' original bytes are archived by content hash.
    const versions = await query(db, `select sha256, archived_as from file_versions order by version`);
    expect(versions).toHaveLength(2);
    for (const v of versions) expect(existsSync(join(out, 'archive', String(v['archived_as'])))).toBe(true);
    expect(readFileSync(join(out, 'archive', String(versions[1]?.['archived_as'])))).toEqual(readFileSync(file));
  });

  it('withdraws a file removed from the inbox: its ledger becomes 缺报 and its figure empty', async () => {
    const box = join(dir, 'withdraw');
    const out = join(dir, 'withdraw-out');
    const db = join(dir, 'withdraw.duckdb');
    mkdirSync(join(box, 'justice'), { recursive: true });
    const file = join(box, 'justice', '调解台账.xlsx');
    await writeLedgerWorkbook(file, [{ name: '调解', header: ['受理日期', '调解结果', '结案日期'], rows: [[new Date(Date.UTC(2020, 2, 5)), '调解成功', new Date(Date.UTC(2020, 2, 9))]] }]);
    const before = await runPipeline({ config, inbox: box, out, dbPath: db });
    expect(before.report.indicators.find((i) => i.code === 'service.disputes_resolved')?.value).toBe(1);
    unlinkSync(file);
    const after = await runPipeline({ config, inbox: box, out, dbPath: db });
    const disputes = after.report.indicators.find((i) => i.code === 'service.disputes_resolved');
    expect(disputes?.value).toBeNull();
    expect(disputes?.status).toBe('缺报');
    expect(after.report.findings.some((f) => f.code === 'dept.missing_submission' && f.department === 'justice' && f.ledger === 'mediation')).toBe(true);
  });

  it('finds two files of one department that hold mostly the same rows (台账.xlsx + 台账（修改）.xlsx), once, not row by row', async () => {
    const box = join(dir, 'overlap');
    mkdirSync(join(box, 'justice'), { recursive: true });
    const rows = mediationRows(3, 10);
    const header = ['序号', '受理日期', '当事人', '纠纷类型', '调解结果', '结案日期'];
    await writeLedgerWorkbook(join(box, 'justice', '调解台账.xlsx'), [{ name: '调解', header, rows }]);
    await writeLedgerWorkbook(join(box, 'justice', '调解台账（修改）.xlsx'), [{ name: '调解', header, rows: [...rows.slice(0, 9), ...mediationRows(4, 2)] }]);
    const run = await runPipeline({ config, inbox: box, out: join(dir, 'overlap-out'), dbPath: join(dir, 'overlap.duckdb') });
    const overlaps = run.report.findings.filter((f) => f.code === 'dept.overlapping_files');
    expect(overlaps).toHaveLength(1);
    expect(overlaps[0]).toMatchObject({ level: '错误', department: 'justice', file: 'justice/调解台账（修改）.xlsx', ledger: 'mediation' });
    expect(overlaps[0]?.message).toContain('justice/调解台账.xlsx');
    expect(overlaps[0]?.message).toContain('9 行完全相同');
    expect(run.report.findings.filter((f) => f.code === 'row.duplicate')).toHaveLength(0);
    // The pairs are stored per run; with one of the two files no longer current, none is left
    // (no department then has two files of one ledger: the table is emptied without the pass).
    const tdb = await openDatabase(join(dir, 'overlap.duckdb'), config.ledgers);
    try {
      const pairs = async () => Number((await tdb.connection.runAndReadAll('select count(*) from file_overlaps')).getRows()[0]?.[0]);
      expect(await pairs()).toBe(1);
      await tdb.connection.run(`update file_versions set current = false where path like '%修改%'`);
      await refreshOverlaps(tdb.connection, config.ledgers.ledgers);
      expect(await pairs()).toBe(0);
    } finally {
      await tdb.close();
    }
  });

  it('re-reads nothing when nothing changed, and writes the same workbook', async () => {
    const box = join(dir, 'same');
    mkdirSync(join(box, 'justice'), { recursive: true });
    copyFileSync(join(inbox, 'justice', '调解台账-00村.xlsx'), join(box, 'justice', '调解台账.xlsx'));
    const opts = { config, inbox: box, out: join(dir, 'same-out'), dbPath: join(dir, 'same.duckdb'), now: () => new Date('2021-01-08T02:00:00Z') };
    const first = await runPipeline(opts);
    const second = await runPipeline(opts);
    expect(first.filesRead).toBe(1);
    expect(second.filesRead).toBe(0);
    expect(second.filesUnchanged).toBe(1);
    expect(second.report.indicators).toEqual(first.report.indicators);
    expect(second.report.findings).toEqual(first.report.findings);
    expect(second.report.submissions).toEqual(first.report.submissions);
    // The second run's row checks read exactly what the first's did, so its findings were
    // taken from the first run; a changed file gives new inputs and the checks run again.
    const inputs = await query(opts.dbPath, `select run_id, inputs from run_checks order by run_id`);
    expect(inputs).toHaveLength(2);
    expect(inputs[1]?.['inputs']).toBe(inputs[0]?.['inputs']);
    expect(second.report.trace).toEqual(first.report.trace);
    // Its figures and traces too: taken from the roll-up cache, not computed again. Proven by
    // writing a figure into the cache that no ledger gives: a run with nothing changed shows it.
    const cached = await query(opts.dbPath, 'select inputs, rollups from rollup_cache');
    expect(cached).toHaveLength(1);
    const rollups = JSON.parse(String(cached[0]?.['rollups'])) as { code: string; value: number | null }[];
    const mediation = rollups.find((r) => r.value !== null && r.value > 0);
    if (mediation === undefined) throw new Error('no figure with a value to plant');
    await query(opts.dbPath, `update rollup_cache set rollups = '${JSON.stringify(rollups.map((r) => (r === mediation ? { ...r, value: 987654 } : r))).replace(/'/g, "''")}'`);
    const planted = await runPipeline(opts);
    expect(planted.report.indicators.find((i) => i.code === mediation.code)?.value).toBe(987654);
    // A changed file: new inputs, the checks and the figures computed again.
    copyFileSync(join(inbox, 'justice', '调解台账-01村.xlsx'), join(box, 'justice', '调解台账.xlsx'));
    const third = await runPipeline(opts);
    expect(third.filesRead).toBe(1);
    const after = await query(opts.dbPath, `select inputs from run_checks order by run_id`);
    expect(after[3]?.['inputs']).not.toBe(inputs[0]?.['inputs']);
    expect(third.report.indicators.find((i) => i.code === mediation.code)?.value).not.toBe(987654);
    const recached = await query(opts.dbPath, 'select inputs from rollup_cache');
    expect(recached).toHaveLength(1);
    expect(recached[0]?.['inputs']).not.toBe(cached[0]?.['inputs']);
  });
});
