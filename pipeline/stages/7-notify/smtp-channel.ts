/** The outbox's messages through an SMTP server: one pooled connection for the run. */
import type { Transporter } from 'nodemailer';
import type { MailChannel } from './mail-channel.ts';
import type { SmtpSettings } from './smtp-settings.ts';

/**
 * @example
 * const channel = smtpChannel(smtpSettings(process.env.SMTP_URL), 'tally@anding.example.gov.cn');
 * await channel.send(queued); // throws a nodemailer error when the server refuses
 * channel.close();
 */
export function smtpChannel(settings: SmtpSettings, envelopeFrom: string): MailChannel {
  // nodemailer loads with the first message: a run that sends nothing never loads it.
  let transport: Transporter | undefined;
  const open = async () => (transport ??= (await import('nodemailer')).default.createTransport(settings.options));
  return {
    name: 'smtp',
    async send(message) {
      const info = await (await open()).sendMail({ envelope: { from: envelopeFrom, to: [...message.to] }, raw: message.raw });
      const rejected = ((info.rejected ?? []) as (string | { address: string })[]).map((r) => (typeof r === 'string' ? r : r.address));
      return { response: settings.redact(String(info.response ?? '')), rejected };
    },
    redact: settings.redact,
    close: () => transport?.close(),
  };
}
