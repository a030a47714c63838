/**
 * What a recipient was last told, as a hash: a department is mailed again only when its own
 * findings, its submission status (ledgers, files, versions), the report figures, its address or
 * the kind of mail (a reminder, an overdue notice) changed. The run's time never enters it.
 */
import { createHash } from 'node:crypto';
import type { ReportData } from '../../../reports/report-data.ts';
import type { DeadlineStatus } from './deadline-status.ts';
import type { OutgoingMail } from './compose-mails.ts';

function figures(report: ReportData): unknown[] {
  return report.indicators.map((i) => [i.code, i.value, i.wording, i.status]);
}

function hash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

export function departmentFingerprint(report: ReportData, mail: OutgoingMail): string {
  const code = mail.recipient;
  return hash({
    to: mail.to,
    cc: mail.cc ?? null,
    kind: mail.kind,
    findings: report.findings.filter((f) => f.department === code),
    omitted: (report.findingsOmitted ?? []).filter((o) => o.department === code),
    submissions: report.submissions
      .filter((s) => s.departmentCode === code)
      .map((s) => [s.ledgerId, s.status, s.files, s.versions, s.rows]),
    figures: figures(report),
  });
}

/** The coordinator's: everything in the report, and where the run stands against the deadline. */
export function coordinatorFingerprint(report: ReportData, to: string, deadline: DeadlineStatus): string {
  return hash({
    to,
    findings: report.findings,
    omitted: report.findingsOmitted ?? [],
    submissions: report.submissions.map((s) => [s.departmentCode, s.ledgerId, s.status, s.files, s.versions, s.rows]),
    figures: figures(report),
    deadline: [deadline.deadline, deadline.phase],
  });
}
