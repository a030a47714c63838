/**
 * The demo inbox: the ledgers of 安定镇's four departments for 2020, written the way clerks
 * write them (merged titles, two-level headers, 合计 and 注 rows, dates in every form, a GBK
 * CSV, a ledger split over quarter sheets, two ledgers in one workbook), whose rows add up to
 * the figures of the 2020 report, with a few deliberate mistakes so the findings list is not
 * empty. Everything is generated from a fixed seed: the same inbox every time.
 *
 * @example
 * const manifest = await generateDemoInbox('demo-run/inbox');
 * manifest.expected['enforcement.disclosures']; // 283
 * manifest.planted.find((p) => p.code === 'cell.enum')?.cell; // e.g. 'C17'
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { a1, layoutOf, writeCsv, writeLedgerWorkbook } from './ledger-workbook.ts';
import type { CellInput, SheetSpec } from './ledger-workbook.ts';

export interface PlantedMistake {
  /** The check code (contract §4) the mistake should raise. */
  code: string;
  department: string;
  /** File name inside the department folder. */
  file: string;
  /** Sheet name; for a CSV the file name without its extension. */
  sheet: string;
  /** A1 address, or a row number as a string, or null for a file/sheet/figure-level finding. */
  cell: string | null;
  note: string;
}

export interface DemoManifest {
  /** `<department>/<file>` of every file written, relative to the inbox. */
  files: string[];
  planted: PlantedMistake[];
  /** Indicator code → the value the demo ledgers produce under contract §3. */
  expected: Record<string, number>;
}

/** One file of the demo, before it is written. */
export type DemoFile =
  | { department: string; file: string; kind: 'xlsx'; sheets: SheetSpec[] }
  | { department: string; file: string; kind: 'csv'; rows: (string | number)[][]; encoding: 'utf-8' | 'utf-8-bom' | 'gb18030' };

export interface DemoPlan extends DemoManifest {
  demoFiles: DemoFile[];
}

/** The figures of the 2020 report the demo reproduces (report-anding-2020.txt). */
export const DEMO_FIGURES = {
  'enforcement.disclosures': 283,
  'enforcement.penalty_reviews': 206,
  'enforcement.exam_passed': 1,
  'decision.normative_docs': 0,
  'decision.contract_reviews': 207,
  'decision.legal_opinions': 12,
  'litigation.total': 35,
  'litigation.reconsiderations': 5,
  'litigation.lawsuits': 30,
  'litigation.leader_appearances': 15,
  'litigation.rectifications': 0,
  'study.pre_meeting': 2,
  'study.staff_sessions': 4,
  'service.consultations': 1236,
  'service.disputes_resolved': 131,
  'service.aid_consultations': 156,
  'service.aid_cases': 14,
  'service.model_villages': 1,
  'publicity.events': 234,
  'staff.legal_professionals': 0,
} as const satisfies Record<string, number>;

// ---------------------------------------------------------------- deterministic randomness

/** mulberry32: a small seeded PRNG, so the demo is the same on every run. */
class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    const v = items[Math.floor(this.next() * items.length)];
    if (v === undefined) throw new Error('pick from an empty list');
    return v;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

// ---------------------------------------------------------------- dates and their written forms

const DAY = 86_400_000;
const d = (y: number, m: number, day: number): Date => new Date(Date.UTC(y, m - 1, day));
const addDays = (date: Date, n: number): Date => new Date(date.getTime() + n * DAY);
const ymd = (date: Date) => ({ y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() });
const pad = (n: number) => String(n).padStart(2, '0');
const dotted = (date: Date) => { const t = ymd(date); return `${t.y}.${t.m}.${t.d}`; };
const slashed = (date: Date) => { const t = ymd(date); return `${t.y}/${t.m}/${t.d}`; };
const chinese = (date: Date) => { const t = ymd(date); return `${t.y}年${t.m}月${t.d}日`; };
const compact = (date: Date) => { const t = ymd(date); return `${t.y}${pad(t.m)}${pad(t.d)}`; };
const iso = (date: Date) => { const t = ymd(date); return `${t.y}-${pad(t.m)}-${pad(t.d)}`; };
const monthDay = (date: Date) => { const t = ymd(date); return `${t.m}月${t.d}日`; };
/** Last day of a month of 2020 (Date.UTC rolls month 13 over to January). */
const monthEnd = (m: number): Date => addDays(d(2020, m + 1, 1), -1);
const inYear = (date: Date | null | undefined, year = 2020) => date != null && date.getUTCFullYear() === year;

