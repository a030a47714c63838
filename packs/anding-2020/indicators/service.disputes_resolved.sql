-- 化解矛盾纠纷（件）: every row of the 人民调解台账; it counts (1 each) when 调解结果 is 调解成功
-- and its 结案日期 (else 受理日期) falls in the reporting year.
with judged as (
  select *,
         case
           when result is null then '调解结果为空或无法识别'
           when result <> '调解成功' then '调解结果为“' || result || '”，不是调解成功'
           when coalesce(closed_on, received_on) is null then '结案日期、受理日期均为空'
           when year(coalesce(closed_on, received_on)) <> $year then '不在' || $year || '年度内'
         end as reason
  from mediation
)
select 'mediation' as ledger, department, file, file_version_id, file_version, sheet, row_no,
       reason is null as counted,
       1 as amount,
       reason,
       [{'field': '调解结果', 'value': result, 'cell': result__cell},
        {'field': '结案日期', 'value': cast(closed_on as varchar), 'cell': closed_on__cell},
        {'field': '受理日期', 'value': cast(received_on as varchar), 'cell': received_on__cell}] as cells
from judged
