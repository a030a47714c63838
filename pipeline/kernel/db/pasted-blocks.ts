/**
 * Blocks of rows pasted again inside one sheet (run table `pasted_blocks`, read by
 * sheet.pasted_block, row.duplicate and row.duplicate_key): a clerk who pastes the same 7,500
 * mediations twenty times into one sheet counts each one twenty times. That is one 错误 on the
 * sheet, not 142,500 warnings, one per repeated row.
 *
 * A **pasted run** is a run of consecutive data rows of a sheet (in row order; blank, 小计 and
 * other rows that are not data are not rows here, so copies with a blank or a 小计 row between
 * them are one run) each equal to the row a fixed number of data rows above it (the offset),
 * every field but 序号 (the fingerprint of ledger-tables.ts) and the texts of the cells tally
 * could not read (as row.duplicate compares them). Its rows then equal an earlier run of the
 * sheet, row for row and in order: the copy of a block. Both the run and the block it copies
 * (its offset, or the whole run when shorter) are at least {@link MIN_BLOCK_ROWS} rows long.
 * Exact rows only: a copy with one cell edited breaks the run there (the edited row stays a
 * row of its own, and the rows after it a run of their own when 3 or more).
 *
 * How the runs are found, in DuckDB over a district's 2,000,000 rows:
 *
 * 1. The sheets with at least 3 rows whose fingerprint appeared earlier in the sheet, by one
 *    aggregate over every row (64-bit hashes, as the overlaps pass groups); a run holds 3 such
 *    rows at least, so only those sheets go further (most have none, or one or two).
 * 2. In those sheets, each row's place among the sheet's data rows (its row number when the
 *    sheet has no other rows between its data rows, as most have: no window to sort), and for
 *    a row seen before, how many data rows below its nearest earlier occurrence it lies (its
 *    distance).
 * 3. The rows seen before fall into islands of consecutive data rows. A copy's rows mostly share
 *    one distance (the block's length when pasted copy after copy; how far the copy lies from
 *    the one before otherwise), but a row whose fingerprint is twice in the block lies nearer
 *    its twin, and copies side by side may lie at two distances (the first from the block, the
 *    others from the copy before). So the island's most common distances
 *    ({@link OFFSETS_PER_ISLAND} of them, of at least {@link MIN_BLOCK_ROWS}) are its offsets,
 *    and each of its rows is compared with the row each offset above it. (The distance to the
 *    first occurrence, by an aggregate rather than a window, was cheaper, but a block pasted ten
 *    times after other rows then lay at ten distances.)
 * 4. Consecutive rows equal to the row one offset above them form a run (of 3 or more): an
 *    island all of whose rows are equal at one offset is one run as it stands (no window); the
 *    others are cut by one. Of two runs of two offsets that share rows, the longer stands (the
 *    other's rows stay row.duplicate).
 *
 * Timed by bench/pasted-blocks.ts on 2 cores shared with other work (load 5–7), beside
 * row.duplicate's own aggregate over the same rows: a district's 2,000,000 rows, 100 sheets with
 * a block pasted, 0.57–0.75 s (the aggregate 0.35–0.46 s); one sheet of 150,000 rows, a block
 * of 7,500 pasted 20 times, 0.27–0.39 s; 2,000,000 rows every sheet of which is a block pasted
 * 4 times, 1.9–2.2 s.
 *
 * A block copied into another sheet or file is left to sheet.overlapping_sheets and
 * dept.overlapping_files: runs are sought within one sheet only.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { resetRunTable } from './run-tables.ts';

/**
 * The fewest rows a pasted block has. Two identical rows, or one row filled down, happen in a
 * real ledger (two consultations in one village on one day, of the same 人次; two mediations
 * without the parties' names) and stay row.duplicate, a warning to confirm. Three consecutive
 * rows equal, in order, to three consecutive rows above them are a copy: a 公共法律服务台账 of
 * four columns repeats a single row often, a sequence of three seldom.
 */
