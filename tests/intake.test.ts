/**
 * Intake (pipeline/stages/1-intake/intake.ts): a file whose stat is what it was when it was last
 * hashed is not read again (as git does), a file modified since, even to the same size and back
 * to the same modification time, is; a just-written file is hashed again next time (its stat
 * could not be trusted yet); and a whole inbox goes into the database at once with the right
 * versions.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../pipeline/kernel/config/config.ts';
import { openDatabase, type TallyDatabase } from '../pipeline/kernel/db/open-database.ts';
import { intake, type IntakeResult } from '../pipeline/stages/1-intake/intake.ts';

const dir = join(import.meta.dirname, '.tmp', `intake-${randomBytes(4).toString('hex')}`);
const inbox = join(dir, 'inbox');
const config = loadConfig();
let tdb: TallyDatabase;

/** Intake, then the new versions marked loaded as the load stage would (a version never loaded is read again: `pending`). */
async function run(): Promise<IntakeResult> {
  const r = await intake(tdb, { inbox, archiveDir: join(dir, 'archive'), departments: config.departments, maxFileBytes: 1 << 20, now: new Date('2021-01-04T09:00:00Z') });
  await tdb.db.updateTable('file_versions').set({ read_status: 'read' }).where('read_status', '=', 'pending').execute();
  return r;
}
const statusOf = (r: IntakeResult) => Object.fromEntries(r.files.map((f) => [f.path, f.status]));
/** Back-dates a file's modification time by an hour (its ctime becomes now). */
const backdate = (path: string, seconds = 3600) => {
  const t = Date.now() / 1000 - seconds;
  utimesSync(path, t, t);
};

beforeAll(async () => {
  mkdirSync(join(inbox, 'justice'), { recursive: true });
  mkdirSync(join(inbox, 'office'), { recursive: true });
  tdb = await openDatabase(join(dir, 'tally.duckdb'), config.ledgers);
});
afterAll(async () => {
  await tdb.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('intake', () => {
  const a = join(inbox, 'justice', 'a.csv');
  const b = join(inbox, 'office', 'b.csv');

  it('records a whole inbox at once: versions, archive copies, one current version per path', async () => {
    for (let i = 0; i < 40; i++) writeFileSync(join(inbox, 'office', `f${String(i).padStart(2, '0')}.csv`), `序号,日期\n${i},2020-01-01\n`);
    writeFileSync(a, 'aaaa');
    writeFileSync(b, 'bbbb');
    const first = await run();
    expect(first.hashed).toBe(42);
    expect(first.toRead).toHaveLength(42);
    expect(new Set(first.files.map((f) => f.versionId)).size).toBe(42);
    expect(first.files.every((f) => f.status === 'new' && f.version === 1)).toBe(true);
    const rows = await tdb.db.selectFrom('file_versions').select(['id', 'path', 'current']).execute();
    expect(rows.map((r) => r.id).sort()).toEqual(first.files.map((f) => f.versionId).sort());
    expect(statSync(first.files.find((f) => f.path === 'justice/a.csv')?.archivedPath ?? '').size).toBe(4);
  });

  it('hashes a just-written file again (its stat is not trusted yet), then no more once its stat is old', async () => {
    const again = await run();
    expect(again.hashed).toBe(42);
    expect(new Set(Object.values(statusOf(again)))).toEqual(new Set(['unchanged']));
    for (const f of again.files) backdate(join(inbox, f.path));
    // The ctime moved: hashed once more, found unchanged, and the new stat is trusted.
    expect((await run()).hashed).toBe(42);
    const quiet = await run();
    expect(quiet.hashed).toBe(0);
    expect(quiet.toRead).toHaveLength(0);
    expect(new Set(Object.values(statusOf(quiet)))).toEqual(new Set(['unchanged']));
  });

  it('reads a file changed to the same size and given back its modification time', async () => {
    const { mtime } = statSync(a);
    writeFileSync(a, 'AAAA');
    utimesSync(a, mtime, mtime);
    const r = await run();
    expect(r.hashed).toBe(1);
    expect(statusOf(r)['justice/a.csv']).toBe('changed');
    expect(r.files.find((f) => f.path === 'justice/a.csv')?.version).toBe(2);
  });

  it('takes new, changed and withdrawn files together, each path with one current version', async () => {
    backdate(a);
    writeFileSync(b, 'bbbbbbbb');
    rmSync(join(inbox, 'office', 'f00.csv'));
    writeFileSync(join(inbox, 'justice', 'c.csv'), 'cccc');
    const r = await run();
    const s = statusOf(r);
    expect([s['office/b.csv'], s['office/f00.csv'], s['justice/c.csv'], s['justice/a.csv']]).toEqual(['changed', 'withdrawn', 'new', 'unchanged']);
    const current = await tdb.db.selectFrom('file_versions').where('current', '=', true).select(['path', 'version']).execute();
    expect(current).toHaveLength(42);
    expect(new Set(current.map((c) => c.path)).size).toBe(42);
    expect(current.find((c) => c.path === 'office/b.csv')?.version).toBe(2);
  });

  it('takes an unchanged file as the version it stored: outside the roster, too large to archive, or stored without a stat', async () => {
    mkdirSync(join(inbox, 'nobody'), { recursive: true });
    writeFileSync(join(inbox, 'nobody', '无主.csv'), 'dddd');
    writeFileSync(join(inbox, 'justice', '大表.csv'), 'x'.repeat((1 << 20) + 1));
    // Every file old enough for its stat to be trusted: the next run hashes none of them.
    for (const folder of ['justice', 'office', 'nobody']) for (const name of readdirSync(join(inbox, folder))) backdate(join(inbox, folder, name));
    const first = await run();
    // A version an older tally stored: no stat, so it is hashed again, and found unchanged.
    const old = first.files.find((f) => f.path === 'justice/a.csv');
    await tdb.db.deleteFrom('file_stats').where('file_version_id', '=', old?.versionId ?? 0n).execute();
    const again = await run();
    expect(again.hashed).toBe(1);
    expect(again.toRead).toEqual([]);
    const byPath = (r: IntakeResult) => new Map(r.files.map((f) => [f.path, f]));
    const before = byPath(first);
    const after = byPath(again);
    for (const path of ['nobody/无主.csv', 'justice/大表.csv', 'justice/a.csv', 'office/b.csv']) {
      expect({ ...after.get(path), status: before.get(path)?.status }).toEqual(before.get(path));
      expect(after.get(path)?.status).toBe('unchanged');
    }
    expect(after.get('nobody/无主.csv')).toMatchObject({ department: null, oversized: false });
    expect(after.get('justice/大表.csv')).toMatchObject({ department: 'justice', oversized: true, archivedPath: null, size: (1 << 20) + 1 });
    expect(again.findings.map((f) => [f.code, f.file])).toEqual([['file.unknown_department', 'nobody/无主.csv']]);
  });

  it('stops with a clear error, naming the folder, when the inbox is missing or is a file', async () => {
    const opts = { archiveDir: join(dir, 'archive'), departments: config.departments, maxFileBytes: 1 << 20, now: new Date() };
    const missing = join(dir, 'no-such-inbox');
    await expect(intake(tdb, { ...opts, inbox: missing })).rejects.toThrow(`收件箱“${missing}”不存在或无法打开（ENOENT）`);
    const file = join(dir, 'inbox-is-a-file');
    writeFileSync(file, 'x');
    await expect(intake(tdb, { ...opts, inbox: file })).rejects.toThrow(`收件箱“${file}”不是文件夹`);
  });
});
