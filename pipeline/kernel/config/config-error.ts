import type * as z from 'zod';

/** A broken configuration or catalog: this stops the run (exit 1), unlike findings. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** `ledgers.3.fields.2.type: Invalid option…` — one line per issue, naming the key path. */
export function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
}
