-- 提供法律意见（件）: legal opinions given (审查日期) in the year.
select count(*) as value
from legality_review
where category = '法律意见'
  and year(reviewed_on) = $year
