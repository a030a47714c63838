-- 开展普法活动（场）: every row of every department's 普法活动台账 whose 活动日期 falls in the
-- reporting year.
with judged as (
  select *,
         case
           when held_on is null then '活动日期为空或无法识别'
           when year(held_on) <> $year then '不在' || $year || '年度内'
         end as reason
  from publicity
)
select 'publicity' as ledger, department, file, file_version_id, file_version, sheet, row_no,
       reason is null as counted,
       1 as amount,
       reason,
       [{'field': '活动日期', 'value': cast(held_on as varchar), 'cell': held_on__cell},
        {'field': '活动名称', 'value': activity, 'cell': activity__cell}] as cells
from judged
