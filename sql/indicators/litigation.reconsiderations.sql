-- 行政复议（件）: received (收案日期) in the year.
select count(*) as value
from litigation
where kind = '行政复议'
  and year(received_on) = $year
