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
import type { ReportData } from '../../../reports/report-data.ts';
import { coordinatorMail } from './coordinator-mail.ts';
import { departmentEnvelope, departmentMail } from './department-mail.ts';
import type { DeadlineStatus } from './deadline-status.ts';
import { ATTACHMENT_BUDGET, type Attachment, type MailContext, type MailEnvelope, type OutgoingMail } from './mail-types.ts';

export { ATTACHMENT_BUDGET, MAIL_KINDS } from './mail-types.ts';
export type { Attachment, DeliveryDigest, MailContext, MailEnvelope, MailKind, OutgoingMail } from './mail-types.ts';


/**
 * The coordinator's mail first, then one per department in roster order.
 *
 * @example
 * const mails = composeMails(data, 'out/report-2020.xlsx');
 * mails[0].subject; // '【法治政府建设年度报告】安定镇2020年度台账核查汇总：3个错误、2个警告'
 */
export function composeMails(data: ReportData, attachmentPath: string, context: MailContext = {}): OutgoingMail[] {
  return [coordinatorMail(data, coordinatorAttachments(data, attachmentPath, context), context), ...departmentMails(data, attachmentPath, context)];
}

/**
 * Each department's mail in roster order (only those in `only`, when given), composed as it is
 * asked for: the notify stage renders and stores one before composing the next, so a run never
 * holds every department's mail at once.
 */
export function* departmentMails(data: ReportData, attachmentPath: string, context: MailContext = {}, only?: ReadonlySet<string>): Generator<OutgoingMail> {
  const attachments = [{ filename: `report-${data.year}.xlsx`, path: attachmentPath }];
  const budget = ATTACHMENT_BUDGET - (context.workbookBytes ?? 0);
  for (const d of data.departments) {
    if (only !== undefined && !only.has(d.code)) continue;
    const list = context.findingLists?.get(d.code);
    const { kept, left } = withinBudget([...(list === undefined ? [] : [list]), ...(context.marked?.get(d.code) ?? [])], budget);
    yield departmentMail(data, d, [...attachments, ...kept], left, list, context.deadline, context.changes?.get(d.code));
  }
}

/** Each department's envelope in roster order: who its mail goes to and what kind it is, without composing it. */
export function departmentEnvelopes(data: ReportData, deadline: DeadlineStatus | undefined): MailEnvelope[] {
  return data.departments.map((d) => departmentEnvelope(data, d, deadline));
}

/** The coordinator's mail alone (the digest), once the run knows what it mailed. */
export function composeDigest(data: ReportData, attachmentPath: string, context: MailContext): OutgoingMail {
  return coordinatorMail(data, coordinatorAttachments(data, attachmentPath, context), context);
}

/** The attachments that fit in `budget` bytes, in order, and the names of the rest. */
function withinBudget(candidates: readonly Attachment[], budget: number): { kept: Attachment[]; left: string[] } {
  const kept: Attachment[] = [];
  const left: string[] = [];
  let used = 0;
  for (const a of candidates) {
    const size = a.bytes ?? 0;
    if (used + size > budget) left.push(a.filename);
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

