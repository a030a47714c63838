/**
 * The demo ledgers of 安定镇综合执法队 for 2020: 执法公示 over four quarter sheets, 行政处罚 with a
 * two-level header, 执法人员, and its 普法宣传 (one activity shared with 司法所).
 */
import { d, addDays, dotted, slashed, chinese, compact, workdays, name } from '../demo-kit.ts';
import { VILLAGES, company, inYear } from './vocabulary.ts';
import type { CellInput, SheetSpec } from '../ledger-workbook.ts';
import type { PlanContext } from '../demo-plan.ts';
import type { Town } from './town.ts';

/** disclosure: one ledger over four quarter sheets, each with its own date form. */
export function planDisclosure(ctx: PlanContext, town: Town): void {
  const { rng, demoFiles, plant, count, cellOf } = ctx;
  const { enforcementPreamble } = town;
  const file = '2020年执法公示台账（终稿）.xlsx';
  const quarters = [
    { sheet: '一季度', from: d(2020, 1, 2), to: d(2020, 3, 31), n: 70, dateHeader: '公示日期', contentHeader: '公示内容', write: (x: Date): CellInput => x },
    { sheet: '二季度', from: d(2020, 4, 1), to: d(2020, 6, 30), n: 71, dateHeader: '公示\n时间', contentHeader: '公示内容', write: (x: Date): CellInput => dotted(x) },
    { sheet: '三季度', from: d(2020, 7, 1), to: d(2020, 9, 30), n: 72, dateHeader: '公示日期', contentHeader: '公示事项', write: (x: Date): CellInput => slashed(x) },
    { sheet: '四季度', from: d(2020, 10, 9), to: d(2020, 12, 31), n: 70, dateHeader: '日期', contentHeader: '公示事项', write: (x: Date): CellInput => chinese(x) },
  ];
  const sheets: SheetSpec[] = [];
  let caseSeq = 1;
  for (const [qi, q] of quarters.entries()) {
    const rows: CellInput[][] = [];
    const dates = workdays(rng, q.from, q.to, q.n);
    let outOfPeriod: CellInput[] | null = null;
    if (qi === 0) {
      // Planted: a December 2019 disclosure left on the first quarter's sheet.
      outOfPeriod = [1, d(2019, 12, 28), '事后公示', `行政处罚决定：京兴安综罚〔2019〕第0412号 ${company(rng)} 未按规定分类投放生活垃圾`, '首都之窗', null];
      rows.push(outOfPeriod);
    }
    let enumRow: CellInput[] | null = null;
    for (const [i, date] of dates.entries()) {
      const kind = rng.pick(['事前公示', '事中公示', '事后公示', '事后公示'] as const);
      const content =
        kind === '事前公示'
          ? `${rng.pick(['执法主体、执法人员、执法职责信息更新', '行政执法事项清单调整公示', '随机抽查事项清单公示', '执法依据及执法流程图公示', '行政执法人员名单公示'])}（${q.sheet}第${i + 1}号）`
          : kind === '事中公示'
            ? `执法检查：${rng.pick(VILLAGES)}${rng.pick(['私搭乱建巡查', '垃圾分类检查', '占道经营检查', '燃气安全检查', '扬尘治理检查'])}`
            : `行政处罚决定：京兴安综罚〔2020〕第${String(caseSeq++).padStart(4, '0')}号 ${rng.chance(0.6) ? company(rng) : name(rng)}`;
      let category: CellInput = kind;
      if (qi === 2 && rng.chance(0.4)) category = kind.slice(0, 2); // 事前 / 事中 / 事后
      const row: CellInput[] = [rows.length + 1, q.write(date), category, content, rng.pick(['镇政府网站', '首都之窗', '政务公开栏', '执法公示平台']), null];
      if (qi === 3 && i === 5) row[3] = { richText: ['行政处罚决定：', content.replace('行政处罚决定：', '')] };
      if (qi === 1 && i === 12) {
        row[2] = '其它'; // planted: outside the 公示类别 list, still one of the 283 rows
        row[5] = '类别待确认';
        enumRow = row;
      }
      rows.push(row);
      if (inYear(date)) count('enforcement.disclosures');
      // Blank rows inside the data, as left after deleting a line.
      if (qi === 0 && i === 29) rows.push([]);
      if (qi === 2 && i === 50) rows.push([]);
    }
    const spec: SheetSpec = {
      name: q.sheet,
      title: '安定镇2020年度执法公示台账',
      preamble: enforcementPreamble,
      header: ['序号', q.dateHeader, '公示类别', q.contentHeader, '公示载体', '备注'],
      rows,
      notes: ['注：公示类别填写事前公示、事中公示、事后公示；处罚决定在作出之日起7个工作日内公示。', '填报人：王丽  审核人：张建国'],
      hiddenColumns: [6],
      numberFormats: qi === 0 ? { 2: 'yyyy"年"m"月"d"日"' } : {},
    };
    sheets.push(spec);
    if (outOfPeriod) {
      plant({ code: 'cell.out_of_period', department: 'enforcement', file, sheet: q.sheet, cell: cellOf(spec, outOfPeriod, q.dateHeader), note: '公示日期 2019-12-28，不计入2020年的283项' });
    }
    if (enumRow) {
      plant({ code: 'cell.enum', department: 'enforcement', file, sheet: q.sheet, cell: cellOf(spec, enumRow, '公示类别'), note: '公示类别为“其它”，不在列表内；该行仍是283项之一' });
    }
  }
  demoFiles.push({ department: 'enforcement', file, kind: 'xlsx', sheets });
}

