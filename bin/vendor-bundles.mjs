// Part of `npm run build` (bin/copy-assets.mjs): the libraries every run loads at start, each
// bundled into one file of dist/vendor/ (esbuild), and the compiled modules in dist/ pointed at
// those files instead of node_modules.
//
// Node loads a package module by module: each is resolved (package.json, exports, stat,
// realpath), read and compiled on its own. kysely is 263 ES modules, zod 95, exceljs's Workbook
// 286 CommonJS files, @duckdb/node-api 181 (esbuild's count of each bundle's inputs). Measured
// here (loading each in a fresh process, 2-3 runs): kysely 201-212 → 27-29 ms, zod 101-114 →
// 45-60 ms, exceljs's Workbook 150-197 → 57-66 ms, @duckdb/node-api 242-245 → 165-198 ms (most
// of it DuckDB's own library). The main thread loads all four before and during a run;
// each read worker loads zod, each thread that writes a workbook exceljs.
//
// The bundles are the same code (same versions, from node_modules); only how Node finds it
// changes. DuckDB's native binding stays in node_modules (a .node file cannot be bundled): the
// bundled @duckdb/node-api requires it from there, the one instance duckdb-api.ts uses too.
// Tests run the TypeScript sources, which import from node_modules.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** Each bundled library: how dist/'s modules name it (exactly as tsc writes it), and its bundle. */
const BUNDLES = [
  { specifier: 'kysely', file: 'kysely.mjs', format: 'esm', importedAs: 'from' },
  { specifier: 'zod', file: 'zod.mjs', format: 'esm', importedAs: 'from' },
  { specifier: 'exceljs/lib/doc/workbook.js', file: 'exceljs-workbook.cjs', format: 'cjs', importedAs: 'require' },
  { specifier: '@duckdb/node-api', file: 'duckdb-node-api.cjs', format: 'cjs', importedAs: 'require' },
];

/**
 * Writes dist/vendor/ and rewrites the imports of the compiled modules under `trees` of `dist`.
 * Returns false (and changes nothing) when esbuild is not installed (`npm ci --omit=dev`): the
 * compiled modules then load the libraries from node_modules, as before.
 */
export async function vendorBundles(dist, trees) {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    return false;
  }
  const vendor = join(dist, 'vendor');
  rmSync(vendor, { recursive: true, force: true });
  for (const b of BUNDLES) {
    await esbuild.build({
      // The entry Node itself would load: an ES module's `import` build, a CommonJS one's `require`.
      entryPoints: [b.format === 'esm' ? fileURLToPath(import.meta.resolve(b.specifier)) : require.resolve(b.specifier)],
      outfile: join(vendor, b.file),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: b.format,
      external: ['@duckdb/node-bindings'],
      legalComments: 'inline',
      logLevel: 'error',
    });
  }
  for (const tree of trees) {
    for (const entry of readdirSync(join(dist, tree), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
      const path = join(entry.parentPath, entry.name);
      const text = readFileSync(path, 'utf8');
      let changed = text;
      for (const b of BUNDLES) {
        let target = relative(dirname(path), join(vendor, b.file)).split(sep).join('/');
        if (!target.startsWith('.')) target = `./${target}`;
        changed =
          b.importedAs === 'from'
            ? changed.replaceAll(`from '${b.specifier}';`, `from '${target}';`)
            : changed.replaceAll(`require('${b.specifier}')`, `require('${target}')`);
      }
      if (changed !== text) writeFileSync(path, changed);
    }
  }
  return true;
}
