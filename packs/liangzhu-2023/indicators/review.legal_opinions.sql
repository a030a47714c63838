-- 出具法律意见书（份）: every row of the 合法性审核台账; it counts (1 each) when 审核类别 is 法律意见书
-- and the 审核日期 falls in the reporting year.
with judged as (
  select *,
         case
           when category is null then '审核类别为空或无法识别'
           when category <> '法律意见书' then '审核类别为“' || category || '”，不是法律意见书'
           when reviewed_on is null then '审核日期为空或无法识别'
           when year(reviewed_on) <> $year then '不在' || $year || '年度内'
         end as reason
  from legal_review
)
select 'legal_review' as ledger, department, file, file_version_id, file_version, sheet, row_no,
       reason is null as counted,
       1 as amount,
       reason,
       [{'field': '审核类别', 'value': category, 'cell': category__cell},
        {'field': '审核日期', 'value': cast(reviewed_on as varchar), 'cell': reviewed_on__cell}] as cells
from judged
