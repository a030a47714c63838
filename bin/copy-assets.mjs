#!/usr/bin/env node
// Part of `npm run build` (run by `npm ci` as `prepare`): the compiled modules in dist/ read
// files next to themselves (import.meta.url: SQL, the demo configuration, the report and ledger
// definitions, the portal's CSS and script), so every file that is not TypeScript source is
// copied to the same place under dist/ as it has in the checkout (not the *-worker.mjs entries
// that start a worker thread from the TypeScript sources through tsx).
import { cpSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');
const TREES = ['pipeline', 'sheets', 'reports', 'demo', 'sql', 'config', 'packs'];
const notSource = (path) => !/\.(ts|mts|cts|md)$/.test(path) && !path.endsWith('-worker.mjs');

for (const tree of TREES) {
  const from = join(ROOT, tree);
  if (!existsSync(from)) continue;
  // sql/, config/ and packs/ are assets only: a file removed from the checkout goes from dist/ too.
  if (tree === 'sql' || tree === 'config' || tree === 'packs') rmSync(join(DIST, tree), { recursive: true, force: true });
  cpSync(from, join(DIST, tree), { recursive: true, filter: (src) => notSource(src) });
}

// The libraries every run loads at start, bundled (bin/vendor-bundles.mjs), and the compiled
// modules pointed at the bundles.
const { vendorBundles } = await import('./vendor-bundles.mjs');
const vendored = await vendorBundles(DIST, ['pipeline', 'sheets', 'reports', 'demo']);

// Which tally this is (pipeline/kernel/code-version.ts): the hash of every file of dist/ but the
// compiler's and V8's caches, written last.
const { treeHash } = await import(new URL('../dist/pipeline/kernel/code-version.js', import.meta.url).href);
const skip = (path) => /[\\/]\.(compile-cache|tsbuildinfo)$|[\\/]code-version\.txt$/.test(path);
writeFileSync(join(DIST, 'code-version.txt'), `${treeHash(DIST, vendored ? [...TREES, 'vendor'] : TREES, skip)}\n`);

// Each demo pack's inbox and last year's report, written once here and copied by `tally demo`
// (demo/prebuilt-inbox.ts): writing them took ~1 s of every demo's start. After the code
// version, which each kit records.
const { buildPrebuiltInbox, DEFAULT_KIT_ROOT } = await import(new URL('../dist/demo/prebuilt-inbox.js', import.meta.url).href);
const { DEMO_PACK_LIST } = await import(new URL('../dist/demo/demo-pack-list.js', import.meta.url).href);
rmSync(DEFAULT_KIT_ROOT, { recursive: true, force: true });
for (const pack of Object.keys(DEMO_PACK_LIST)) await buildPrebuiltInbox(pack, DEFAULT_KIT_ROOT);
