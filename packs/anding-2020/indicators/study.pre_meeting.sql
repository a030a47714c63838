-- 领导干部会前学法（次）: every row of the 学法活动台账; it counts (1 each) when 类别 is 会前学法 and the
-- 日期 falls in the reporting year.
with judged as (
  select *,
         case
           when category is null then '类别为空或无法识别'
           when category <> '会前学法' then '类别为“' || category || '”，不是会前学法'
           when held_on is null then '日期为空或无法识别'
           when year(held_on) <> $year then '不在' || $year || '年度内'
         end as reason
  from study
)
select 'study' as ledger, department, file, file_version_id, file_version, sheet, row_no,
       reason is null as counted,
       1 as amount,
       reason,
       [{'field': '类别', 'value': category, 'cell': category__cell},
        {'field': '日期', 'value': cast(held_on as varchar), 'cell': held_on__cell}] as cells
from judged
