-- enforcer.cert_missing (错误, this pack's own check): 是否持证 is 是 but no 执法证号 is written.
-- Declared in pack.json with its level and message; the rows say where.
select department, file, sheet, coalesce(cert_no__cell, certified__cell) as cell, 'enforcers' as ledger,
       '执法证号' as expected, name as actual
from enforcers
where certified and (cert_no is null or trim(cert_no) = '')
order by department, file, sheet, row_no
