-- 印发行政规范性文件（件）: every row of the 规范性文件台账; it counts (1 each) when its
-- 印发日期 falls in the reporting year.
with judged as (
  select *,
         case
           when issued_on is null then '印发日期为空或无法识别'
           when year(issued_on) <> $year then '不在' || $year || '年度内'
         end as reason
  from normative_docs
)
select 'normative_docs' as ledger, department, file, file_version_id, file_version, sheet, row_no,
       reason is null as counted,
       1 as amount,
       reason,
       [{'field': '文号', 'value': doc_no, 'cell': doc_no__cell},
        {'field': '印发日期', 'value': cast(issued_on as varchar), 'cell': issued_on__cell}] as cells
from judged
