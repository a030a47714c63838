/**
 * `tally district`'s consolidation: the towns of one district and year, from what towns produce.
 *
 * DuckDB reads every town's export where it lies (`read_parquet(…, hive_partitioning = true)`
 * over `<inbox>/**​/<table>/year=*​/town=*​/*.parquet`): the heavy work — adding up every town's
 * traced rows to check them against its figures, sampling the rows behind each figure for 溯源,
 * counting findings and ledger rows — is SQL over the Parquet files, streamed, never held in JS.
 * What comes back is bounded by the roster: towns × figures, and a capped sample of rows.
 * A town without tally is read from `<inbox>/<town>/report-<year>.xlsx` (its 指标汇总).
 *
 * Figures are matched by indicator code. A town's figure is a number, 缺报 (its report has the
 * figure, not the value), 分母为0 (a rate whose denominator is 0 in the town: nothing happened),
 * 无此指标 (its pack lacks it) or 未报送 (the town sent nothing): never 0.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { DuckDBInstance } from '../kernel/db/duckdb-api.ts';
import type { DistrictConfig } from './district-config.ts';
import { DEFAULT_DISTRICT_RULES } from './district-config.ts';
import type { DistrictData, DistrictTraceRow, TownCell, TownLine, TraceExtent } from './district-data.ts';
import { derive, districtFigures, districtTotals, peerOutliers, rankTowns, worstStatus, yoyMoves, zeroDenominator, type FigureRow } from './district-figures.ts';
import { ZERO_DENOMINATOR } from '../../reports/narrative.ts';
import { readTableSql } from './parquet-layout.ts';
import { readTownWorkbook, type TownWorkbook } from './read-town-workbook.ts';

export interface ConsolidateOptions {
  /** Where the towns' exports (anywhere below) and workbooks (`<town>/report-<year>.xlsx`) are. */
  readonly inbox: string;
  readonly year: number;
  /** The district's configuration; without it the towns are those found. */
  readonly config?: DistrictConfig | undefined;
  /** District name when there is no configuration (else the towns' exports say it). */
  readonly district?: string;
  readonly now?: Date;
  /** Rows of 溯源 listed in all (the sample is spread over towns and figures); default 20,000. */
  readonly traceBudget?: number;
  /** DuckDB's memory limit (default 512MB: the city must fit in 1 GB with Node around it). */
  readonly memoryLimit?: string;
}

/** 溯源 samples from the first rows of each sheet (see the query). */
const SAMPLE_ROWS_PER_SHEET = 200;

/** Peers needed before a town can be "far from" them. */
const MIN_PEERS = 5;


