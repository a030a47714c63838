/**
 * 临江县城东街道 2022: a report tally's authors never saw (report-text.txt beside this file),
 * made into a pack from the README alone, as an adopter would, with an inbox filled the way
 * clerks fill the templates (a merged title, a 合计 row, a blank row, dates and amounts typed as
 * text, a GB18030 CSV). What anding's pack never had: amounts in 万元 with two decimals (from 元
 * and from 万元), rates with a denominator of 0, a count of distinct communities, a count on an
 * enum (纠错), a sum written in 万人次, year over year in the text (同比增长25%, from last year's
 * report workbook: {@link writePreviousWorkbook}), ledgers of 重大行政决策
 * (听证/合法性审查 是否) and 行政规范性文件备案审查.
 *
 * Everything is generated: {@link writeChengdongPack} the pack's files, {@link writeChengdongInbox}
 * the departments' files, and {@link EXPECTED} the figures worked out from the same rows, apart
 * from tally.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import ExcelJS from 'exceljs';
import { writeCsv, writeLedgerWorkbook, type CellInput } from '../../demo/ledger-workbook.ts';

const YEAR = 2022;
const day = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));
/** The n-th day of a year (0-based) as a Date, spread over the year. */
const nth = (y: number, n: number) => new Date(Date.UTC(y, 0, 1 + (n % 360)));

const COMMUNITIES = ['城东社区', '江滨社区', '新桥社区', '东湖社区', '望江社区', '花园社区', '学府社区', '和平社区', '清河社区', '南苑社区', '北关社区', '滨江社区'];

// ---------------------------------------------------------------- the pack, as files

const INDICATORS = [
  ['decisions.total', '一(一)', '重大行政决策', '项', 'exact', 'decisions'],
  ['decisions.reviewed', '一(一)', '经合法性审查的重大行政决策', '项', 'exact', 'decisions'],
  ['decisions.hearings', '一(一)', '举行听证会', '次', 'exact', 'decisions'],
  ['docs.issued', '一(一)', '制定行政规范性文件', '件', 'exact', 'normative_docs'],
  ['docs.filed', '一(一)', '报备行政规范性文件', '件', 'exact', 'normative_docs'],
  ['contracts.reviewed', '一(一)', '审查合同', '份', 'exact', 'contracts'],
  ['contracts.amount', '一(一)', '审查合同涉及金额', '万元', 'exact', 'contracts'],
  ['penalty.cases', '一(二)', '办理行政处罚案件', '件', 'approx', 'penalty'],
  ['penalty.fines', '一(二)', '罚没款', '万元', 'exact', 'penalty'],
  ['cases.reconsiderations', '一(三)', '行政复议案件', '件', 'exact', 'admin_cases'],
  ['cases.corrected', '一(三)', '被复议机关纠错', '件', 'exact', 'admin_cases'],
  ['cases.lawsuits', '一(三)', '行政诉讼案件', '件', 'exact', 'admin_cases'],
  ['cases.leader_appearances', '一(三)', '负责人出庭应诉', '次', 'exact', 'admin_cases'],
  ['disputes.accepted', '一(四)', '受理矛盾纠纷', '件', 'exact', 'disputes'],
  ['disputes.resolved', '一(四)', '调解成功', '件', 'exact', 'disputes'],
  ['disputes.communities', '一(四)', '涉及社区', '个', 'exact', 'disputes'],
  ['aid.cases', '一(四)', '办理法律援助案件', '件', 'exact', 'legal_aid'],
  ['publicity.events', '一(五)', '开展普法活动', '场', 'exact', 'publicity'],
  ['publicity.audience', '一(五)', '普法受众', '万人次', 'exact', 'publicity'],
] as const;

/** Per indicator: extra wording keys for pack.json (`decimals` …), set by the tests that need them. */
export type IndicatorExtras = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

