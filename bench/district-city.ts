/**
 * `npm run bench:city`: a simulated city — 300 towns, 13 ledgers, ~8 million ledger rows — in
 * the Parquet layout of `tally export`, consolidated by the real `tally district` command in a
 * process of its own: wall time and peak RSS (VmHWM, DuckDB's threads included) against the
 * targets of issue 15 (≤ 60 s, ≤ 1 GB).
 *
 * The city is made from one real town: the district demo's 安定镇-sized town is run through tally
 * and exported, then DuckDB copies each of its tables 300 times with every town's rows repeated
 * (row numbers shifted so no two rows are the same) and its figures scaled to match, written with
 * `PARTITION_BY (year, town)`: the same schemas and the same layout a real export has, and every
 * town's figures still the sum of its traced rows. Generated once into bench/.scratch/city/
 * (BENCH_CITY_REGENERATE=1 to redo it); BENCH_CITY_TOWNS and BENCH_CITY_REPEAT change the size.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { demoTownSpecs, runDemoTown } from '../demo/district/district-demo.ts';

const ROOT = join(import.meta.dirname, '..');
const SCRATCH = join(ROOT, 'bench', '.scratch', 'city');
const TOWNS = Number(process.env['BENCH_CITY_TOWNS'] ?? 300);
/** Each town's ledgers are the template's repeated this many times (~740 rows × 36 ≈ 27,000 rows a town). */
const REPEAT = Number(process.env['BENCH_CITY_REPEAT'] ?? 36);
const TARGET = { seconds: 60, rssMb: 1024 };

async function generate(): Promise<{ inbox: string; rows: number }> {
  const inbox = join(SCRATCH, 'inbox');
  const marker = join(SCRATCH, `city-${TOWNS}x${REPEAT}.json`);
  if (process.env['BENCH_CITY_REGENERATE'] !== '1' && existsSync(marker)) return JSON.parse(readFileSync(marker, 'utf8')) as { inbox: string; rows: number };
  await rm(SCRATCH, { recursive: true, force: true });
  const started = Date.now();
  const spec = demoTownSpecs(['安定镇'])[0];
  if (spec === undefined) throw new Error('no town');
  const template = join(SCRATCH, 'template');
  await runDemoTown(spec, 0, SCRATCH, template);
  const instance = await DuckDBInstance.create(':memory:', { memory_limit: '1GB', preserve_insertion_order: 'false' });
  const c = await instance.connect();
  await c.run(`create table towns as select i, '城镇' || lpad(cast(i as varchar), 3, '0') as town from range(${TOWNS}) t(i)`);
  await c.run(`create table reps as select r from range(${REPEAT}) t(r)`);
  const tables = (await readdir(join(template, '安定镇'))).sort();
  let rows = 0;
  for (const table of tables) {
    const src = `read_parquet('${join(template, '安定镇', table, 'year=2020', 'town=安定镇', 'part-0.parquet')}', hive_partitioning = false)`;
    // Ledger and trace rows are repeated (each copy on its own rows); the rest once per town, figures scaled.
    const repeated = table.startsWith('ledger_') || table === 'trace';
    const select =
      table === 'figures'
        ? `select s.* replace (s.value * ${REPEAT} as value, s.previous * ${REPEAT} * (0.8 + (t.i % 5) / 10.0) as previous), 2020 as year, t.town from ${src} s, towns t`
        : table === 'towns'
          ? `select s.* replace (s.exported_at + to_hours(cast(t.i % 200 as integer)) as exported_at), 2020 as year, t.town from ${src} s, towns t`
          : repeated
            ? `select s.* replace (s.row_no + r.r * 100000 as row_no), 2020 as year, t.town from ${src} s, towns t, reps r`
            : `select s.*, 2020 as year, t.town from ${src} s, towns t`;
    const out = join(inbox, table);
    await mkdir(out, { recursive: true });
    const r = await c.run(`copy (${select}) to '${out}' (format parquet, compression zstd, partition_by (year, town), overwrite_or_ignore true)`);
    if (table.startsWith('ledger_')) rows += Number(r.rowsChanged);
  }
  c.closeSync();
  instance.closeSync();
  await rm(template, { recursive: true, force: true });
  const result = { inbox, rows };
  await writeFile(marker, JSON.stringify(result));
  console.log(`城市数据已生成：${TOWNS} 个街镇，台账行 ${rows.toLocaleString()} 行，用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒`);
  return result;
}

async function measure(inbox: string): Promise<{ seconds: number; rssMb: number; stdout: string }> {
  const rssFile = join(SCRATCH, 'rss.json');
  await rm(rssFile, { force: true });
  const out = join(SCRATCH, 'out');
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', join(ROOT, 'bench', 'rss-probe.mjs'), join(ROOT, 'bin', 'tally.mjs'), 'district', '--inbox', inbox, '--out', out, '--year', '2020', '--no-docx'], {
    cwd: ROOT,
    // The compiled CLI (npm run bench:city builds it first), as a district would run it: not tsx.
    env: { ...process.env, BENCH_RSS_FILE: rssFile, SMTP_URL: '', TALLY_FROM_SOURCE: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const seconds = (Date.now() - started) / 1000;
  if (code !== 0) throw new Error(`tally district exited ${code}:\n${stdout}`);
  const { maxRssKb } = JSON.parse(readFileSync(rssFile, 'utf8')) as { maxRssKb: number };
  return { seconds, rssMb: Math.round(maxRssKb / 1024), stdout };
}

const { inbox, rows } = await generate();
const m = await measure(inbox);
process.stdout.write(m.stdout);
const pass = (ok: boolean) => (ok ? 'PASS' : 'MISS');
console.log(
  `city: ${TOWNS} towns, 13 ledgers, ${rows.toLocaleString()} rows → tally district ${m.seconds.toFixed(1)} s (${pass(m.seconds <= TARGET.seconds)} ≤ ${TARGET.seconds} s), ` +
    `peak RSS ${m.rssMb} MB (${pass(m.rssMb <= TARGET.rssMb)} ≤ ${TARGET.rssMb} MB)`,
);
await writeFile(join(ROOT, 'bench', 'district-city-results.json'), `${JSON.stringify({ towns: TOWNS, rows, seconds: m.seconds, peakRssMb: m.rssMb, at: new Date().toISOString() }, null, 2)}\n`);
process.exit(0);
