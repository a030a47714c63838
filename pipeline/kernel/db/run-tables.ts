/**
 * The tables each run fills for the checks to join (not migrated: rebuilt every run): the
 * roster's departments, the pack's bounds, and the run's figures. A pack's SQL may read them, so
 * `tally pack check` creates them empty before preparing that SQL.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { LedgerDef } from '../../../sheets/ledger-catalog.ts';
import { dataTableName, sheetTableName } from './ledger-tables.ts';

export const RUN_TABLES = {
  departments: 'code varchar, name varchar',
  indicator_bounds: 'figure varchar, at_most varchar, message varchar, ledger varchar',
  /** Indicators and derived figures of the run (`written`: exact, approx, percent, over). */
  run_indicators: 'code varchar, name varchar, written varchar, value double',
  /** Pairs of current files sharing most rows of a ledger (see {@link refreshOverlaps}). */
  file_overlaps: 'ledger varchar, department varchar, file_a varchar, file_b varchar, shared hugeint, rows_a bigint, rows_b bigint',
  /**
   * Pairs of current sheets of one department sharing most rows of a ledger (see
   * {@link refreshOverlaps}): sheet b repeats sheet a (b is the larger, or the later of two
   * of a size); `place_a` is sheet a's place in its workbook (tab order), to name the sheets a
   * sheet repeats in order.
   */
  sheet_overlaps:
    'ledger varchar, department varchar, file_a varchar, sheet_a varchar, place_a bigint, rows_a bigint, file_b varchar, sheet_b varchar, rows_b bigint, shared hugeint',
  /**
   * Runs of rows pasted again within one sheet (see `refreshPastedBlocks` in pasted-blocks.ts), one per run:
   * rows `first_row`…`last_row` (`rows` data rows) repeat the block `source_first`…`source_last`
   * (`source_rows` data rows) `copies` times; `place` is the sheet's place in its workbook;
   * `first_place`…`last_place` are the run's places among the sheet's data rows (two runs one
   * after the other are one range to the clerk).
   */
  pasted_blocks:
    'ledger varchar, department varchar, file varchar, file_version_id bigint, sheet varchar, place bigint, source_first integer, source_last integer, source_rows bigint, first_row integer, last_row integer, first_place bigint, last_place bigint, rows bigint, copies bigint',
} as const;

export type RunTable = keyof typeof RUN_TABLES;

/** Creates (or empties) one run table. */
export async function resetRunTable(connection: DuckDBConnection, table: RunTable): Promise<void> {
  await connection.run(`create or replace table ${table} (${RUN_TABLES[table]})`);
}

/**
 * Stores this run's overlapping files and sheets (tables `file_overlaps` and `sheet_overlaps`,
 * read by dept.overlapping_files, sheet.overlapping_sheets, row.duplicate and
 * row.duplicate_key).
 *
 * - Two current **files** of one department overlap when they share most of their rows of a
 *   ledger (at least half of the smaller file, and at least 3): the classic 台账.xlsx +
 *   台账（修改）.xlsx. Pairs are ordered (file_a < file_b).
 * - Two current **sheets** of one department overlap by the same rule, sheet by sheet: a 全年
 *   sheet that copies 一季度…四季度, a sheet copied within its workbook. Two sheets of two files
 *   that overlap as files are left to the files' finding. Of a pair, sheet b repeats sheet a:
 *   b is the one with more rows (the 全年 sheet), or of two of a size the later one (by file,
 *   then tab order).
 *
 * Rows are identical when their fingerprints are (every field but 序号). One pass over every
 * row serves both: it keeps only the fingerprints found on two sheets or more (counting every
 * row of a district per sheet, 2,000,000 groups, then joining them held most of a gigabyte), per
 * sheet; the files' counts are those summed per file, and only those repeated rows are paired.
 * The pass groups by one 64-bit hash of (ledger, department, fingerprint), a sheet told by the
 * hash of (file version, sheet): on 2,000,000 rows that took a third of the time of grouping by
 * the columns themselves (a rare collision only adds a row to the kept ones, which are then
 * paired by their columns). The pass reads only the ledgers some department has on two sheets,
 * each through its own view; when there is none (one sheet per ledger) both tables are emptied
 * without it.
 */
