-- 公示执法信息（项）: every row of the 执法公示台账 is a candidate; it counts (1 each) when its
-- 公示日期 falls in the reporting year. The figure is sum(amount) filter (where counted).
with judged as (
  select *,
         case
           when disclosed_on is null then '公示日期为空或无法识别'
           when year(disclosed_on) <> $year then '不在' || $year || '年度内'
         end as reason
  from disclosure
)
select 'disclosure' as ledger, department, file, file_version_id, file_version, sheet, row_no,
       reason is null as counted,
       1 as amount,
       reason,
       [{'field': '公示日期', 'value': cast(disclosed_on as varchar), 'cell': disclosed_on__cell},
        {'field': '公示类别', 'value': category, 'cell': category__cell}] as cells
from judged
