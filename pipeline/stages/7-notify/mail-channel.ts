/**
 * Where the outbox's messages go: an SMTP server (`smtp-channel.ts`) or, without `SMTP_URL`,
 * `.eml` files in a folder (`file-channel.ts`). The outbox keeps one fingerprint set per channel:
 * mail written as files reached nobody, so it never stands in for mail actually sent.
 */
export const CHANNELS = ['smtp', 'file'] as const;
export type ChannelName = (typeof CHANNELS)[number];

/** A message as the outbox stores it. */
export interface QueuedMessage {
  readonly id: bigint;
  readonly recipient: string;
  readonly raw: string;
  /** RCPT TO: To, then Cc. */
  readonly to: readonly string[];
}

export interface Accepted {
  /** The server's answer (`250 OK: queued as …`) or the file written. */
  readonly response: string;
  readonly path?: string;
  /** Recipients the server refused while accepting the others. */
  readonly rejected: readonly string[];
}

export interface MailChannel {
  readonly name: ChannelName;
  /** Resolves once the server accepted the message (or the file is written); throws otherwise. */
  send(message: QueuedMessage): Promise<Accepted>;
  /** Removes secrets (the SMTP password) from a text bound for a log or the database. */
  redact(text: string): string;
  close(): void;
}

/** The bare address of a From header: `tally <tally@x.org>` → `tally@x.org`. */
export function envelopeAddress(from: string): string {
  return /<([^>]+)>\s*$/.exec(from)?.[1] ?? from.trim();
}