export async function refreshOverlaps(connection: DuckDBConnection, ledgers: readonly Pick<LedgerDef, 'id'>[]): Promise<void> {
  const two = await twoOfOneLedger(connection, ledgers);
  if (two.sheets.length === 0) {
    await resetRunTable(connection, 'file_overlaps');
    await resetRunTable(connection, 'sheet_overlaps');
    return;
  }
  // Only the ledgers some department has on two sheets, each through its own view of current
  // rows, not the view of every ledger (ledger_rows): a town keeps one or two ledgers by month.
  const rows = two.sheets
    .map((l) => `select '${l.id}' as ledger, department, file, sheet, file_version_id, fingerprint from "${l.id}"`)
    .join('\nunion all\n');
  try {
    await connection.run(`create or replace temp table overlap_rows as
      with current_rows as (${rows}), on_two_sheets as (
        select hash(ledger, department, fingerprint) as k
        from current_rows group by k
        having min(hash(file_version_id, sheet)) <> max(hash(file_version_id, sheet))
      )
      select r.ledger, r.department, r.file, r.sheet, r.fingerprint, count(*) as n
      from current_rows r
      semi join on_two_sheets t on t.k = hash(r.ledger, r.department, r.fingerprint)
      group by all`);
    // Sheet sizes from the data tables (grouped by two integers), then named: not a second pass
    // through the ledgers' views.
    const counted = two.sheets
      .map((l) => `select '${l.id}' as ledger, file_version_id, sheet_no, count(*) as rows from "${dataTableName(l)}" group by all`)
      .join('\nunion all\n');
    const named = two.sheets.map((l) => `select '${l.id}' as ledger, file_version_id, sheet_no, sheet from "${sheetTableName(l)}"`).join('\nunion all\n');
    await connection.run(`create or replace temp table overlap_sheets as
      select c.ledger, v.department, v.path as file, s.sheet, c.rows,
             -- the sheet's place in its workbook (tab order)
             cast(c.sheet_no as bigint) as place
      from (${counted}) c
      join (${named}) s on s.ledger = c.ledger and s.file_version_id = c.file_version_id and s.sheet_no = c.sheet_no
      join file_versions v on v.id = c.file_version_id and v.current`);
    if (two.files) {
      await connection.run(`create or replace table file_overlaps as
        with in_two_files as (
          select ledger, department, fingerprint
          from overlap_rows group by all
          having min(file) <> max(file)
        ), per_file as (
          select o.ledger, o.department, o.file, o.fingerprint, sum(o.n) as n
          from overlap_rows o
          semi join in_two_files t on t.ledger = o.ledger and t.department = o.department and t.fingerprint = o.fingerprint
          group by all
        ), sizes as (
          select ledger, department, file, sum(rows) as rows from overlap_sheets group by all
        ), shared as (
          select a.ledger, a.department, a.file as file_a, b.file as file_b, sum(least(a.n, b.n)) as shared
          from per_file a join per_file b
            on a.ledger = b.ledger and a.department = b.department and a.fingerprint = b.fingerprint and a.file < b.file
          group by all
        )
        select s.ledger, s.department, s.file_a, s.file_b, cast(s.shared as hugeint) as shared,
               cast(sa.rows as bigint) as rows_a, cast(sb.rows as bigint) as rows_b
        from shared s
        join sizes sa on sa.ledger = s.ledger and sa.department = s.department and sa.file = s.file_a
        join sizes sb on sb.ledger = s.ledger and sb.department = s.department and sb.file = s.file_b
        where s.shared * 2 >= least(sa.rows, sb.rows) and s.shared >= 3`);
    } else {
      await resetRunTable(connection, 'file_overlaps');
    }
    await connection.run(`create or replace table sheet_overlaps as
      with shared as (
        select x.ledger, x.department, x.file as file_x, x.sheet as sheet_x, y.file as file_y, y.sheet as sheet_y,
               sum(least(x.n, y.n)) as shared
        from overlap_rows x join overlap_rows y
          on x.ledger = y.ledger and x.department = y.department and x.fingerprint = y.fingerprint
         and (x.file < y.file or (x.file = y.file and x.sheet < y.sheet))
        group by all
        having sum(least(x.n, y.n)) >= 3
      ), pairs as (
        select p.ledger, p.department, p.shared,
               x.file as file_x, x.sheet as sheet_x, x.rows as rows_x, x.place as place_x,
               y.file as file_y, y.sheet as sheet_y, y.rows as rows_y, y.place as place_y,
               y.rows > x.rows or (y.rows = x.rows and (y.file > x.file or (y.file = x.file and y.place > x.place))) as y_repeats
        from shared p
        join overlap_sheets x on x.ledger = p.ledger and x.department = p.department and x.file = p.file_x and x.sheet = p.sheet_x
        join overlap_sheets y on y.ledger = p.ledger and y.department = p.department and y.file = p.file_y and y.sheet = p.sheet_y
        where p.shared * 2 >= least(x.rows, y.rows)
          and not exists (select 1 from file_overlaps o
                          where o.ledger = p.ledger and o.department = p.department and o.file_a = p.file_x and o.file_b = p.file_y)
      )
      select ledger, department,
             case when y_repeats then file_x else file_y end as file_a,
             case when y_repeats then sheet_x else sheet_y end as sheet_a,
             case when y_repeats then place_x else place_y end as place_a,
             cast(case when y_repeats then rows_x else rows_y end as bigint) as rows_a,
             case when y_repeats then file_y else file_x end as file_b,
             case when y_repeats then sheet_y else sheet_x end as sheet_b,
             cast(case when y_repeats then rows_y else rows_x end as bigint) as rows_b,
             cast(shared as hugeint) as shared
      from pairs`);
  } finally {
    await connection.run('drop table if exists overlap_rows');
    await connection.run('drop table if exists overlap_sheets');
  }
}