/** penalty: two-level header 法制审核 over 审核日期 | 重大执法决定 | 集体讨论日期, √/× booleans. */
export function planPenalty(ctx: PlanContext): void {
  const { rng, demoFiles, plant, count, cellOf } = ctx;
  const file = '行政处罚案件台账2020.xlsx';
  const causes = ['未按规定分类投放生活垃圾', '擅自占用城市道路', '未取得建设工程规划许可证进行建设', '无照经营', '露天焚烧垃圾', '餐饮服务单位未安装油烟净化设施', '擅自设置户外广告设施', '运输车辆泄漏遗撒', '施工工地未采取扬尘防治措施'];
  const rows: CellInput[][] = [];
  const caseNos: string[] = [];
  // 3 cases filed in December 2019 and reviewed in January 2020 (they count: the period is the review).
  const filed = [...workdays(rng, d(2019, 12, 2), d(2019, 12, 20), 3), ...workdays(rng, d(2020, 1, 6), d(2020, 11, 30), 203)];
  let seq2019 = 398;
  let seq2020 = 1;
  for (const filedOn of filed) {
    const caseNo = filedOn.getUTCFullYear() === 2019
      ? `京兴安综罚〔2019〕第${String(seq2019++).padStart(4, '0')}号`
      : `京兴安综罚〔2020〕第${String(seq2020++).padStart(4, '0')}号`;
    let reviewed = addDays(filedOn, rng.int(5, 20));
    if (reviewed.getUTCFullYear() === 2019) reviewed = d(2020, 1, 3);
    const major = rng.chance(0.05);
    const discussed = major ? addDays(reviewed, 1) : null;
    const decided = addDays(reviewed, rng.int(2, 6));
    const amount = rng.int(2, 500) * 100;
    const fine: CellInput = rng.chance(0.04) ? '—' : rng.chance(0.05) ? amount.toLocaleString('en-US') : amount;
    caseNos.push(caseNo);
    rows.push([rows.length + 1, caseNo, filedOn, rng.chance(0.55) ? company(rng) : name(rng), rng.pick(causes), reviewed, major ? '√' : '×', discussed, decided, fine]);
    if (inYear(reviewed)) count('enforcement.penalty_reviews');
  }
  // Filed in December, not yet reviewed at year end: no 法制审核日期, so not counted.
  for (const filedOn of workdays(rng, d(2020, 12, 14), d(2020, 12, 29), 3)) {
    const caseNo = `京兴安综罚〔2020〕第${String(seq2020++).padStart(4, '0')}号`;
    rows.push([rows.length + 1, caseNo, filedOn, company(rng), rng.pick(causes), null, '×', null, null, null]);
  }
  // Planted: a case entered a second time (same 案件编号), without a review date, so outside the 206.
  const dupOf = caseNos[150] ?? '';
  const dupSource = rows[150];
  const duplicate: CellInput[] = [rows.length + 1, dupOf, dupSource?.[2] ?? null, dupSource?.[3] ?? null, dupSource?.[4] ?? null, null, '×', null, null, null];
  rows.splice(200, 0, duplicate);
  rows.forEach((r, i) => (r[0] = i + 1));
  const spec: SheetSpec = {
    name: 'Sheet1',
    title: '安定镇综合执法队2020年行政处罚案件台账',
    header: ['序号', '案件编号', '立案\n日期', '当事人', '案由', { group: '法制审核', children: ['审核日期', '重大执法决定', '集体讨论日期'] }, '处罚决定日期', '罚款金额（元）'],
    rows,
    notes: ['注：重大执法决定须经集体讨论；罚款金额以处罚决定书为准。', '填报人：李娜  审核人：刘志强'],
    numberFormats: { 3: 'yyyy"年"m"月"d"日"', 6: 'yyyy"年"m"月"d"日"', 8: 'yyyy"年"m"月"d"日"', 9: 'yyyy"年"m"月"d"日"', 10: '#,##0' },
  };
  plant({ code: 'row.duplicate_key', department: 'enforcement', file, sheet: 'Sheet1', cell: cellOf(spec, duplicate, '案件编号'), note: `案件编号 ${dupOf} 重复录入（第二次录入的一行审核日期为空，不计入206件）` });
  demoFiles.push({ department: 'enforcement', file, kind: 'xlsx', sheets: [spec] });
}

