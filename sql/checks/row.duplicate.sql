-- row.duplicate (警告): two identical data rows (every field but 序号 equal) in one ledger of a
-- department. Keyed ledgers are left to row.duplicate_key.
-- Only the rows of a repeated fingerprint are ranked: ranking every row of a district (2,000,000)
-- held a gigabyte; the repeated ones are few, and their groups are found by an aggregate.
with repeated as (
  select ledger, department, fingerprint
  from ledger_rows
  where key_norm is null
  group by all
  having count(*) > 1
), rows as (
  select r.department, r.file, r.sheet, r.row_no, r.ledger,
         row_number() over w as n,
         first_value(r.file || ' ' || r.sheet || ' 第' || r.row_no || '行') over w as first_at,
         first_value(r.file) over w as first_file,
         first_value(r.sheet) over w as first_sheet
  from ledger_rows r
  semi join repeated p on p.ledger = r.ledger and p.department = r.department and p.fingerprint = r.fingerprint
  where r.key_norm is null
  window w as (partition by r.ledger, r.department, r.fingerprint order by r.file, r.sheet, r.row_no)
)
select d.department, d.file, d.sheet, cast(d.row_no as varchar) as cell, d.ledger,
       '此行与 ' || first_at || ' 完全相同，可能重复登记（会被重复计数）。如确是两件事，请在内容上加以区分；否则请删除一行。' as message,
       null as expected, null as actual
from rows d
where n > 1
  -- an old and a new copy of the same ledger are one finding (dept.overlapping_files), not one per row
  and not exists (select 1 from file_overlaps o
                  where o.ledger = d.ledger and o.department = d.department and o.file_a = d.first_file and o.file_b = d.file)
  -- and so are a sheet and its copy (sheet.overlapping_sheets), whichever of the two comes first
  and not exists (select 1 from sheet_overlaps o
                  where o.ledger = d.ledger and o.department = d.department
                    and o.file_a = d.first_file and o.sheet_a = d.first_sheet and o.file_b = d.file and o.sheet_b = d.sheet)
  and not exists (select 1 from sheet_overlaps o
                  where o.ledger = d.ledger and o.department = d.department
                    and o.file_b = d.first_file and o.sheet_b = d.first_sheet and o.file_a = d.file and o.sheet_a = d.sheet)
order by d.department, d.file, d.sheet, d.row_no
