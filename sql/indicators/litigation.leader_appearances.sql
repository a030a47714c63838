-- 负责人出庭（次）: lawsuits received in the year in which the head of government appeared.
select count(*) as value
from litigation
where kind = '行政诉讼'
  and leader_appeared
  and year(received_on) = $year
