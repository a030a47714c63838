-- 行政复议、诉讼案件（件）: every row of the 行政复议应诉案件台账; it counts (1 each) when 案件类别
-- is 行政复议 or 行政诉讼 and the 收案日期 falls in the reporting year.
with judged as (
  select *,
         case
           when kind is null then '案件类别为空或无法识别'
           when kind not in ('行政复议', '行政诉讼') then '案件类别为“' || kind || '”，不是行政复议或行政诉讼'
           when received_on is null then '收案日期为空'
           when year(received_on) <> $year then '不在' || $year || '年度内'
         end as reason
  from litigation
)
select 'litigation' as ledger, department, file, file_version_id, file_version, sheet, row_no,
       reason is null as counted,
       1 as amount,
       reason,
       [{'field': '案号', 'value': case_no, 'cell': case_no__cell},
        {'field': '案件类别', 'value': kind, 'cell': kind__cell},
        {'field': '收案日期', 'value': cast(received_on as varchar), 'cell': received_on__cell}] as cells
from judged
