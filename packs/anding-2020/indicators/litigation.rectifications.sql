-- 整改意见、建议（件）: every row of the 行政复议应诉案件台账; it counts (1 each) when its
-- 整改意见建议 holds one (无, 暂无, /, — … mean none) and the 收案日期 falls in the year.
with judged as (
  select *,
         case
           when rectification is null then '无整改意见建议'
           when regexp_full_match(trim(rectification), '(无|暂无|没有|否|未收到|/|／|-+|—+|－+)')
             then '整改意见建议为“' || trim(rectification) || '”，即没有'
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
        {'field': '整改意见建议', 'value': rectification, 'cell': rectification__cell},
        {'field': '收案日期', 'value': cast(received_on as varchar), 'cell': received_on__cell}] as cells
from judged
