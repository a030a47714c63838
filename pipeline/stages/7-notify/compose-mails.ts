/**
 * Composes the mails of one run (contract §7): one to the coordinator with the whole picture,
 * one to each department on the roster with its own findings and the ledgers it still owes.
 * Every mail carries the report workbook as `report-<year>.xlsx`. Pure: no I/O.
 *
 * Around the collection deadline (issue 5) a department that still owes a ledger gets a
 * reminder (报送提醒) in the reminder window, and an overdue notice (报送逾期) after the
 * deadline, with the coordinator in copy. The coordinator's mail can carry what this run mailed
 * (the digest, {@link MailContext.delivery}).
 */
import { levelTotals, omittedLine, thousands, type Finding, type FindingCount, type Level } from '../../kernel/findings/findings.ts';
import { findingLines } from '../../../reports/finding-lines.ts';
import type { DepartmentInfo, ReportData } from '../../../reports/report-data.ts';
import { shanghaiMinute } from '../../../reports/shanghai-time.ts';
import { chineseDate, type DeadlineStatus } from './deadline-status.ts';
import type { DepartmentChanges } from './changes.ts';
import { changeBlocks, changesHeading } from './changes-section.ts';

export const MAIL_KINDS = ['digest', 'findings', 'reminder', 'overdue'] as const;
/** `digest`: the coordinator's; `findings`: a department's check result; `reminder`/`overdue`: the same, around the deadline. */
export type MailKind = (typeof MAIL_KINDS)[number];

/** What the run knows beyond the report: the deadline, and (for the digest) what was mailed. */
export interface MailContext {
  readonly deadline?: DeadlineStatus | undefined;
  readonly delivery?: DeliveryDigest | undefined;
  /** `report-<year>.docx`, attached to the coordinator's mail after the workbook. */
  readonly docx?: string | undefined;
  /** Each department's marked-up copies of its own files (issue 4), attached to its mail. */
  readonly marked?: ReadonlyMap<string, readonly Attachment[]> | undefined;
  /** What changed since each department was last told (issue 4). */
  readonly changes?: ReadonlyMap<string, DepartmentChanges> | undefined;
  /**
   * Each department's complete findings list (CSV), for those whose mail lists only part of
   * them: attached when it fits, else the mail says where it is.
   */
  readonly findingLists?: ReadonlyMap<string, Attachment> | undefined;
}

export interface Attachment {
  readonly filename: string;
  readonly path: string;
  /** Its size, when known: a department's mail attaches what fits in {@link ATTACHMENT_BUDGET}. */
  readonly bytes?: number;
}

/**
 * Bytes of attachments one department's mail carries at most, before base64 (which adds a third):
 * the mail stays under 10 MB whatever the department sent. What does not fit is named in the
 * mail and waits on the portal.
 */
export const ATTACHMENT_BUDGET = 7 * 1024 * 1024;

/** The mail of this run as the coordinator's digest reports it. */
export interface DeliveryDigest {
  /** Departments mailed this run (queued), with the kind of mail. */
  readonly mailed: readonly { readonly name: string; readonly to: string; readonly kind: MailKind }[];
  /** Messages refused for good (5xx, bad address): they will not be retried. */
  readonly failed: readonly { readonly to: string; readonly subject: string; readonly error: string }[];
  /** Messages still waiting after temporary failures: retried at the next run. */
  readonly pending: readonly { readonly to: string; readonly subject: string; readonly error: string; readonly attempts: number }[];
}

export interface OutgoingMail {
  readonly to: string;
  readonly cc?: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly attachments: Attachment[];
  /** `coordinator`, or the department code the mail is for. */
  readonly recipient: 'coordinator' | (string & {});
  readonly kind: MailKind;
}

const SUBJECT_PREFIX = '【法治政府建设年度报告】';
const UNOWNED = '（未归属）';
const SIGNATURE = '—— tally 台账核查（本邮件由系统自动发送）';

/**
 * The coordinator's mail first, then one per department in roster order.
 *
 * @example
 * const mails = composeMails(data, 'out/report-2020.xlsx');
 * mails[0].subject; // '【法治政府建设年度报告】安定镇2020年度台账核查汇总：3个错误、2个警告'
 */
