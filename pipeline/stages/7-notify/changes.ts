/**
 * What changed since a department was last told (issue 4, point 5): for each of its files, the
 * cells that changed, the rows added and removed (comparing the stored rows of the version its
 * last mail was about with the current version's), and which of its findings were fixed and
 * which are new (comparing with that run's findings in table `findings`).
 *
 * "Last told" is the last run whose mail to the department was sent (or written as .eml); a
 * department never mailed yet is compared with the previous run. So an upload checked by the
 * portal (a run without mail) still shows in the next mail. Each run records the file versions it
 * saw (`run_files`) to make this possible.
 */
import { sql, type Kysely } from 'kysely';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { LedgerCatalog } from '../../../sheets/ledger-catalog.ts';
import type { Database } from '../../kernel/db/schema.ts';
import type { Finding } from '../../kernel/findings/findings.ts';
import { FINDING_ORDER } from '../../kernel/findings/findings-store.ts';
import { diffVersions, versionRows, type CellChange, type RowChange } from './version-diff.ts';

export type { CellChange, RowChange } from './version-diff.ts';

export interface FileChange {
  readonly file: string;
  /** `new`: not there last time; `withdrawn`: gone from the inbox; `changed`: a new version. */
  readonly kind: 'new' | 'changed' | 'withdrawn';
  readonly fromVersion: number | null;
  readonly toVersion: number | null;
  /** Capped lists (see `totals` for the full counts). */
  readonly cells: readonly CellChange[];
  readonly added: readonly RowChange[];
  readonly removed: readonly RowChange[];
  readonly totals: { readonly cells: number; readonly added: number; readonly removed: number };
  /**
   * Set when the two versions hold too many rows to compare row by row in memory
   * ({@link DIFF_ROWS}): their row counts, and the lists and totals are empty.
   */
  readonly uncompared?: { readonly before: number; readonly after: number };
}

/** Rows of two versions of a file compared row by row at most (both together). */
export const DIFF_ROWS = 50_000;

export interface DepartmentChanges {
  readonly department: string;
  /** When the run the comparison is with started. */
  readonly since: Date;
  readonly files: readonly FileChange[];
  /** Capped lists (the first {@link ChangeLimits.findings}); `findingTotals` has the full counts. */
  readonly fixed: readonly Finding[];
  readonly appeared: readonly Finding[];
  readonly findingTotals: { readonly fixed: number; readonly appeared: number };
}

export interface ChangeLimits {
  /** Changed cells listed per file (default 20). */
  readonly cells: number;
  /** Added and removed rows listed per file, each (default 10). */
  readonly rows: number;
  /** Findings fixed and findings new, listed each (default 20). */
  readonly findings: number;
}

const DEFAULT_LIMITS: ChangeLimits = { cells: 20, rows: 10, findings: 20 };

/** Records the file versions current in this run: what its mail is about. */
export async function recordRunFiles(db: Kysely<Database>, runId: bigint): Promise<void> {
  // Inside DuckDB: the current versions (5,000 in a district) never come out to be sent back in.
  await sql`insert into run_files (run_id, file_version_id) select ${runId}, id from file_versions where current`.execute(db);
}

/**
 * The changes for each department that has something to say since its baseline run; departments
 * with no baseline (the first run) or nothing changed are left out. The queries cover every
 * department at once (a set of queries per department cost ~15 ms each: 2 s for a district's 120).
 */
export async function departmentChanges(
  db: Kysely<Database>,
  connection: DuckDBConnection,
  opts: { runId: bigint; departments: readonly string[]; catalog: LedgerCatalog; limits?: Partial<ChangeLimits> },
): Promise<Map<string, DepartmentChanges>> {
  const out = new Map<string, DepartmentChanges>();
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const baselines = await baselineRuns(db, opts.runId, opts.departments);
  if (baselines.size === 0) return out;
  const files = await fileChanges(db, connection, baselines, opts.catalog, limits);
  // Only departments whose findings differ from their baseline's are compared finding by finding.
  const differing = await findingsDiffer(connection, baselines, opts.runId);
  const compared = new Map([...baselines].filter(([department]) => differing.has(department)));
  const none = new Map<string, { listed: Finding[]; total: number }>();
  const fixed = compared.size === 0 ? none : await subtract(connection, compared, opts.runId, 'fixed', limits.findings);
  const appeared = compared.size === 0 ? none : await subtract(connection, compared, opts.runId, 'appeared', limits.findings);
  for (const department of opts.departments) {
    const baseline = baselines.get(department);
    if (baseline === undefined) continue;
    const changed = files.get(department) ?? [];
    const gone = fixed.get(department) ?? { listed: [], total: 0 };
    const came = appeared.get(department) ?? { listed: [], total: 0 };
    if (changed.length === 0 && gone.total === 0 && came.total === 0) continue;
    out.set(department, {
      department,
      since: baseline.startedAt,
      files: changed,
      fixed: gone.listed,
      appeared: came.listed,
      findingTotals: { fixed: gone.total, appeared: came.total },
    });
  }
  return out;
}