function packJson(extras: IndicatorExtras): string {
  return JSON.stringify(
    {
      title: '{district}{town}{year}年度法治政府建设情况报告',
      sections: [
        { id: '一(一)', name: '健全依法决策机制' },
        { id: '一(二)', name: '严格规范公正文明执法' },
        { id: '一(三)', name: '依法化解行政争议' },
        { id: '一(四)', name: '推进基层依法治理' },
        { id: '一(五)', name: '深入开展法治宣传教育' },
      ],
      indicators: INDICATORS.map(([code, section, name, unit, written, ledger]) => ({ code, sections: [section], name, unit, written, ledgers: [ledger], ...extras[code] })),
      derived: [
        { code: 'docs.filing_rate', name: '行政规范性文件报备率', numerator: 'docs.filed', denominator: 'docs.issued' },
        { code: 'cases.correction_rate', name: '行政复议纠错率', numerator: 'cases.corrected', denominator: 'cases.reconsiderations' },
        { code: 'cases.appearance_rate', name: '出庭应诉率', numerator: 'cases.leader_appearances', denominator: 'cases.lawsuits' },
        { code: 'disputes.success_rate', name: '人民调解成功率', numerator: 'disputes.resolved', denominator: 'disputes.accepted' },
      ],
      bounds: [
        { figure: 'decisions.reviewed', atMost: 'decisions.total', message: '经合法性审查的决策不能多于决策总数' },
        { figure: 'cases.corrected', atMost: 'cases.reconsiderations', message: '被纠错的复议案件不能多于复议案件总数' },
        { figure: 'disputes.resolved', atMost: 'disputes.accepted', message: '调解成功的纠纷不能多于受理的纠纷' },
      ],
      checks: [
        { code: 'row.date_order' },
        { code: 'decision.no_review', level: '错误', message: '重大行政决策未经合法性审查：请核实，已审查的请把“合法性审查”改为“是”。' },
      ],
    },
    null,
    2,
  );
}

const LEDGERS = {
  ledgers: [
    {
      id: 'decisions', name: '重大行政决策台账', key: 'decision_no', period: ['decided_on'],
      fields: [
        { id: 'decision_no', header: '决策编号', type: 'key', required: true },
        { id: 'title', header: '决策事项', aliases: ['决策名称'], type: 'text', required: true },
        { id: 'office', header: '承办科室', type: 'text' },
        { id: 'decided_on', header: '决策日期', type: 'date', required: true },
        { id: 'public_input', header: '公众参与', type: 'bool' },
        { id: 'expert', header: '专家论证', type: 'bool' },
        { id: 'hearing', header: '听证', aliases: ['举行听证'], type: 'bool' },
        { id: 'risk', header: '风险评估', type: 'bool' },
        { id: 'legality', header: '合法性审查', type: 'bool', required: true },
      ],
    },
    {
      id: 'normative_docs', name: '行政规范性文件备案审查台账', key: 'doc_no', period: ['issued_on'],
      fields: [
        { id: 'doc_no', header: '文号', type: 'key', required: true },
        { id: 'title', header: '文件名称', type: 'text', required: true },
        { id: 'issued_on', header: '印发日期', type: 'date', required: true },
        { id: 'filed_on', header: '报备日期', aliases: ['备案日期'], type: 'date' },
        { id: 'review_result', header: '备案审查结果', type: 'enum', values: ['通过', '纠错', '审查中'] },
      ],
    },
    {
      id: 'contracts', name: '合同审查台账', key: 'review_no', period: ['reviewed_on'],
      fields: [
        { id: 'review_no', header: '审查编号', type: 'key', required: true },
        { id: 'title', header: '合同名称', type: 'text', required: true },
        { id: 'value_wan', header: '标的额(万元)', type: 'number', min: 0 },
        { id: 'submitted_on', header: '送审日期', type: 'date' },
        { id: 'reviewed_on', header: '审查日期', type: 'date', required: true },
      ],
    },
    {
      id: 'penalty', name: '行政处罚案件台账', key: 'case_no', period: ['filed_on'],
      fields: [
        { id: 'case_no', header: '案号', aliases: ['案件编号'], type: 'key', required: true },
        { id: 'filed_on', header: '立案日期', type: 'date', required: true },
        { id: 'party', header: '当事人', type: 'text' },
        { id: 'cause', header: '案由', type: 'text' },
        { id: 'decided_on', header: '决定日期', aliases: ['处罚决定日期'], type: 'date' },
        { id: 'fine', header: '罚没金额(元)', type: 'number', min: 0 },
      ],
    },
    {
      id: 'admin_cases', name: '行政复议诉讼案件台账', key: 'case_no', period: ['received_on'],
      fields: [
        { id: 'case_no', header: '案号', type: 'key', required: true },
        { id: 'kind', header: '案件类别', aliases: ['类别'], type: 'enum', required: true, values: ['行政复议', '行政诉讼'], valueAliases: { 复议: '行政复议', 诉讼: '行政诉讼' } },
        { id: 'received_on', header: '收案日期', aliases: ['受理日期'], type: 'date', required: true },
        { id: 'claimant', header: '申请人/原告', type: 'text' },
        { id: 'result', header: '结果', aliases: ['审理结果'], type: 'enum', values: ['维持', '驳回', '撤销', '变更', '确认违法', '责令履行', '终止', '调解', '审理中'] },
        { id: 'leader_appeared', header: '负责人出庭', type: 'bool' },
        { id: 'closed_on', header: '结案日期', type: 'date' },
      ],
    },
    {
      id: 'disputes', name: '人民调解台账', period: ['received_on'],
      fields: [
        { id: 'seq', header: '序号', type: 'text' },
        { id: 'received_on', header: '受理日期', type: 'date', required: true },
        { id: 'community', header: '社区', aliases: ['所属社区'], type: 'text', required: true },
        { id: 'dispute_type', header: '纠纷类型', type: 'text' },
        { id: 'result', header: '调解结果', type: 'enum', required: true, values: ['调解成功', '调解不成功', '调解中'], valueAliases: { 成功: '调解成功', 不成功: '调解不成功' } },
        { id: 'closed_on', header: '结案日期', type: 'date' },
      ],
    },
    {
      id: 'legal_aid', name: '法律援助台账', key: 'case_no', period: ['accepted_on'],
      fields: [
        { id: 'case_no', header: '案件编号', type: 'key', required: true },
        { id: 'accepted_on', header: '受理日期', type: 'date', required: true },
        { id: 'client', header: '受援人', type: 'text' },
        { id: 'case_type', header: '案件类型', type: 'text' },
      ],
    },
    {
      id: 'publicity', name: '普法宣传台账', period: ['held_on'],
      fields: [
        { id: 'held_on', header: '活动日期', aliases: ['日期'], type: 'date', required: true },
        { id: 'title', header: '活动名称', type: 'text', required: true },
        { id: 'community', header: '社区', type: 'text' },
        { id: 'audience', header: '受众人次', aliases: ['参与人次'], type: 'integer', min: 0 },
      ],
    },
  ],
};

