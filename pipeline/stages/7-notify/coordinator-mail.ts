/**
 * The coordinator's mail (汇总): the figures with their status (the derived rates after them, as
 * in 指标汇总), the findings counted by
 * department, the ledgers still owed, the deadline, and (as the digest) what this run mailed.
 */
import type { IndicatorResult, ReportData } from '../../../reports/report-data.ts';
import { zeroDenominatorWording } from '../../../reports/narrative.ts';
import { shanghaiMinute } from '../../../reports/shanghai-time.ts';
import { chineseDate, type DeadlineStatus } from './deadline-status.ts';
import { h, p, page, table } from './mail-html.ts';
import type { DeliveryDigest, MailContext, MailKind, OutgoingMail } from './mail-types.ts';
import { countsText, counted, SIGNATURE, subjectPrefix, totalsOf, UNOWNED } from './mail-wording.ts';

export function coordinatorMail(data: ReportData, attachments: OutgoingMail['attachments'], context: MailContext): OutgoingMail {
  const filled = data.indicators.filter((i) => i.value !== null).length;
  const total = data.indicators.length;
  const names = new Map(data.departments.map((d) => [d.code, d.name]));
  const missing = data.submissions.filter((s) => s.status === '缺报');
  const when = shanghaiMinute(data.generatedAt.toISOString());

  // Roster order first, then codes not on the roster, then findings with no department.
  const codes = [...new Set<string | null>([...data.departments.map((d) => d.code), ...counted(data).map((c) => c.department)])];
  const byDepartment = codes.map((code) => {
    const totals = totalsOf(data, code);
    return { name: code === null ? UNOWNED : (names.get(code) ?? code), errors: totals.错误, warnings: totals.警告 };
  });
  const all = totalsOf(data);

  // The figures, then the rates and sums the pack derives from them, as 指标汇总 lists them.
  const indicatorRows = [...data.indicators, ...(data.derived ?? [])].map((i) => [i.name, figureWording(i), i.status]);
  const intro = `${data.title}的台账已核查完毕（${when}）。`;
  const countsLine = all.错误 + all.警告 === 0 ? '未发现问题。' : `共${countsText(all)}。完整问题清单见报告工作簿旁的 findings-${data.year}.csv。`;
  const docx = attachments.find((a) => a.filename.endsWith('.docx'));
  const attachmentLine = `附件 ${attachments[0]?.filename ?? ''} 是填好的报告工作簿（指标汇总、问题清单、报送情况、报告正文）${docx === undefined ? '' : `，${docx.filename} 是报告正文的 Word 文档，可直接修改定稿`}。各部门已分别收到各自的问题清单${data.findings.some((f) => f.file !== null) ? '和标注了问题的文件副本' : ''}。`;
  const deadlineLine = coordinatorDeadlineLine(context.deadline, missing.length);
  const delivery = context.delivery === undefined ? null : deliverySection(context.delivery);

  const text = [
    `${data.coordinator.name}：`,
    '',
    intro,
    '',
    `一、指标：已填 ${filled}/${total} 项。`,
    ...indicatorRows.map(([name, wording, status], n) => `  ${n + 1}. ${name}：${wording}（${status}）`),
    '',
    `二、问题：${countsLine}`,
    ...byDepartment.map((d) => `  ${d.name}：${d.errors}个错误、${d.warnings}个警告`),
    '',
    '三、缺报台账：',
    ...(missing.length === 0 ? ['  无'] : missing.map((s) => `  ${s.department}·${s.ledger}`)),
    ...(deadlineLine === null ? [] : [`  ${deadlineLine}`]),
    ...(delivery === null ? [] : ['', ...delivery.text]),
    '',
    attachmentLine,
    '',
    SIGNATURE,
  ].join('\n');

  const html = page([
    p(`${data.coordinator.name}：`),
    p(intro),
    h(`一、指标：已填 ${filled}/${total} 项`),
    table(['指标名称', '报告表述', '状态'], indicatorRows, 2),
    h(`二、问题：${countsLine}`),
    table(
      ['部门', '错误', '警告'],
      byDepartment.map((d) => [d.name, String(d.errors), String(d.warnings)]),
    ),
    h('三、缺报台账'),
    missing.length === 0
      ? p('无')
      : table(['部门', '台账'], missing.map((s) => [s.department, s.ledger])),
    deadlineLine === null ? '' : p(deadlineLine),
    ...(delivery === null ? [] : delivery.html),
    p(attachmentLine),
    p(SIGNATURE, 'color:#666666;'),
  ]);

  return {
    to: data.coordinator.email,
    subject: `${subjectPrefix(data)}${data.town}${data.year}年度台账核查汇总：${countsText(all)}`,
    text,
    html,
    attachments,
    recipient: 'coordinator',
    kind: 'digest',
  };
}

