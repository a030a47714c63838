-- 通过执法资格考试（人）: officers who passed, with the exam in the year (one per name).
select count(distinct key_norm) as value
from officers
where exam_result = '通过'
  and year(exam_on) = $year
