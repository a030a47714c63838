-- row.duplicate_key (错误): a key (案号, 案件编号, 文号, 姓名) appears twice in one ledger of a
-- department, across sheets and files too. Every occurrence after the first is reported,
-- pointing back at the first.
with keyed as (
  select r.*, c.name as ledger_name,
         row_number() over (partition by r.ledger, r.department, r.key_norm order by r.file, r.sheet, r.row_no) as n,
         first_value(r.file || ' ' || r.sheet || '!' || r.key_cell)
           over (partition by r.ledger, r.department, r.key_norm order by r.file, r.sheet, r.row_no) as first_at
  from ledger_rows r join ledger_catalog c on c.id = r.ledger
  where r.key_norm is not null and r.key_norm <> ''
)
select department, file, sheet, key_cell as cell, ledger,
       ledger_name || '中编号“' || key_value || '”重复出现，第一次在 ' || first_at
         || '。同一案件只能登记一次：请删除重复的行，或改正编号。' as message,
       '不重复的编号' as expected,
       key_value as actual
from keyed
where n > 1
order by department, file, sheet, row_no
