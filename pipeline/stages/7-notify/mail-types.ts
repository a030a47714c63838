/** What the mail of a run is made of: its kinds, a composed mail, its attachments and context. */
import type { DeadlineStatus } from './deadline-status.ts';
import type { DepartmentChanges } from './changes.ts';

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
  /** The report workbook's size: every department's mail carries it, so its budget is the rest. */
  readonly workbookBytes?: number | undefined;
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

/** Who a mail goes to and what kind it is: known before it is composed, and all of it its fingerprint takes. */
export type MailEnvelope = Pick<OutgoingMail, 'recipient' | 'to' | 'cc' | 'kind'>;

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