interface Baseline {
  readonly id: bigint;
  readonly startedAt: Date;
}

/** For each department: the last run whose mail to it went out, else the run before this one (with its files recorded). */
async function baselineRuns(db: Kysely<Database>, runId: bigint, departments: readonly string[]): Promise<Map<string, Baseline>> {
  const out = new Map<string, Baseline>();
  if (departments.length === 0) return out;
  const recorded = db.selectFrom('run_files').select('run_id');
  const mailed = await db
    .selectFrom('mail_outbox')
    .where('recipient', 'in', [...departments])
    .where('status', '=', 'sent')
    .where('run_id', '<', runId)
    .where('run_id', 'in', recorded)
    .groupBy('recipient')
    .select((eb) => ['recipient', eb.fn.max('run_id').as('id')])
    .execute();
  const lastMailed = new Map(mailed.map((m) => [m.recipient, m.id]));
  const previous = await db
    .selectFrom('runs')
    .where('status', '=', 'done')
    .where('id', '<', runId)
    .where('id', 'in', recorded)
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  const chosen = new Map<string, bigint>();
  for (const department of departments) {
    const id = lastMailed.get(department) ?? previous?.id ?? null;
    if (id !== null) chosen.set(department, id);
  }
  if (chosen.size === 0) return out;
  const runs = await db
    .selectFrom('runs')
    .where('id', 'in', [...new Set(chosen.values())])
    .select(['id', 'started_at'])
    .execute();
  const started = new Map(runs.map((r) => [r.id, r.started_at]));
  for (const [department, id] of chosen) {
    const startedAt = started.get(id);
    if (startedAt !== undefined) out.set(department, { id, startedAt });
  }
  return out;
}

interface Version {
  readonly id: bigint;
  readonly path: string;
  readonly version: number;
}

/** Each department's files new, withdrawn or changed (with their cells and rows) since its baseline run. */
async function fileChanges(
  db: Kysely<Database>,
  connection: DuckDBConnection,
  baselines: ReadonlyMap<string, Baseline>,
  catalog: LedgerCatalog,
  limits: ChangeLimits,
): Promise<Map<string, FileChange[]>> {
  const departments = [...baselines.keys()];
  const thenRows = await db
    .selectFrom('run_files as r')
    .innerJoin('file_versions as v', 'v.id', 'r.file_version_id')
    .where('r.run_id', 'in', [...new Set([...baselines.values()].map((b) => b.id))])
    .where('v.department', 'in', departments)
    .select(['r.run_id', 'v.department', 'v.id', 'v.path', 'v.version'])
    .execute();
  const nowRows = await db
    .selectFrom('file_versions')
    .where('current', '=', true)
    .where('department', 'in', departments)
    .select(['department', 'id', 'path', 'version'])
    .execute();
  const byDepartment = (rows: readonly (Version & { department: string | null })[]) => {
    const by = new Map<string, Map<string, Version>>();
    for (const r of rows) {
      if (r.department === null) continue;
      const paths = by.get(r.department) ?? new Map<string, Version>();
      paths.set(r.path, r);
      by.set(r.department, paths);
    }
    return by;
  };
  // Each department against the files of its own baseline run.
  const then = byDepartment(thenRows.filter((r) => r.department !== null && baselines.get(r.department)?.id === r.run_id));
  const now = byDepartment(nowRows);
  const out = new Map<string, FileChange[]>();
  for (const department of departments) {
    const before = then.get(department) ?? new Map<string, Version>();
    const after = now.get(department) ?? new Map<string, Version>();
    const paths = [...new Set([...before.keys(), ...after.keys()])].sort((a, b) => a.localeCompare(b));
    const changes: FileChange[] = [];
    for (const path of paths) {
      const old = before.get(path);
      const cur = after.get(path);
      if (old !== undefined && cur !== undefined && old.id === cur.id) continue;
      const empty = { cells: [], added: [], removed: [], totals: { cells: 0, added: 0, removed: 0 } };
      if (old === undefined && cur !== undefined) changes.push({ file: path, kind: 'new', fromVersion: null, toVersion: cur.version, ...empty });
      else if (old !== undefined && cur === undefined) changes.push({ file: path, kind: 'withdrawn', fromVersion: old.version, toVersion: null, ...empty });
      else if (old !== undefined && cur !== undefined) {
        const counted = await versionRows(db, old.id, cur.id);
        if (counted.before + counted.after > DIFF_ROWS) {
          changes.push({ file: path, kind: 'changed', fromVersion: old.version, toVersion: cur.version, ...empty, uncompared: counted });
          continue;
        }
        const diff = await diffVersions(db, connection, old.id, cur.id, catalog);
        changes.push({
          file: path,
          kind: 'changed',
          fromVersion: old.version,
          toVersion: cur.version,
          cells: diff.cells.slice(0, limits.cells),
          added: diff.added.slice(0, limits.rows),
          removed: diff.removed.slice(0, limits.rows),
          totals: { cells: diff.cells.length, added: diff.added.length, removed: diff.removed.length },
        });
      }
    }
    if (changes.length > 0) out.set(department, changes);
  }
  return out;
}

