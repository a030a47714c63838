/**
 * The demo ledger of 安定镇's 法律顾问 for 2020: 合法性审查, with a date-order mistake and a #DIV/0! formula.
 */
import { d, addDays, workdays } from '../demo-kit.ts';
import { VILLAGES, company, inYear } from './vocabulary.ts';
import { a1, layoutOf } from '../ledger-workbook.ts';
import type { CellInput, SheetSpec } from '../ledger-workbook.ts';
import type { PlanContext } from '../demo-plan.ts';

/** counsel 法律顾问 */
export function planCounsel(ctx: PlanContext): void {
  const { rng, demoFiles, plant, count, cellOf } = ctx;
  const file = '法律顾问合法性审查台账2020.xlsx';
  const contracts = ['保洁服务合同', '绿化养护合同', '垃圾清运服务合同', '房屋租赁合同', '工程施工合同', '物业服务合同', '设备采购合同', '土地流转合同', '安保服务合同', '技术服务合同'];
  type Review = { category: string; item: string; submitted: Date; reviewed: Date; amount: CellInput; opinion: string };
  const reviews: Review[] = [];
  const push = (category: string, item: string, submitted: Date, amount: CellInput, opinion: string) =>
    reviews.push({ category, item, submitted, reviewed: addDays(submitted, rng.int(1, 7)), amount, opinion });
  for (const submitted of workdays(rng, d(2020, 1, 6), d(2020, 12, 21), 207)) {
    push(rng.chance(0.15) ? '合同审查' : '合同', `${rng.pick(VILLAGES)}村委会与${company(rng)}${rng.pick(contracts)}`, submitted, rng.chance(0.1) ? null : Math.round(rng.int(50, 50000)) / 100, rng.pick(['同意签订', '修改后签订', '建议补充违约责任条款', '建议明确付款节点']));
  }
  for (const submitted of workdays(rng, d(2020, 2, 3), d(2020, 12, 18), 12)) {
    push(rng.chance(0.3) ? '出具法律意见' : '法律意见', `关于${rng.pick(['拆除违法建设', '集体土地腾退', '信访事项', '行政诉讼案件应诉', '物业矛盾处置', '征地补偿'])}的法律意见`, submitted, null, '已出具书面法律意见');
  }
  for (const submitted of workdays(rng, d(2020, 3, 2), d(2020, 11, 30), 4)) {
    push('重大行政决策', rng.pick(['安定镇美丽乡村建设实施方案', '安定镇老旧小区综合整治方案', '安定镇农村人居环境整治方案', '安定镇垃圾分类实施方案']), submitted, null, '程序合法，同意提交党委会研究');
  }
  for (const submitted of workdays(rng, d(2020, 6, 1), d(2020, 9, 30), 2)) {
    push('规范性文件', `规范性文件清理审查（第${reviews.length % 2 === 0 ? '一' : '二'}批）`, submitted, null, '建议废止2件、继续有效3件');
  }
  reviews.sort((a, b) => a.submitted.getTime() - b.submitted.getTime());
  const rows: CellInput[][] = reviews.map((r, i) => [i + 1, r.submitted, r.category, r.item, r.amount, r.reviewed, r.opinion]);
  for (const r of reviews) {
    if (!inYear(r.reviewed)) continue;
    if (r.category.startsWith('合同')) count('decision.contract_reviews');
    if (r.category.includes('法律意见')) count('decision.legal_opinions');
  }
  // Planted: 审查日期 before 送审日期 on a 合同 row (dates typed the wrong way round; still 2020, still counted).
  const orderIndex = reviews.findIndex((r, i) => i > 100 && r.category === '合同');
  const orderRow = rows[orderIndex];
  if (!orderRow) throw new Error('demo: no contract row for the date-order mistake');
  const submitted = orderRow[1];
  if (!(submitted instanceof Date)) throw new Error('unreachable');
  orderRow[5] = addDays(submitted, -3);
  // Planted: a 标的额 formula whose cached value is #DIV/0!.
  const formulaIndex = reviews.findIndex((r, i) => i > 150 && r.category === '合同');
  const formulaRow = rows[formulaIndex];
  if (!formulaRow) throw new Error('demo: no contract row for the formula mistake');
  const spec: SheetSpec = {
    name: 'Sheet1',
    title: '安定镇2020年度合法性审查台账（法律顾问）',
    preamble: [['填报单位：北京市某某律师事务所（安定镇政府法律顾问）', null, null, null, '填报日期：2021年1月5日']],
    header: ['序号', '送审日期', '*事项类别', '*事项名称', '标的额（万元）', '*审查日期', '审查意见'],
    columnNumbers: true,
    rows,
    notes: ['说明：事项类别填写合同、重大行政决策、规范性文件、法律意见或其他。', '填报人：郑律师  审核人：刘敏'],
    numberFormats: { 2: 'yyyy/m/d', 5: '#,##0.00', 6: 'yyyy/m/d' },
  };
  const layout = layoutOf(spec);
  const formulaAddress = a1(layout.columnOf('标的额（万元）'), layout.rowOfData(formulaIndex));
  formulaRow[4] = { formula: `SUM(H${layout.rowOfData(formulaIndex)})/COUNT(H${layout.rowOfData(formulaIndex)})`, result: { error: '#DIV/0!' } };
  plant({ code: 'row.date_order', department: 'counsel', file, sheet: 'Sheet1', cell: cellOf(spec, orderRow, '*审查日期'), note: '审查日期早于送审日期3天；该合同仍计入207份' });
  plant({ code: 'cell.formula_error', department: 'counsel', file, sheet: 'Sheet1', cell: formulaAddress, note: '标的额（万元）为公式，缓存值#DIV/0!' });
  demoFiles.push({ department: 'counsel', file, kind: 'xlsx', sheets: [spec] });
}
