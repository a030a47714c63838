-- enforcer.cert_expired (警告, this pack's own check): a person counted as 持证 whose 执法证
-- expired before the end of the reporting year.
select department, file, sheet, cert_until__cell as cell, 'enforcers' as ledger,
       '“' || name || '”的执法证有效期至 ' || strftime(cert_until, '%Y-%m-%d') || '，早于' || $year
         || '年底，但“是否持证”填了“是”。请核对证件是否已换发；如已过期，持证人数不应计入此人。' as message,
       $year || '-12-31 之后' as expected, strftime(cert_until, '%Y-%m-%d') as actual
from enforcers
where certified and cert_until is not null and cert_until < make_date($year, 12, 31)
order by department, file, sheet, row_no
