-- 领导干部会前学法（次）
select count(*) as value
from study
where category = '会前学法'
  and year(held_on) = $year