/** 报告表述 as 指标汇总 writes it: the wording, 分母为0（…） for a share of nothing, else why there is none. */
function figureWording(i: IndicatorResult): string {
  if (i.wording !== null) return i.wording;
  if (i.zeroDenominator !== undefined) return zeroDenominatorWording(i.name, i.zeroDenominator);
  return i.status === '缺报' ? '缺报' : '无法统计';
}

function coordinatorDeadlineLine(deadline: DeadlineStatus | undefined, missing: number): string | null {
  if (deadline === undefined || deadline.deadline === null) return null;
  const when = chineseDate(deadline.deadline);
  if (deadline.phase === 'overdue') return `报送截止日期${when}已过${missing > 0 ? `，仍有${missing}份台账未报送，已向有关部门发出逾期通知（抄送您）` : ''}。`;
  return `报送截止日期：${when}（还有${deadline.workdaysLeft}个工作日）。`;
}

const KIND_NAMES: Readonly<Record<MailKind, string>> = { digest: '汇总', findings: '核查结果', reminder: '报送提醒', overdue: '逾期通知' };

/** 四、本次邮件: who was mailed, what failed for good, what waits for the next run. */
function deliverySection(d: DeliveryDigest): { text: string[]; html: string[] } {
  const title = '四、本次邮件';
  const mailedLine = d.mailed.length === 0 ? '本次未给部门发信（各部门情况无变化）。' : `本次给${d.mailed.length}个部门发信：`;
  const text = [
    `${title}：`,
    `  ${mailedLine}`,
    ...d.mailed.map((m) => `    ${m.name}（${m.to}）：${KIND_NAMES[m.kind]}`),
    ...(d.failed.length === 0 ? [] : ['  以下邮件无法投递（不会重试，请核对邮箱地址后处理）：', ...d.failed.map((f) => `    ✗ ${f.to}《${f.subject}》：${f.error}`)]),
    ...(d.pending.length === 0 ? [] : ['  以下邮件暂未发出（服务器暂时不可用），下次运行时自动重发：', ...d.pending.map((f) => `    … ${f.to}《${f.subject}》：已尝试${f.attempts}次，${f.error}`)]),
  ];
  const html = [
    h(title),
    p(mailedLine),
    d.mailed.length === 0 ? '' : table(['部门', '邮箱', '邮件'], d.mailed.map((m) => [m.name, m.to, KIND_NAMES[m.kind]])),
    ...(d.failed.length === 0
      ? []
      : [p('以下邮件无法投递（不会重试，请核对邮箱地址后处理）：', 'color:#9c0006;'), table(['收件人', '主题', '原因'], d.failed.map((f) => [f.to, f.subject, f.error]))]),
    ...(d.pending.length === 0
      ? []
      : [p('以下邮件暂未发出（服务器暂时不可用），下次运行时自动重发：'), table(['收件人', '主题', '尝试次数', '原因'], d.pending.map((f) => [f.to, f.subject, String(f.attempts), f.error]))]),
  ];
  return { text, html };
}

