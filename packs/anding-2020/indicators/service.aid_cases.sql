-- 法律援助（件）: every row of the 法律援助台账; it counts (1 each) when its 受理日期 falls in
-- the reporting year.
with judged as (
  select *,
         case
           when received_on is null then '受理日期为空或无法识别'
           when year(received_on) <> $year then '不在' || $year || '年度内'
         end as reason
  from legal_aid
)
select 'legal_aid' as ledger, department, file, file_version_id, file_version, sheet, row_no,
       reason is null as counted,
       1 as amount,
       reason,
       [{'field': '案件编号', 'value': case_no, 'cell': case_no__cell},
        {'field': '受理日期', 'value': cast(received_on as varchar), 'cell': received_on__cell}] as cells
from judged
