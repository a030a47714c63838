-- 整改意见、建议（件）: cases of the year whose 整改意见建议 holds one (无, /, — mean none).
select count(*) as value
from litigation
where year(received_on) = $year
  and rectification is not null
  and not regexp_full_match(trim(rectification), '(无|暂无|没有|否|未收到|/|／|-+|—+|－+)')
