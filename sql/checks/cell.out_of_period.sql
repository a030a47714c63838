-- cell.out_of_period (警告): a row whose period date is outside the reporting year is left out
-- of the figures. It points at the date cell that decided it.
select r.department, r.file, r.sheet, r.period_cell as cell, r.ledger,
       '日期 ' || strftime(r.period_date, '%Y-%m-%d') || ' 不在 ' || $year || ' 年度内，此行不计入' || $year
         || '年的统计。如果日期填错了，请改正；如果确属其他年度，可以删除此行。' as message,
       $year || '年内的日期' as expected,
       strftime(r.period_date, '%Y-%m-%d') as actual
from ledger_rows r
where r.period_date is not null
  and year(r.period_date) <> $year
order by r.department, r.file, r.sheet, r.row_no
