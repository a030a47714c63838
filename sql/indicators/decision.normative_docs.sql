-- 印发行政规范性文件（件）: documents whose 印发日期 falls in the year.
select count(*) as value
from normative_docs
where year(issued_on) = $year