/** The pairs of departments and their baseline runs as a `values` list, with its parameters. */
function pairsValues(baselines: ReadonlyMap<string, Baseline>, params: Record<string, string | bigint | number>): string {
  return [...baselines]
    .map(([department, baseline], i) => {
      params[`d${i}`] = department;
      params[`b${i}`] = baseline.id;
      return `($d${i}::varchar, $b${i}::bigint)`;
    })
    .join(', ');
}

/**
 * The departments whose findings in this run are not those of their baseline run, compared as
 * multisets of what {@link subtract} matches on (rule, file, sheet, cell, ledger) by count and
 * sum of hashes: one aggregate, where the comparison itself numbers and anti-joins both runs'
 * findings twice over (~0.1 s of a district's rerun in which nothing had changed).
 */
async function findingsDiffer(connection: DuckDBConnection, baselines: ReadonlyMap<string, Baseline>, runId: bigint): Promise<Set<string>> {
  const params: Record<string, string | bigint | number> = { run: runId };
  const result = await connection.runAndReadAll(
    `with pairs(department, baseline) as (values ${pairsValues(baselines, params)})
     select p.department, (f.run_id = $run) as now,
       count(*) || ':' || sum(hash(f.code, f.file, f.sheet, f.cell, f.ledger)::hugeint) as digest
     from findings f join pairs p on f.department = p.department and (f.run_id = p.baseline or f.run_id = $run)
     group by all`,
    params,
  );
  const digests = new Map<string, { now?: string; then?: string }>();
  for (const [department, now, digest] of result.getRowsJS()) {
    const entry = digests.get(String(department)) ?? {};
    entry[now === true ? 'now' : 'then'] = String(digest);
    digests.set(String(department), entry);
  }
  return new Set([...digests].filter(([, d]) => d.now !== d.then).map(([department]) => department));
}

/**
 * For each department, the findings of one run that the other does not have (by rule, file,
 * sheet, cell and ledger; counted, as a multiset): `fixed`, its baseline's findings that this
 * run no longer has; `appeared`, this run's findings that its baseline did not have. The first
 * `limit` of them in reading order, and how many. Compared in the database, every department in
 * one query, since either run may hold hundreds of thousands.
 */
async function subtract(
  connection: DuckDBConnection,
  baselines: ReadonlyMap<string, Baseline>,
  runId: bigint,
  which: 'fixed' | 'appeared',
  limit: number,
): Promise<Map<string, { listed: Finding[]; total: number }>> {
  const params: Record<string, string | bigint | number> = { run: runId, limit };
  const [a, b] = which === 'fixed' ? ['p.baseline', '$run'] : ['$run', 'p.baseline'];
  const numbered = (run: string) => `select f.*, row_number() over (partition by f.department, f.code, f.file, f.sheet, f.cell, f.ledger order by f.seq) as k
    from findings f join pairs p on f.department = p.department and f.run_id = ${run}`;
  const same = ['department', 'code', 'file', 'sheet', 'cell', 'ledger', 'k'].map((c) => `a.${c} is not distinct from b.${c}`).join(' and ');
  const result = await connection.runAndReadAll(
    `with pairs(department, baseline) as (values ${pairsValues(baselines, params)}),
     missing as (select a.* from (${numbered(a)}) a anti join (${numbered(b)}) b on ${same})
     select level, code, department, file, sheet, cell, message, expected, actual, ledger,
       count(*) over (partition by department) as total,
       row_number() over (partition by department order by ${FINDING_ORDER}) as n
     from missing qualify n <= $limit order by department, n`,
    params,
  );
  const out = new Map<string, { listed: Finding[]; total: number }>();
  for (const { total, n: _n, ...finding } of result.getRowObjectsJS() as Record<string, unknown>[]) {
    const department = String(finding['department']);
    const entry = out.get(department) ?? { listed: [], total: Number(total) };
    entry.listed.push(finding as unknown as Finding);
    out.set(department, entry);
  }
  return out;
}
