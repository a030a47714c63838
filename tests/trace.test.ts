/**
 * The trace behind every figure: each indicator's SQL returns every candidate row, counted or
 * left out with a reason, and the figure is the counted amounts added up. Proven on the demo
 * inbox (the 溯源 sheet, `tally explain`) and on small generated scenarios.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoInbox, type DemoManifest } from '../demo/demo-inbox.ts';
import { loadConfig } from '../pipeline/kernel/config/config.ts';
import { ConfigError } from '../pipeline/kernel/config/config-error.ts';
import { runPipeline, type RunSummary } from '../pipeline/run.ts';
import { rollupSql, traceIndicator, type TraceRow } from '../pipeline/stages/5-rollup/trace-rows.ts';
import type { IndicatorDef } from '../reports/report-catalog.ts';
import { TRACE_SHEET } from '../reports/trace-sheet.ts';
import { runCli } from './support/cli.ts';
import { day, useScenarios } from './support/scenario.ts';

const root = join('tests', '.tmp', `trace-${randomBytes(4).toString('hex')}`);
let manifest: DemoManifest;
let summary: RunSummary;
let trace: readonly TraceRow[];

const rowsOf = (code: string) => trace.filter((r) => r.code === code);
const countedSum = (rows: readonly TraceRow[]) => rows.filter((r) => r.counted).reduce((s, r) => s + r.amount, 0);

beforeAll(async () => {
  await mkdir(root, { recursive: true });
  manifest = await generateDemoInbox(join(root, 'inbox'));
  summary = await runPipeline({
    config: loadConfig(),
    inbox: join(root, 'inbox'),
    out: join(root, 'out'),
    dbPath: join(root, 'out', 'tally.duckdb'),
    now: () => new Date('2021-03-01T02:00:00Z'),
  });
  trace = summary.report.trace ?? [];
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the trace of the demo figures', () => {
  it('adds up, for every one of the 20 indicators, to the figure of the report', () => {
    expect(summary.report.indicators).toHaveLength(20);
    for (const ind of summary.report.indicators) {
      const rows = rowsOf(ind.code);
      // Only the empty 规范性文件台账 (空表, meaning 0) has no rows to trace.
      if (ind.code !== 'decision.normative_docs') expect(rows.length, `${ind.code} has no trace rows`).toBeGreaterThan(0);
      expect(countedSum(rows), ind.code).toBe(ind.value);
    }
  });

  it('gives every left-out row a reason and no counted row one', () => {
    for (const r of trace) {
      if (r.counted) expect(r.reason, `${r.code} ${r.file} ${r.rowNo}`).toBeNull();
      else expect(r.reason, `${r.code} ${r.file} ${r.rowNo}`).toMatch(/\S/);
    }
  });

  it('names the department, file, version, sheet and row of every row, and the deciding cells with their addresses', () => {
    for (const r of trace) {
      expect(r.department).toMatch(/^(enforcement|justice|counsel|office)$/);
      expect(r.file).toMatch(new RegExp(`^${r.department}/`));
      expect(r.fileVersion).toBe(1);
      expect(r.sheet).not.toBe('');
      expect(r.rowNo).toBeGreaterThan(0);
      expect(r.cells.length).toBeGreaterThan(0);
      for (const c of r.cells) expect(c.cell ?? 'A1').toMatch(/^[A-Z]+[0-9]+$/);
    }
  });

  it('leaves the planted 2019-12-28 disclosure out as 不在2020年度内, at its 公示日期 cell', () => {
    const planted = manifest.planted.find((p) => p.code === 'cell.out_of_period' && p.department === 'enforcement');
    expect(planted).toBeDefined();
    const left = rowsOf('enforcement.disclosures').filter((r) => !r.counted);
    expect(left).toHaveLength(1);
    const row = left[0] as TraceRow;
    expect(row.reason).toBe('不在2020年度内');
    expect(row.file).toBe(`enforcement/${planted?.file}`);
    expect(row.sheet).toBe(planted?.sheet);
    expect(row.cells).toContainEqual({ field: '公示日期', value: '2019-12-28', cell: planted?.cell });
  });

  it('says why the other rows were left out: wrong category, not 调解成功, empty date, earlier year, not a lawsuit', () => {
    const reasons = (code: string) => new Set(rowsOf(code).filter((r) => !r.counted).map((r) => r.reason));
    expect(reasons('decision.contract_reviews')).toContain('审查类别为“法律意见”，不是合同');
    expect(reasons('service.disputes_resolved')).toEqual(new Set(['调解结果为“调解中”，不是调解成功', '调解结果为“调解不成功”，不是调解成功']));
    // The duplicate penalty case was entered a second time without its 法制审核日期.
    expect(reasons('enforcement.penalty_reviews')).toContain('法制审核日期为空');
    expect(reasons('enforcement.exam_passed')).toContain('不在2020年度内');
    expect(reasons('enforcement.exam_passed')).toContain('考试结果为“未通过”');
    expect(reasons('litigation.leader_appearances')).toContain('案件类别为“行政复议”，不是行政诉讼');
    expect(reasons('service.aid_consultations')).toContain('服务类别为“法律咨询”，不是法律援助咨询');
  });

  it('counts 人次 for the sums: 法律咨询 adds up the 人次 of its rows', () => {
    const rows = rowsOf('service.consultations').filter((r) => r.counted);
    expect(rows.some((r) => r.amount > 1)).toBe(true);
    expect(countedSum(rows)).toBe(1236);
  });

  it('writes the 溯源 sheet after the four contract sheets; its 计入数量 per indicator add up to 指标汇总', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(summary.workbook);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['指标汇总', '问题清单', '报送情况', '报告正文', '溯源']);
    const sheet = workbook.getWorksheet('溯源');
    const rows: unknown[][] = [];
    sheet?.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows[0]).toEqual([...TRACE_SHEET.headers]);
    const sums = new Map<string, number>();
    for (const r of rows.slice(1)) {
      if (r[3] === '是') sums.set(String(r[1]), (sums.get(String(r[1])) ?? 0) + Number(r[4]));
      else expect(r[5], `left-out row without 未计入原因: ${JSON.stringify(r)}`).toMatch(/\S/);
    }
    for (const ind of summary.report.indicators) expect(sums.get(ind.code) ?? 0, ind.code).toBe(ind.value);
    expect(rows.length - 1).toBe(trace.length);
  });
});

describe('tally explain', () => {
  const db = () => join(root, 'out', 'tally.duckdb');

  it('lists the counted rows and the left-out ones with their reasons, and checks the sum', async () => {
    const result = await runCli(['explain', 'enforcement.disclosures', '--db', db()]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('enforcement.disclosures 公示执法信息（2020年度）：283项，报告写作“280余项”');
    expect(result.stdout).toContain('计入 283 行，数量合计 283；未计入 1 行。');
    expect(result.stdout).toMatch(/不在2020年度内（1 行）\n.*\n.*公示日期=2019-12-28（B\d+）/);
    expect(result.stdout).toContain('核对：计入各行数量相加 283 = 指标数值 283');
  }, 60_000);

  it('takes the 指标名称 as well as the code, and --out for the database of that output folder', async () => {
    const result = await runCli(['explain', '化解矛盾纠纷', '--out', join(root, 'out')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('service.disputes_resolved 化解矛盾纠纷（2020年度）：131件');
    expect(result.stdout).toContain('调解结果为“调解中”，不是调解成功（3 行）');
  }, 60_000);

  it('is a usage error (exit 2) for an unknown indicator, and cannot run (exit 1) without a database', async () => {
    const unknown = await runCli(['explain', 'no.such_code', '--db', db()]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('enforcement.disclosures');
    const missing = await runCli(['explain', 'enforcement.disclosures', '--db', join(root, 'nowhere.duckdb')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('请先运行 tally run');
  }, 60_000);
});

describe('trace queries on generated ledgers', () => {
  const scenarios = useScenarios();
  const OFFICERS = ['姓名', '执法证号', '资格考试日期', '考试结果', '法律职业资格'];

  it('counts a person listed twice once, and says the second row is a duplicate', async () => {
    const run = await scenarios.run('trace-officer-twice', {
      roster: [{ code: 'enforcement', owes: ['officers'] }],
      files: {
        'enforcement/执法人员.xlsx': [
          {
            name: '人员',
            header: OFFICERS,
            rows: [
              ['李娜', '11150401036', day(2020, 11, 21), '通过', '是'],
              ['王强', '11150401037', day(2020, 11, 21), '通过', '否'],
              ['李娜', '11150401036', day(2020, 11, 21), '通过', '是'],
            ],
          },
        ],
      },
    });
    const rows = (run.summary.report.trace ?? []).filter((r) => r.code === 'enforcement.exam_passed');
    expect(run.indicator('enforcement.exam_passed').value).toBe(2);
    expect(rows.map((r) => [r.rowNo, r.counted, r.reason])).toEqual([
      [2, true, null],
      [3, true, null],
      [4, false, '重复：同一姓名已计入一次'],
    ]);
    const qualified = (run.summary.report.trace ?? []).filter((r) => r.code === 'staff.legal_professionals');
    expect(run.indicator('staff.legal_professionals').value).toBe(1);
    expect(qualified.filter((r) => !r.counted).map((r) => r.reason).sort()).toEqual(['不具有法律职业资格', '重复：同一姓名已计入一次']);
  }, 60_000);

  it('keeps the trace of a figure whose ledger is missing (缺报), with no value', async () => {
    const run = await scenarios.run('trace-missing-publicity', {
      roster: [
        { code: 'justice', owes: ['publicity'] },
        { code: 'office', owes: ['publicity'] },
      ],
      files: {
        'justice/普法.xlsx': [{ name: '普法', header: ['日期', '活动名称'], rows: [[day(2020, 3, 5), '民法典进村'], [day(2020, 4, 1), '宪法宣传']] }],
      },
    });
    expect(run.indicator('publicity.events').value).toBeNull();
    expect((run.summary.report.trace ?? []).filter((r) => r.code === 'publicity.events' && r.counted)).toHaveLength(2);
  }, 60_000);

  it('samples, under a limit, the same rows every time: left-out rows first, then by place', async () => {
    const instance = await DuckDBInstance.create(join(root, 'out', 'tally.duckdb'));
    const connection = await instance.connect();
    try {
      const ind = loadConfig().report.indicators.find((i) => i.code === 'service.disputes_resolved') as IndicatorDef;
      const all = await traceIndicator(connection, ind, 2020);
      const key = (r: TraceRow) => [Number(r.counted), r.reason ?? '', r.department, r.file, r.fileVersionId, r.sheet, r.rowNo] as const;
      const byKey = (a: TraceRow, b: TraceRow) => {
        const [x, y] = [key(a), key(b)];
        for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return (x[i] as string | number) < (y[i] as string | number) ? -1 : 1;
        return 0;
      };
      const place = (r: TraceRow) => `${r.file}|${r.sheet}|${r.rowNo}`;
      expect(all.rows.length).toBeGreaterThan(20);
      const expected = [...all.rows].sort(byKey).slice(0, 20).map(place).sort();
      for (const attempt of [1, 2, 3]) {
        const sample = await traceIndicator(connection, ind, 2020, { limit: 20 });
        expect(sample.total, `attempt ${attempt}`).toBe(all.rows.length);
        expect(sample.rows.map(place).sort(), `attempt ${attempt}`).toEqual(expected);
      }
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it('gives the figure DuckDB adds up over the trace query, whether added from every row at hand or by the query', async () => {
    const instance = await DuckDBInstance.create(join(root, 'out', 'tally.duckdb'));
    const connection = await instance.connect();
    try {
      const indicators = loadConfig().report.indicators;
      expect(indicators).toHaveLength(20);
      // A sum over amounts that are not whole: added up by the query, never by JavaScript.
      const halves = { ...(indicators.find((i) => i.code === 'service.consultations') as IndicatorDef) };
      halves.sql = `select * replace (amount / 2.0 as amount) from (${halves.sql.replace(/;\s*$/, '')})`;
      // Sheets without a column the figure reads: here every even row's 类别 and 日期 have no cell.
      const lacking = { ...(indicators.find((i) => i.code === 'publicity.events') as IndicatorDef) };
      lacking.sql = `select * replace (list_transform(cells, lambda c: {'field': c.field, 'value': c.value, 'cell': case when row_no % 2 = 0 then null else c.cell end}) as cells)
        from (${lacking.sql.replace(/;\s*$/, '')})`;
      for (const ind of [...indicators, halves, lacking]) {
        const sql = (await connection.runAndReadAll(rollupSql(ind.sql), /\$year\b/.test(ind.sql) ? { year: 2020 } : {})).getRowObjectsJS()[0];
        const figure = { value: Number(sql?.['value']), total: Number(sql?.['n']) };
        const whole = await traceIndicator(connection, ind, 2020);
        // Every row at hand (no limit, or one above the rows), and a sample cut by a limit.
        for (const limit of [undefined, 10_000, 3]) {
          const traced = await traceIndicator(connection, ind, 2020, limit === undefined ? {} : { limit });
          expect({ value: traced.value, total: traced.total }, `${ind.code} limit ${limit}`).toEqual(figure);
          expect(traced.absent, `${ind.code} limit ${limit}`).toEqual(whole.absent);
        }
      }
      const absent = (await traceIndicator(connection, lacking, 2020, { limit: 3 })).absent;
      expect(absent.length).toBeGreaterThan(1);
      expect(absent.every((a) => a.ledger === 'publicity' && a.fields.length > 0)).toBe(true);
      expect((await traceIndicator(connection, halves, 2020)).rows.some((r) => r.counted && !Number.isInteger(r.amount))).toBe(true);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it('refuses an indicator SQL that is not a trace query, naming its file', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const legacy = { code: 'x.legacy', sql: 'select 3 as value', sqlFile: 'sql/indicators/x.legacy.sql' } as unknown as IndicatorDef;
    await connection.run('create table sheet_reads (file_version_id bigint, sheet varchar, sheet_index integer)');
    await expect(traceIndicator(connection, legacy, 2020)).rejects.toThrow(ConfigError);
    await expect(traceIndicator(connection, legacy, 2020)).rejects.toThrow(/x\.legacy\.sql.*counted/);
    connection.closeSync();
    instance.closeSync();
  });
});
