/**
 * A department's mail: its own findings (the first of each file, sheet and rule, then one line
 * for the rest), the ledgers it still owes, what changed since its last mail, and around the
 * deadline a reminder (报送提醒) or an overdue notice (报送逾期, the coordinator in copy).
 */
import { omittedLine, thousands } from '../../kernel/findings/findings.ts';
import { findingLines } from '../../../reports/finding-lines.ts';
import type { DepartmentInfo, ReportData, SubmissionRow } from '../../../reports/report-data.ts';
import { shanghaiMinute } from '../../../reports/shanghai-time.ts';
import type { DepartmentChanges } from './changes.ts';
import { changeBlocks, changesHeading } from './changes-section.ts';
import { chineseDate, type DeadlineStatus } from './deadline-status.ts';
import { h, p, page, table } from './mail-html.ts';
import type { Attachment, MailEnvelope, MailKind, OutgoingMail } from './mail-types.ts';
import { countsText, explain, placeCell, placeText, SIGNATURE, subjectPrefix, totalsOf } from './mail-wording.ts';

export function departmentMail(
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
  const missing = missingLedgers(data, department);
  const envelope = departmentEnvelope(data, department, deadline, missing);
  const { kind } = envelope;
  const notice = deadlineNotice(kind, deadline, missing.map((s) => s.ledger), data.coordinator.name);
  // The pack's own report, by its title (临江县城东街道2022年度法治政府建设情况报告), whatever it is called.
  const intro = `您好！这是${data.title}的台账核查结果。`;
  const findingsLine =
    totals.错误 + totals.警告 === 0
      ? `贵部门报送的台账未发现问题。`
      : `贵部门报送的台账中发现以下问题（${countsText(totals)}），请按说明修改后重新放入报送文件夹：`;
  const missingLines = missing.map((s) => `《${s.ledger}》尚未报送，请尽快报送。`);
  const marked = attachments.slice(1).filter((a) => a !== fullList).map((a) => a.filename);
  const listAttached = fullList !== undefined && attachments.includes(fullList);
  const attachmentLine = [
    `附件 ${attachments[0]?.filename ?? ''} 是${data.town}的报告工作簿，供参考。`,
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
    return [String(n), f.level, f.file ?? '', f.sheet ?? '', placeCell(f.cell), explain(f)];
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
      return `  ${n}. 【${f.level}】文件：${f.file ?? '—'}；工作表：${f.sheet ?? '—'}；${placeText(f.cell)}。${explain(f)}`;
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
    rows.length === 0 ? '' : table(['序号', '级别', '文件', '工作表', '位置', '说明'], rows, 1),
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
    ...envelope,
    subject: `${subjectPrefix(data)}${department.name} ${data.year}年度${subjectKind}：${countsText(totals)}`,
    text,
    html,
    attachments,
  };
}

/**
 * Who a department's mail goes to and what kind it is, without composing it: the notify stage
 * fingerprints this and composes only the mails whose fingerprint changed.
 */
export function departmentEnvelope(
  data: ReportData,
  department: DepartmentInfo,
  deadline: DeadlineStatus | undefined,
  missing: readonly SubmissionRow[] = missingLedgers(data, department),
): MailEnvelope {
  const kind = departmentKind(deadline, missing.length);
  return {
    recipient: department.code,
    to: department.email,
    ...(kind === 'overdue' ? { cc: data.coordinator.email } : {}),
    kind,
  };
}

/** The department's owed ledgers not sent yet (缺报). */
function missingLedgers(data: ReportData, department: DepartmentInfo): SubmissionRow[] {
  return data.submissions.filter((s) => s.departmentCode === department.code && s.status === '缺报');
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
