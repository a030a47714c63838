/**
 * The ledgers of 良渚街道司法所 for 2023: 行政复议诉讼案件 (14 复议, 9 诉讼, a leader in court
 * every time) under a two-level header, 矛盾纠纷调解 as a GB18030 CSV (425 accepted, 412
 * resolved, one 调解结果 outside the list), and 普法活动 with a 合计 row that was not updated.
 */
import { addDays, anon, compact, d, slashed, workday, workdays, FULL_WIDTH } from '../demo-kit.ts';
import { a1, layoutOf } from '../ledger-workbook.ts';
import type { CellInput, SheetSpec } from '../ledger-workbook.ts';
import type { PlanContext } from '../demo-plan.ts';
import { COMMUNITIES, company } from './vocabulary.ts';

export function planAdminCases(ctx: PlanContext): void {
  const { rng, demoFiles, plant, count, cellOf } = ctx;
  const file = '行政复议诉讼案件台账2023.xlsx';
  const leaders = ['沈建国（主任）', '徐志明（副主任）', '钱晓峰（副主任）'];
  const cases = [
    ...workdays(rng, d(2023, 2, 1), d(2023, 11, 30), 14).map((received) => ({ kind: 'r' as const, received })),
    ...workdays(rng, d(2023, 1, 9), d(2023, 12, 15), 9).map((received) => ({ kind: 'l' as const, received })),
  ].sort((a, b) => a.received.getTime() - b.received.getTime());
  const rows: CellInput[][] = [];
  let wrongOrder: CellInput[] | null = null;
  let seq = 1;
  for (const c of cases) {
    const closed = addDays(c.received, rng.int(30, 80));
    const closedOn = closed.getUTCFullYear() === 2023 ? closed : null;
    if (c.kind === 'r') {
      rows.push([`杭余复〔2023〕${10 + seq++}号`, rng.chance(0.5) ? '复议' : '行政复议', c.received, anon(rng), null, null, null, closedOn]);
      count('cases.reconsiderations');
    } else {
      const heard = addDays(c.received, rng.int(20, 40));
      const row: CellInput[] = [`（2023）浙0110行初${100 + seq++ * 7}号`, rng.chance(0.4) ? '诉讼' : '行政诉讼', c.received, rng.chance(0.6) ? anon(rng) : company(rng), heard, '是', rng.pick(leaders), closedOn];
      if (wrongOrder === null && closedOn !== null) {
        // Planted: 结案日期 typed a month before 收案日期 (still counted).
        row[7] = addDays(c.received, -31);
        wrongOrder = row;
      }
      rows.push(row);
      count('cases.lawsuits');
      count('cases.leader_appearances');
    }
  }
  const spec: SheetSpec = {
    name: '2023年',
    title: '良渚街道2023年行政复议、行政诉讼案件台账',
    preamble: [['填报单位：良渚街道司法所', null, null, null, null, '填报日期：2024年1月10日']],
    header: ['案号', '案件类型', '收案日期', '申请人/原告', '开庭日期', { group: '出庭情况', children: ['负责人出庭应诉', '出庭负责人'] }, '结案日期'],
    rows,
    notes: ['注：行政诉讼案件负责人出庭应诉率100%。'],
    numberFormats: { 3: 'yyyy"年"m"月"d"日"', 5: 'yyyy/m/d', 8: 'yyyy"年"m"月"d"日"' },
  };
  if (wrongOrder) plant({ code: 'row.date_order', department: 'sifa', file, sheet: spec.name, cell: cellOf(spec, wrongOrder, '结案日期'), note: '结案日期早于收案日期；仍计入9件行政诉讼' });
  demoFiles.push({ department: 'sifa', file, kind: 'xlsx', sheets: [spec] });
}

export function planDisputes(ctx: PlanContext): void {
  const { rng, demoFiles, plant, count } = ctx;
  const file = '矛盾纠纷调解台账.csv';
  const results = [...Array<string>(412).fill('成功'), ...Array<string>(8).fill('不成功'), ...Array<string>(5).fill('调解中')];
  const dates = workdays(rng, d(2023, 1, 3), d(2023, 12, 27), results.length);
  const rows: (string | number)[][] = [['序号', '受理日期', '社区', '纠纷类型', '调解结果', '结案日期']];
  const shuffled = results.map((r) => ({ r, k: rng.next() })).sort((a, b) => a.k - b.k).map((x) => x.r);
  dates.forEach((received, i) => {
    const result = shuffled[i] ?? '成功';
    const closed = result === '调解中' ? '' : slashed(addDays(received, rng.int(1, 20)));
    const written = result === '成功' && i % 6 === 1 ? '调解成功' : result === '不成功' && i % 2 === 0 ? '失败' : result;
    rows.push([i % 9 === 4 ? FULL_WIDTH(i + 1) : i + 1, i % 4 === 3 ? compact(received) : slashed(received), rng.pick(COMMUNITIES), rng.pick(['邻里纠纷', '婚姻家庭', '物业纠纷', '劳务纠纷', '损害赔偿', '土地承包']), written, closed]);
    count('disputes.accepted');
    if (result === '成功') count('disputes.resolved');
  });
  // Planted: a 调解结果 outside the list (已化解): the row cannot be counted until it is fixed.
  const at = rows.length;
  rows.push([at, slashed(workday(rng, d(2023, 6, 1), d(2023, 6, 30))), rng.pick(COMMUNITIES), '邻里纠纷', '已化解', '']);
  plant({ code: 'cell.enum', department: 'sifa', file, sheet: '矛盾纠纷调解台账', cell: `E${at + 1}`, note: '调解结果写作“已化解”，不在列表内；此行不计入425件' });
  demoFiles.push({ department: 'sifa', file, kind: 'csv', rows, encoding: 'gb18030' });
}

/** n 普法 activities of a department in 2023. */
export function activities(ctx: PlanContext, n: number, themes: readonly string[]): CellInput[][] {
  const { rng } = ctx;
  return workdays(rng, d(2023, 1, 9), d(2023, 12, 22), n).map((date) => [date, `${rng.pick(themes)}（${rng.pick(COMMUNITIES)}）`, rng.pick(COMMUNITIES), rng.int(20, 160)]);
}

export function planJusticePublicity(ctx: PlanContext): void {
  const { demoFiles, plant, count } = ctx;
  const file = '司法所普法活动台账.xlsx';
  const rows = activities(ctx, 56, ['民法典进社区', '“八五”普法宣讲', '反诈骗法治讲座', '法律明白人培训', '宪法宣传周活动', '未成年人保护法宣传']);
  const people = rows.reduce((s, r) => s + Number(r[3]), 0);
  count('publicity.events', rows.length);
  const spec: SheetSpec = {
    name: '普法活动',
    title: '良渚街道司法所2023年普法活动台账',
    header: ['活动日期', '活动名称', '地点', '参与人数'],
    rows,
    total: { position: 'bottom', cells: ['合计', null, null, people + 100] },
    numberFormats: { 1: 'yyyy"年"m"月"d"日"' },
    notes: ['填报人：钱晓峰'],
  };
  plant({ code: 'sheet.total_mismatch', department: 'sifa', file, sheet: spec.name, cell: a1(4, layoutOf(spec).totalRow ?? 0), note: `合计行参与人数写${people + 100}，各行相加为${people}` });
  demoFiles.push({ department: 'sifa', file, kind: 'xlsx', sheets: [spec] });
}
