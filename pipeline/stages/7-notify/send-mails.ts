/**
 * Sends the composed mails (contract §7) at once: through an SMTP server when `smtpUrl` is given,
 * otherwise into an outbox folder as `.eml` files. One message failing never stops the others:
 * its error is recorded on its `SentMail`.
 *
 * A run does not call this: it mails through the persistent outbox (`notify-stage.ts`), which
 * sends only what changed and retries what failed. This is the one-shot path, and `SentMail` is
 * the shape both report in.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { SendMailOptions } from 'nodemailer';
import type { OutgoingMail } from './compose-mails.ts';
import { fileSafe } from './file-channel.ts';
import { mailOptions } from './render-message.ts';
import { smtpSettings } from './smtp-settings.ts';

export interface SendOptions {
  /** The From header, e.g. `tally 台账核查 <tally@anding.example.gov.cn>`. */
  readonly from: string;
  /**
   * `smtp://user:pass@host:port` or `smtps://…`; nodemailer options may follow as a query
   * (`?ignoreTLS=true`, `?tls.rejectUnauthorized=false`). Unset: mail goes to `outboxDir`.
   */
  readonly smtpUrl?: string | undefined;
  /** Where `.eml` files are written when there is no `smtpUrl`; created when needed. */
  readonly outboxDir: string;
}

export interface SentMail {
  readonly recipient: OutgoingMail['recipient'];
  readonly to: string;
  readonly subject: string;
  readonly via: 'smtp' | 'outbox';
  /** The `.eml` file, in outbox mode. */
  readonly path?: string;
  readonly messageId?: string;
  /** Why this message was not sent (the SMTP password never appears in it). */
  readonly error?: string;
}

/**
 * Sends every mail and reports, per mail, how it went. Never throws for one bad message.
 *
 * @example
 * const sent = await sendMails(mails, { from: 'tally <tally@example.org>', smtpUrl: process.env.SMTP_URL, outboxDir: 'out/outbox' });
 * sent.filter((m) => m.error !== undefined); // the ones that did not go
 */
export async function sendMails(mails: readonly OutgoingMail[], opts: SendOptions): Promise<SentMail[]> {
  return opts.smtpUrl === undefined || opts.smtpUrl === ''
    ? sendToOutbox(mails, opts.from, opts.outboxDir)
    : sendBySmtp(mails, opts.from, opts.smtpUrl);
}

async function sendBySmtp(mails: readonly OutgoingMail[], from: string, smtpUrl: string): Promise<SentMail[]> {
  const settings = smtpSettings(smtpUrl);
  const redact = settings.redact;
  const transport = nodemailer.createTransport(settings.options);
  const results: SentMail[] = [];
  try {
    for (const mail of mails) {
      const base = { recipient: mail.recipient, to: mail.to, subject: mail.subject, via: 'smtp' } as const;
      try {
        const info = await transport.sendMail(message(mail, from));
        results.push({ ...base, messageId: info.messageId });
      } catch (error) {
        results.push({ ...base, error: redact(describe(error)) });
      }
    }
  } finally {
    transport.close();
  }
  return results;
}

async function sendToOutbox(mails: readonly OutgoingMail[], from: string, outboxDir: string): Promise<SentMail[]> {
  await mkdir(outboxDir, { recursive: true });
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const results: SentMail[] = [];
  for (const [index, mail] of mails.entries()) {
    const base = { recipient: mail.recipient, to: mail.to, subject: mail.subject, via: 'outbox' } as const;
    const path = join(outboxDir, `${String(index + 1).padStart(2, '0')}-${fileSafe(mail.recipient)}.eml`);
    try {
      const info = await transport.sendMail(message(mail, from));
      if (!Buffer.isBuffer(info.message)) throw new Error('nodemailer 未返回邮件内容（buffer）');
      await writeFile(path, info.message);
      results.push({ ...base, path, messageId: info.messageId });
    } catch (error) {
      results.push({ ...base, path, error: describe(error) });
    }
  }
  return results;
}

function message(mail: OutgoingMail, from: string): SendMailOptions {
  return mailOptions(mail, { from });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
