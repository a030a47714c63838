-- row.date_order (错误): dates out of order: 结案 before 受理/收案, 审核/决定 before 立案,
-- 审查 before 送审, 备案 before 印发. Points at the later-named date.
with pairs as (
  select 'mediation' as ledger, department, file, sheet, row_no, '结案日期' as late_name, closed_on as late, closed_on__cell as cell, '受理日期' as early_name, received_on as early from mediation
  union all
  select 'legal_aid', department, file, sheet, row_no, '结案日期', closed_on, closed_on__cell, '受理日期', received_on from legal_aid
  union all
  select 'litigation', department, file, sheet, row_no, '结案日期', closed_on, closed_on__cell, '收案日期', received_on from litigation
  union all
  select 'penalty', department, file, sheet, row_no, '法制审核日期', reviewed_on, reviewed_on__cell, '立案日期', filed_on from penalty
  union all
  select 'penalty', department, file, sheet, row_no, '决定日期', decided_on, decided_on__cell, '立案日期', filed_on from penalty
  union all
  select 'legality_review', department, file, sheet, row_no, '审查日期', reviewed_on, reviewed_on__cell, '送审日期', submitted_on from legality_review
  union all
  select 'normative_docs', department, file, sheet, row_no, '备案日期', filed_on, filed_on__cell, '印发日期', issued_on from normative_docs
)
select department, file, sheet, cell, ledger,
       late_name || '（' || strftime(late, '%Y-%m-%d') || '）早于' || early_name || '（' || strftime(early, '%Y-%m-%d')
         || '），日期顺序不对。请核对两个日期。' as message,
       '不早于' || early_name || ' ' || strftime(early, '%Y-%m-%d') as expected,
       strftime(late, '%Y-%m-%d') as actual
from pairs
where late < early
order by department, file, sheet, row_no