export async function consolidate(opts: ConsolidateOptions): Promise<DistrictData> {
  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    memory_limit: opts.memoryLimit ?? '512MB',
    preserve_insertion_order: 'false',
  });
  const connection = await instance.connect();
  try {
    return await consolidateWith(connection, opts);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function rows(connection: DuckDBConnection, text: string): Promise<Record<string, unknown>[]> {
  return (await connection.runAndReadAll(text)).getRowObjectsJS() as Record<string, unknown>[];
}

async function hasTable(connection: DuckDBConnection, inbox: string, table: string): Promise<boolean> {
  const glob = join(inbox, '**', table, 'year=*', 'town=*', '*.parquet');
  const r = await rows(connection, `select count(*) as n from glob('${glob.replace(/'/g, "''")}')`);
  return Number(r[0]?.['n'] ?? 0) > 0;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
/** DuckDB's `cast(timestamp as varchar)` is UTC without a zone. */
const utc = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(`${String(v).replace(' ', 'T')}Z`));

async function consolidateWith(connection: DuckDBConnection, opts: ConsolidateOptions): Promise<DistrictData> {
  const { inbox, year } = opts;
  const started = Date.now();
  const config = opts.config;
  const rules = {
    yoyThreshold: config?.yoyThreshold ?? DEFAULT_DISTRICT_RULES.yoyThreshold,
    outlierScore: config?.outlierScore ?? DEFAULT_DISTRICT_RULES.outlierScore,
    minPeers: MIN_PEERS,
  };
  const present = async (t: string) => existsSync(inbox) && (await hasTable(connection, inbox, t));
  const read = (t: string) => readTableSql(inbox, t);

  // 1. The towns' own figures and their meta, this year and last (small: towns × figures).
  const figureRows: FigureRow[] = [];
  const meta = new Map<string, { reportedAt: Date | null; district: string | null; report: string | null; coordinator: string | null; email: string | null }>();
  if (await present('figures')) {
    for (const r of await rows(connection, `select town, year, seq, code, name, unit, kind, parts, value, status, previous from ${read('figures')} where year in (${year}, ${year - 1})`)) {
      figureRows.push({
        town: String(r['town']), year: Number(r['year']), seq: Number(r['seq']), code: String(r['code']), name: String(r['name']), unit: String(r['unit'] ?? ''),
        kind: String(r['kind'] ?? 'indicator'), parts: str(r['parts']), value: num(r['value']), status: str(r['status']), previous: num(r['previous']),
        // An export gives a rate's parts, from which the district tells a denominator of 0 itself.
        zeroDenominator: false,
      });
    }
  }
  if (await present('towns')) {
    for (const r of await rows(connection, `select town, district, report, coordinator, coordinator_email, cast(exported_at as varchar) as exported_at from ${read('towns')} where year = ${year}`)) {
      meta.set(String(r['town']), { reportedAt: utc(r['exported_at']), district: str(r['district']), report: str(r['report']), coordinator: str(r['coordinator']), email: str(r['coordinator_email']) });
    }
  }
  const exported = new Set(figureRows.filter((f) => f.year === year).map((f) => f.town));

  // 2. Towns without tally: their report workbook.
  const rosterNames = config?.towns.map((t) => t.name) ?? [];
  const folders = existsSync(inbox) ? (await readdir(inbox, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name) : [];
  const workbooks = new Map<string, TownWorkbook>();
  for (const town of new Set([...rosterNames, ...folders])) {
    if (exported.has(town)) continue;
    const path = join(inbox, town, `report-${year}.xlsx`);
    if (!existsSync(path)) continue;
    const wb = await readTownWorkbook(path);
    workbooks.set(town, wb);
    for (const f of wb.figures) {
      figureRows.push({
        town, year, seq: f.seq, code: f.code, name: f.name, unit: f.unit, kind: f.unit === '%' ? 'rate-without-parts' : 'indicator', parts: null,
        value: f.value, status: f.status, previous: f.previous, zeroDenominator: f.zeroDenominator, unreadable: f.unreadable,
      });
    }
  }

  // 3. Findings and ledger rows per town, and each town's traced sums (the heavy SQL).
  const findingCounts = new Map<string, { errors: number; warnings: number }>();
  if (await present('findings')) {
    for (const r of await rows(connection, `select town, count(*) filter (where level = '错误') as errors, count(*) filter (where level = '警告') as warnings from ${read('findings')} where year = ${year} group by town`)) {
      findingCounts.set(String(r['town']), { errors: Number(r['errors']), warnings: Number(r['warnings']) });
    }
  }
  const ledgerRows = new Map<string, number>();
  const ledgerTables = existsSync(inbox) ? await ledgerTablesUnder(connection, inbox) : [];
  if (ledgerTables.length > 0) {
    const union = ledgerTables.map((t) => `select town, count(*) as n from ${read(t)} where year = ${year} group by town`).join(' union all ');
    for (const r of await rows(connection, `select town, sum(n) as n from (${union}) group by town`)) ledgerRows.set(String(r['town']), Number(r['n']));
  }

  // 4. The towns: the roster's, then any other found, each with its status.
  const found = [...new Set([...exported, ...workbooks.keys()])].filter((t) => !rosterNames.includes(t)).sort((a, b) => a.localeCompare(b, 'zh-CN'));
  const townNames = [...rosterNames, ...found];
  const deadlineEnd = config?.deadline === undefined ? null : new Date(`${config.deadline}T23:59:59.999+08:00`);

  // 5. The figures of the district: every code some town has, the most common pack's order first.
  const current = figureRows.filter((f) => f.year === year);
  const figures = districtFigures(current, townNames.length);
  const previousPartition = new Map(figureRows.filter((f) => f.year === year - 1).map((f) => [`${f.town}\u0000${f.code}`, f.value]));

  const towns: TownLine[] = townNames.map((town) => {
    const mine = current.filter((f) => f.town === town);
    const source = exported.has(town) ? 'parquet' : workbooks.has(town) ? 'xlsx' : null;
    const m = meta.get(town);
    const wb = workbooks.get(town);
    const reportedAt = source === 'parquet' ? (m?.reportedAt ?? null) : (wb?.receivedAt ?? null);
    const counts = source === 'parquet' ? findingCounts.get(town) : wb;
    const rosterEntry = config?.towns.find((t) => t.name === town);
    const byCode = new Map(mine.map((f) => [f.code, f]));
    const cells = new Map<string, TownCell>();
    for (const fig of figures) {
      const f = byCode.get(fig.code);
      const prevKey = `${town}\u0000${fig.code}`;
      const previous = previousPartition.has(prevKey) ? (previousPartition.get(prevKey) ?? null) : (f?.previous ?? null);
      if (source === null) cells.set(fig.code, { state: '未报送', value: null, status: null, previous: null });
      else if (f === undefined) cells.set(fig.code, { state: '无此指标', value: null, status: null, previous: null });
      else if (f.unreadable !== null && f.unreadable !== undefined) cells.set(fig.code, { state: '无法读取', value: null, status: f.status, previous, text: f.unreadable });
      else cells.set(fig.code, { state: f.zeroDenominator ? ZERO_DENOMINATOR : 'value', value: f.value, status: f.status, previous });
    }
    // Derived figures: each town's own, from its own parts (a workbook's stated rate is kept when it has no parts).
    for (const fig of figures) {
      if (fig.kind !== 'ratio' && fig.kind !== 'sum') continue;
      const c = cells.get(fig.code);
      if (source === null) continue;
      const parts = fig.parts.map((p) => cells.get(p));
      const values = parts.map((p) => p?.value ?? null);
      const value = derive(fig, values);
      const previous = derive(fig, parts.map((p) => p?.previous ?? null));
      const status = worstStatus(parts.map((p) => p?.status ?? null));
      if (parts.every((p) => p?.state === '无此指标') && c?.state !== 'value') continue;
      // No 行政复议, no 复议纠错率: 分母为0, not 缺报.
      cells.set(fig.code, { state: zeroDenominator(fig, values) ? ZERO_DENOMINATOR : 'value', value, status, previous });
    }
    // No value: 缺报 when a ledger is missing (the town's 状态 says so, or says nothing), 无法统计
    // when the ledgers came and the town could not count them (its 状态 有错误): two different
    // things to ask the town for.
    for (const [code, c] of cells) if (c.state === 'value' && c.value === null) cells.set(code, { ...c, state: unknownState(c.status) });
    return {
      town,
      source,
      status: source === null ? '缺报' : deadlineEnd !== null && reportedAt !== null && reportedAt > deadlineEnd ? '逾期' : '已报',
      reportedAt,
      errors: counts?.errors ?? 0,
      warnings: counts?.warnings ?? 0,
      ledgerRows: ledgerRows.get(town) ?? 0,
      coordinator: rosterEntry?.coordinator ?? m?.coordinator ?? null,
      email: rosterEntry?.email ?? m?.email ?? null,
      report: m?.report ?? null,
      cells,
    };
  });

  const totals = districtTotals(figures, towns);
  const ranks = rankTowns(figures, towns);
  const anomalies = [...peerOutliers(figures, towns, rules), ...yoyMoves(figures, towns, rules)];

  // 6. 溯源: each town's traced sums checked against its figures, and a sample of the rows.
  let trace: DistrictTraceRow[] = [];
  let traceExtent: TraceExtent[] = [];
  if (await present('trace')) {
    const extents = await rows(
      connection,
      `select town, code, count(*) filter (where counted) as n, coalesce(sum(amount) filter (where counted), 0) as traced
       from ${read('trace')} where year = ${year} group by all`,
    );
    const known = new Set(figures.map((f) => f.code));
    const cellsPerTown = Math.max(1, extents.length);
    const perCell = Math.max(1, Math.min(50, Math.floor((opts.traceBudget ?? 20_000) / cellsPerTown)));
    const sample = await rows(
      connection,
      `select code, town, department, ledger, file, file_version, sheet, row_no, amount,
         array_to_string(list_transform(cells, c -> c.field || '=' || coalesce(c.value, '（空）') || coalesce('（' || c.cell || '）', '')), '；') as cells
       from ${read('trace')}
       -- A sample, not the list: rows near the top of their sheets only (a bounded set whatever the
       -- city's size), so the window below sorts thousands of rows, not every town's millions.
       where year = ${year} and counted and row_no <= ${SAMPLE_ROWS_PER_SHEET}
       qualify row_number() over (partition by town, code order by department, file, sheet, row_no) <= ${perCell}
       order by code, town, department, file, sheet, row_no`,
    );
    trace = sample.filter((r) => known.has(String(r['code']))).map((r) => ({
      code: String(r['code']), town: String(r['town']), department: String(r['department'] ?? ''), ledger: String(r['ledger'] ?? ''),
      file: String(r['file'] ?? ''), fileVersion: Number(r['file_version'] ?? 0), sheet: String(r['sheet'] ?? ''), rowNo: Number(r['row_no'] ?? 0),
      amount: Number(r['amount'] ?? 0), cells: String(r['cells'] ?? ''),
    }));
    const listed = new Map<string, number>();
    for (const t of trace) listed.set(`${t.town}\u0000${t.code}`, (listed.get(`${t.town}\u0000${t.code}`) ?? 0) + 1);
    traceExtent = extents.map((r) => ({
      town: String(r['town']), code: String(r['code']), rows: Number(r['n']), traced: Number(r['traced']),
      listed: listed.get(`${String(r['town'])}\u0000${String(r['code'])}`) ?? 0,
    }));
    // A town's figure must be the sum of its counted rows: an export that says otherwise was edited or cut.
    for (const e of traceExtent) {
      const cell = towns.find((t) => t.town === e.town)?.cells.get(e.code);
      if (cell?.state !== 'value' || cell.value === null || Math.abs(cell.value - e.traced) < 1e-6) continue;
      anomalies.push({
        kind: '导出不一致', town: e.town, code: e.code, value: cell.value, reference: e.traced, measure: null, flagged: true,
        note: `该街镇导出的数值 ${cell.value} 与其计入行数量之和 ${e.traced} 不符：导出文件可能被改动或不完整，请重新导出`,
      });
    }
  }

  return {
    district: config?.district ?? opts.district ?? [...meta.values()].find((m) => m.district)?.district ?? '',
    year,
    deadline: config?.deadline ?? null,
    generatedAt: opts.now ?? new Date(),
    figures,
    towns,
    totals,
    ranks,
    anomalies,
    trace,
    traceExtent,
    rules,
    coordinator: config?.coordinator ?? null,
    sqlMs: Date.now() - started,
  };
}

/** The ledger tables present under the inbox (`ledger_<id>` folders). */
async function ledgerTablesUnder(connection: DuckDBConnection, inbox: string): Promise<string[]> {
  const glob = join(inbox, '**', 'ledger_*', 'year=*', 'town=*', '*.parquet');
  const r = await rows(connection, `select distinct regexp_extract(file, '/(ledger_[a-z0-9_]+)/year=', 1) as t from glob('${glob.replace(/'/g, "''")}')`);
  return r.map((x) => String(x['t'])).filter((t) => t !== '').sort();
}

/** Why a town's figure has no value, from the town's own 状态 of it (see {@link TownCellState}). */
function unknownState(status: string | null): '缺报' | '无法统计' {
  return status === null || status === '' || status === '缺报' ? '缺报' : '无法统计';
}
