/**
 * The 合法性审核台账 of 良渚街道's 法律顾问室 for 2023: one ledger over twelve month sheets
 * (2,657 合同, 13 规范性文件, 26 法律意见书, 4 重大行政决策), a date in every form, category
 * short forms, a December 2022 row left on the January sheet and a 审核日期 typed before its
 * 送审日期.
 */
import { addDays, chinese, d, dotted, iso, monthEndOf, slashed, workdays } from '../demo-kit.ts';
import type { CellInput, SheetSpec } from '../ledger-workbook.ts';
import type { PlanContext } from '../demo-plan.ts';
import { COMMUNITIES, SECTIONS, company } from './vocabulary.ts';

const COUNTS = { 合同: 2657, 规范性文件: 13, 法律意见书: 26, 重大行政决策: 4 } as const;
const CODE = { 合同: 'review.contracts', 规范性文件: 'review.normative_docs', 法律意见书: 'review.legal_opinions', 重大行政决策: 'review.major_decisions' } as const;
type Category = keyof typeof COUNTS;

export function planReview(ctx: PlanContext): void {
  const { rng, demoFiles, plant, count, cellOf } = ctx;
  const file = '2023年合法性审核台账（法律顾问室）.xlsx';
  const items: { category: Category; submitted: Date }[] = [];
  for (const category of Object.keys(COUNTS) as Category[]) {
    for (const submitted of workdays(rng, d(2023, 1, 3), d(2023, 12, 22), COUNTS[category])) items.push({ category, submitted });
  }
  items.sort((a, b) => a.submitted.getTime() - b.submitted.getTime());
  const forms = [(x: Date): CellInput => x, (x: Date): CellInput => dotted(x), (x: Date): CellInput => slashed(x), (x: Date): CellInput => chinese(x)];
  const sheets: SheetSpec[] = [];
  for (let m = 1; m <= 12; m++) {
    const write = forms[(m - 1) % forms.length] ?? forms[0]!;
    const rows: CellInput[][] = [];
    let stale: CellInput[] | null = null;
    if (m === 1) {
      // Planted: a December 2022 contract review left on the January sheet (not counted).
      stale = [null, '合同', `${COMMUNITIES[0]}股份经济合作社与${company(rng)}物业服务合同`, '社区办', d(2022, 12, 20), d(2022, 12, 28), '王律师'];
      rows.push(stale);
    }
    let wrongOrder: CellInput[] | null = null;
    for (const it of items.filter((x) => x.submitted.getUTCMonth() + 1 === m)) {
      let reviewed = addDays(it.submitted, rng.int(1, 6));
      if (reviewed.getUTCFullYear() > 2023) reviewed = d(2023, 12, 29);
      const category: CellInput = it.category === '合同' && rng.chance(0.12) ? '合同审核' : it.category === '法律意见书' && rng.chance(0.4) ? '法律意见' : it.category;
      const item =
        it.category === '合同'
          ? `${rng.pick(COMMUNITIES)}${rng.pick(['', '股份经济合作社'])}与${company(rng)}${rng.pick(['保洁服务', '绿化养护', '房屋租赁', '工程施工', '设备采购', '安保服务', '技术服务'])}合同`
          : it.category === '规范性文件'
            ? `良渚街道${rng.pick(['村级工程项目管理办法', '农村宅基地管理实施细则', '网格化管理办法', '物业管理考核办法'])}（送审稿）`
            : it.category === '法律意见书'
              ? `关于${rng.pick(['征迁补偿', '信访事项', '合同纠纷', '行政诉讼应诉', '违法建筑处置'])}的法律意见书`
              : `良渚街道${rng.pick(['老旧小区改造', '未来社区建设', '文化遗产保护', '垃圾分类'])}实施方案`;
      const row: CellInput[] = [null, category, item, rng.pick(SECTIONS), write(it.submitted), write(reviewed), rng.pick(['王律师', '陈律师', '公职律师李敏'])];
      if (m === 7 && wrongOrder === null && it.category === '合同') {
        // Planted: 审核日期 typed three days before 送审日期 (still 2023, still counted).
        row[5] = write(addDays(it.submitted, -3));
        wrongOrder = row;
      }
      rows.push(row);
      count(CODE[it.category]);
    }
    rows.forEach((r, i) => (r[0] = i + 1));
    const spec: SheetSpec = {
      name: `${m}月`,
      title: `良渚街道2023年${m}月合法性审核台账`,
      header: ['序号', '审核类别', '审核事项', '送审科室', '送审日期', m % 2 === 0 ? '办结日期' : '审核日期', '审核人'],
      rows,
      notes: [`注：本月截至${iso(monthEndOf(2023, m))}。`, '填报人：陈律师'],
      numberFormats: { 5: 'yyyy"年"m"月"d"日"', 6: 'yyyy"年"m"月"d"日"' },
    };
    sheets.push(spec);
    if (stale) plant({ code: 'cell.out_of_period', department: 'falv', file, sheet: spec.name, cell: cellOf(spec, stale, '审核日期'), note: '审核日期 2022-12-28，不计入2023年的2657份' });
    if (wrongOrder) plant({ code: 'row.date_order', department: 'falv', file, sheet: spec.name, cell: cellOf(spec, wrongOrder, '审核日期'), note: '审核日期早于送审日期3天；仍计入2657份' });
  }
  demoFiles.push({ department: 'falv', file, kind: 'xlsx', sheets });
}
