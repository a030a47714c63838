-- 办理行政处罚案件（件）: every row of the 行政处罚案件台账; it counts when the 决定日期 falls in the
-- reporting year, once per 处罚决定书文号 (a number entered twice counts once).
with numbered as (
  select *,
         row_number() over (partition by department, key_norm order by file, sheet, row_no) as n
  from enforcement_cases
), judged as (
  select *,
         case
           when decided_on is null then '决定日期为空或无法识别'
           when year(decided_on) <> $year then '不在' || $year || '年度内'
           when n > 1 then '重复：同一文号已计入一次'
         end as reason
  from numbered
)
select 'enforcement_cases' as ledger, department, file, file_version_id, file_version, sheet, row_no,
       reason is null as counted,
       1 as amount,
       reason,
       [{'field': '处罚决定书文号', 'value': case_no, 'cell': case_no__cell},
        {'field': '决定日期', 'value': cast(decided_on as varchar), 'cell': decided_on__cell}] as cells
from judged