/** A trace query counting the rows of one ledger whose period date is in the year and that pass `also`. */
function traceSql(ledger: string, date: string, label: string, opts: { also?: string; amount?: string; cells: [string, string][] }): string {
  const cells = opts.cells.map(([field, column]) => `{'field': '${field}', 'value': cast(${column} as varchar), 'cell': ${column}__cell}`).join(', ');
  return `with judged as (
  select *,
         case
           when ${date} is null then '${label}为空或无法识别'
           when year(${date}) <> $year then '不在' || $year || '年度内'
           ${opts.also ?? ''}
         end as reason
  from ${ledger}
)
select '${ledger}' as ledger, department, file, file_version_id, file_version, sheet, row_no,
       reason is null as counted,
       ${opts.amount ?? '1'} as amount,
       reason,
       [${cells}] as cells
from judged
`;
}

const CORRECTED = ['撤销', '变更', '确认违法', '责令履行'];

const SQL: Record<string, string> = {
  'decisions.total': traceSql('decisions', 'decided_on', '决策日期', { cells: [['决策日期', 'decided_on']] }),
  'decisions.reviewed': traceSql('decisions', 'decided_on', '决策日期', { also: "when legality is not true then '未经合法性审查'", cells: [['决策日期', 'decided_on'], ['合法性审查', 'legality']] }),
  'decisions.hearings': traceSql('decisions', 'decided_on', '决策日期', { also: "when hearing is not true then '未举行听证'", cells: [['决策日期', 'decided_on'], ['听证', 'hearing']] }),
  'docs.issued': traceSql('normative_docs', 'issued_on', '印发日期', { cells: [['印发日期', 'issued_on']] }),
  'docs.filed': traceSql('normative_docs', 'issued_on', '印发日期', { also: "when filed_on is null then '未报备'", cells: [['印发日期', 'issued_on'], ['报备日期', 'filed_on']] }),
  'contracts.reviewed': traceSql('contracts', 'reviewed_on', '审查日期', { cells: [['审查日期', 'reviewed_on']] }),
  'contracts.amount': traceSql('contracts', 'reviewed_on', '审查日期', { amount: 'coalesce(value_wan, 0)', cells: [['审查日期', 'reviewed_on'], ['标的额(万元)', 'value_wan']] }),
  'penalty.cases': traceSql('penalty', 'filed_on', '立案日期', { cells: [['立案日期', 'filed_on']] }),
  'penalty.fines': traceSql('penalty', 'filed_on', '立案日期', { amount: 'coalesce(fine, 0) / 10000', cells: [['立案日期', 'filed_on'], ['罚没金额(元)', 'fine']] }),
  'cases.reconsiderations': traceSql('admin_cases', 'received_on', '收案日期', { also: "when kind is distinct from '行政复议' then '类别不是行政复议'", cells: [['案件类别', 'kind'], ['收案日期', 'received_on']] }),
  'cases.corrected': traceSql('admin_cases', 'received_on', '收案日期', {
    also: `when kind is distinct from '行政复议' then '类别不是行政复议' when result is null or result not in (${CORRECTED.map((r) => `'${r}'`).join(', ')}) then '结果不是纠错'`,
    cells: [['案件类别', 'kind'], ['结果', 'result']],
  }),
  'cases.lawsuits': traceSql('admin_cases', 'received_on', '收案日期', { also: "when kind is distinct from '行政诉讼' then '类别不是行政诉讼'", cells: [['案件类别', 'kind']] }),
  'cases.leader_appearances': traceSql('admin_cases', 'received_on', '收案日期', {
    also: "when kind is distinct from '行政诉讼' then '类别不是行政诉讼' when leader_appeared is not true then '负责人未出庭'",
    cells: [['案件类别', 'kind'], ['负责人出庭', 'leader_appeared']],
  }),
  'disputes.accepted': traceSql('disputes', 'received_on', '受理日期', { cells: [['受理日期', 'received_on']] }),
  'disputes.resolved': traceSql('disputes', 'received_on', '受理日期', { also: "when result is distinct from '调解成功' then '调解结果不是调解成功'", cells: [['调解结果', 'result']] }),
  'disputes.communities': `-- 涉及社区（个）: each community counted once, at its first row of the year.
with judged as (
  select *,
         case
           when received_on is null then '受理日期为空或无法识别'
           when year(received_on) <> $year then '不在' || $year || '年度内'
           when community is null then '社区为空'
         end as reason
  from disputes
), firsts as (
  select *, row_number() over (partition by reason is null, community order by department, file, sheet, row_no) as nth from judged
)
select 'disputes' as ledger, department, file, file_version_id, file_version, sheet, row_no,
       reason is null and nth = 1 as counted,
       1 as amount,
       coalesce(reason, case when nth > 1 then '重复：同一社区已计入一次' end) as reason,
       [{'field': '社区', 'value': community, 'cell': community__cell}] as cells
from firsts
`,
  'aid.cases': traceSql('legal_aid', 'accepted_on', '受理日期', { cells: [['受理日期', 'accepted_on']] }),
  'publicity.events': traceSql('publicity', 'held_on', '活动日期', { cells: [['活动日期', 'held_on']] }),
  'publicity.audience': traceSql('publicity', 'held_on', '活动日期', { amount: 'coalesce(audience, 0) / 10000', cells: [['受众人次', 'audience']] }),
};

