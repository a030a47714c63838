-- dept.overlapping_files (错误, an extension of contract §4): two current files of one
-- department share most of their rows of a ledger (at least half of the smaller one, and at
-- least 3 rows): usually an old and a corrected copy (台账.xlsx + 台账（修改）.xlsx), so
-- every shared row is counted twice. Reported once per pair, on the second file; the shared
-- rows are then not reported one by one as row.duplicate / row.duplicate_key.
select o.department, o.file_b as file, null as sheet, null as cell, o.ledger,
       '此文件与“' || o.file_a || '”的《' || c.name || '》有 ' || o.shared || ' 行完全相同（本文件共 '
         || o.rows_b || ' 行，另一文件共 ' || o.rows_a || ' 行），看起来是同一台账的两个版本，相同的行会被重复计数。'
         || '请只保留最终版本，把另一个文件从报送文件夹中删除。' as message,
       '只保留一个版本' as expected,
       o.shared || ' 行相同' as actual
from file_overlaps o
join ledger_catalog c on c.id = o.ledger
order by o.department, o.file_b
