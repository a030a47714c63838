/**
 * The ledgers of 良渚街道综合行政执法队 for 2023: 行政执法人员持证 (58 people, 56 certified; one
 * certified without a 执法证号, one whose 执法证 expired mid-year), 行政处罚案件 (1,243 decisions;
 * one 文号 entered twice, one decided in January 2024) in one workbook with a memo sheet, and
 * its 普法活动.
 */
import { addDays, chinese, d, name, workdays } from '../demo-kit.ts';
import type { CellInput, SheetSpec } from '../ledger-workbook.ts';
import type { PlanContext } from '../demo-plan.ts';
import { activities } from './justice.ts';
import { company } from './vocabulary.ts';

export function planEnforcement(ctx: PlanContext): void {
  const { rng, demoFiles, plant, count, cellOf } = ctx;
  const file = '综合行政执法队2023年台账.xlsx';

  // ---- 行政执法人员持证台账: √/× for 是否持证.
  const people: CellInput[][] = [];
  const names = new Set<string>();
  while (names.size < 58) names.add(name(rng));
  [...names].forEach((who, i) => {
    const certified = i !== 17 && i !== 41;
    people.push([i + 1, who, rng.pick(['中队长', '执法队员', '法制审核员', '执法辅助']), certified ? '√' : '×', certified ? `33011023${String(4100 + i)}` : null, certified ? d(2026, rng.int(1, 12), 1) : null]);
    count('staff.enforcers');
    if (certified) count('staff.certified');
  });
  const noCert = people[5] as CellInput[];
  noCert[4] = null; // Planted: 持证 but no 执法证号 (this pack's own check).
  const expired = people[23] as CellInput[];
  expired[5] = d(2023, 6, 30); // Planted: the 执法证 expired mid-year.
  const staff: SheetSpec = {
    name: '执法人员',
    title: '良渚街道综合行政执法队执法人员持证情况',
    header: ['序号', '姓名', '岗位', '是否持证', '执法证号', '证件有效期至'],
    rows: people,
    numberFormats: { 6: 'yyyy-mm-dd' },
  };
  plant({ code: 'enforcer.cert_missing', department: 'zhifa', file, sheet: staff.name, cell: cellOf(staff, noCert, '执法证号'), note: '持证但没有执法证号；仍计入56人' });
  plant({ code: 'enforcer.cert_expired', department: 'zhifa', file, sheet: staff.name, cell: cellOf(staff, expired, '证件有效期至'), note: '执法证有效期至2023-06-30' });

  // ---- 行政处罚案件台账: 1,243 decisions of 2023, a 文号 entered twice, one decided in 2024.
  const cases: CellInput[][] = [];
  const decided = workdays(rng, d(2023, 1, 4), d(2023, 12, 28), 1243);
  decided.forEach((on, i) => {
    const filed = addDays(on, -rng.int(7, 40));
    cases.push([`杭余综执罚决字〔2023〕第${String(i + 1).padStart(5, '0')}号`, rng.chance(0.5) ? company(rng) : name(rng), rng.pick(['占道经营', '乱堆乱放', '违规设置户外广告', '未按规定分类投放垃圾', '渣土运输遗撒', '违法搭建']), filed, i % 5 === 0 ? chinese(on) : on, rng.int(1, 200) * 100]);
    count('enforcement.cases');
  });
  const late: CellInput[] = ['杭余综执罚决字〔2024〕第00001号', company(rng), '占道经营', d(2023, 12, 20), d(2024, 1, 3), 500];
  cases.push(late);
  const first = cases[600] as CellInput[];
  const duplicate: CellInput[] = [...first];
  cases.splice(900, 0, duplicate);
  const penalty: SheetSpec = {
    name: '行政处罚',
    title: '良渚街道2023年行政处罚案件台账',
    preamble: [['填报单位：良渚街道综合行政执法队', null, null, null, '填报日期：2024年1月8日']],
    header: ['处罚决定书文号', '当事人', '违法行为', '立案日期', '决定日期', '罚没金额（元）'],
    rows: cases,
    numberFormats: { 4: 'yyyy/m/d', 5: 'yyyy"年"m"月"d"日"', 6: '#,##0' },
  };
  plant({ code: 'row.duplicate_key', department: 'zhifa', file, sheet: penalty.name, cell: cellOf(penalty, duplicate, '处罚决定书文号'), note: '同一文号录入两次；只计入一次' });
  plant({ code: 'cell.out_of_period', department: 'zhifa', file, sheet: penalty.name, cell: cellOf(penalty, late, '决定日期'), note: '决定日期 2024-01-03，不计入2023年' });

  // ---- a memo sheet: not a ledger.
  const memo: SheetSpec = { name: '备忘', header: ['事项', '时间', '经办'], rows: [['年报材料报法治办', '1月15日前', '王芳'], ['执法证年审', '3月', '李强']] };
  plant({ code: 'sheet.unrecognized', department: 'zhifa', file, sheet: memo.name, cell: null, note: '工作备忘，不是台账' });
  demoFiles.push({ department: 'zhifa', file, kind: 'xlsx', sheets: [staff, penalty, memo] });

  // ---- 普法活动台账 of the 执法队.
  const rows = activities(ctx, 30, ['垃圾分类条例宣传', '“综合查一次”政策宣讲', '燃气安全法规宣传', '违建治理政策解读']);
  count('publicity.events', rows.length);
  demoFiles.push({
    department: 'zhifa',
    file: '执法队普法活动.xlsx',
    kind: 'xlsx',
    sheets: [{ name: 'Sheet1', title: '综合行政执法队2023年普法活动', header: ['日期', '活动名称', '地点', '参与人数'], rows, numberFormats: { 1: 'yyyy/m/d' } }],
  });
}