const CHECKS: Record<string, string> = {
  'decision.no_review': `select department, file, sheet, legality__cell as cell, 'decisions' as ledger, '是' as expected, '否' as actual
from decisions where legality = false
`,
  'row.date_order': `with pairs as (
  select 'admin_cases' as ledger, department, file, sheet, row_no, '结案日期' as late_name, closed_on as late, closed_on__cell as cell, '收案日期' as early_name, received_on as early from admin_cases
  union all
  select 'disputes', department, file, sheet, row_no, '结案日期', closed_on, closed_on__cell, '受理日期', received_on from disputes
  union all
  select 'penalty', department, file, sheet, row_no, '决定日期', decided_on, decided_on__cell, '立案日期', filed_on from penalty
  union all
  select 'normative_docs', department, file, sheet, row_no, '报备日期', filed_on, filed_on__cell, '印发日期', issued_on from normative_docs
  union all
  select 'contracts', department, file, sheet, row_no, '审查日期', reviewed_on, reviewed_on__cell, '送审日期', submitted_on from contracts
)
select department, file, sheet, cell, ledger,
       late_name || '（' || strftime(late, '%Y-%m-%d') || '）早于' || early_name || '（' || strftime(early, '%Y-%m-%d') || '），日期顺序不对。请核对两个日期。' as message,
       '不早于' || early_name || ' ' || strftime(early, '%Y-%m-%d') as expected,
       strftime(late, '%Y-%m-%d') as actual
from pairs where late < early
`,
};

