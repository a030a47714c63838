-- row.rule (错误): rules of a ledger: 负责人出庭=是 only for 行政诉讼 and needs 出庭负责人;
-- 调解成功 needs 结案日期; 重大执法决定 needs 集体讨论日期.
select department, file, sheet, kind__cell as cell, 'litigation' as ledger,
       '“负责人出庭”填了“是”，但案件类别是“' || kind || '”：负责人出庭只统计行政诉讼案件。请核对案件类别或出庭情况。' as message,
       '行政诉讼' as expected, kind as actual
from litigation
where leader_appeared and kind <> '行政诉讼'
union all
select department, file, sheet, coalesce(leader_name__cell, leader_appeared__cell), 'litigation',
       '“负责人出庭”填了“是”，但没有填写出庭负责人。请补填出庭负责人的姓名。', '出庭负责人姓名', null
from litigation
where leader_appeared and (leader_name is null or trim(leader_name) = '')
union all
select department, file, sheet, coalesce(closed_on__cell, result__cell), 'mediation',
       '调解结果为“调解成功”，但没有结案日期。请补填结案日期。', '结案日期', null
from mediation
where result = '调解成功' and closed_on is null
union all
select department, file, sheet, coalesce(discussed_on__cell, major__cell), 'penalty',
       '重大执法决定应经集体讨论，但没有填写集体讨论日期。请补填。', '集体讨论日期', null
from penalty
where major and discussed_on is null
order by 1, 2, 3, 4
