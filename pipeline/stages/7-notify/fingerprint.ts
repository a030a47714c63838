/**
 * What a recipient was last told, as a hash: a department is mailed again only when its own
 * findings, its submission status (ledgers, files, versions), the report figures, its address or
 * the kind of mail (a reminder, an overdue notice) changed. The run's time never enters it.
 *
 * Taken from the mail's envelope (recipient, address, kind), known before the mail is composed:
 * a run composes only the mails whose fingerprint changed (a district's rerun composed 120 only
 * to find every fingerprint unchanged).
 */
import { createHash } from 'node:crypto';
import type { ReportData } from '../../../reports/report-data.ts';
import type { DeadlineStatus } from './deadline-status.ts';
import type { MailEnvelope } from './mail-types.ts';

function figures(report: ReportData): unknown[] {
  return report.indicators.map((i) => [i.code, i.value, i.wording, i.status]);
}

function hash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/** `items` grouped by department, each group in their order: one pass, not one filter per department. */
function byDepartment<T>(items: readonly T[], departmentOf: (item: T) => string | null): Map<string | null, T[]> {
  const out = new Map<string | null, T[]>();
  for (const item of items) {
    const code = departmentOf(item);
    const own = out.get(code);
    if (own === undefined) out.set(code, [item]);
    else own.push(item);
  }
  return out;
}

/** Each department's fingerprint, by recipient (the department's code). */
export function departmentFingerprints(report: ReportData, envelopes: readonly MailEnvelope[]): Map<string, string> {
  const findings = byDepartment(report.findings, (f) => f.department);
  const omitted = byDepartment(report.findingsOmitted ?? [], (o) => o.department);
  const submissions = byDepartment(report.submissions, (s) => s.departmentCode);
  const shared = figures(report);
  return new Map(
    envelopes.map((mail) => {
      const code = mail.recipient;
      const fingerprint = hash({
        to: mail.to,
        cc: mail.cc ?? null,
        kind: mail.kind,
        findings: findings.get(code) ?? [],
        omitted: omitted.get(code) ?? [],
        submissions: (submissions.get(code) ?? []).map((s) => [s.ledgerId, s.status, s.files, s.versions, s.rows]),
        figures: shared,
      });
      return [code, fingerprint];
    }),
  );
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
