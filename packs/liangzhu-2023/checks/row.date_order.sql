-- row.date_order (错误, a contract code): dates out of order in this pack's ledgers: 结案 before
-- 收案/受理, 审核 before 送审, 决定 before 立案. Points at the later-named date.
with pairs as (
  select 'admin_cases' as ledger, department, file, sheet, row_no, '结案日期' as late_name, closed_on as late, closed_on__cell as cell, '收案日期' as early_name, received_on as early from admin_cases
  union all
  select 'disputes', department, file, sheet, row_no, '结案日期', closed_on, closed_on__cell, '受理日期', received_on from disputes
  union all
  select 'legal_review', department, file, sheet, row_no, '审核日期', reviewed_on, reviewed_on__cell, '送审日期', submitted_on from legal_review
  union all
  select 'enforcement_cases', department, file, sheet, row_no, '决定日期', decided_on, decided_on__cell, '立案日期', filed_on from enforcement_cases
)
select department, file, sheet, cell, ledger,
       late_name || '（' || strftime(late, '%Y-%m-%d') || '）早于' || early_name || '（' || strftime(early, '%Y-%m-%d')
         || '），日期顺序不对。请核对两个日期。' as message,
       '不早于' || early_name || ' ' || strftime(early, '%Y-%m-%d') as expected,
       strftime(late, '%Y-%m-%d') as actual
from pairs
where late < early
order by department, file, sheet, row_no
