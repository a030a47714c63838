-- 具有法律职业资格的工作人员（人）: officers holding the qualification (one per name; no period).
select count(distinct key_norm) as value
from officers
where legal_qualified
