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
  const { default: nodemailer } = await import('nodemailer');
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const messageId = `<${randomUUID()}@${domainOf(headers.from)}>`;
  const info = await composer.sendMail({ ...mailOptions(mail, headers), messageId });
  if (!Buffer.isBuffer(info.message)) throw new Error('nodemailer 未返回邮件内容（buffer）');
  const envelope = info.envelope as { from: string | false; to: string[] };
  return {
    raw: info.message.toString('utf8'),
    messageId,
    envelope: { from: envelope.from === false ? '' : envelope.from, to: envelope.to },
  };
}

function domainOf(from: string): string {
  return /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'tally.invalid';
}
