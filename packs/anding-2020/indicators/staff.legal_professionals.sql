-- 具有法律职业资格的工作人员（人）: every row of the 执法人员台账; one person counts once (the
-- first row of a name, by file, sheet and row) when 法律职业资格 is 是. No period: it is a state.
with judged as (
  select *,
         case
           when legal_qualified is null then '法律职业资格为空或无法识别'
           when not legal_qualified then '不具有法律职业资格'
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
        {'field': '法律职业资格', 'value': case when legal_qualified then '是' when not legal_qualified then '否' end, 'cell': legal_qualified__cell}] as cells
from decided
