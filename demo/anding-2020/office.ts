/**
 * The demo ledgers of 安定镇综合保障办 for 2020: an empty 规范性文件台账, 学法活动, the 年度统计表 (one claim
 * that differs from the ledgers, and a memo sheet), and its 普法宣传.
 */
import { d, iso, monthDay, FULL_WIDTH } from '../demo-kit.ts';
import { inYear } from './vocabulary.ts';
import { layoutOf } from '../ledger-workbook.ts';
import type { CellInput, SheetSpec } from '../ledger-workbook.ts';
import type { PlanContext } from '../demo-plan.ts';
import type { Town } from './town.ts';

export function planNormativeDocs(ctx: PlanContext, town: Town): void {
  const { demoFiles, count } = ctx;
  const { officePreamble } = town;
  // An empty ledger: header, no data rows = 0 规范性文件 issued.
  count('decision.normative_docs', 0);
  demoFiles.push({
    department: 'office',
    file: '规范性文件台账.xlsx',
    kind: 'xlsx',
    sheets: [{ name: 'Sheet1', title: '安定镇2020年行政规范性文件台账', preamble: officePreamble, header: ['序号', '文号', '文件名称', '印发日期', '备案日期', '备注'], rows: [], notes: ['注：2020年度我镇未印发行政规范性文件。'] }],
  });
}

export function planStudy(ctx: PlanContext): void {
  const { demoFiles, count } = ctx;
  // 学法: ISO text dates, an 组织部门 cell merged over two rows.
  const sessions: [Date, string, string, string | null, number][] = [
    [d(2020, 1, 16), '中心组学法', '学习《中华人民共和国宪法》', '党政办', 21],
    [d(2020, 4, 23), '机关干部学法', '《北京市生活垃圾管理条例》解读', '综合执法队', 65],
    [d(2020, 5, 13), '干部学法', '《北京市物业管理条例》解读', '综合保障办', 58],
    [d(2020, 5, 28), '常务会会前学法', '学习《中华人民共和国民法典》', '综合保障办', 18],
    [d(2020, 6, 18), '中心组学法', '学习《中华人民共和国民法典》总则编', null, 22],
    [d(2020, 7, 9), '法治培训', '行政执法程序与文书规范培训', '司法所', 46],
    [d(2020, 8, 20), '机关干部学法', '《中华人民共和国行政处罚法》（修订草案）学习', '综合执法队', 70],
    [d(2020, 9, 24), '会前学法', '学习《北京市城乡规划条例》', '综合保障办', 19],
    [d(2020, 10, 22), '中心组学法', '学习《中华人民共和国土地管理法》', '党政办', 20],
    [d(2020, 11, 12), '机关干部学法', '《中华人民共和国行政复议法》（修订）要点', '司法所', 62],
    [d(2020, 12, 3), '法治培训', '宪法宣誓暨法治专题培训', '司法所', 80],
  ];
  for (const [date, category] of sessions) {
    if (!inYear(date)) continue;
    if (category.includes('会前学法')) count('study.pre_meeting');
    if (category === '机关干部学法' || category === '干部学法') count('study.staff_sessions');
  }
  const spec: SheetSpec = {
    name: '学法记录',
    title: '安定镇2020年学法活动台账',
    header: ['日期', '类别', '主题', '组织部门', '参加人数'],
    rows: sessions.map(([date, category, topic, organizer, n]) => [iso(date), category, topic, organizer, n]),
    notes: ['填报人：高红梅  审核人：于春生'],
  };
  const layout = layoutOf(spec);
  // 组织部门 of the 5-28 会前学法 merged over the 6-18 中心组学法 (both 综合保障办).
  spec.merges = [`D${layout.rowOfData(3)}:D${layout.rowOfData(4)}`];
  demoFiles.push({ department: 'office', file: '学法活动台账.xlsx', kind: 'xlsx', sheets: [spec] });
}

