-- indicator.self_reported_mismatch (错误): a figure a department claims in its 年度统计表
-- (by indicator code or 指标名称) differs from what the ledgers add up to. For an approx
-- figure, the rounded claim (280 for 283) is consistent.
with claims as (
  select s.*, i.code, i.name, i.value as actual, i.written
  from summary s
  join run_indicators i
    on lower(replace(s.indicator, ' ', '')) in (lower(i.code), replace(i.name, '、', ''), i.name)
), judged as (
  select *,
         case when actual >= 100
           then floor(actual / pow(10, floor(log10(actual)) - 1)) * pow(10, floor(log10(actual)) - 1)
           else actual end as rounded
  from claims
  where actual is not null
)
select department, file, sheet, value__cell as cell, 'summary' as ledger,
       '年度统计表中“' || name || '”填报为 ' || num_text(value) || '，但各台账合计为 ' || num_text(actual)
         || '。请核对统计表或相关台账。' as message,
       num_text(actual) as expected,
       num_text(value) as actual
from judged
where value <> actual
  and not (written = 'approx' and value = rounded)
order by department, file, sheet, row_no
