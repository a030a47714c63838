/**
 * One town of the district demo: a CSV per ledger of the demo roster, clean rows whose counts
 * are known in advance (so a test can check every figure), scaled by the town's size, with an
 * optional planted mistake. Deterministic: the same town name and seed give the same files.
 *
 * @example
 * const plan = planTownInbox({ seed: 7, size: 1.2 });
 * plan.expected['service.disputes_resolved']; // what tally will count
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeCsv } from '../ledger-workbook.ts';

export interface TownPlanOptions {
  readonly seed: number;
  /** Scales every ledger (1 = a town like 安定镇, about 1,000 rows). */
  readonly size: number;
  /** Multiplies one figure's rows, to make a town far from its peers. */
  readonly spike?: { readonly code: 'enforcement.disclosures' | 'service.consultations'; readonly factor: number };
  /** Plants a 调解结果 that is not on the list (cell.enum, 错误) and a 案件编号 twice (row.duplicate_key). */
  readonly mistakes?: boolean;
}

export interface TownPlan {
  /** `<department>/<file>` → CSV rows. */
  readonly files: ReadonlyMap<string, (string | number)[][]>;
  /** What tally counts from these files, by indicator code. */
  readonly expected: Readonly<Record<string, number>>;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function planTownInbox(opts: TownPlanOptions): TownPlan {
  const r = rng(opts.seed);
  const n = (base: number) => Math.max(0, Math.round(base * opts.size * (0.75 + r() * 0.5)));
  const day = (from = 0, to = 364) => {
    const d = new Date(Date.UTC(2020, 0, 1 + from + Math.floor(r() * (to - from + 1))));
    return d.toISOString().slice(0, 10);
  };
  const later = (date: string, max = 30) => new Date(Date.parse(`${date}T00:00:00Z`) + (1 + Math.floor(r() * max)) * 86_400_000).toISOString().slice(0, 10);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const files = new Map<string, (string | number)[][]>();
  const expected: Record<string, number> = {};

  const disclosures = n(280) * (opts.spike?.code === 'enforcement.disclosures' ? opts.spike.factor : 1);
  files.set('enforcement/执法公示台账.csv', [
    ['序号', '公示日期', '公示类别', '公示内容', '公示载体'],
    ...Array.from({ length: disclosures }, (_, i) => [i + 1, day(), pick(['事前公示', '事中公示', '事后公示']), `执法信息公示第${i + 1}项`, '政务网站']),
  ]);
  expected['enforcement.disclosures'] = disclosures;

  const penalties = n(200);
  const penaltyRows: (string | number)[][] = Array.from({ length: penalties }, (_, i) => {
    const opened = day(0, 300);
    return [`罚〔2020〕${String(i + 1).padStart(4, '0')}号`, opened, `当事人${i + 1}`, '违反市容环境卫生管理规定', later(opened, 20), '否', '', later(opened, 40), 500];
  });
  if (opts.mistakes === true && penaltyRows.length > 1) penaltyRows.push([...(penaltyRows[0] as (string | number)[])]);
  files.set('enforcement/行政处罚案件台账.csv', [['案件编号', '立案日期', '当事人', '案由', '法制审核日期', '是否重大执法决定', '集体讨论日期', '决定日期', '罚款金额(元)'], ...penaltyRows]);
  // A key twice: both rows are read; the duplicate is a finding, and both count (the figure is rows with 审核日期 in the year).
  expected['enforcement.penalty_reviews'] = penaltyRows.length;

  const officers = Math.max(2, n(8));
  const passed = Math.min(officers, Math.round(r() * 3));
  const professionals = Math.min(officers, Math.round(r() * 2));
  files.set('enforcement/执法人员台账.csv', [
    ['姓名', '执法证号', '资格考试日期', '考试结果', '法律职业资格'],
    ...Array.from({ length: officers }, (_, i) => [`执法员${i + 1}`, `11${String(opts.seed).padStart(4, '0')}${i}`, i < passed ? day() : '2018-06-01', i < passed ? '通过' : '通过', i < professionals ? '是' : '否']),
  ]);
  expected['enforcement.exam_passed'] = passed;
  expected['staff.legal_professionals'] = professionals;

  const docs = Math.round(r() * 3);
  files.set('office/规范性文件台账.csv', [
    ['文号', '文件名称', '印发日期', '备案日期'],
    ...Array.from({ length: docs }, (_, i) => {
      const issued = day(0, 300);
      return [`政发〔2020〕${i + 1}号`, `关于加强管理的规定（${i + 1}）`, issued, later(issued, 20)];
    }),
  ]);
  expected['decision.normative_docs'] = docs;

  const contracts = n(200);
  const opinions = n(12);
  files.set('counsel/合法性审查台账.csv', [
    ['序号', '送审日期', '审查类别', '事项名称', '标的额(万元)', '审查日期', '审查意见'],
    ...Array.from({ length: contracts + opinions }, (_, i) => {
      const sent = day(0, 330);
      return [i + 1, sent, i < contracts ? '合同' : '法律意见', `审查事项${i + 1}`, 10, later(sent, 20), '同意'];
    }),
  ]);
  expected['decision.contract_reviews'] = contracts;
  expected['decision.legal_opinions'] = opinions;

  const reconsiderations = n(5);
  const lawsuits = n(30);
  const appearances = Math.round(lawsuits * (0.3 + r() * 0.6));
  const litigation: (string | number)[][] = [];
  for (let i = 0; i < reconsiderations + lawsuits; i++) {
    const suit = i >= reconsiderations;
    const appear = suit && i - reconsiderations < appearances;
    const received = day(0, 330);
    litigation.push([`（2020）京${suit ? '行初' : '复'}${i + 1}号`, suit ? '行政诉讼' : '行政复议', received, `申请人${i + 1}`, '行政处罚', suit ? later(received) : '', appear ? '是' : '否', appear ? '副镇长' : '', later(received, 25), '维持', '']);
  }
  files.set('justice/行政复议应诉案件台账.csv', [['案号', '案件类别', '收案日期', '申请人/原告', '案由', '开庭日期', '负责人出庭', '出庭负责人', '结案日期', '结果', '整改意见建议'], ...litigation]);
  expected['litigation.reconsiderations'] = reconsiderations;
  expected['litigation.lawsuits'] = lawsuits;
  expected['litigation.total'] = reconsiderations + lawsuits;
  expected['litigation.leader_appearances'] = appearances;
  expected['litigation.rectifications'] = 0;

  const resolved = n(130);
  const pending = n(10);
  const mediation: (string | number)[][] = Array.from({ length: resolved + pending }, (_, i) => {
    const received = day(0, 330);
    return [i + 1, received, `当事人${i + 1}`, pick(['邻里纠纷', '婚姻家庭', '物业纠纷']), '群众申请', i < resolved ? '调解成功' : '调解中', i < resolved ? later(received, 20) : ''];
  });
  if (opts.mistakes === true) mediation.push([mediation.length + 1, '2020-06-01', '当事人', '邻里纠纷', '群众申请', '调解完毕', '2020-06-05']);
  files.set('justice/人民调解台账.csv', [['序号', '受理日期', '当事人', '纠纷类型', '案件来源', '调解结果', '结案日期'], ...mediation]);
  expected['service.disputes_resolved'] = resolved;

  const aid = n(14);
  files.set('justice/法律援助台账.csv', [
    ['案件编号', '受理日期', '受援人', '人员类别', '案件类型', '结案日期'],
    ...Array.from({ length: aid }, (_, i) => {
      const received = day(0, 330);
      return [`援〔2020〕${i + 1}号`, received, `受援人${i + 1}`, '老年人', '劳动争议', later(received)];
    }),
  ]);
  expected['service.aid_cases'] = aid;

  const serviceDays = Math.max(1, n(60));
  const consultationFactor = opts.spike?.code === 'service.consultations' ? opts.spike.factor : 1;
  let consultations = 0;
  let aidConsultations = 0;
  const service: (string | number)[][] = [];
  for (let i = 0; i < serviceDays; i++) {
    const people = Math.round((10 + Math.floor(r() * 20)) * consultationFactor);
    const aidPeople = Math.floor(r() * 5);
    const date = day();
    service.push([date, `第${(i % 12) + 1}村`, '法律咨询', people]);
    service.push([date, `第${(i % 12) + 1}村`, '法律援助咨询', aidPeople]);
    consultations += people;
    aidConsultations += aidPeople;
  }
  files.set('justice/公共法律服务台账.csv', [['日期', '村居', '服务类别', '人次'], ...service]);
  expected['service.consultations'] = consultations;
  expected['service.aid_consultations'] = aidConsultations;

  const model = r() < 0.3 ? 1 : 0;
  files.set('justice/法治创建台账.csv', [
    ['村居', '称号', '级别', '授予日期'],
    ...(model === 1 ? [['第一村', '全国民主法治示范村', '全国', day()]] : []),
    ['第二村', '区级民主法治示范村', '区级', day()],
  ]);
  expected['service.model_villages'] = model;

  // 普法宣传: each of three departments its own activities (names never shared: no cross-department duplicate).
  let events = 0;
  for (const [dept, label] of [['justice', '司法所'], ['enforcement', '执法队'], ['office', '保障办']] as const) {
    const k = n(78);
    events += k;
    files.set(`${dept}/普法宣传台账.csv`, [
      ['日期', '活动名称', '宣传主题', '形式', '参与人数'],
      ...Array.from({ length: k }, (_, i) => [day(), `${label}普法活动${i + 1}`, '宪法宣传', '现场宣讲', 30]),
    ]);
  }
  expected['publicity.events'] = events;

  const preMeeting = 1 + Math.floor(r() * 4);
  const staffSessions = 2 + Math.floor(r() * 5);
  files.set('office/学法活动台账.csv', [
    ['日期', '类别', '主题', '组织部门', '参加人数'],
    ...Array.from({ length: preMeeting }, (_, i) => [day(), '会前学法', `会前学法${i + 1}`, '党政办', 20]),
    ...Array.from({ length: staffSessions }, (_, i) => [day(), '机关干部学法', `干部学法${i + 1}`, '司法所', 40]),
  ]);
  expected['study.pre_meeting'] = preMeeting;
  expected['study.staff_sessions'] = staffSessions;

  files.set('office/年度统计表.csv', [['指标', '数值', '说明']]);
  return { files, expected };
}

export async function writeTownInbox(inbox: string, plan: TownPlan): Promise<void> {
  for (const [path, rows] of plan.files) {
    const file = join(inbox, path);
    await mkdir(join(file, '..'), { recursive: true });
    await writeCsv(file, rows);
  }
}
