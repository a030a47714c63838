-- 公示执法信息（项）: rows of the 执法公示台账 whose 公示日期 falls in the reporting year.
select count(*) as value
from disclosure
where year(disclosed_on) = $year