/** A working day (Mon–Fri) between two dates inclusive. */
function workday(rng: Rng, from: Date, to: Date): Date {
  const span = Math.round((to.getTime() - from.getTime()) / DAY);
  for (;;) {
    const date = addDays(from, rng.int(0, span));
    const wd = date.getUTCDay();
    if (wd !== 0 && wd !== 6) return date;
  }
}

/** n sorted working days in a range. */
function workdays(rng: Rng, from: Date, to: Date, n: number): Date[] {
  return Array.from({ length: n }, () => workday(rng, from, to)).sort((a, b) => a.getTime() - b.getTime());
}

/** n integers >= min adding up to total. */
function splitSum(rng: Rng, total: number, n: number, min: number): number[] {
  const weights = Array.from({ length: n }, () => 0.3 + rng.next());
  const w = weights.reduce((s, x) => s + x, 0);
  const spare = total - n * min;
  const parts = weights.map((x) => min + Math.floor((spare * x) / w));
  let rest = total - parts.reduce((s, x) => s + x, 0);
  for (let i = 0; rest > 0; i = (i + 1) % n, rest--) parts[i] = (parts[i] ?? 0) + 1;
  return parts;
}

const FULL_WIDTH = (n: number) => String(n).replace(/\d/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

// ---------------------------------------------------------------- vocabulary of 安定镇

const VILLAGES = [
  '后安定村', '前安定村', '西芦各庄村', '东芦各庄村', '佟营村', '东白塔村', '西白塔村', '高店村',
  '马各庄村', '汤营村', '于家务村', '徐柏村', '驴房村', '杜庄村', '通州马坊村', '善台子村',
  '皋营村', '大渠村', '前野厂村', '后野厂村', '站上村', '伙达营村', '兴安营村', '洪士庄村',
] as const;
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '于', '郑'] as const;
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '建国', '志强', '海燕', '玉兰', '春生', '宝山', '德明', '淑珍', '红梅'] as const;
const name = (rng: Rng) => rng.pick(SURNAMES) + rng.pick(GIVEN);
const anon = (rng: Rng) => `${rng.pick(SURNAMES)}某某`;
const company = (rng: Rng) =>
  `北京${rng.pick(['鑫', '盛', '华', '泰', '恒', '润', '兴', '宏', '德', '永'])}${rng.pick(['源', '达', '通', '旺', '诚', '利', '安', '顺'])}${rng.pick(['商贸', '建材', '物流', '餐饮管理', '再生资源回收', '农业科技', '建筑工程'])}有限公司`;

const PREAMBLE_DATE = '填报日期：2021年1月8日';

// ---------------------------------------------------------------- the plan

