-- dept.missing_submission (错误): a ledger owed by a department has not been submitted (no
-- sheet of its current files holds that ledger, not even an empty one). When the department's
-- current files include some tally could not read (file.unreadable) or sheets with data whose
-- header matched no ledger (sheet.unrecognized), the ledger may be in one of them: the message
-- says so and names the first few, rather than telling the clerk that nothing was sent.
with unreadable as (
  select department, count(*) as files,
         array_to_string(list('“' || path || '”' order by path)[1:3], '、') as first_files
  from file_versions
  where current and read_status = 'unreadable'
  group by department
), unrecognized as (
  select v.department, count(*) as sheets,
         array_to_string(list('“' || v.path || '”的工作表“' || f.sheet || '”' order by v.path, f.sheet)[1:3], '、') as first_sheets
  from reader_findings f join file_versions v on v.id = f.file_version_id
  where v.current and f.code = 'sheet.unrecognized'
  group by v.department
)
select o.department, null as file, null as sheet, null as cell, o.ledger,
       case
         when r.files is null and u.sheets is null
           then '尚未报送《' || c.name || '》。请在截止日期前报送；如本年度没有此类工作，请报送只有表头的空表（表示为 0）。'
         else '已收到的文件中没有识别出《' || c.name || '》：'
              || concat_ws('；',
                   case when r.files is not null then '文件' || r.first_files || case when r.files > 3 then '等 ' || r.files || ' 个文件' else '' end
                     || '无法读取（见该文件的问题）' end,
                   case when u.sheets is not null then u.first_sheets || case when u.sheets > 3 then '等 ' || u.sheets || ' 个工作表' else '' end
                     || '的表头未能识别（见该工作表的问题）' end)
              || '。如《' || c.name || '》在其中，请按这些问题的说明修正（表头请按《' || c.name || '》的列名核对）后重新报送；如未报送，请在截止日期前报送；如本年度没有此类工作，请报送只有表头的空表（表示为 0）。'
       end as message,
       c.name as expected,
       case when r.files is not null then '文件无法读取' when u.sheets is not null then '未识别' else '未报送' end as actual
from obligations o
join ledger_catalog c on c.id = o.ledger
left join unreadable r on r.department = o.department
left join unrecognized u on u.department = o.department
where not exists (
  select 1
  from sheet_reads s join file_versions v on v.id = s.file_version_id
  where v.current and v.department = o.department and s.ledger = o.ledger
)
order by o.department, o.ledger
