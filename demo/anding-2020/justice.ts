/**
 * The demo ledgers of 安定镇司法所 for 2020: 行政复议应诉, 人民调解 and 法律援助 in one workbook, 公共法律服务
 * as a GB18030 CSV with a stale 合计, 法治创建, and its 普法宣传.
 */
import { d, addDays, dotted, slashed, chinese, compact, workday, workdays, splitSum, FULL_WIDTH, SURNAMES, anon } from '../demo-kit.ts';
import { VILLAGES, company, monthEnd, inYear } from './vocabulary.ts';
import type { CellInput, SheetSpec } from '../ledger-workbook.ts';
import type { PlanContext } from '../demo-plan.ts';
import type { Town } from './town.ts';

/** litigation: 5 复议 + 30 诉讼, 出庭情况 over 负责人出庭 | 出庭负责人, 15 appearances. */
export function planLitigation(ctx: PlanContext, town: Town): void {
  const { rng, demoFiles, plant, count, cellOf, counted } = ctx;
  const { justicePreamble } = town;
  const file = '行政复议应诉案件台账.xlsx';
  const leaders = ['王建华（镇长）', '刘长青（副镇长）', '张振国（副镇长）', '孙立新（副镇长）'];
  const causes = ['政府信息公开', '行政强制拆除', '土地征收补偿', '履行法定职责', '行政处罚', '确认行政行为违法'];
  const cases: { kind: 'r' | 'l'; received: Date }[] = [
    ...workdays(rng, d(2020, 2, 3), d(2020, 11, 30), 5).map((received) => ({ kind: 'r' as const, received })),
    ...workdays(rng, d(2020, 1, 6), d(2020, 12, 18), 30).map((received) => ({ kind: 'l' as const, received })),
  ].sort((a, b) => a.received.getTime() - b.received.getTime());
  let lawsuitIndex = 0;
  let firstInstance = 101;
  let reconsideration = 31;
  let missingLeader: CellInput[] | null = null;
  const rows: CellInput[][] = [];
  for (const c of cases) {
    const settled = addDays(c.received, rng.int(40, 90));
    const closed = (c.received.getTime() < d(2020, 10, 1).getTime() || rng.chance(0.3)) && inYear(settled) ? settled : null;
    if (c.kind === 'r') {
      const caseNo = `兴政复字〔2020〕第${reconsideration}号`;
      reconsideration += rng.int(3, 20);
      rows.push([null, caseNo, '复议', c.received, anon(rng), rng.pick(causes), null, null, null, closed, closed ? rng.pick(['维持', '驳回', '终止']) : null, null]);
      count('litigation.reconsiderations');
    } else {
      const appeal = lawsuitIndex % 9 === 8;
      const caseNo = appeal ? `（2020）京02行终${rng.int(300, 900)}号` : `（2020）京0115行初${firstInstance}号`;
      if (!appeal) firstInstance += rng.int(2, 12);
      const appeared = lawsuitIndex % 2 === 0; // 15 of 30
      const heard = addDays(c.received, rng.int(20, 45));
      const hearing = inYear(heard) ? heard : null;
      const row: CellInput[] = [null, caseNo, lawsuitIndex % 3 === 0 ? '诉讼' : '行政诉讼', c.received, rng.chance(0.7) ? anon(rng) : company(rng), rng.pick(causes), hearing, appeared ? '是' : '否', appeared ? rng.pick(leaders) : null, closed, closed ? rng.pick(['驳回诉讼请求', '驳回起诉', '维持', '撤诉']) : null, null];
      if (appeared && lawsuitIndex === 12) {
        row[8] = null; // planted: 负责人出庭 是, 出庭负责人 left empty
        missingLeader = row;
      }
      rows.push(row);
      count('litigation.lawsuits');
      if (appeared) count('litigation.leader_appearances');
      lawsuitIndex += 1;
    }
  }
  rows.forEach((r, i) => (r[0] = i + 1));
  count('litigation.total', (counted['litigation.reconsiderations'] ?? 0) + (counted['litigation.lawsuits'] ?? 0));
  count('litigation.rectifications', rows.filter((r) => r[11] != null).length);
  const spec: SheetSpec = {
    name: '2020年',
    title: '安定镇人民政府2020年行政复议、行政诉讼案件台账',
    preamble: justicePreamble,
    header: ['序号', '案号', '案件类别', '收案日期', '申请人/原告', '案由', '开庭日期', { group: '出庭情况', children: ['负责人出庭', '出庭负责人'] }, '结案日期', '结果', '整改意见建议'],
    rows,
    notes: ['注：行政诉讼案件填写负责人出庭情况；复议、诉讼结果均已履行。', '填报人：刘敏  审核人：王建华'],
    numberFormats: { 4: 'yyyy-mm-dd', 7: 'yyyy-mm-dd', 10: 'yyyy-mm-dd' },
  };
  if (!missingLeader) throw new Error('demo: the litigation mistake was not planted');
  plant({ code: 'row.rule', department: 'justice', file, sheet: '2020年', cell: cellOf(spec, missingLeader, '出庭负责人'), note: '负责人出庭为“是”但出庭负责人为空；该次仍计入15次' });
  demoFiles.push({ department: 'justice', file, kind: 'xlsx', sheets: [spec] });
}

