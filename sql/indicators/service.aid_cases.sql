-- 法律援助（件）: legal-aid cases received (受理日期) in the year.
select count(*) as value
from legal_aid
where year(received_on) = $year
