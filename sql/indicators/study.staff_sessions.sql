-- 机关干部学法活动（次）
select count(*) as value
from study
where category = '机关干部学法'
  and year(held_on) = $year
