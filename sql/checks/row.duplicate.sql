-- row.duplicate (警告): two identical data rows (every field but 序号 equal) in one ledger of a
-- department. Keyed ledgers are left to row.duplicate_key.
-- Only the rows of a repeated fingerprint are ranked: ranking every row of a district (2,000,000)
-- held a gigabyte; the repeated ones are few, and their groups are found by an aggregate.
-- A cell tally could not read is null in the fingerprint, whatever it holds: two rows that differ
-- only there (日期 “2月” and “3月”) are told apart by the texts of those cells, as the readers
-- reported them (cell.type, cell.enum, cell.formula_error: the codes of a value left unread; a
-- cell counted with a note, cell.approximate or cell.unit_mismatch, is in the fingerprint as
-- counted), looked up for the repeated rows only.
-- The "first" of identical rows is the first in the file, in the workbook's tab order (the
-- sheet's place, sheet_reads.sheet_index), then row order: what the clerk sees first.
with repeated as (
  select ledger, department, fingerprint
  from ledger_rows
  where key_norm is null
  group by all
  having count(*) > 1
), candidates as (
  select r.department, r.file, r.sheet, r.row_no, r.ledger, r.fingerprint, r.file_version_id, s.sheet_index as place
  from ledger_rows r
  semi join repeated p on p.ledger = r.ledger and p.department = r.department and p.fingerprint = r.fingerprint
  join sheet_reads s on s.file_version_id = r.file_version_id and s.sheet = r.sheet and s.ledger = r.ledger
  where r.key_norm is null
), unread as (
  select f.file_version_id, f.sheet, f.row_no, string_agg(f.actual, chr(31) order by f.actual) as texts
  from (select file_version_id, sheet, cast(regexp_extract(cell, '[0-9]+$') as integer) as row_no, coalesce(actual, '') as actual
        from reader_findings
        where code in ('cell.type', 'cell.enum', 'cell.formula_error') and regexp_matches(cell, '^[A-Z]+[0-9]+$')) f
  semi join candidates c on c.file_version_id = f.file_version_id and c.sheet = f.sheet and c.row_no = f.row_no
  group by all
), rows as (
  select c.department, c.file, c.sheet, c.row_no, c.ledger, c.file_version_id,
         row_number() over w as n,
         first_value(c.file || ' ' || c.sheet || ' 第' || c.row_no || '行') over w as first_at,
         first_value(c.file) over w as first_file,
         first_value(c.sheet) over w as first_sheet
  from candidates c
  left join unread u on u.file_version_id = c.file_version_id and u.sheet = c.sheet and u.row_no = c.row_no
  window w as (partition by c.ledger, c.department, c.fingerprint, coalesce(u.texts, '') order by c.file, c.place, c.row_no)
)
select d.department, d.file, d.sheet, cast(d.row_no as varchar) as cell, d.ledger,
       '此行与 ' || first_at || ' 完全相同（序号除外），可能重复登记（会被重复计数）。如确是两件事，请在内容上加以区分；否则请删除一行。' as message,
       null as expected, null as actual
from rows d
where n > 1
  -- copies of a file, of a sheet, or of a block pasted again are one finding each, not one per
  -- row (told_elsewhere: run-tables.ts)
  and not told_elsewhere(d.ledger, d.department, d.first_file, d.first_sheet, d.file, d.sheet, d.file_version_id, d.row_no)
order by d.department, d.file, d.sheet, d.row_no
