/**
 * A run's findings live in DuckDB (table `findings`), written as they are produced and read back
 * summarised: a department that pastes a block of rows twenty times can raise 300,000 findings,
 * and none of them is ever held in the JavaScript heap at once (issue 12).
 *
 * - {@link RunFindings} writes: small lists (intake, year over year) in batches, a check's rows
 *   with one `insert … select`, the reader findings and a reused run's row findings by copy.
 * - {@link findingsDigest} reads what people read: per file, sheet and rule the first
 *   {@link SHOWN_PER_GROUP} findings, then one line per group saying how many more and on which
 *   rows ({@link omittedLine}); counts by level, by department and ledger.
 * - {@link writeFindingsCsv} writes the complete list (DuckDB's COPY: streamed, never in JS).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { ConfigError } from '../config/config-error.ts';
import { usedParams } from '../sql-catalog.ts';
import type { Finding, FindingCode, FindingCount, Level, OmittedFindings } from './findings.ts';
export { levelTotals, omittedLine, type FindingCount, type OmittedFindings } from './findings.ts';

/** Findings shown per file, sheet and rule before the rest are summarised in one line. */
export const SHOWN_PER_GROUP = 20;
/** Findings shown per department (in its mail, on its portal page, in 问题清单). */
export const SHOWN_PER_DEPARTMENT = 2_000;

const COLUMNS = ['level', 'code', 'department', 'file', 'sheet', 'cell', 'message', 'expected', 'actual', 'ledger'] as const;
const TEXT_COLUMNS = ['department', 'file', 'sheet', 'cell', 'message', 'expected', 'actual', 'ledger'] as const;

/**
 * The row number of a finding's cell (`D7` → 7, `7` → 7), or of a range's first row (`D6:D7` → 6:
 * cell.merged_amount), else null.
 */
const ROW_OF = `try_cast(regexp_extract(cell, '^[A-Z]*([0-9]+)(:[A-Z]*[0-9]+)?$', 1) as bigint)`;

/**
 * The order people read findings in: 错误 before 警告, then department, file, sheet, row,
 * column and rule (the same order as the 问题清单 and the mail).
 */
export const FINDING_ORDER = `case level when '错误' then 0 else 1 end, coalesce(department, ''), coalesce(file, ''),
  coalesce(sheet, ''), coalesce(${ROW_OF}, -1), length(regexp_extract(coalesce(cell, ''), '^([A-Z]*)[0-9]+(:[A-Z]*[0-9]+)?$', 1)),
  coalesce(cell, ''), code, seq`;

/** Writes one run's findings as they come; `count` is how many so far. */
export class RunFindings {
  readonly runId: bigint;
  readonly #db: Kysely<Database>;
  readonly #connection: DuckDBConnection;
  #seq = 0;

  constructor(db: Kysely<Database>, connection: DuckDBConnection, runId: bigint) {
    this.#db = db;
    this.#connection = connection;
    this.runId = runId;
  }

  get count(): number {
    return this.#seq;
  }

  /** A list the code made (intake, year over year): bounded by the roster and the catalog. */
  async add(findings: Iterable<Finding>): Promise<void> {
    let batch: Finding[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const base = this.#seq;
      this.#seq += batch.length;
      await this.#db.insertInto('findings').values(batch.map((f, i) => ({ run_id: this.runId, seq: base + i, ...pick(f) }))).execute();
      batch = [];
    };
    for (const f of findings) {
      batch.push(f);
      if (batch.length >= 500) await flush();
    }
    await flush();
  }

  /**
   * Runs one check of the catalog and stores its rows as findings of its code, inside DuckDB.
   * A check may leave out columns it has nothing for (they are null); `message` defaults to the
   * check's declared message (a pack's own check), else to the code.
   */
  async addCheck(
    check: { readonly code: FindingCode; readonly level: Level; readonly message?: string | null; readonly sql: string; readonly file: string },
    params: Readonly<Record<string, string | number>>,
  ): Promise<number> {
    const used = usedParams(check.sql, params);
    const body = check.sql.trim().replace(/;\s*$/, '');
    try {
      // Its rows straight into the findings, in one statement: the columns it leaves out come
      // from an empty row of nulls joined to it by name (planning the check a second time, with
      // `limit 0` for its columns, was ~100 ms of a town's run).
      const absent = TEXT_COLUMNS.map((c) => `null as "${c}"`).join(', ');
      const inserted = await this.#connection.run(
        `insert into findings (run_id, seq, ${COLUMNS.join(', ')})
         select $run, $base + row_number() over () - 1, $level, $code, ${TEXT_COLUMNS.map((c) => (c === 'message'
           ? `coalesce(cast("message" as varchar), $message)`
           : `cast("${c}" as varchar)`)).join(', ')}
         from (select ${absent} where false union all by name (\n${body}\n)) as check_out`,
        { ...used, run: this.runId, base: this.#seq, level: check.level, code: check.code, message: check.message ?? check.code },
      );
      const n = Number(inserted.rowsChanged);
      this.#seq += n;
      return n;
    } catch (cause) {
      throw new ConfigError(`${check.file}: 检查规则 SQL 执行失败：${(cause as Error).message}`, { cause });
    }
  }