/**
 * The ledgers of which some department has two current sheets with rows (`sheets`), and whether
 * some department has two current files of one ledger (`files`), from `sheet_reads` (one row per
 * sheet read, in one table: the sheet tables of every ledger joined took 2–4 times as long).
 */
async function twoOfOneLedger<L extends Pick<LedgerDef, 'id'>>(connection: DuckDBConnection, ledgers: readonly L[]): Promise<{ sheets: L[]; files: boolean }> {
  const found = await connection.runAndReadAll(
    `select s.ledger, min(v.path) <> max(v.path)
     from sheet_reads s join file_versions v on v.id = s.file_version_id
     where v.current and s.ledger is not null and s.rows > 0
     group by s.ledger, v.department
     having count(*) > 1`,
  );
  const rows = found.getRowsJS();
  const twice = new Set(rows.map(([ledger]) => String(ledger)));
  return { sheets: ledgers.filter((l) => twice.has(l.id)), files: rows.some(([, files]) => files === true) };
}

/** Creates the run tables that do not exist yet, leaving the others as they are. */
export async function ensureRunTables(connection: DuckDBConnection): Promise<void> {
  for (const [table, columns] of Object.entries(RUN_TABLES)) await connection.run(`create table if not exists ${table} (${columns})`);
}

/**
 * Defines, on this connection, `told_elsewhere(ledger, department, first_file, first_sheet, file,
 * sheet, file_version_id, row_no)`: whether another finding already tells a repeated row's
 * repetition (read by row.duplicate and row.duplicate_key), an old and a new copy of a ledger
 * (dept.overlapping_files), a sheet and its copy whichever comes first
 * (sheet.overlapping_sheets), or a block pasted again in its sheet (sheet.pasted_block). Its
 * run tables must be in place: DuckDB binds a macro's tables when it is made.
 */
export async function defineToldElsewhere(connection: DuckDBConnection): Promise<void> {
  await connection.run(`create or replace temp macro told_elsewhere(p_ledger, p_department, p_first_file, p_first_sheet, p_file, p_sheet, p_version, p_row) as
    exists (select 1 from file_overlaps o
            where o.ledger = p_ledger and o.department = p_department and o.file_a = p_first_file and o.file_b = p_file)
    or exists (select 1 from sheet_overlaps o
               where o.ledger = p_ledger and o.department = p_department
                 and ((o.file_a = p_first_file and o.sheet_a = p_first_sheet and o.file_b = p_file and o.sheet_b = p_sheet)
                   or (o.file_b = p_first_file and o.sheet_b = p_first_sheet and o.file_a = p_file and o.sheet_a = p_sheet)))
    or exists (select 1 from pasted_blocks b
               where b.file_version_id = p_version and b.sheet = p_sheet and p_row between b.first_row and b.last_row)`);
}
