/**
 * Renders a composed mail into the exact bytes that will be sent (RFC 5322, MIME multipart:
 * plain text, HTML alternative, attachments with their names RFC 2231-encoded so Chinese file
 * names survive). The outbox stores these bytes: a retry, even days later, sends the same
 * message with the same Message-ID and the attachment as it was when the mail was written.
 */
import { randomUUID } from 'node:crypto';
import type { SendMailOptions } from 'nodemailer';
import type { OutgoingMail } from './compose-mails.ts';

export interface MessageHeaders {
  /** `tally 台账核查 <tally@anding.example.gov.cn>` */
  readonly from: string;
  readonly replyTo?: string | undefined;
  /** The Date header (the run's clock). */
  readonly date: Date;
}

export interface RenderedMessage {
  readonly raw: string;
  readonly messageId: string;
  /** SMTP envelope: MAIL FROM and every RCPT TO (To and Cc). */
  readonly envelope: { readonly from: string; readonly to: readonly string[] };
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The nodemailer message of a mail; attachments are read from their paths when rendered. */
export function mailOptions(mail: OutgoingMail, headers: Omit<MessageHeaders, 'date'> & { date?: Date }): SendMailOptions {
  return {
    from: headers.from,
    ...(headers.replyTo === undefined ? {} : { replyTo: headers.replyTo }),
    to: mail.to,
    ...(mail.cc === undefined ? {} : { cc: mail.cc }),
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    ...(headers.date === undefined ? {} : { date: headers.date }),
    attachments: mail.attachments.map((a) => ({
      filename: a.filename,
      path: a.path,
      contentType: a.filename.endsWith('.xlsx') ? XLSX : a.filename.endsWith('.docx') ? DOCX : undefined,
    })),
  };
}

/**
 * @example
 * const m = await renderMessage(mail, { from: 'tally <tally@example.org>', date: new Date() });
 * m.envelope.to; // ['sifasuo@…', 'fazhi@…'] for an overdue notice with the coordinator in copy
 */
export async function renderMessage(mail: OutgoingMail, headers: MessageHeaders): Promise<RenderedMessage> {
  // Loaded with the first message rendered: a run that mails nothing never loads nodemailer.
  // Its MIME composer, without a transport: a transport's stream passes every byte of the message
  // through a line-ending filter, though the composer writes CRLF throughout; for a district's
  // 120 mails (~1 MB each, the report workbook in base64) that filter was 30-40% of rendering.
  const { default: MailComposer } = await import('nodemailer/lib/mail-composer');
  const messageId = `<${randomUUID()}@${domainOf(headers.from)}>`;
  const node = new MailComposer({ ...mailOptions(mail, headers), messageId }).compile();
  const envelope = node.getEnvelope();
  const message = await node.build();
  return {
    raw: message.toString('utf8'),
    messageId,
    envelope: { from: envelope.from === false ? '' : envelope.from, to: envelope.to },
  };
}

function domainOf(from: string): string {
  return /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'tally.invalid';
}