export function composeMails(data: ReportData, attachmentPath: string, context: MailContext = {}): OutgoingMail[] {
  const attachments = [{ filename: `report-${data.year}.xlsx`, path: attachmentPath }];
  return [
    coordinatorMail(data, coordinatorAttachments(data, attachmentPath, context), context),
    ...data.departments.map((d) => {
      const list = context.findingLists?.get(d.code);
      const { kept, left } = withinBudget([...(list === undefined ? [] : [list]), ...(context.marked?.get(d.code) ?? [])]);
      return departmentMail(data, d, [...attachments, ...kept], left, list, context.deadline, context.changes?.get(d.code));
    }),
  ];
}

/** The coordinator's mail alone (the digest), once the run knows what it mailed. */
export function composeDigest(data: ReportData, attachmentPath: string, context: MailContext): OutgoingMail {
  return coordinatorMail(data, coordinatorAttachments(data, attachmentPath, context), context);
}

/** The attachments that fit in {@link ATTACHMENT_BUDGET}, in order, and the names of the rest. */
function withinBudget(candidates: readonly Attachment[]): { kept: Attachment[]; left: string[] } {
  const kept: Attachment[] = [];
  const left: string[] = [];
  let used = 0;
  for (const a of candidates) {
    const size = a.bytes ?? 0;
    if (used + size > ATTACHMENT_BUDGET) left.push(a.filename);
    else {
      kept.push(a);
      used += size;
    }
  }
  return { kept, left };
}

function coordinatorAttachments(data: ReportData, workbook: string, context: MailContext): Attachment[] {
  return [
    { filename: `report-${data.year}.xlsx`, path: workbook },
    ...(context.docx === undefined ? [] : [{ filename: `report-${data.year}.docx`, path: context.docx }]),
  ];
}

function coordinatorMail(data: ReportData, attachments: OutgoingMail['attachments'], context: MailContext): OutgoingMail {
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

  const indicatorRows = data.indicators.map((i) => [i.name, i.wording ?? '缺报', i.status]);
  const intro = `${data.town}${data.year}年度法治政府建设年度情况报告的台账已核查完毕（${when}）。`;
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
    subject: `${SUBJECT_PREFIX}${data.town}${data.year}年度台账核查汇总：${countsText(all)}`,
    text,
    html,
    attachments,
    recipient: 'coordinator',
    kind: 'digest',
  };
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

