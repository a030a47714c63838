-- publicity.cross_department_duplicate (警告): the same activity (date and name) reported by two
-- departments: counted twice? Each department is told, with the other's row.
with p as (
  select *, lower(regexp_replace(activity, '[\s　]', '', 'g')) as name_key
  from publicity
  where held_on is not null
)
select a.department, a.file, a.sheet, a.activity__cell as cell, 'publicity' as ledger,
       strftime(a.held_on, '%Y-%m-%d') || '“' || a.activity || '”也出现在' || coalesce(d.name, b.department) || '的台账（'
         || b.file || ' ' || b.sheet || '!' || b.activity__cell || '）。如果是同一场联合活动，请商定由一个部门登记，以免重复计数。' as message,
       null as expected, a.activity as actual
from p a join p b
  on a.held_on = b.held_on and a.name_key = b.name_key and a.department <> b.department
left join departments d on d.code = b.department
order by a.department, a.file, a.sheet, a.row_no
