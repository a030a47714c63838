/**
 * How long the pass that finds blocks pasted again in a sheet takes (pipeline/kernel/db/
 * pasted-blocks.ts), on rows generated in DuckDB straight into a 人民调解台账 table:
 *
 * - `volume`: one sheet of 150,000 rows, a block of 7,500 pasted 20 times (tests/volume.test.ts);
 * - `district`: 2,000,000 rows, 5,000 sheets of 400; every 50th sheet has 10 rows pasted again,
 *   every 7th a row twice (a district as it is: most sheets pass the gate's aggregate and stop);
 * - `worst`: 2,000,000 rows, every sheet a block of 100 pasted 4 times (1,500,000 copied rows).
 *
 * `node --import tsx bench/pasted-blocks.ts [volume|district|worst] [repeats]`; prints ms per pass.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLedgerCatalog } from '../sheets/ledger-catalog.ts';
import { openDatabase } from '../pipeline/kernel/db/open-database.ts';
import { refreshPastedBlocks } from '../pipeline/kernel/db/pasted-blocks.ts';

const CASES = {
  volume: { rows: 150_000, perSheet: 150_000, copyOf: 'i % 7500' },
  district: {
    rows: 2_000_000,
    perSheet: 400,
    copyOf: `case when (i // 400) % 50 = 0 and i % 400 between 200 and 209 then i - 200
                  when (i // 400) % 7 = 0 and i % 400 = 399 then i - 1 else i end`,
  },
  worst: { rows: 2_000_000, perSheet: 400, copyOf: '(i // 400) * 400 + (i % 100)' },
} as const;

const name = (process.argv[2] ?? 'district') as keyof typeof CASES;
const repeats = Number(process.argv[3] ?? 5);
const c = CASES[name];
const sheets = c.rows / c.perSheet;
const catalog = loadLedgerCatalog(join(import.meta.dirname, '..', 'packs', 'anding-2020', 'ledgers.json'));
const dir = mkdtempSync(join(tmpdir(), 'pasted-blocks-'));
const tdb = await openDatabase(join(dir, 'bench.duckdb'), catalog);
try {
  const db = tdb.connection;
  await db.run(`insert into file_versions select i, 'd' || (i % 120), 'd' || (i % 120) || '/调解台账' || i || '.xlsx', 1, 'x', 1, now(), 'a', true, 'read' from range(1, ${sheets + 1}) t(i)`);
  await db.run(`insert into sheet_reads select i, 0, '调解台账', false, 'mediation', '1', ${c.perSheet} from range(1, ${sheets + 1}) t(i)`);
  await db.run(`insert into ledger_mediation_sheets select i, 0, '调解台账', 'A', 'B', 'C', 'D', 'E', 'F', 'G' from range(1, ${sheets + 1}) t(i)`);
  // Row i of the district is mediation j: a copy of an earlier row where j < i.
  await db.run(`insert into ledger_mediation_data
    select i // ${c.perSheet} + 1, 0, (i % ${c.perSheet}) + 2, null, (i % ${c.perSheet}) + 1,
           date '2020-01-01' + cast(j % 300 as integer), '张' || j || '与李' || j, '邻里纠纷', null, '调解成功',
           date '2020-01-01' + cast(j % 300 as integer) + 10
    from (select i, ${c.copyOf} as j from range(0, ${c.rows}) t(i))`);
  await db.run('checkpoint');
  // Alternating with one pass of row.duplicate's own aggregate over every row, as a yardstick
  // on a machine shared with other work.
  const times: number[] = [];
  const yardstick: number[] = [];
  for (let k = 0; k < repeats; k++) {
    let t = performance.now();
    await refreshPastedBlocks(db);
    times.push(Math.round(performance.now() - t));
    t = performance.now();
    await db.run('select ledger, department, fingerprint from ledger_rows where key_norm is null group by all having count(*) > 1');
    yardstick.push(Math.round(performance.now() - t));
  }
  const found = (await db.runAndReadAll('select count(*), coalesce(sum(rows), 0) from pasted_blocks')).getRowsJS()[0] ?? [];
  console.log(`${name}: ${c.rows.toLocaleString('en')} rows, ${sheets} sheets; ${String(found[0])} runs, ${String(found[1])} copied rows; ms: ${times.join(', ')} (row.duplicate's aggregate: ${yardstick.join(', ')})`);
} finally {
  await tdb.close();
  rmSync(dir, { recursive: true, force: true });
}
