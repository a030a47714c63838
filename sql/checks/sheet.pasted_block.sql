-- sheet.pasted_block (错误, an extension of contract §4): a block of at least 3 consecutive rows
-- pasted again inside one sheet, once or many times (the run table pasted_blocks, one row per
-- run of copies: pipeline/kernel/db/pasted-blocks.ts). Every copied row is counted again. One
-- finding per sheet, naming each block copied (its rows, as the first occurrences in the sheet)
-- and where its copies are (the first 3 ranges, then how many); the copied rows are then not
-- reported one by one as row.duplicate / row.duplicate_key. A block copied into another sheet
-- or file is sheet.overlapping_sheets / dept.overlapping_files, not this.
with runs as (
  -- runs of one block one right after the other (the first copy lies further from the block
  -- than the next from it) are one range of rows
  select *, sum(case when first_place = before + 1 then 0 else 1 end)
              over (partition by file_version_id, sheet, source_first, source_last order by first_place) as part
  from (select *, lag(last_place) over (partition by file_version_id, sheet, source_first, source_last order by first_place) as before
        from pasted_blocks)
), ranges as (
  select ledger, department, file, file_version_id, sheet, place, source_first, source_last,
         max(source_rows) as source_rows, sum(copies) as copies, sum(rows) as rows,
         min(first_row) as first_row, max(last_row) as last_row
  from runs
  group by ledger, department, file, file_version_id, sheet, place, source_first, source_last, part
), blocks as (
  -- the copies of one block of the sheet: separate ranges, or one range of copy after copy
  select ledger, department, file, file_version_id, sheet, place, source_first, source_last,
         max(source_rows) as source_rows, sum(copies) as copies, sum(rows) as rows, count(*) as ranges,
         min(first_row) as first_copy,
         list('第' || first_row || '–' || last_row || '行' order by first_row) as named
  from ranges
  group by all
), phrases as (
  select *, '第' || source_first || '–' || source_last || '行（共' || source_rows || '行）'
            || case when count(*) over (partition by file_version_id, sheet) = 1 then '在本工作表中' else '' end
            || '又重复粘贴了' || copies || '次（' || array_to_string(named[1:3], '、')
            || case when ranges > 3 then '等 ' || ranges || ' 处' else '' end || '）' as phrase
  from blocks
), sheets as (
  select ledger, department, file, sheet, place, sum(rows) as rows, count(*) as blocks,
         list(phrase order by first_copy) as phrases
  from phrases
  group by ledger, department, file, file_version_id, sheet, place
)
select s.department, s.file, s.sheet, null as cell, s.ledger,
       case when s.blocks = 1 then s.phrases[1]
            else '本工作表中有 ' || s.blocks || ' 组行被重复粘贴：' || array_to_string(s.phrases[1:3], '；')
                 || case when s.blocks > 3 then ' 等 ' || s.blocks || ' 组' else '' end
       end
         || '，这些行被重复计数，《' || c.name || '》的数字因此偏大。请删除重复粘贴的行，只保留一份。' as message,
       '每件事只登记一次' as expected,
       s.rows || ' 行重复粘贴' as actual
from sheets s
join ledger_catalog c on c.id = s.ledger
order by s.department, s.file, s.place