/** The narrative: report-text.txt with its figures as placeholders. */
export const TEMPLATE = `# 城东街道 法治政府建设情况报告 模板
{district}{town}{year}年度法治政府建设情况报告

{year}年，城东街道坚持以习近平法治思想为指导，认真贯彻落实县委、县政府关于法治政府建设的决策部署，统筹推进依法决策、严格执法、矛盾化解和法治宣传，法治政府建设取得新进展。现将有关情况报告如下：

一、推进法治政府建设的主要举措和成效

（一）健全依法决策机制

一是严格履行重大行政决策法定程序。{year}年街道{{decisions.total?未作出重大行政决策:作出重大行政决策{}，经合法性审查{{decisions.reviewed}}，{{decisions.hearings?未举行听证会:举行听证会{}}}}}。

二是加强行政规范性文件管理。{year}年街道{{docs.issued?未制定行政规范性文件:制定行政规范性文件{}，报备{{docs.filed}}，报备率{{docs.filing_rate}}}}。

三是发挥法律顾问作用。全年审查各类合同{{contracts.reviewed}}，涉及金额{{contracts.amount}}。

（二）严格规范公正文明执法

全年办理行政处罚案件{{penalty.cases}}，罚没款{{penalty.fines}}。

（三）依法化解行政争议

{year}年街道{{cases.reconsiderations?未发生行政复议案件:办理行政复议案件{}，被复议机关纠错{{cases.corrected}}，行政复议纠错率{{cases.correction_rate}}}}；{{cases.lawsuits?未发生行政诉讼案件:发生行政诉讼案件{}，负责人出庭应诉{{cases.leader_appearances}}，出庭应诉率{{cases.appearance_rate}}}}。

（四）推进基层依法治理

坚持和发展新时代“枫桥经验”，全年受理矛盾纠纷{{disputes.accepted}}，调解成功{{disputes.resolved}}，{{disputes.success_rate?:人民调解成功率{}，}}涉及{{disputes.communities}}社区。全年办理法律援助案件{{aid.cases}}{{aid.cases:同比?:，同比{}}}。

（五）深入开展法治宣传教育

{year}年是“八五”普法承上启下之年，全年开展普法活动{{publicity.events}}，普法受众{{publicity.audience}}。

二、存在的不足和原因

一是法治队伍专业化水平有待提升；二是基层依法治理的精细化程度有待加强。

三、下一年度推进法治政府建设的主要安排

{nextYear}年，街道将持续深化法治政府建设，为县域经济高质量发展提供坚实法治保障。
`;

export interface PackOptions {
  readonly template?: string;
  readonly extras?: IndicatorExtras;
}

/** Writes the pack's files into `dir` (pack.json, ledgers.json, template.txt, indicators/, checks/). */
export async function writeChengdongPack(dir: string, opts: PackOptions = {}): Promise<void> {
  const files: Record<string, string> = {
    'pack.json': packJson(opts.extras ?? {}),
    'ledgers.json': JSON.stringify(LEDGERS, null, 2),
    'template.txt': opts.template ?? TEMPLATE,
  };
  for (const [code, sql] of Object.entries(SQL)) files[`indicators/${code}.sql`] = sql;
  for (const [code, sql] of Object.entries(CHECKS)) files[`checks/${code}.sql`] = sql;
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), content);
  }
}

