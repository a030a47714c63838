-- 全国民主法治示范村（个）: every row of the 法治创建台账; it counts (1 each) when 级别 is 全国,
-- the 称号 contains 民主法治示范村 and the 授予日期 falls in the reporting year.
with judged as (
  select *,
         case
           when level is null then '级别为空或无法识别'
           when level <> '全国' then '级别为“' || level || '”，不是全国'
           when title is null or title not like '%民主法治示范村%' then '称号不是民主法治示范村'
           when awarded_on is null then '授予日期为空或无法识别'
           when year(awarded_on) <> $year then '不在' || $year || '年度内'
         end as reason
  from honors
)
select 'honors' as ledger, department, file, file_version_id, file_version, sheet, row_no,
       reason is null as counted,
       1 as amount,
       reason,
       [{'field': '村居', 'value': village, 'cell': village__cell},
        {'field': '称号', 'value': title, 'cell': title__cell},
        {'field': '级别', 'value': level, 'cell': level__cell},
        {'field': '授予日期', 'value': cast(awarded_on as varchar), 'cell': awarded_on__cell}] as cells
from judged