/** 司法所台账汇总.xlsx: 人民调解 and 法律援助 in one workbook. */
export function planMediationAid(ctx: PlanContext, town: Town): void {
  const { rng, demoFiles, count } = ctx;
  const { justicePreamble } = town;
  const file = '司法所台账汇总.xlsx';
  const disputes = ['邻里纠纷', '婚姻家庭纠纷', '土地承包经营纠纷', '宅基地纠纷', '损害赔偿纠纷', '劳动争议纠纷', '合同纠纷', '物业纠纷', '赡养纠纷'];
  const sources = ['当事人申请', '村调委会移交', '派出所移送', '12345转办', '主动排查'];
  type Mediation = { received: Date; result: string; closed: Date | null };
  const cases: Mediation[] = [
    // Received in December 2019, settled in January 2020: counts (the period is 结案日期).
    { received: d(2019, 12, 23), result: '调解成功', closed: d(2020, 1, 6) },
    ...workdays(rng, d(2020, 1, 6), d(2020, 12, 10), 130).map((received) => ({ received, result: '调解成功', closed: addDays(received, rng.int(1, 15)) })),
    ...workdays(rng, d(2020, 2, 3), d(2020, 11, 30), 6).map((received) => ({ received, result: '调解不成功', closed: addDays(received, rng.int(5, 20)) })),
    ...workdays(rng, d(2020, 12, 14), d(2020, 12, 25), 3).map((received) => ({ received, result: '调解中', closed: null })),
  ].sort((a, b) => a.received.getTime() - b.received.getTime());
  const rows: CellInput[][] = [];
  for (const [i, c] of cases.entries()) {
    const result = c.result === '调解成功' && rng.chance(0.3) ? '成功' : c.result === '调解不成功' && rng.chance(0.5) ? '不成功' : c.result;
    rows.push([i + 1, dotted(c.received), `${anon(rng)}与${anon(rng)}`, rng.pick(disputes), rng.pick(sources), result, c.closed ? dotted(c.closed) : null]);
    if (c.result === '调解成功' && inYear(c.closed ?? c.received)) count('service.disputes_resolved');
    if (i === 64) rows.push([]);
  }
  const mediation: SheetSpec = {
    name: '人民调解',
    title: '安定镇人民调解委员会2020年矛盾纠纷调解台账',
    preamble: justicePreamble,
    header: ['序号', '受理日期', '当事人', '纠纷类型', '案件来源', '调解结果', '结案日期'],
    rows,
    total: { position: 'top', cells: ['合计', null, `共${cases.length}件`, null, null, null, null] },
    notes: ['注：调解结果填写调解成功、调解不成功或调解中；调解成功的须填写结案日期。', '填报人：刘敏  审核人：王建华'],
  };

  const aidTypes = ['追索劳动报酬', '赡养纠纷', '交通事故损害赔偿', '工伤赔偿', '离婚纠纷', '人身损害赔偿'];
  const aid: CellInput[][] = workdays(rng, d(2020, 1, 13), d(2020, 12, 18), 14).map((received, i) => {
    const closed = received.getTime() < d(2020, 10, 1).getTime() ? addDays(received, rng.int(30, 90)) : null;
    count('service.aid_cases');
    return [i + 1, `兴法援安〔2020〕第${String(i + 1).padStart(3, '0')}号`, chinese(received), `${rng.pick(SURNAMES)}某`, rng.pick(['农民工', '老年人', '残疾人', '低保户', '未成年人']), rng.pick(aidTypes), closed ? chinese(closed) : null];
  });
  const legalAid: SheetSpec = {
    name: '法律援助',
    title: '安定镇司法所2020年法律援助案件台账',
    header: ['序号', '案件编号', '受理\n日期', '受援人', '人员类别', '案件类型', '结案日期'],
    rows: aid,
    notes: ['填报人：刘敏'],
  };
  demoFiles.push({ department: 'justice', file, kind: 'xlsx', sheets: [mediation, legalAid] });
}

