-- 审核行政处罚案件（件）: penalty cases whose 法制审核日期 falls in the year.
select count(*) as value
from penalty
where year(reviewed_on) = $year
