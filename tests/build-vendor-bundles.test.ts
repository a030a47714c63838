/**
 * The build (bin/vendor-bundles.mjs): the compiled modules in dist/ load kysely, zod, exceljs's
 * Workbook and DuckDB's API from one bundle each in dist/vendor/, never module by module from
 * node_modules, and the bundles give what the packages give. (`npm test` builds dist/ first;
 * tests/e2e.test.ts runs the CLI on them.)
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIST = join(import.meta.dirname, '..', 'dist');
const require = createRequire(import.meta.url);

describe('the libraries bundled into dist/vendor/', () => {
  it('are what every compiled module imports instead of the packages', () => {
    const bare = /from '(kysely|zod)';|require\('(@duckdb\/node-api|exceljs\/lib\/doc\/workbook\.js)'\)/;
    const offenders: string[] = [];
    let pointed = 0;
    for (const tree of ['pipeline', 'sheets', 'reports', 'demo']) {
      for (const e of readdirSync(join(DIST, tree), { recursive: true, withFileTypes: true })) {
        if (!e.isFile() || !e.name.endsWith('.js')) continue;
        const text = readFileSync(join(e.parentPath, e.name), 'utf8');
        if (bare.test(text)) offenders.push(join(e.parentPath, e.name));
        if (text.includes('/vendor/')) pointed++;
      }
    }
    expect(offenders).toEqual([]);
    expect(pointed).toBeGreaterThan(10);
    for (const f of ['kysely.mjs', 'zod.mjs', 'exceljs-workbook.cjs', 'duckdb-node-api.cjs']) expect(existsSync(join(DIST, 'vendor', f)), f).toBe(true);
  });

  it('export what the packages export', async () => {
    const kysely = (await import(join(DIST, 'vendor', 'kysely.mjs'))) as Record<string, unknown>;
    expect(Object.keys(kysely).sort()).toEqual(Object.keys(await import('kysely')).sort());
    const zod = (await import(join(DIST, 'vendor', 'zod.mjs'))) as typeof import('zod');
    expect(zod.object({ a: zod.number() }).safeParse({ a: 'x' }).success).toBe(false);
    const duck = require(join(DIST, 'vendor', 'duckdb-node-api.cjs')) as typeof import('@duckdb/node-api');
    const instance = await duck.DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    expect((await connection.runAndReadAll('select 40 + 2 as n')).getRowObjectsJS()).toEqual([{ n: 42 }]);
    connection.closeSync();
    instance.closeSync();
    const Workbook = require(join(DIST, 'vendor', 'exceljs-workbook.cjs')) as new () => { addWorksheet(name: string): { name: string } };
    expect(new Workbook().addWorksheet('指标汇总').name).toBe('指标汇总');
  });
});