/** 公共法律服务台账.csv in GB18030, with a 合计 row that was not updated (planted). */
export function planLegalService(ctx: PlanContext): void {
  const { rng, demoFiles, plant, count } = ctx;
  const file = '公共法律服务台账.csv';
  type Service = { date: Date; village: string; category: string; visits: number };
  const services: Service[] = [];
  const consult = splitSum(rng, 1236, 72, 3);
  for (let m = 1; m <= 12; m++) {
    for (let k = 0; k < 6; k++) {
      const visits = consult[(m - 1) * 6 + k] ?? 0;
      services.push({ date: workday(rng, d(2020, m, 1), monthEnd(m)), village: rng.pick(VILLAGES), category: '法律咨询', visits });
    }
  }
  const aidConsult = splitSum(rng, 156, 12, 5);
  for (let m = 1; m <= 12; m++) {
    services.push({ date: workday(rng, d(2020, m, 1), monthEnd(m)), village: '镇公共法律服务站', category: '法律援助咨询', visits: aidConsult[m - 1] ?? 0 });
  }
  services.sort((a, b) => a.date.getTime() - b.date.getTime() || a.village.localeCompare(b.village));
  const rows: (string | number)[][] = [['服务日期', '村居', '服务类别', '人次']];
  for (const [i, s] of services.entries()) {
    const date = i % 5 === 3 ? compact(s.date) : slashed(s.date);
    const category = s.category === '法律援助咨询' && i % 2 === 0 ? '法援咨询' : s.category;
    const visits = i % 7 === 2 ? `${s.visits}人次` : i % 19 === 5 ? FULL_WIDTH(s.visits) : s.visits;
    rows.push([date, s.village, category, visits]);
    if (inYear(s.date)) count(s.category === '法律咨询' ? 'service.consultations' : 'service.aid_consultations', s.visits);
  }
  const actual = services.reduce((sum, s) => sum + s.visits, 0);
  rows.push(['合计', '', '', 1400]);
  plant({ code: 'sheet.total_mismatch', department: 'justice', file, sheet: '公共法律服务台账', cell: `D${rows.length}`, note: `合计行人次写1400，各行相加为${actual}（法律咨询1236 + 法律援助咨询156）` });
  demoFiles.push({ department: 'justice', file, kind: 'csv', rows, encoding: 'gb18030' });
}

/** honors. */
export function planHonors(ctx: PlanContext): void {
  const { demoFiles, count } = ctx;
  const honors: CellInput[][] = [
    [1, '后安定村', '全国民主法治示范村', '全国', d(2020, 12, 18), '司法部、民政部'],
    [2, '佟营村', '大兴区民主法治示范村', '区级', d(2020, 11, 20), '大兴区司法局、大兴区民政局'],
  ];
  count('service.model_villages');
  demoFiles.push({
    department: 'justice',
    file: '法治创建台账.xlsx',
    kind: 'xlsx',
    sheets: [{ name: 'Sheet1', header: ['序号', '村居', '称号', '级别', '授予日期', '授予单位'], rows: honors, numberFormats: { 5: 'yyyy"年"m"月"d"日"' } }],
  });
}

/** justice publicity (152 rows, real dates) holding the shared 12·4 activity. */
export function planJusticePublicity(ctx: PlanContext, town: Town): void {
  const { rng, demoFiles, plant, count, cellOf } = ctx;
  const { justicePreamble, sharedActivity, publicityCounts, activities } = town;
  const file = '司法所普法宣传台账.xlsx';
  const themes = [
    ['《民法典》进{place}宣讲', '民法典'],
    ['民法典“美好生活”主题宣传（{place}）', '民法典'],
    ['人民调解法律知识宣传（{place}）', '人民调解'],
    ['法律援助条例宣传进{place}', '法律援助'],
    ['扫黑除恶专项斗争宣传（{place}）', '扫黑除恶'],
    ['疫情防控法律知识宣传（{place}）', '疫情防控'],
    ['老年人防诈骗法治讲座（{place}）', '反诈'],
    ['“3·15”消费者权益保护法宣传（{place}）', '消费者权益保护法'],
    ['土地管理法宣传进{place}', '土地管理法'],
    ['治安管理处罚法宣传（{place}）', '治安管理处罚法'],
  ] as const;
  const list = activities(publicityCounts.justice - 1, themes, () => rng.pick(VILLAGES));
  const rows: CellInput[][] = list.map((a) => [a.date, a.activity, a.theme, rng.pick(['法治讲座', '发放宣传材料', '设立咨询台', '以案释法', '微信推送']), rng.int(15, 200), null]);
  const shared: CellInput[] = [sharedActivity.date, sharedActivity.name, '宪法', '设立咨询台', 120, '与执法队联合开展'];
  const at = rows.findIndex((r) => r[0] instanceof Date && r[0].getTime() > sharedActivity.date.getTime());
  rows.splice(at < 0 ? rows.length : at, 0, shared);
  count('publicity.events', rows.length);
  const spec: SheetSpec = {
    name: '普法宣传',
    title: '安定镇司法所2020年普法宣传活动台账',
    preamble: justicePreamble,
    header: ['日期', '活动名称', '宣传主题', '形式', '参与人数', '备注'],
    rows,
    numberFormats: { 1: 'yyyy"年"m"月"d"日"' },
    notes: ['填报人：刘敏  审核人：王建华'],
  };
  plant({ code: 'publicity.cross_department_duplicate', department: 'justice', file, sheet: '普法宣传', cell: cellOf(spec, shared, '活动名称'), note: '与综合执法队同日同名的活动；两处都计入234次' });
  demoFiles.push({ department: 'justice', file, kind: 'xlsx', sheets: [spec] });
}
