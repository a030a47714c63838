/**
 * The report stage keeps results from run to run under keys that include tally's code version
 * (pipeline/kernel/code-version.ts): the hash must change with any file of the code, and only
 * then.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { codeVersion, treeHash } from '../pipeline/kernel/code-version.ts';
import { keptOr } from '../pipeline/stages/6-report/kept.ts';

const dir = mkdtempSync(join(tmpdir(), 'tally-code-version-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("tally's code version", () => {
  it('changes when a file of the code changes, is added or is renamed, and not otherwise', () => {
    const root = join(dir, 'tree');
    mkdirSync(join(root, 'pipeline', 'stages'), { recursive: true });
    mkdirSync(join(root, 'sql'), { recursive: true });
    writeFileSync(join(root, 'pipeline', 'stages', 'a.js'), 'export const a = 1;\n');
    writeFileSync(join(root, 'sql', 'check.sql'), 'select 1;\n');
    const trees = ['pipeline', 'sql', 'reports'];
    const first = treeHash(root, trees);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(treeHash(root, trees)).toBe(first);

    writeFileSync(join(root, 'sql', 'check.sql'), 'select 2;\n');
    const edited = treeHash(root, trees);
    expect(edited).not.toBe(first);
    writeFileSync(join(root, 'sql', 'check.sql'), 'select 1;\n');
    expect(treeHash(root, trees)).toBe(first);

    writeFileSync(join(root, 'pipeline', 'stages', 'b.js'), '');
    const added = treeHash(root, trees);
    expect(added).not.toBe(first);
    // A file it is told to skip (a cache) does not count.
    expect(treeHash(root, trees, (p) => p.endsWith('b.js'))).toBe(first);
    rmSync(join(root, 'pipeline', 'stages', 'b.js'));

    // The same bytes under another name are another code.
    rmSync(join(root, 'pipeline', 'stages', 'a.js'));
    writeFileSync(join(root, 'pipeline', 'stages', 'c.js'), 'export const a = 1;\n');
    expect(treeHash(root, trees)).not.toBe(first);
  });

  it('run from the sources, is the hash of the sources; a build writes its own (npm test builds first)', () => {
    const root = join(import.meta.dirname, '..');
    expect(codeVersion()).toBe(treeHash(root, ['pipeline', 'sheets', 'reports', 'demo', 'sql', 'packs', 'config']));
    expect(readFileSync(join(root, 'dist', 'code-version.txt'), 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
  });

  it('keeps a result for the next run only for the same tally: one kept by another code is made again', async () => {
    const path = join(dir, '.kept-2020.json');
    let made = 0;
    const make = async () => ++made;
    expect(await keptOr(path, 'inputs', true, make)).toBe(1);
    expect(await keptOr(path, 'inputs', true, make)).toBe(1);
    const kept = JSON.parse(readFileSync(path, 'utf8')) as { key: string; code: string; value: number };
    expect(kept).toEqual({ key: 'inputs', code: codeVersion(), value: 1 });
    writeFileSync(path, JSON.stringify({ ...kept, code: 'another tally' }));
    expect(await keptOr(path, 'inputs', true, make)).toBe(2);
  });
});
