-- 调解成功（件）: every row of the 矛盾纠纷调解台账 whose 受理日期 falls in the reporting year; it counts when 调解结果 is 成功.
with judged as (
  select *,
         case
           when received_on is null then '受理日期为空或无法识别'
           when year(received_on) <> $year then '不在' || $year || '年度内'
           when result is null then '调解结果为空或无法识别'
           when result <> '成功' then '调解结果为“' || result || '”，不是成功'
         end as reason
  from disputes
)
select 'disputes' as ledger, department, file, file_version_id, file_version, sheet, row_no,
       reason is null as counted,
       1 as amount,
       reason,
       [{'field': '受理日期', 'value': cast(received_on as varchar), 'cell': received_on__cell},
        {'field': '调解结果', 'value': result, 'cell': result__cell}] as cells
from judged
