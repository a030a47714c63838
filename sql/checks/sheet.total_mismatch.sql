-- sheet.total_mismatch (错误): a sheet's own 合计 row differs from the sum of its rows, or its
-- stated count from the number of its rows.
-- The sum is rounded to 15 significant digits, a cell's precision (as the figures are, see
-- pipeline/stages/5-rollup/sum-amounts.ts): 1200.1 + 2056.2 is 3256.3, not 3256.2999999999997.
-- A 合计 below the sum is most often Excel's SUM leaving out numbers stored as text (“1,200”,
-- '305), which tally reads: the message says so, and how to turn them into numbers.
with counts as (
  select ledger, file_version_id, sheet, count(*) as n
  from ledger_rows group by all
), sums as (
  select ledger, field, file_version_id, sheet,
         case when s is null or s = 0 or isinf(s) or isnan(s) then coalesce(s, 0)
              else round(s, cast(14 - floor(log10(abs(s))) as integer)) end as s
  from (select ledger, field, file_version_id, sheet, sum(value) as s from ledger_numbers group by all)
), compared as (
  select t.*, v.department, v.path, coalesce(c.n, 0) as n, coalesce(s.s, 0) as s, f.header,
         case when coalesce(s.s, 0) - t.stated = 0 then 0
              else round(coalesce(s.s, 0) - t.stated, cast(14 - floor(log10(abs(coalesce(s.s, 0) - t.stated))) as integer)) end as gap
  from sheet_totals t
  join file_versions v on v.id = t.file_version_id and v.current
  left join counts c on c.ledger = t.ledger and c.file_version_id = t.file_version_id and c.sheet = t.sheet
  left join sums s on s.ledger = t.ledger and s.field = t.field and s.file_version_id = t.file_version_id and s.sheet = t.sheet
  left join field_catalog f on f.ledger = t.ledger and f.field = t.field
)
select department, path as file, sheet, cell, ledger,
       case when field is null
         then '合计行写的是 ' || cast(stated as bigint) || ' 条，但本表实际有 ' || n || ' 条记录。请核对合计行或补全记录。'
         when gap > 0
         then '合计行“' || header || '”写的是 ' || num_text(stated) || '，但各行相加是 ' || num_text(s) || '，比合计多 ' || num_text(gap) || '。'
              || '如果合计是用 Excel 的 SUM 公式算的，常见的原因是这一列有以文本形式保存的数字（如“1,200”，单元格左上角常有绿色小三角）：'
              || 'Excel 的 SUM 不计入它们，tally 计入了。请选中这一列中的数字，点旁边出现的黄色感叹号，选“转换为数字”，合计会随之更新；'
              || '如果不是这个原因，请改正合计数或各行数字。'
         else '合计行“' || header || '”写的是 ' || num_text(stated) || '，但各行相加是 ' || num_text(s) || '，比合计少 ' || num_text(-gap) || '。请改正合计数或各行数字。'
       end as message,
       case when field is null then cast(n as varchar) else num_text(s) end as expected,
       case when field is null then cast(cast(stated as bigint) as varchar) else num_text(stated) end as actual
from compared
where (field is null and stated <> n)
   or (field is not null and abs(stated - s) > 0.005)
order by department, path, sheet, cell
