-- row.duplicate_key (错误): a key (案号, 案件编号, 文号, 姓名) appears twice in one ledger of a
-- department, across sheets and files too. Every occurrence after the first is reported,
-- pointing back at the first.
-- Only the rows of a repeated key are ranked (see row.duplicate): found by an aggregate first.
-- The first occurrence is the first in the file, in the workbook's tab order, then row order.
with repeated as (
  select ledger, department, key_norm
  from ledger_rows
  where key_norm is not null and key_norm <> ''
  group by all
  having count(*) > 1
), keyed as (
  select r.department, r.file, r.sheet, r.row_no, r.ledger, r.file_version_id, r.key_cell, r.key_value, c.name as ledger_name,
         row_number() over w as n,
         first_value(r.file || ' ' || r.sheet || '!' || r.key_cell) over w as first_at,
         first_value(r.file) over w as first_file,
         first_value(r.sheet) over w as first_sheet
  from ledger_rows r
  semi join repeated p on p.ledger = r.ledger and p.department = r.department and p.key_norm = r.key_norm
  join ledger_catalog c on c.id = r.ledger
  join sheet_reads s on s.file_version_id = r.file_version_id and s.sheet = r.sheet and s.ledger = r.ledger
  window w as (partition by r.ledger, r.department, r.key_norm order by r.file, s.sheet_index, r.row_no)
)
select k.department, k.file, k.sheet, k.key_cell as cell, k.ledger,
       ledger_name || '中编号“' || key_value || '”重复出现，第一次在 ' || first_at
         || '。同一案件只能登记一次：请删除重复的行，或改正编号。' as message,
       '不重复的编号' as expected,
       key_value as actual
from keyed k
where n > 1
  -- copies of a file, of a sheet, or of a block pasted again are one finding each, not one per
  -- row (told_elsewhere: run-tables.ts)
  and not told_elsewhere(k.ledger, k.department, k.first_file, k.first_sheet, k.file, k.sheet, k.file_version_id, k.row_no)
order by k.department, k.file, k.sheet, k.row_no
