-- 持证执法人员（人）: every row of the 行政执法人员持证台账; a person counts when 是否持证 is 是
-- (once per 姓名).
with judged as (
  select *,
         row_number() over (partition by department, key_norm order by file, sheet, row_no) as n
  from enforcers
), reasoned as (
  select *,
         case
           when certified is null then '是否持证为空或无法识别'
           when not certified then '未持证'
           when n > 1 then '重复：同一姓名已计入一次'
         end as reason
  from judged
)
select 'enforcers' as ledger, department, file, file_version_id, file_version, sheet, row_no,
       reason is null as counted,
       1 as amount,
       reason,
       [{'field': '姓名', 'value': name, 'cell': name__cell},
        {'field': '是否持证', 'value': case when certified then '是' when not certified then '否' end, 'cell': certified__cell}] as cells
from reasoned