/** The configuration: 临江县城东街道, 2022, four departments. */
export function chengdongConfig(pack: string): object {
  return {
    district: '临江县',
    town: '城东街道',
    year: YEAR,
    pack,
    coordinator: { name: '城东街道法治办', email: 'fzb@chengdong.example.gov.cn' },
    mail: { from: 'tally 台账核查 <tally@chengdong.example.gov.cn>' },
    departments: [
      { code: 'dangzheng', name: '党政办', email: 'dzb@chengdong.example.gov.cn', owes: ['decisions', 'normative_docs', 'publicity'] },
      { code: 'zhifa', name: '综合行政执法队', email: 'zfd@chengdong.example.gov.cn', owes: ['penalty', 'publicity'] },
      { code: 'sifa', name: '司法所', email: 'sfs@chengdong.example.gov.cn', owes: ['admin_cases', 'disputes', 'legal_aid', 'publicity'] },
      { code: 'guwen', name: '法律顾问室', email: 'gw@chengdong.example.gov.cn', owes: ['contracts'] },
    ],
  };
}

// ---------------------------------------------------------------- the rows, and what they add up to

interface Publicity { held_on: Date; title: string; community: string; audience: number }

/** Audience of the n-th activity of 86; the last one brings the total to 32156. */
function audiences(n: number, total: number): number[] {
  const out = Array.from({ length: n - 1 }, (_, i) => 250 + ((i * 37) % 230));
  out.push(total - out.reduce((a, b) => a + b, 0));
  return out;
}

const AUDIENCE = audiences(86, 32156);
const PUBLICITY: Publicity[] = AUDIENCE.map((audience, i) => ({
  held_on: nth(YEAR, 3 + i * 4),
  title: `${COMMUNITIES[i % 12]}普法宣传活动（第${i + 1}场）`,
  community: COMMUNITIES[i % 12] ?? '',
  audience,
}));
/** 党政办 20, 执法队 30, 司法所 36. */
const PUB_DZ = PUBLICITY.slice(0, 20);
const PUB_ZF = PUBLICITY.slice(20, 50);
const PUB_SF = PUBLICITY.slice(50);

/** 218 cases of 2022: fines in 元 adding up to 1234500 (one 不予处罚 without a fine). */
const FINE_PATTERN = [500, 2000, 3000, 5000, 1000, 10000, 200, 8000];
const FINES: (number | null)[] = Array.from({ length: 218 }, (_, i) => (i === 7 ? null : FINE_PATTERN[i % FINE_PATTERN.length] ?? 0));
FINES[217] = 0;
FINES[217] = 1234500 - FINES.reduce<number>((a, b) => a + (b ?? 0), 0);

/** 156 contracts of 2022: 标的额 in 万元 with two decimals adding up to 3256.78 (in cents: 325678). */
const CONTRACT_CENTS: number[] = Array.from({ length: 156 }, (_, i) => 105 + ((i * 731) % 3900));
CONTRACT_CENTS[155] = 0;
CONTRACT_CENTS[155] = 325678 - CONTRACT_CENTS.reduce((a, b) => a + b, 0);

/** 行政复议 of 2022 and their results: 2 corrected (撤销, 确认违法) of 16. */
const RECONSIDERATIONS = ['维持', '维持', '驳回', '维持', '撤销', '维持', '终止', '驳回', '维持', '确认违法', '维持', '驳回', '审理中', '维持', '审理中', '维持'];

/** 300 disputes over the 12 communities: 296 成功, 3 不成功, 1 调解中. */
const DISPUTES = Array.from({ length: 300 }, (_, i) => ({
  received_on: nth(YEAR, i),
  community: COMMUNITIES[i % 12] ?? '',
  result: i < 296 ? '调解成功' : i < 299 ? '调解不成功' : '调解中',
}));

/**
 * The figures, worked out from the rows above (not by tally). Amounts are kept in 元 and in
 * 分 and divided at the end, as an accountant would.
 */
export const EXPECTED = {
  'decisions.total': 3,
  'decisions.reviewed': 3,
  'decisions.hearings': 1,
  'docs.issued': 0,
  'docs.filed': 0,
  'contracts.reviewed': CONTRACT_CENTS.length,
  'contracts.amount': CONTRACT_CENTS.reduce((a, b) => a + b, 0) / 100,
  'penalty.cases': FINES.length,
  'penalty.fines': FINES.reduce<number>((a, b) => a + (b ?? 0), 0) / 10000,
  'cases.reconsiderations': RECONSIDERATIONS.length,
  'cases.corrected': RECONSIDERATIONS.filter((r) => CORRECTED.includes(r)).length,
  'cases.lawsuits': 0,
  'cases.leader_appearances': 0,
  'disputes.accepted': DISPUTES.length,
  'disputes.resolved': DISPUTES.filter((d) => d.result === '调解成功').length,
  'disputes.communities': new Set(DISPUTES.map((d) => d.community)).size,
  'aid.cases': 45,
  'publicity.events': PUBLICITY.length,
  'publicity.audience': AUDIENCE.reduce((a, b) => a + b, 0) / 10000,
} as const;

