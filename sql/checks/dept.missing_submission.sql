-- dept.missing_submission (错误): a ledger owed by a department has not been submitted (no
-- sheet of its current files holds that ledger, not even an empty one).
select o.department, null as file, null as sheet, null as cell, o.ledger,
       '尚未报送《' || c.name || '》。请在截止日期前报送；如本年度没有此类工作，请报送只有表头的空表（表示为 0）。' as message,
       c.name as expected, '未报送' as actual
from obligations o
join ledger_catalog c on c.id = o.ledger
where not exists (
  select 1
  from sheet_reads s join file_versions v on v.id = s.file_version_id
  where v.current and v.department = o.department and s.ledger = o.ledger
)
order by o.department, o.ledger