function departmentMail(
  data: ReportData,
  department: DepartmentInfo,
  attachments: OutgoingMail['attachments'],
  /** Attachments left out to keep the mail small. */
  left: readonly string[],
  /** The department's complete findings list, when its mail lists only part of them. */
  fullList: Attachment | undefined,
  deadline: DeadlineStatus | undefined,
  changes: DepartmentChanges | undefined,
): OutgoingMail {
  const own = data.findings.filter((f) => f.department === department.code);
  const ownOmitted = (data.findingsOmitted ?? []).filter((o) => o.department === department.code);
  const totals = totalsOf(data, department.code);
  const missing = data.submissions.filter(
    (s) => s.departmentCode === department.code && s.status === '缺报',
  );
  const kind = departmentKind(deadline, missing.length);
  const notice = deadlineNotice(kind, deadline, missing.map((s) => s.ledger), data.coordinator.name);
  const intro = `您好！这是${data.town}${data.year}年度法治政府建设年度情况报告的台账核查结果。`;
  const findingsLine =
    totals.错误 + totals.警告 === 0
      ? `贵部门报送的台账未发现问题。`
      : `贵部门报送的台账中发现以下问题（${countsText(totals)}），请按说明修改后重新放入报送文件夹：`;
  const missingLines = missing.map((s) => `《${s.ledger}》尚未报送，请尽快报送。`);
  const marked = attachments.slice(1).filter((a) => a !== fullList).map((a) => a.filename);
  const listAttached = fullList !== undefined && attachments.includes(fullList);
  const attachmentLine = [
    `附件 ${attachments[0]?.filename ?? ''} 是全镇的报告工作簿，供参考。`,
    listAttached ? `附件 ${fullList.filename} 是贵部门的完整问题清单（共 ${thousands(totals.错误 + totals.警告)} 处）。` : '',
    marked.length === 0 ? '' : `附件 ${marked.join('、')} 是贵部门报送文件的批注版：有问题的单元格已标红（错误）或标黄（警告），单元格批注写明了问题和应填写的内容。`,
    left.length === 0 ? '' : `为使邮件不超过 10 MB，${left.join('、')} 未随信附上，请在报送门户下载或向${data.coordinator.name}索取。`,
  ].join('');
  const since = changes === undefined ? null : changesSection(changes);

  const lines = findingLines(own, ownOmitted);
  let n = 0;
  const numbered = lines.map((line) => ({ line, n: line.kind === 'finding' ? ++n : 0 }));
  const rows = numbered.map(({ line, n }) => {
    if (line.kind === 'omitted') return ['', line.omitted.level, line.omitted.file ?? '', line.omitted.sheet ?? '', '', omittedLine(line.omitted)];
    const f = line.finding;
    return [String(n), f.level, f.file ?? '', f.sheet ?? '', f.cell ?? '', explain(f)];
  });

  const text = [
    `${department.name}：`,
    '',
    ...(notice === null ? [] : [notice, '']),
    intro,
    '',
    ...(since === null ? [] : [...since.text, '']),
    findingsLine,
    ...numbered.map(({ line, n }) => {
      if (line.kind === 'omitted') return `     （文件：${line.omitted.file ?? '—'}；工作表：${line.omitted.sheet ?? '—'}）${omittedLine(line.omitted)}`;
      const f = line.finding;
      return `  ${n}. 【${f.level}】文件：${f.file ?? '—'}；工作表：${f.sheet ?? '—'}；单元格：${f.cell ?? '—'}。${explain(f)}`;
    }),
    ...(missingLines.length === 0 ? [] : ['', ...missingLines]),
    '',
    attachmentLine,
    '',
    SIGNATURE,
  ].join('\n');

  const html = page([
    p(`${department.name}：`),
    notice === null ? '' : p(notice, 'font-weight:bold;color:#9c0006;'),
    p(intro),
    ...(since === null ? [] : since.html),
    p(findingsLine),
    rows.length === 0 ? '' : table(['序号', '级别', '文件', '工作表', '单元格', '说明'], rows, 1),
    ...missingLines.map((line) => p(line, 'color:#9c0006;')),
    p(attachmentLine),
    p(SIGNATURE, 'color:#666666;'),
  ]);

  const subjectKind =
    kind === 'reminder' && deadline?.deadline
      ? `报送提醒（${monthDay(deadline.deadline)}截止）`
      : kind === 'overdue' && deadline?.deadline
        ? `报送逾期（${monthDay(deadline.deadline)}已截止）`
        : '报送核查';
  return {
    to: department.email,
    ...(kind === 'overdue' ? { cc: data.coordinator.email } : {}),
    subject: `${SUBJECT_PREFIX}${department.name} ${data.year}年度${subjectKind}：${countsText(totals)}`,
    text,
    html,
    attachments,
    recipient: department.code,
    kind,
  };
}

/** 自上次通知以来的变化: each file's changed cells and rows, the findings fixed and the new ones. */
function changesSection(c: DepartmentChanges): { text: string[]; html: string[] } {
  const heading = changesHeading(shanghaiMinute(c.since.toISOString()));
  const blocks = changeBlocks(c);
  const text = [heading, ...blocks.flatMap((b) => [`  ${b.title}`, ...b.lines.map((l) => `    ${l}`), ...(b.more === null ? [] : [`    ${b.more}`])])];
  const html = [
    h(heading),
    ...blocks.flatMap((b) => [
      p(b.title, 'font-weight:bold;'),
      b.rows.length === 0 ? '' : table(b.headers, b.rows, b.headers[0] === '级别' ? 0 : undefined),
      b.more === null ? '' : p(b.more, 'color:#666666;'),
    ]),
  ];
  return { text, html };
}

/** A department that still owes a ledger is reminded inside the window and told it is overdue after it. */
function departmentKind(deadline: DeadlineStatus | undefined, missing: number): MailKind {
  if (missing === 0 || deadline === undefined) return 'findings';
  if (deadline.phase === 'reminder') return 'reminder';
  if (deadline.phase === 'overdue') return 'overdue';
  return 'findings';
}