/** The departments' files as clerks fill the templates, with the mess clerks leave. */
export async function writeChengdongInbox(inbox: string): Promise<void> {
  for (const d of ['dangzheng', 'zhifa', 'sifa', 'guwen']) await mkdir(join(inbox, d), { recursive: true });
  const yes = (b: boolean) => (b ? '是' : '否');

  // 党政办: one workbook, three ledgers. A merged title; a 2021 decision and a 2021 document
  // (none in 2022: 未制定); an activity dated as text; one of 2021 left out.
  const decisions: CellInput[][] = [
    ['城东决〔2022〕1号', '老旧小区改造实施方案', '城建办', day(2022, 3, 18), yes(true), yes(true), yes(true), yes(true), yes(true)],
    ['城东决〔2022〕2号', '农贸市场提升改造', '经发办', day(2022, 6, 9), yes(true), yes(false), yes(false), yes(true), yes(true)],
    ['城东决〔2022〕3号', '街道公共停车场收费标准', '城管科', '2022年9月27日', yes(true), yes(true), yes(false), yes(true), yes(true)],
    ['城东决〔2021〕4号', '背街小巷整治', '城建办', day(2021, 11, 2), yes(true), yes(false), yes(false), yes(true), yes(true)],
  ];
  await writeLedgerWorkbook(join(inbox, 'dangzheng', '党政办2022年台账.xlsx'), [
    { name: '重大行政决策', title: '城东街道2022年重大行政决策台账', header: ['决策编号', '决策事项', '承办科室', '决策日期', '公众参与', '专家论证', '听证', '风险评估', '合法性审查'], rows: decisions },
    { name: '规范性文件', title: '城东街道行政规范性文件备案审查台账', header: ['文号', '文件名称', '印发日期', '报备日期', '备案审查结果'], rows: [['城东办发〔2021〕5号', '城东街道网格化管理办法', day(2021, 11, 3), day(2021, 11, 20), '通过']] },
    {
      name: '普法宣传',
      title: '党政办普法宣传台账',
      header: ['活动日期', '活动名称', '社区', '受众人次'],
      rows: [
        ...PUB_DZ.map((p, i): CellInput[] => [i === 4 ? `${p.held_on.getUTCFullYear()}年${p.held_on.getUTCMonth() + 1}月${p.held_on.getUTCDate()}日` : p.held_on, p.title, p.community, p.audience]),
        [day(2021, 12, 28), '2021年宪法宣传周', '城东社区', 180],
      ],
    },
  ]);

  // 执法队: cases with a blank row and a fine written with 元; publicity with a 合计 row.
  const cases: CellInput[][] = FINES.map((fine, i) => [
    `临城东罚〔2022〕${String(i + 1).padStart(3, '0')}号`,
    nth(YEAR, i),
    `当事人${i + 1}`,
    i % 3 === 0 ? '违规设置户外广告' : '占道经营',
    nth(YEAR, i + 12),
    fine === null ? '不予处罚' : i === 20 ? `${fine}元` : fine,
  ]);
  cases.splice(100, 0, []);
  cases.push([`临城东罚〔2021〕215号`, day(2021, 12, 20), '当事人X', '占道经营', day(2022, 1, 10), 500]);
  const zfPub: CellInput[][] = PUB_ZF.map((p, i) => [p.held_on, p.title, p.community, i === 3 ? `${p.audience.toLocaleString('en-US')}人次` : p.audience]);
  await writeLedgerWorkbook(join(inbox, 'zhifa', '执法队台账.xlsx'), [
    { name: '处罚案件', title: '城东街道综合行政执法队2022年行政处罚案件台账', preamble: [['填报单位：城东街道综合行政执法队', null, null, null, '填报日期：2023年1月6日']], header: ['案号', '立案日期', '当事人', '案由', '决定日期', '罚没金额(元)'], rows: cases },
    { name: '普法', header: ['活动日期', '活动名称', '社区', '受众人次'], rows: zfPub, total: { position: 'bottom', cells: ['合计', null, null, PUB_ZF.reduce((a, p) => a + p.audience, 0)] } },
  ]);

  // 司法所: cases, disputes and aid in a workbook; publicity as a GB18030 CSV from WPS.
  const admin: CellInput[][] = RECONSIDERATIONS.map((result, i) => [
    `临复〔2022〕${i + 1}号`,
    i % 5 === 0 ? '复议' : '行政复议',
    i === 2 ? '2022.3.5' : nth(YEAR, i * 20),
    `申请人${i + 1}`,
    result,
    null,
    result === '审理中' ? null : nth(YEAR, i * 20 + 30),
  ]);
  admin.push(['（2021）临0102行初15号', '行政诉讼', day(2021, 11, 15), '原告甲', '维持', '是', day(2022, 3, 1)]);
  const disputes: CellInput[][] = DISPUTES.map((d, i) => [String(i + 1), d.received_on, d.community, i % 2 === 0 ? '邻里纠纷' : '婚姻家庭', i === 5 ? '成功' : d.result, d.result === '调解成功' ? nth(YEAR, i + 5) : null]);
  disputes.splice(150, 0, []);
  disputes.push(['301', day(2021, 12, 30), '外来社区', '邻里纠纷', '调解成功', day(2022, 1, 4)]);
  const aid: CellInput[][] = Array.from({ length: 45 }, (_, i) => [`城东援〔2022〕${String(i + 1).padStart(3, '0')}号`, nth(YEAR, i * 7), `受援人${i + 1}`, i % 2 === 0 ? '劳动争议' : '婚姻家庭']);
  await writeLedgerWorkbook(join(inbox, 'sifa', '司法所2022年台账.xlsx'), [
    { name: '复议诉讼', title: '城东街道2022年行政复议诉讼案件台账', header: ['案号', '案件类别', '收案日期', '申请人/原告', '结果', '负责人出庭', '结案日期'], rows: admin },
    { name: '人民调解', title: '城东街道2022年人民调解台账', header: ['序号', '受理日期', '社区', '纠纷类型', '调解结果', '结案日期'], rows: disputes },
    { name: '法律援助', header: ['案件编号', '受理日期', '受援人', '案件类型'], rows: aid },
  ]);
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  await writeCsv(join(inbox, 'sifa', '普法宣传.csv'), [['活动日期', '活动名称', '社区', '受众人次'], ...PUB_SF.map((p) => [iso(p.held_on), p.title, p.community, p.audience])], { encoding: 'gb18030' });

  // 法律顾问室: contracts with 标的额 in 万元, two decimals; one contract of 2021 left out.
  const contracts: CellInput[][] = CONTRACT_CENTS.map((cents, i) => [`城东审〔2022〕${i + 1}号`, `合同${i + 1}`, cents / 100, nth(YEAR, i * 2), nth(YEAR, i * 2 + 1)]);
  contracts.push(['城东审〔2021〕99号', '2021年物业服务合同', 88.8, day(2021, 12, 1), day(2021, 12, 3)]);
  await writeLedgerWorkbook(join(inbox, 'guwen', '合同审查台账.xlsx'), [
    { name: 'Sheet1', title: '城东街道2022年合同审查台账', header: ['审查编号', '合同名称', '标的额(万元)', '送审日期', '审查日期'], rows: contracts },
  ]);
}

// ---------------------------------------------------------------- last year's report

/**
 * Last year's figures (2021) as its report workbook has them, for `tally run --previous`: 法律援助
 * 36件 (the report's 同比增长25%). A figure absent here was not in last year's report; `null` is
 * one left blank (缺报 that year).
 */
export const PREVIOUS_2021: Readonly<Record<string, number | null>> = { 'aid.cases': 36 };

/** Writes a report workbook's 指标汇总 (指标编码 + 数值, as tally writes it) for `--previous`. */
export async function writePreviousWorkbook(path: string, figures: Readonly<Record<string, number | null>> = PREVIOUS_2021): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('指标汇总');
  sheet.addRow(['序号', '指标编码', '板块', '指标名称', '数值', '单位']);
  Object.entries(figures).forEach(([code, value], i) => sheet.addRow([i + 1, code, '', '', value, '']));
  await mkdir(dirname(path), { recursive: true });
  await workbook.xlsx.writeFile(path);
}
