/**
 * Nothing whose size the input decides is spread into one call (issue 12): `push(...rows)` and
 * `Math.max(...values)` pass every element as an argument, and past ~120,000 of them the run
 * stops with "Maximum call stack size exceeded" — which once took a whole town's run down. A
 * spread over something bounded by the configuration, a pack or a screen says so in a
 * `// bounded:` comment on its line or the line above.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const SPREAD_CALL = /\.push\(\s*\.\.\.|Math\.(max|min)\(\s*\.\.\./;

async function* sources(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (/\.(ts|mjs)$/.test(entry.name)) yield path;
  }
}

describe('the product code', () => {
  it('spreads nothing into a call unless it says why that is bounded', async () => {
    const unexplained: string[] = [];
    for (const folder of ['pipeline', 'sheets', 'reports']) {
      for await (const path of sources(join(ROOT, folder))) {
        const lines = (await readFile(path, 'utf8')).split('\n');
        lines.forEach((line, i) => {
          const code = line.replace(/\/\/.*$/, '');
          if (!SPREAD_CALL.test(code)) return;
          if (/\/\/ bounded:/.test(line) || /\/\/ bounded:/.test(lines[i - 1] ?? '')) return;
          unexplained.push(`${relative(ROOT, path)}:${i + 1}: ${line.trim()}`);
        });
      }
    }
    expect(unexplained).toEqual([]);
  });
});
