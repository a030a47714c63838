-- sheet.overlapping_sheets (错误, an extension of contract §4): a sheet that repeats most rows
-- of other sheets of its ledger in the department's files (at least half of the smaller sheet of
-- a pair, and at least 3 rows): a 全年 sheet copying 一季度…四季度, a sheet copied within its
-- workbook. Every shared row is counted twice. Reported once per sheet that repeats (table
-- sheet_overlaps: the larger of a pair, or the later of two of a size), naming every sheet it
-- repeats; the shared rows are then not reported one by one as row.duplicate / row.duplicate_key.
-- Two sheets of two files that overlap as files are dept.overlapping_files, not this.
with repeats as (
  select ledger, department, file_b, sheet_b, any_value(rows_b) as rows_b,
         -- a row the sheet shares with two of the others (they repeat each other too) is one row
         least(sum(shared), any_value(rows_b)) as shared,
         count(*) as sheets,
         list('“' || sheet_a || '”' || case when file_a = file_b then '' else '（文件 ' || file_a || '）' end
              order by file_a, place_a) as names
  from sheet_overlaps
  group by ledger, department, file_b, sheet_b
), named as (
  select *, '工作表' || array_to_string(names[1:6], '、') || case when sheets > 6 then ' 等 ' || sheets || ' 个工作表' else '' end as others
  from repeats
)
select r.department, r.file_b as file, r.sheet_b as sheet, null as cell, r.ledger,
       '工作表“' || r.sheet_b || '”共 ' || r.rows_b || ' 行，其中 ' || r.shared || ' 行与' || r.others
         || '中的行相同（序号除外），这些行被计数了两次，《' || c.name || '》的数字因此偏大。“' || r.sheet_b
         || '”看起来是其他工作表的汇总或副本，而同一件事只能登记一次：请删除工作表“' || r.sheet_b || '”，或删除'
         || r.others || '，只保留一份。' as message,
       '每件事只登记一次' as expected,
       r.shared || ' 行重复' as actual
from named r
join ledger_catalog c on c.id = r.ledger
order by r.department, r.file_b, r.sheet_b
