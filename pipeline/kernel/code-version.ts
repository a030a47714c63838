/**
 * Which tally made a result: a hash of its whole code. A result kept from one run for the next
 * (the report stage's kept files) is keyed by it, so that a new tally never takes what an older
 * one made: a function's own text would miss a change in what it calls.
 *
 * A build writes it (`dist/code-version.txt`, bin/copy-assets.mjs: every file of dist/ but the
 * compile cache). Run from the TypeScript sources (tests, development), it is the hash of those
 * sources, taken on first use.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const FROM_SOURCES = import.meta.url.endsWith('.ts');
/** The checkout (sources) or dist/ (a build): two levels above pipeline/kernel. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE_TREES = ['pipeline', 'sheets', 'reports', 'demo', 'sql', 'packs', 'config'];

let version: string | undefined;

export function codeVersion(): string {
  version ??= FROM_SOURCES ? treeHash(ROOT, SOURCE_TREES) : readFileSync(join(ROOT, 'code-version.txt'), 'utf8').trim();
  return version;
}

/** SHA-256 of every file under `trees` of `root`: each one's path and contents, in path order. */
export function treeHash(root: string, trees: readonly string[], skip: (path: string) => boolean = () => false): string {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (skip(path)) continue;
      if (e.isDirectory()) walk(path);
      else if (e.isFile()) files.push(path);
    }
  };
  for (const tree of trees) if (existsSync(join(root, tree))) walk(join(root, tree));
  files.sort();
  const hash = createHash('sha256');
  for (const path of files) {
    const name = relative(root, path);
    const content = readFileSync(path);
    hash.update(`${name.length}:${name}${content.length}:`).update(content);
  }
  return hash.digest('hex');
}
