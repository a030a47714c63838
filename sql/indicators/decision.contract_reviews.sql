-- 合法性审查合同（份）: legality reviews of contracts completed (审查日期) in the year.
select count(*) as value
from legality_review
where category = '合同'
  and year(reviewed_on) = $year
