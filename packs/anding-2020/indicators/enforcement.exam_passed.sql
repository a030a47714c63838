-- 通过执法资格考试（人）: every row of the 执法人员台账; one person counts once (the first row
-- of a name, by file, sheet and row) when 考试结果 is 通过 and the 资格考试日期 falls in the year.
with judged as (
  select *,
         case
           when exam_result is null then '考试结果为空或无法识别'
           when exam_result <> '通过' then '考试结果为“' || exam_result || '”'
           when exam_on is null then '资格考试日期为空'
           when year(exam_on) <> $year then '不在' || $year || '年度内'
           when key_norm is null then '姓名为空'
         end as excluded
  from officers
), ranked as (
  select *,
         row_number() over (partition by excluded is null, key_norm order by file, sheet, row_no) as nth
  from judged
), decided as (
  select *,
         coalesce(excluded, case when nth > 1 then '重复：同一姓名已计入一次' end) as reason
  from ranked
)
select 'officers' as ledger, department, file, file_version_id, file_version, sheet, row_no,
       reason is null as counted,
       1 as amount,
       reason,
       [{'field': '姓名', 'value': name, 'cell': name__cell},
        {'field': '考试结果', 'value': exam_result, 'cell': exam_result__cell},
        {'field': '资格考试日期', 'value': cast(exam_on as varchar), 'cell': exam_on__cell}] as cells
from decided
