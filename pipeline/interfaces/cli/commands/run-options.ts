/**
 * The options every command that runs the pipeline takes, and their usage lines, written once:
 * where the configuration, the inbox, the output and the database are, and when to mail.
 */
import { NOTIFY_MODES, type NotifyMode } from '../../../stages/7-notify/notify-stage.ts';
import { UsageError } from './command.ts';

export const RUN_OPTIONS = {
  config: { type: 'string' },
  inbox: { type: 'string', default: 'inbox' },
  out: { type: 'string', default: 'out' },
  db: { type: 'string' },
  notify: { type: 'string', default: 'changed' },
} as const;

export function parseNotify(text: string | undefined): NotifyMode {
  const mode = text ?? 'changed';
  if (!(NOTIFY_MODES as readonly string[]).includes(mode)) throw new UsageError(`--notify 应为 changed 或 always，收到“${mode}”`);
  return mode as NotifyMode;
}
