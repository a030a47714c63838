-- 全国民主法治示范村（个）: national honours of that title granted in the year.
select count(*) as value
from honors
where level = '全国'
  and title like '%民主法治示范村%'
  and year(awarded_on) = $year
