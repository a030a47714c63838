-- row.duplicate (警告): two identical data rows (every field but 序号 equal) in one ledger of a
-- department. Keyed ledgers are left to row.duplicate_key.
with rows as (
  select r.*,
         row_number() over (partition by r.ledger, r.department, r.fingerprint order by r.file, r.sheet, r.row_no) as n,
         first_value(r.file || ' ' || r.sheet || ' 第' || r.row_no || '行')
           over (partition by r.ledger, r.department, r.fingerprint order by r.file, r.sheet, r.row_no) as first_at
  from ledger_rows r
  where r.key_norm is null
)
select department, file, sheet, cast(row_no as varchar) as cell, ledger,
       '此行与 ' || first_at || ' 完全相同，可能重复登记（会被重复计数）。如确是两件事，请在内容上加以区分；否则请删除一行。' as message,
       null as expected, null as actual
from rows
where n > 1
order by department, file, sheet, row_no