export function planSummary(ctx: PlanContext): void {
  const { demoFiles, plant, cellOf } = ctx;
  const file = '2020年法治政府建设统计表.xlsx';
  const claims: [string, CellInput, string | null][] = [
    ['公示执法信息', 283, '综合执法队'],
    ['审核行政处罚案件', 206, '综合执法队'],
    ['通过执法资格考试', 1, null],
    ['印发行政规范性文件', 0, '未印发'],
    ['合法性审查合同', 207, '法律顾问'],
    ['提供法律意见', 12, '法律顾问'],
    ['行政复议、诉讼案件', 35, null],
    ['行政复议', 5, null],
    ['行政诉讼', 30, null],
    ['负责人出庭', 15, null],
    ['领导干部会前学法', 2, null],
    ['机关干部学法活动', 4, null],
    ['法律咨询', '1,236', '人次'],
    ['化解矛盾纠纷', 131, '司法所'],
    ['法律援助业务咨询', 156, '人次'],
    ['法律援助', 14, null],
    ['全国民主法治示范村', 1, '后安定村'],
    ['法治宣传活动', 240, '各部门合计'],
    ['具有法律职业资格的工作人员', 0, '无'],
  ];
  const rows: CellInput[][] = claims.map(([indicator, value, note], i) => [i + 1, indicator, value, note]);
  const summary: SheetSpec = {
    name: '统计表',
    title: '安定镇2020年法治政府建设年度统计表',
    preamble: [['填报单位：安定镇综合保障办', null, '填报日期：2021年1月12日', null]],
    header: ['序号', '指标名称', '数值', '说明'],
    rows,
    notes: ['注：数值由各部门上报汇总。'],
  };
  const publicityClaim = rows.find((r) => r[1] === '法治宣传活动');
  if (!publicityClaim) throw new Error('unreachable');
  plant({ code: 'indicator.self_reported_mismatch', department: 'office', file, sheet: '统计表', cell: cellOf(summary, publicityClaim, '数值'), note: '统计表写法治宣传活动240次，台账合计234次' });
  const memo: SheetSpec = {
    name: 'Sheet3',
    header: ['时间', '待办事项', '经办'],
    rows: [
      ['12月15日', '区司法局来电：年度报告3月底前报送', '高红梅'],
      ['12月28日', '催执法队台账终稿', '高红梅'],
      ['1月4日', '统计表请于主任审核后盖章', '于春生'],
    ],
  };
  plant({ code: 'sheet.unrecognized', department: 'office', file, sheet: 'Sheet3', cell: null, note: '工作备忘，表头不属于任何台账' });
  demoFiles.push({ department: 'office', file, kind: 'xlsx', sheets: [summary, { name: 'Sheet2', header: [], rows: [] }, memo] });
}

export function planOfficePublicity(ctx: PlanContext, town: Town): void {
  const { rng, demoFiles, count } = ctx;
  const { officePreamble, publicityCounts, activities } = town;
  const themes = [
    ['机关保密法律法规宣传', '保密法'],
    ['《公职人员政务处分法》学习宣传', '政务处分法'],
    ['《民法典》机关专题宣传', '民法典'],
    ['国家安全日法治宣传', '国家安全法'],
    ['信访条例宣传', '信访条例'],
    ['安全生产法宣传（{place}）', '安全生产法'],
  ] as const;
  const list = activities(publicityCounts.office, themes, () => rng.pick(['镇政府大院', '安定镇市民诉求综合服务中心', '安定大集']));
  const rows: CellInput[][] = list.map((a) => [monthDay(a.date), a.activity, rng.pick(['展板', '专题讲座', '发放宣传册', '线上答题']), a.date.getUTCDate() % 5 === 0 ? FULL_WIDTH(rng.int(20, 90)) : rng.int(20, 90)]);
  count('publicity.events', rows.length);
  demoFiles.push({
    department: 'office',
    file: '综合保障办普法宣传台账.xlsx',
    kind: 'xlsx',
    sheets: [{ name: 'Sheet1', title: '综合保障办2020年普法宣传台账', preamble: officePreamble, header: ['活动日期', '活动名称', '形式', '参与人数'], rows, notes: ['填报人：高红梅'] }],
  });
}