export const MIN_BLOCK_ROWS = 3;

/**
 * How many offsets an island of repeated rows is tried at: the block pasted over and over is
 * one; copies of two or three blocks side by side are more. The rows of a fifth block pasted in
 * the same island stay row.duplicate (reported, never silent), and the work stays a few lookups
 * per repeated row.
 */
export const OFFSETS_PER_ISLAND = 4;

/**
 * Stores this run's pasted runs (table `pasted_blocks`, one row per run). When no sheet has
 * {@link MIN_BLOCK_ROWS} rows seen earlier in it, the table is emptied after the one aggregate.
 */
export async function refreshPastedBlocks(connection: DuckDBConnection): Promise<void> {
  try {
    // A sheet with columns tally does not read (咨询人, 备注: sheet_other_columns) is left out: its
    // rows may differ there, and nine consultations of a 集中服务日 going round three villages
    // (the same date, category and 人次, each with its own 咨询人) are no copy. Their rows stay
    // row.duplicate, a warning to confirm, as they always were.
    await connection.run(`create or replace temp table pasted_sheets as
      select s, sum(rows) = max(last_row) - min(first_row) + 1 as gapless
      from (
        select hash(l.ledger, l.file_version_id, l.sheet) as s, count(*) as rows, count(*) - 1 as again,
               min(l.row_no) as first_row, max(l.row_no) as last_row
        from ledger_rows l
        anti join (select r.file_version_id, r.sheet from sheet_other_columns o join sheet_reads r using (file_version_id, sheet_index)) x
          on x.file_version_id = l.file_version_id and x.sheet = l.sheet
        group by s, l.fingerprint)
      group by s
      having sum(again) >= $min`, { min: MIN_BLOCK_ROWS });
    const found = await connection.runAndReadAll('select count(*) from pasted_sheets');
    if (Number(found.getRows()[0]?.[0] ?? 0) === 0) {
      await resetRunTable(connection, 'pasted_blocks');
      return;
    }
    // Only narrow columns go through the windows (a sheet is its 64-bit hash `s`): carrying the
    // names through them cost 3–4 times as much on 1,500,000 pasted rows. The names come back at
    // the end from sheet_reads, one row per sheet.
    await connection.run(`create or replace table pasted_blocks as
      with sheets as (
        select hash(r.ledger, r.file_version_id, r.sheet) as s, r.ledger, v.department, v.path as file,
               r.file_version_id, r.sheet, cast(r.sheet_index as bigint) as place
        from sheet_reads r
        join file_versions v on v.id = r.file_version_id and v.current
        semi join pasted_sheets p on p.s = hash(r.ledger, r.file_version_id, r.sheet)
        where r.ledger is not null
      ), rows as materialized (
        -- each row's place among the sheet's data rows: its row number in a sheet without blank,
        -- 小计 or other rows between its data rows (no window to sort), else counted in order
        select r.s, r.row_no, r.fingerprint, r.row_no as p
        from (select hash(ledger, file_version_id, sheet) as s, row_no, fingerprint from ledger_rows) r
        semi join pasted_sheets c on c.s = r.s and c.gapless
        union all
        select r.s, r.row_no, r.fingerprint, row_number() over (partition by r.s order by r.row_no) as p
        from (select hash(ledger, file_version_id, sheet) as s, row_no, fingerprint from ledger_rows) r
        semi join pasted_sheets c on c.s = r.s and not c.gapless
      ), unread as (
        -- the texts of the cells tally could not read, which the fingerprint holds as null
        select s.s, f.row_no, string_agg(f.actual, chr(31) order by f.actual) as texts
        from (select file_version_id, sheet, cast(regexp_extract(cell, '[0-9]+$') as integer) as row_no, coalesce(actual, '') as actual
              from reader_findings
              where code in ('cell.type', 'cell.enum', 'cell.formula_error') and regexp_matches(cell, '^[A-Z]+[0-9]+$')) f
        join sheets s on s.file_version_id = f.file_version_id and s.sheet = f.sheet
        group by all
      ), seen as (
        -- each row seen earlier in the sheet: how many data rows below its nearest earlier
        -- occurrence it lies, and where its first occurrence is (the block a copy repeats)
        select s, p, row_no, fingerprint, p - lag(p) over w as distance, first_value(row_no) over w as first_row
        from rows
        window w as (partition by s, fingerprint order by p)
        qualify distance is not null
      ), islands as materialized (
        select *, p - row_number() over (partition by s order by p) as island from seen
      ), offsets as (
        select s, island, distance as offset_p
        from (select s, island, distance, count(*) as n from islands where distance >= $min group by all)
        qualify row_number() over (partition by s, island order by n desc, distance) <= $offsets
      ), tried as materialized (
        -- each repeated row and the place of the row each offset above it (materialized: joined
        -- to the rows on their fingerprint first, a block pasted 20 times met 20 rows per row)
        select i.s, i.island, i.p, i.row_no, i.fingerprint, i.first_row, o.offset_p, i.p - o.offset_p as above
        from islands i join offsets o using (s, island)
      ), matched as materialized (
        select t.s, t.island, t.p, t.row_no, t.first_row, t.offset_p
        from tried t
        join rows e on e.s = t.s and e.p = t.above
        left join unread ut on ut.s = t.s and ut.row_no = t.row_no
        left join unread ue on ue.s = e.s and ue.row_no = e.row_no
        where e.fingerprint = t.fingerprint and coalesce(ut.texts, '') = coalesce(ue.texts, '')
      ), whole as (
        -- an island every row of which equals the row one offset above it is a run as it is (a
        -- block pasted over and over): only the others are cut into runs by a window
        select m.s, m.island, m.offset_p
        from matched m join (select s, island, count(*) as n from islands group by all) i using (s, island)
        group by m.s, m.island, m.offset_p
        having count(*) = any_value(i.n)
      ), runs as (
        select s, offset_p, min(p) as first_p, max(p) as last_p, min(row_no) as first_row, max(row_no) as last_row,
               count(*) as rows, min(first_row) as source_first, max(first_row) as source_last
        from matched semi join whole using (s, island, offset_p)
        group by s, island, offset_p
        having count(*) >= $min
        union all
        select s, offset_p, min(p) as first_p, max(p) as last_p, min(row_no) as first_row, max(row_no) as last_row,
               count(*) as rows, min(first_row) as source_first, max(first_row) as source_last
        from (select *, p - row_number() over (partition by s, offset_p order by p) as run
              from matched anti join whole using (s, island, offset_p))
        group by s, offset_p, run
        having count(*) >= $min
      ), kept as (
        -- rows in runs of two offsets: the longer run stands, and the rows of the other outside
        -- it stay row.duplicate
        select * from runs r
        where not exists (select 1 from runs q
                          where q.s = r.s and q.first_p <= r.last_p and r.first_p <= q.last_p
                            and (q.rows > r.rows or (q.rows = r.rows and q.offset_p < r.offset_p)))
      )
      select h.ledger, h.department, h.file, h.file_version_id, h.sheet, h.place,
             cast(r.source_first as integer) as source_first, cast(r.source_last as integer) as source_last,
             -- the block copied: the offset's rows, or the whole run when it is shorter
             cast(least(r.rows, r.offset_p) as bigint) as source_rows,
             cast(r.first_row as integer) as first_row, cast(r.last_row as integer) as last_row,
             cast(r.first_p as bigint) as first_place, cast(r.last_p as bigint) as last_place,
             cast(r.rows as bigint) as rows,
             -- a run longer than its offset is the block pasted over and over, one copy after another
             cast(ceil(r.rows / r.offset_p) as bigint) as copies
      from kept r join sheets h using (s)`, { min: MIN_BLOCK_ROWS, offsets: OFFSETS_PER_ISLAND });
  } finally {
    await connection.run('drop table if exists pasted_sheets');
  }
}
