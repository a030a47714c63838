-- 法律咨询（人次）: every row of the 公共法律服务台账; it counts its 人次 when 服务类别 is
-- 法律咨询 and the 日期 falls in the reporting year.
with judged as (
  select *,
         case
           when category is null then '服务类别为空或无法识别'
           when category <> '法律咨询' then '服务类别为“' || category || '”，不是法律咨询'
           when served_on is null then '日期为空或无法识别'
           when year(served_on) <> $year then '不在' || $year || '年度内'
           when visits is null then '人次为空或无法识别'
         end as reason
  from legal_service
)
select 'legal_service' as ledger, department, file, file_version_id, file_version, sheet, row_no,
       reason is null as counted,
       coalesce(visits, 0) as amount,
       reason,
       [{'field': '服务类别', 'value': category, 'cell': category__cell},
        {'field': '日期', 'value': cast(served_on as varchar), 'cell': served_on__cell},
        {'field': '人次', 'value': cast(visits as varchar), 'cell': visits__cell}] as cells
from judged