  /** The reader findings of every current file version (stored when each file was read). */
  async addReaderFindings(): Promise<void> {
    await this.#copy(
      `select ${COLUMNS.map((c) => `f.${c}`).join(', ')} from reader_findings f
       join file_versions v on v.id = f.file_version_id where v.current order by f.file, f.seq`,
      {},
    );
  }

  /** The findings of these codes from an earlier run (its row findings, when nothing they read changed). */
  async addFromRun(runId: bigint, codes: readonly string[]): Promise<void> {
    if (codes.length === 0) return;
    await this.#copy(
      `select ${COLUMNS.join(', ')} from findings where run_id = $from and list_contains(string_split($codes, ','), code) order by seq`,
      { from: runId, codes: codes.join(',') },
    );
  }

  async #copy(select: string, params: Record<string, string | number | bigint>): Promise<void> {
    const inserted = await this.#connection.run(
      `insert into findings (run_id, seq, ${COLUMNS.join(', ')})
       select $run, $base + row_number() over () - 1, ${COLUMNS.join(', ')} from (${select})`,
      { ...params, run: this.runId, base: this.#seq },
    );
    this.#seq += Number(inserted.rowsChanged);
  }
}

function pick(f: Finding): Finding {
  return {
    level: f.level,
    code: f.code,
    department: f.department,
    file: f.file,
    sheet: f.sheet,
    cell: f.cell,
    message: f.message,
    expected: f.expected,
    actual: f.actual,
    ledger: f.ledger,
  };
}

/** What people read of a run's findings: bounded whatever the department sent. */
export interface FindingsDigest {
  /** In reading order ({@link FINDING_ORDER}): at most {@link SHOWN_PER_GROUP} per file, sheet and rule. */
  readonly shown: readonly Finding[];
  /** The rest, one entry per file, sheet and rule. */
  readonly omitted: readonly OmittedFindings[];
  /** Every finding counted, by department, ledger and level. */
  readonly counts: readonly FindingCount[];
}

export const EMPTY_DIGEST: FindingsDigest = { shown: [], omitted: [], counts: [] };

/**
 * Reads a run's findings summarised (see {@link FindingsDigest}).
 *
 * @example
 * const digest = await findingsDigest(connection, runId);
 * digest.omitted.map(omittedLine); // ['同类问题另有 284,980 处（第 21–300,001 行）']
 */
export async function findingsDigest(connection: DuckDBConnection, runId: bigint, opts: { perGroup?: number; perDepartment?: number } = {}): Promise<FindingsDigest> {
  const perGroup = opts.perGroup ?? SHOWN_PER_GROUP;
  const perDepartment = opts.perDepartment ?? SHOWN_PER_DEPARTMENT;
  // Ranked on the columns the order reads only: the windows sort every finding of the run, and
  // with their messages a million of them (a flood: 1,000,000 unreadable dates) took 11 s and
  // most of DuckDB's memory, which the report stage's other queries needed at the same time
  // (bench/stress: unreadable-1m). The shown ones get their texts back by their seq.
  const ranked = `with g as (
      select seq, level, code, department, file, sheet, cell, ledger, ${ROW_OF} as row_number_of_cell,
        row_number() over (partition by department, file, sheet, code order by ${FINDING_ORDER}) as n_group
      from findings where run_id = $run),
    r as (select *, row_number() over (partition by department order by n_group > $per_group, ${FINDING_ORDER}) as n_department from g),
    s as (select *, n_group <= $per_group and n_department <= $per_department as shown from r)`;
  const params = { run: runId, per_group: perGroup, per_department: perDepartment };
  const shown = await connection.runAndReadAll(
    `${ranked} select ${COLUMNS.join(', ')} from findings
     where run_id = $run and seq in (select seq from s where shown) order by ${FINDING_ORDER}`,
    params,
  );
  const omitted = await connection.runAndReadAll(
    `${ranked} select level, code, department, file, sheet, any_value(ledger), count(*), min(row_number_of_cell), max(row_number_of_cell)
     from s where not shown group by level, code, department, file, sheet
     order by case level when '错误' then 0 else 1 end, coalesce(department, ''), coalesce(file, ''), coalesce(sheet, ''), code`,
    params,
  );
  const counts = await connection.runAndReadAll(
    `select department, ledger, level, count(*) from findings where run_id = $run group by all order by all`,
    { run: runId },
  );
  return {
    shown: shown.getRowsJS().map(findingOf),
    omitted: omitted.getRowsJS().map((r) => ({
      level: r[0] as Level,
      code: r[1] as FindingCode,
      department: text(r[2]),
      file: text(r[3]),
      sheet: text(r[4]),
      ledger: text(r[5]),
      count: Number(r[6]),
      firstRow: r[7] === null ? null : Number(r[7]),
      lastRow: r[8] === null ? null : Number(r[8]),
    })),
    counts: counts.getRowsJS().map((r) => ({ department: text(r[0]), ledger: text(r[1]), level: r[2] as Level, count: Number(r[3]) })),
  };
}

