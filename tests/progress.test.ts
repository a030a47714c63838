/**
 * `tally run`'s progress on stderr: every file of a town's run, but not 5,000 lines (each a
 * write on the thread that loads the rows) for a district's.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progressFor } from '../pipeline/interfaces/cli/commands/run.ts';

/** What a progress reporter wrote for `n` files read one after another, as lines. */
function linesFor(n: number, isTTY: boolean): string[] {
  const stream = Object.assign(new PassThrough(), { isTTY });
  let written = '';
  stream.on('data', (d: Buffer) => (written += d.toString('utf8')));
  const progress = progressFor(stream);
  progress.stage('读取台账');
  for (let i = 1; i <= n; i++) progress.file(i, n, `d/file-${i}.xlsx`);
  stream.end();
  return written.split(/\n|\r\x1b\[2K/).filter((l) => l.startsWith('  ['));
}

describe('run progress', () => {
  it('names every file of a town’s run, in order', () => {
    const lines = linesFor(14, false);
    expect(lines).toEqual(Array.from({ length: 14 }, (_, i) => `  [${i + 1}/14] d/file-${i + 1}.xlsx`));
  });

  it('names the first and the last file of a district’s 5,000 and not every one between', () => {
    for (const tty of [false, true]) {
      const lines = linesFor(5_000, tty);
      expect(lines[0]).toBe('  [1/5000] d/file-1.xlsx');
      expect(lines.at(-1)).toBe('  [5000/5000] d/file-5000.xlsx');
      expect(lines.length).toBeLessThan(10);
    }
  });
});
