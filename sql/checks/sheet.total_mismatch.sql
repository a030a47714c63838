-- sheet.total_mismatch (错误): a sheet's own 合计 row differs from the sum of its rows, or its
-- stated count from the number of its rows.
with counts as (
  select ledger, file_version_id, sheet, count(*) as n
  from ledger_rows group by all
), sums as (
  select ledger, field, file_version_id, sheet, sum(value) as s
  from ledger_numbers group by all
)
select v.department, v.path as file, t.sheet, t.cell, t.ledger,
       case when t.field is null
         then '合计行写的是 ' || cast(t.stated as bigint) || ' 条，但本表实际有 ' || coalesce(c.n, 0) || ' 条记录。请核对合计行或补全记录。'
         else '合计行“' || f.header || '”写的是 ' || num_text(t.stated) || '，但各行相加是 ' || num_text(coalesce(s.s, 0)) || '。请改正合计数或各行数字。'
       end as message,
       case when t.field is null then cast(coalesce(c.n, 0) as varchar) else num_text(coalesce(s.s, 0)) end as expected,
       case when t.field is null then cast(cast(t.stated as bigint) as varchar) else num_text(t.stated) end as actual
from sheet_totals t
join file_versions v on v.id = t.file_version_id and v.current
left join counts c on c.ledger = t.ledger and c.file_version_id = t.file_version_id and c.sheet = t.sheet
left join sums s on s.ledger = t.ledger and s.field = t.field and s.file_version_id = t.file_version_id and s.sheet = t.sheet
left join field_catalog f on f.ledger = t.ledger and f.field = t.field
where (t.field is null and t.stated <> coalesce(c.n, 0))
   or (t.field is not null and abs(t.stated - coalesce(s.s, 0)) > 0.005)
order by v.department, v.path, t.sheet, t.cell
