/**
 * The figures' trace queries run beside the row checks (run.ts, rollup-stage.ts FigureTraces):
 * they begin once the check stage has put the run tables in place, on connections of their
 * own, and give what the roll-up gave one query after the other. Proven on a real DuckDB file
 * holding the demo inbox, loaded by a whole run.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoInbox } from '../demo/demo-inbox.ts';
import { loadConfig, type TallyConfig } from '../pipeline/kernel/config/config.ts';
import { openDatabase, type TallyDatabase } from '../pipeline/kernel/db/open-database.ts';
import { loadChecks } from '../pipeline/kernel/sql-catalog.ts';
import { runPipeline, type RunSummary } from '../pipeline/run.ts';
import { startRun } from '../pipeline/run-record.ts';
import { check } from '../pipeline/stages/4-check/check-stage.ts';
import { FigureTraces, rollUp } from '../pipeline/stages/5-rollup/rollup-stage.ts';

const root = join('tests', '.tmp', `rollup-beside-checks-${randomBytes(4).toString('hex')}`);
const dbPath = join(root, 'out', 'tally.duckdb');
const config = loadConfig();
let summary: RunSummary;

beforeAll(async () => {
  await mkdir(root, { recursive: true });
  await generateDemoInbox(join(root, 'inbox'));
  summary = await runPipeline({ config, inbox: join(root, 'inbox'), out: join(root, 'out'), dbPath, now: () => new Date('2021-03-01T02:00:00Z') });
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function withDatabase<T>(fn: (tdb: TallyDatabase) => Promise<T>): Promise<T> {
  const tdb = await openDatabase(dbPath, config.ledgers);
  try {
    return await fn(tdb);
  } finally {
    await tdb.close();
  }
}

const checkRun = (tdb: TallyDatabase, c: TallyConfig, onRowChecks: () => void) =>
  startRun(tdb.db, { year: c.year, trigger: 'manual', now: new Date('2021-03-02T02:00:00Z') }).then((runId) =>
    check(tdb, { config: c, runId, checks: [...loadChecks(), ...c.report.checks], intakeFindings: [], onRowChecks }),
  );

describe('the figures beside the row checks', () => {
  it('begin once the run tables are this run\'s, and not when a stored run\'s findings are reused', async () => {
    await withDatabase(async (tdb) => {
      // The inputs of the run above: its row findings are reused and no row check runs.
      let reused = 0;
      await checkRun(tdb, config, () => reused++);
      expect(reused).toBe(0);

      // Another roster: the row checks run, and the roster the figures may join is already this one.
      const fewer: TallyConfig = { ...config, departments: config.departments.slice(0, 2) };
      expect(config.departments.length).toBeGreaterThan(2);
      let seen: Promise<string[]> | undefined;
      await checkRun(tdb, fewer, () => {
        seen = tdb.connect().then(async (connection) => {
          try {
            const rows = (await connection.runAndReadAll('select code from departments order by code')).getRowObjectsJS();
            return rows.map((r) => String(r['code']));
          } finally {
            connection.closeSync();
          }
        });
      });
      expect(seen).toBeDefined();
      expect(await seen).toEqual(fewer.departments.map((d) => d.code).sort());
    });
  });

  it('give, begun early on connections of their own, the figures and traces of the queries run one after the other', async () => {
    await withDatabase(async (tdb) => {
      const traces = new FigureTraces(tdb, config.report, config.year);
      traces.start();
      const beside = await traces.result();
      const alone = await rollUp([tdb.connection], config.report, config.year, new Set(), config.ledgers);
      expect(beside.map((t) => [t.code, t.value, t.total])).toEqual(alone.map((r) => [r.code, r.value, r.traceTotal]));
      expect(beside.map((t) => t.rows)).toEqual(alone.map((r) => r.trace));
      // The run's own figures, for a check that cannot pass on two empty lists.
      const reported = new Map(summary.report.indicators.map((i) => [i.code, i.value]));
      expect(beside).toHaveLength(20);
      for (const t of beside) expect(t.value, t.code).toBe(reported.get(t.code));
    });
  });

  it('hold a failing figure\'s error for the stage, and end every query before the database closes', async () => {
    await withDatabase(async (tdb) => {
      const [first, ...rest] = config.report.indicators;
      if (first === undefined) throw new Error('the demo pack has indicators');
      // Valid SQL that fails only when it runs, as a pack's query can on a value it did not expect.
      const failing = { ...first, sql: `${first.sql.trim().replace(/;\s*$/, '')} union all select * from (${first.sql.trim().replace(/;\s*$/, '')}) where error('计划外的值') is not null` };
      const traces = new FigureTraces(tdb, { ...config.report, indicators: [...rest, failing] }, config.year);
      traces.start();
      await traces.settled();
      await expect(traces.result()).rejects.toThrow(/指标 SQL 执行失败.*计划外的值/);
    });
  });
});
