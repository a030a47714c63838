-- 法律援助业务咨询（人次）: the sum of 人次 of 法律援助咨询 in the year.
select coalesce(sum(visits), 0) as value
from legal_service
where category = '法律援助咨询'
  and year(served_on) = $year