/** officers: exam results of several years, 法律职业资格 all 否. */
export function planOfficers(ctx: PlanContext): void {
  const { demoFiles, count } = ctx;
  const people: { who: string; cert: string | null; exam: Date | null; result: string; legal: string; note: string | null }[] = [
    { who: '陈晓东', cert: '11150401001', exam: d(2017, 9, 16), result: '合格', legal: '否', note: null },
    { who: '刘志强', cert: '11150401018', exam: d(2018, 9, 15), result: '通过', legal: '否', note: '法制审核员' },
    { who: '王海燕', cert: '11150401019', exam: d(2018, 9, 15), result: '通过', legal: '否', note: null },
    { who: '张伟', cert: '11150401027', exam: d(2019, 10, 12), result: '通过', legal: '否', note: null },
    { who: '李娜', cert: '11150401036', exam: d(2020, 11, 21), result: '通过', legal: '否', note: '2020年新取得执法证' },
    { who: '赵磊', cert: null, exam: d(2020, 11, 21), result: '未通过', legal: '否', note: null },
    { who: '孙鹏', cert: null, exam: null, result: '未参加', legal: '否', note: '借调' },
    { who: '周静', cert: null, exam: null, result: '未参加', legal: '否', note: null },
  ];
  for (const p of people) if (p.result === '通过' && inYear(p.exam)) count('enforcement.exam_passed');
  count('staff.legal_professionals', people.filter((p) => p.legal === '是').length);
  const spec: SheetSpec = {
    name: 'Sheet1',
    title: '安定镇综合执法队执法人员情况',
    header: ['序号', '姓名', '执法证号', '考试日期', '考试结果', '是否具有法律职业资格', '备注'],
    rows: people.map((p, i) => [i + 1, p.who, p.cert, p.exam, p.result, p.legal, p.note]),
    numberFormats: { 4: 'yyyy/m/d' },
  };
  demoFiles.push({ department: 'enforcement', file: '执法人员名单.xlsx', kind: 'xlsx', sheets: [spec] });
}

export function planEnforcementPublicity(ctx: PlanContext, town: Town): void {
  const { rng, demoFiles, plant, count, cellOf } = ctx;
  const { enforcementPreamble, sharedActivity, publicityCounts, activities } = town;
  const file = '2020年普法宣传活动统计.xlsx';
  const themes = [
    ['《北京市生活垃圾管理条例》宣传进{place}', '垃圾分类'],
    ['违法建设治理政策宣讲（{place}）', '违法建设'],
    ['燃气安全法规宣传（{place}）', '安全生产'],
    ['大气污染防治条例宣传（{place}）', '生态环境'],
    ['《北京市物业管理条例》宣传进{place}', '物业管理'],
    ['门前三包责任宣传（{place}）', '市容环境'],
  ] as const;
  const list = activities(publicityCounts.enforcement - 1, themes, () => rng.pick(VILLAGES));
  const rows: CellInput[][] = list.map((a) => [null, compact(a.date), a.activity, a.theme, rng.pick(['入户宣传', '发放宣传材料', '现场讲解', '悬挂条幅']), rng.chance(0.2) ? `${rng.int(20, 150)}人` : rng.int(20, 150)]);
  const shared: CellInput[] = [null, compact(sharedActivity.date), sharedActivity.name, '宪法', '设立咨询台', 60];
  const at = rows.findIndex((r) => String(r[1]) > compact(sharedActivity.date));
  rows.splice(at < 0 ? rows.length : at, 0, shared);
  rows.forEach((r, i) => (r[0] = i + 1));
  count('publicity.events', rows.length);
  const spec: SheetSpec = {
    name: 'Sheet1',
    title: '综合执法队2020年普法宣传活动统计表',
    preamble: enforcementPreamble,
    header: ['序号', '活动日期', '活动名称', '宣传主题', '形式', '参与人数'],
    rows,
    notes: ['填报人：王丽  审核人：张建国'],
  };
  plant({ code: 'publicity.cross_department_duplicate', department: 'enforcement', file, sheet: 'Sheet1', cell: cellOf(spec, shared, '活动名称'), note: '2020-12-04 “12·4”国家宪法日集中宣传活动，司法所台账也有；两处都计入234次' });
  demoFiles.push({ department: 'enforcement', file, kind: 'xlsx', sheets: [spec] });
}
