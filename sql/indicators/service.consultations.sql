-- 法律咨询（人次）: the sum of 人次 of 法律咨询 services in the year.
select coalesce(sum(visits), 0) as value
from legal_service
where category = '法律咨询'
  and year(served_on) = $year
