-- 化解矛盾纠纷（件）: mediations that succeeded, dated by 结案日期 (else 受理日期) in the year.
select count(*) as value
from mediation
where result = '调解成功'
  and year(coalesce(closed_on, received_on)) = $year
