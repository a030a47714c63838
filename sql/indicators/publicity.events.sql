-- 法治宣传活动（次）: publicity activities of all departments in the year.
select count(*) as value
from publicity
where year(held_on) = $year
