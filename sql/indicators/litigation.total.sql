-- 行政复议、诉讼案件（件）: reconsiderations plus lawsuits received (收案日期) in the year.
select count(*) as value
from litigation
where kind in ('行政复议', '行政诉讼')
  and year(received_on) = $year
