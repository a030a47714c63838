/** `tally export` and `tally district` through the real CLI: what they refuse, and how. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './support/cli.ts';

describe('tally export and tally district on the command line', () => {
  it('asks for --parquet (exit 2) and refuses a database that does not exist (exit 1)', async () => {
    const usage = await runCli(['export']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--parquet');
    const missing = await runCli(['export', '--parquet', join(ROOT, 'tests', '.tmp', 'nowhere-export'), '--db', join(ROOT, 'tests', '.tmp', 'no-such.duckdb')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('找不到数据库');
  }, 60_000);

  it('needs a year without a district configuration (exit 2), and consolidates an empty inbox to all-缺报 without failing', async () => {
    expect((await runCli(['district', '--inbox', join(ROOT, 'tests', '.tmp', 'empty-inbox')])).code).toBe(2);
    const out = join(ROOT, 'tests', '.tmp', `district-empty-${process.pid}`);
    const r = await runCli(['district', '--inbox', join(out, 'inbox'), '--out', out, '--year', '2020', '--no-docx']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('应报 0 个街镇');
  }, 60_000);
});