function deadlineNotice(kind: MailKind, deadline: DeadlineStatus | undefined, ledgers: readonly string[], coordinator: string): string | null {
  if (deadline?.deadline == null || (kind !== 'reminder' && kind !== 'overdue')) return null;
  const when = chineseDate(deadline.deadline);
  const list = ledgers.map((l) => `《${l}》`).join('、');
  if (kind === 'reminder') {
    const left = deadline.workdaysLeft === 0 ? '今天截止' : `还有${deadline.workdaysLeft}个工作日`;
    return `【报送提醒】台账报送截止日期为${when}（${left}），贵部门尚有${ledgers.length}份台账未报送：${list}。请在截止日期前放入报送文件夹。`;
  }
  return `【逾期通知】台账报送截止日期${when}已过，贵部门仍有${ledgers.length}份台账未报送：${list}。请尽快报送；本通知同时抄送${coordinator}。`;
}

/** `1月15日` */
function monthDay(date: string): string {
  return chineseDate(date).replace(/^\d+年/, '');
}

/** `3个错误、2个警告`, `1个警告`, or `未发现问题`. */
function countsText(totals: Readonly<Record<Level, number>>): string {
  const parts = [totals.错误 > 0 ? `${totals.错误}个错误` : '', totals.警告 > 0 ? `${totals.警告}个警告` : ''].filter((s) => s !== '');
  return parts.length === 0 ? '未发现问题' : parts.join('、');
}

/** Every finding of the run counted (the list shows only some): from the database's counts, else the list itself. */
function counted(data: ReportData): readonly FindingCount[] {
  return data.findingCounts ?? data.findings.map((f) => ({ department: f.department, ledger: f.ledger, level: f.level, count: 1 }));
}

/** Totals by level, of the whole run or of one department. */
function totalsOf(data: ReportData, department?: string | null): Record<Level, number> {
  return levelTotals(counted(data), department);
}

/** The message, with 期望/实际 when present. */
function explain(f: Finding): string {
  const extra = [
    f.expected === null ? '' : `期望：${f.expected}`,
    f.actual === null ? '' : `实际：${f.actual}`,
  ].filter((s) => s !== '');
  return extra.length === 0 ? f.message : `${f.message}（${extra.join('；')}）`;
}

// --- HTML: inline styles only, every piece of text escaped. ---

const FONT_STYLE = "font-family:'Microsoft YaHei','PingFang SC','SimSun',sans-serif;font-size:14px;color:#222222;";
const CELL_STYLE = 'border:1px solid #bfbfbf;padding:4px 8px;text-align:left;vertical-align:top;';
const LEVEL_BACKGROUND: Readonly<Record<string, string>> = {
  错误: '#ffc7ce',
  有错误: '#ffc7ce',
  警告: '#ffeb9c',
  有警告: '#ffeb9c',
  缺报: '#d9d9d9',
};

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function page(parts: readonly string[]): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="${FONT_STYLE}">${parts.join('')}</body></html>`;
}

function p(text: string, style = ''): string {
  return `<p style="margin:8px 0;${style}">${escapeHtml(text)}</p>`;
}

function h(text: string): string {
  return `<p style="margin:16px 0 8px;font-weight:bold;">${escapeHtml(text)}</p>`;
}

/** A bordered table; `colourColumn` (0-based) gets the level/status background. */
function table(headers: readonly string[], rows: readonly (readonly string[])[], colourColumn?: number): string {
  const head = headers
    .map((t) => `<th style="${CELL_STYLE}background:#ddebf7;font-weight:bold;">${escapeHtml(t)}</th>`)
    .join('');
  const body = rows
    .map((row) => {
      const cells = row
        .map((t, col) => {
          const bg = col === colourColumn ? LEVEL_BACKGROUND[t] : undefined;
          const style = bg === undefined ? CELL_STYLE : `${CELL_STYLE}background:${bg};`;
          return `<td style="${style}">${escapeHtml(t).replaceAll('\n', '<br>')}</td>`;
        })
        .join('');
      return `<tr>${cells}</tr>`;
    })
    .join('');
  return `<table style="border-collapse:collapse;margin:4px 0 12px;${FONT_STYLE}"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}