/** Builds the demo inbox in memory: the files, the planted mistakes, the expected figures. */
export function planDemoInbox(): DemoPlan {
  const rng = new Rng(20201231);
  const demoFiles: DemoFile[] = [];
  const planted: PlantedMistake[] = [];
  const counted: Record<string, number> = {};
  const count = (code: string, n = 1) => (counted[code] = (counted[code] ?? 0) + n);

  const plant = (p: PlantedMistake) => planted.push(p);
  /** A1 address of column `header` on data row `row` (the row object itself) of a sheet. */
  const cellOf = (spec: SheetSpec, row: CellInput[], header: string): string => {
    const i = spec.rows.indexOf(row);
    if (i < 0) throw new Error(`row not in sheet ${spec.name}`);
    const layout = layoutOf(spec);
    return a1(layout.columnOf(header), layout.rowOfData(i));
  };

  // ============================================================ enforcement 综合执法队
  const enforcementPreamble: CellInput[][] = [['填报单位：安定镇综合执法队（盖章）', null, null, PREAMBLE_DATE]];

  // ---- disclosure: one ledger over four quarter sheets, each with its own date form.
  {
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

  // ---- penalty: two-level header 法制审核 over 审核日期 | 重大执法决定 | 集体讨论日期, √/× booleans.
  {
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

  // ---- officers: exam results of several years, 法律职业资格 all 否.
  {
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

  // ---- publicity: three departments add up to 234; one activity reported by two of them.
  const sharedActivity = { date: d(2020, 12, 4), name: '“12·4”国家宪法日集中宣传活动' };
  const publicityCounts = { enforcement: 58, justice: 152, office: 24 };
  const seen = new Set<string>();
  /** n (date, activity) pairs, unique in the whole town, from a department's own themes. */
  const activities = (n: number, themes: readonly (readonly [string, string])[], placeFor: () => string) => {
    const out: { date: Date; activity: string; theme: string }[] = [];
    while (out.length < n) {
      const date = workday(rng, d(2020, 1, 6), d(2020, 12, 25));
      const [activity, theme] = rng.pick(themes);
      const full = activity.replace('{place}', placeFor());
      const key = `${iso(date)}|${full}`;
      if (seen.has(key) || key === `${iso(sharedActivity.date)}|${sharedActivity.name}`) continue;
      seen.add(key);
      out.push({ date, activity: full, theme });
    }
    return out.sort((a, b) => a.date.getTime() - b.date.getTime());
  };
  {
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

  // ============================================================ justice 司法所
  const justicePreamble: CellInput[][] = [['填报单位：安定镇司法所', null, null, null, '填报日期：2021年1月6日']];

  // ---- litigation: 5 复议 + 30 诉讼, 出庭情况 over 负责人出庭 | 出庭负责人, 15 appearances.
  {
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

  // ---- 司法所台账汇总.xlsx: 人民调解 and 法律援助 in one workbook.
  {
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

  // ---- 公共法律服务台账.csv in GB18030, with a 合计 row that was not updated (planted).
  {
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

  // ---- honors.
  {
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

  // ---- justice publicity (152 rows, real dates) holding the shared 12·4 activity.
  {
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

  // ============================================================ counsel 法律顾问
  {
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

  // ============================================================ office 综合保障办
  const officePreamble: CellInput[][] = [['填报单位：安定镇综合保障办', null, null, PREAMBLE_DATE]];
  {
    // An empty ledger: header, no data rows = 0 规范性文件 issued.
    count('decision.normative_docs', 0);
    demoFiles.push({
      department: 'office',
      file: '规范性文件台账.xlsx',
      kind: 'xlsx',
      sheets: [{ name: 'Sheet1', title: '安定镇2020年行政规范性文件台账', preamble: officePreamble, header: ['序号', '文号', '文件名称', '印发日期', '备案日期', '备注'], rows: [], notes: ['注：2020年度我镇未印发行政规范性文件。'] }],
    });
  }
  {
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
  {
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
  {
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

  // The figures the rows add up to must be the report's: fail loudly if a change broke that.
  const expected: Record<string, number> = {};
  for (const [code, target] of Object.entries(DEMO_FIGURES)) {
    const actual = counted[code] ?? 0;
    if (actual !== target) throw new Error(`demo: ${code} adds up to ${actual}, the report says ${target}`);
    expected[code] = actual;
  }
  return { demoFiles, files: demoFiles.map((f) => `${f.department}/${f.file}`), planted, expected };
}

/**
 * Writes the demo inbox: `inboxDir/<department>/<file>` for every ledger of the demo roster.
 * Returns what was written, the planted mistakes and the figures the ledgers produce.
 */
export async function generateDemoInbox(inboxDir: string): Promise<DemoManifest> {
  const plan = planDemoInbox();
  for (const f of plan.demoFiles) {
    const dir = join(inboxDir, f.department);
    await mkdir(dir, { recursive: true });
    const path = join(dir, f.file);
    if (f.kind === 'xlsx') await writeLedgerWorkbook(path, f.sheets);
    else await writeCsv(path, f.rows, { encoding: f.encoding });
  }
  return { files: plan.files, planted: plan.planted, expected: plan.expected };
}
