-- 行政复议案件（件）: every row of the 行政复议诉讼案件台账; it counts (1 each) when 案件类型 is 行政复议
-- and the 收案日期 falls in the reporting year.
with judged as (
  select *,
         case
           when kind is null then '案件类型为空或无法识别'
           when kind <> '行政复议' then '案件类型为“' || kind || '”，不是行政复议'
           when received_on is null then '收案日期为空'
           when year(received_on) <> $year then '不在' || $year || '年度内'
         end as reason
  from admin_cases
)
select 'admin_cases' as ledger, department, file, file_version_id, file_version, sheet, row_no,
       reason is null as counted,
       1 as amount,
       reason,
       [{'field': '案号', 'value': case_no, 'cell': case_no__cell},
        {'field': '案件类型', 'value': kind, 'cell': kind__cell},
        {'field': '负责人出庭应诉', 'value': case when leader_appeared then '是' when not leader_appeared then '否' end, 'cell': leader_appeared__cell},
        {'field': '收案日期', 'value': cast(received_on as varchar), 'cell': received_on__cell}] as cells
from judged
