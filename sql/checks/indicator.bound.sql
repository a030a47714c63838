-- indicator.bound (错误): a figure exceeds what bounds it (leader appearances <= lawsuits).
-- The bounds come from the report definition (table indicator_bounds, filled per run).
select null as department, null as file, null as sheet, null as cell, b.ledger,
       b.message || '：' || a.name || ' ' || num_text(a.value) || '，' || m.name || ' ' || num_text(m.value) || '。请核对台账。' as message,
       '不超过 ' || num_text(m.value) as expected,
       num_text(a.value) as actual
from indicator_bounds b
join run_indicators a on a.code = b.figure
join run_indicators m on m.code = b.at_most
where a.value > m.value