function findingOf(r: readonly unknown[]): Finding {
  return {
    level: r[0] as Level,
    code: r[1] as FindingCode,
    department: text(r[2]),
    file: text(r[3]),
    sheet: text(r[4]),
    cell: text(r[5]),
    message: text(r[6]) ?? '',
    expected: text(r[7]),
    actual: text(r[8]),
    ledger: text(r[9]),
  };
}

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/**
 * The findings of several files in one query (the run's findings scanned once, not once per
 * file): each file's first `limit` findings in reading order (the marked-up copies mark these).
 * Files without any are absent.
 */
export async function findingsOfFiles(connection: DuckDBConnection, runId: bigint, files: readonly string[], limit: number): Promise<Map<string, Finding[]>> {
  const out = new Map<string, Finding[]>();
  if (files.length === 0) return out;
  const params: Record<string, string | bigint | number> = { run: runId, limit };
  const list = files.map((f, i) => ((params[`f${i}`] = f), `$f${i}`)).join(', ');
  // Ranked on the columns the order reads, the texts fetched for the first `limit` only: a
  // window over every column of a file's million findings held them all (bench/stress).
  const rows = await connection.runAndReadAll(
    `select ${COLUMNS.join(', ')} from findings
     where run_id = $run and seq in (
       select seq from (select seq, row_number() over (partition by file order by ${FINDING_ORDER}) as n
                        from findings where run_id = $run and file in (${list}))
       where n <= $limit)
     order by file, ${FINDING_ORDER}`,
    params,
  );
  for (const row of rows.getRowsJS()) {
    const f = findingOf(row);
    const list = out.get(f.file ?? '') ?? [];
    list.push(f);
    out.set(f.file ?? '', list);
  }
  return out;
}

/**
 * A digest of each file's findings, for every file of the run in one streaming aggregate: their
 * count and the sum of their 64-bit hashes (a sum, not a xor: two identical findings do not
 * cancel out). A marked copy whose original and digest are unchanged is kept without its findings
 * being fetched. It covers all of a file's findings, not only the marked ones: any change remakes
 * the copy. (Ranking the findings to digest only the first few thousand held a million of them
 * in a sort: the stress case of 1,000,000 findings from one file went past 1 GB.)
 */
export async function findingDigests(connection: DuckDBConnection, runId: bigint): Promise<Map<string, string>> {
  const rows = await connection.runAndReadAll(
    `select file, count(*) || ':' || sum(hash(${COLUMNS.join(', ')})::hugeint) as digest
     from findings where run_id = $run and file is not null
     group by file`,
    { run: runId },
  );
  return new Map(rows.getRowsJS().map(([file, digest]) => [String(file), String(digest)]));
}

export const CSV_HEADER = ['级别', '规则编码', '部门', '文件', '工作表', '单元格', '说明', '应为', '实为', '台账'] as const;

/**
 * Writes the complete list of a run's findings (or one department's) as CSV, in reading order,
 * with a byte-order mark so that Excel opens it as UTF-8. Cells that a spreadsheet would take
 * for a formula are quoted with a leading apostrophe. Returns the rows written and the size.
 */
export async function writeFindingsCsv(
  connection: DuckDBConnection,
  runId: bigint,
  path: string,
  department?: string,
): Promise<{ rows: number; bytes: number }> {
  const scratch = `${path}.${process.pid}.tmp`;
  const safe = (c: string) => `case when regexp_matches(coalesce(${c}, ''), '^[=+\\-@\\t\\r]') then '''' || ${c} else ${c} end`;
  // COPY takes no parameters in its query: the run id is a bigint we made, and the department
  // code goes through a one-row table filled with a parameter, never into the text.
  const where = department === undefined ? '' : 'and department = (select department from csv_department)';
  const select = `select level as "${CSV_HEADER[0]}", code as "${CSV_HEADER[1]}", ${safe('department')} as "${CSV_HEADER[2]}",
      ${safe('file')} as "${CSV_HEADER[3]}", ${safe('sheet')} as "${CSV_HEADER[4]}", cell as "${CSV_HEADER[5]}",
      ${safe('message')} as "${CSV_HEADER[6]}", ${safe('expected')} as "${CSV_HEADER[7]}", ${safe('actual')} as "${CSV_HEADER[8]}",
      ledger as "${CSV_HEADER[9]}"
    from findings where run_id = ${String(runId)} ${where} order by ${FINDING_ORDER}`;
  try {
    if (department !== undefined) {
      await connection.run('create or replace temp table csv_department as select $department::varchar as department', { department });
    }
    const result = await connection.run(`copy (${select}) to '${scratch.replace(/'/g, "''")}' (header, delimiter ',', quote '"')`);
    const out = createWriteStream(path);
    out.write('\ufeff');
    await pipeline(createReadStream(scratch), out);
    const size = (await stat(path)).size;
    return { rows: Number(result.rowsChanged), bytes: size };
  } finally {
    await rm(scratch, { force: true });
    if (department !== undefined) await connection.run('drop table if exists csv_department');
  }
}
