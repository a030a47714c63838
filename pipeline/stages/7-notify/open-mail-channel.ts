/**
 * The channel a run mails through: the SMTP server of `SMTP_URL` when set, otherwise `.eml`
 * files in `<out>/outbox/` (contract §7). `SMTP_CA_FILE` names PEM certificates to trust (a
 * server with a self-signed certificate).
 */
import { readFileSync } from 'node:fs';
import { envelopeAddress, type MailChannel } from './mail-channel.ts';
import { fileChannel } from './file-channel.ts';
import { smtpChannel } from './smtp-channel.ts';
import { smtpSettings, type SmtpExtras } from './smtp-settings.ts';

export interface ChannelOptions {
  readonly smtpUrl?: string | undefined;
  readonly smtp?: SmtpExtras | undefined;
  /** Where `.eml` files go without SMTP. */
  readonly outboxDir: string;
  /** The From header; its address is the envelope sender. */
  readonly from: string;
}

export function openMailChannel(opts: ChannelOptions): MailChannel {
  if (opts.smtpUrl === undefined || opts.smtpUrl === '') return fileChannel(opts.outboxDir);
  return smtpChannel(smtpSettings(opts.smtpUrl, opts.smtp), envelopeAddress(opts.from));
}

/** `SMTP_URL` and `SMTP_CA_FILE` from an environment, for the commands. */
export function mailEnvironment(env: NodeJS.ProcessEnv): { smtpUrl: string | undefined; smtp: SmtpExtras } {
  const caFile = env['SMTP_CA_FILE'];
  return {
    smtpUrl: env['SMTP_URL'] || undefined,
    smtp: caFile === undefined || caFile === '' ? {} : { ca: readFileSync(caFile) },
  };
}
