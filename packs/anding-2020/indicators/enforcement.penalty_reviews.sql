-- 审核行政处罚案件（件）: every row of the 行政处罚案件台账; it counts (1 each) when its
-- 法制审核日期 falls in the reporting year.
with judged as (
  select *,
         case
           when reviewed_on is null then '法制审核日期为空'
           when year(reviewed_on) <> $year then '不在' || $year || '年度内'
         end as reason
  from penalty
)
select 'penalty' as ledger, department, file, file_version_id, file_version, sheet, row_no,
       reason is null as counted,
       1 as amount,
       reason,
       [{'field': '案件编号', 'value': case_no, 'cell': case_no__cell},
        {'field': '法制审核日期', 'value': cast(reviewed_on as varchar), 'cell': reviewed_on__cell}] as cells
from judged
