/**
 * Without `SMTP_URL` (contract §7), each message is written as an `.eml` file into a folder,
 * named after its outbox id and recipient: `000012-justice.eml`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MailChannel } from './mail-channel.ts';

export function fileChannel(dir: string): MailChannel {
  return {
    name: 'file',
    async send(message) {
      await mkdir(dir, { recursive: true });
      const path = join(dir, `${String(message.id).padStart(6, '0')}-${fileSafe(message.recipient)}.eml`);
      await writeFile(path, message.raw);
      return { response: `written ${path}`, path, rejected: [] };
    },
    redact: (text) => text,
    close: () => {},
  };
}

export function fileSafe(name: string): string {
  return name.replace(/[^\p{L}\p{N}._-]+/gu, '_') || 'mail';
}
