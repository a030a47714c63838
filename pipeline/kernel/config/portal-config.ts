/**
 * The optional `portal` section of a configuration (issue 6): the private link tokens and the
 * upload limits of `tally serve`. Tokens may instead live in a tokens file written by
 * `tally tokens` (see portal-tokens.ts); a token given here wins over the file.
 *
 * @example
 * "portal": {
 *   "coordinatorToken": "k3J9…(at least 24 characters)",
 *   "departments": { "justice": "Qm4x…" },
 *   "maxFiles": 10, "maxFileMegabytes": 20
 * }
 */
import * as z from 'zod';
import { ConfigError } from './config-error.ts';

/** URL-safe and long enough that guessing is hopeless (`tally tokens` makes 43 characters). */
const tokenSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{24,128}$/, 'a token is 24 to 128 characters of A-Z a-z 0-9 _ - (use `tally tokens` to make one)');

export const portalConfigSchema = z
  .object({
    coordinatorToken: tokenSchema.optional(),
    departments: z.record(z.string(), tokenSchema).default({}),
    /** Files in one upload. */
    maxFiles: z.number().int().min(1).max(50).default(10),
    /** Size of one uploaded file; default and ceiling: `limits.maxFileMegabytes`. */
    maxFileMegabytes: z.number().positive().max(1024).optional(),
    /** Requests per minute and token (pages, downloads, uploads). */
    requestsPerMinute: z.number().int().min(1).max(100_000).default(120),
    /** Uploads (previews and confirmations) per minute and token. */
    uploadsPerMinute: z.number().int().min(1).max(10_000).default(20),
  })
  .strict();

export type PortalConfig = Readonly<z.output<typeof portalConfigSchema>>;

/** Cross-checks the section against the roster: known department codes, no token used twice. */
export function checkPortal(file: string, portal: PortalConfig | undefined, departmentCodes: ReadonlySet<string>): void {
  if (portal === undefined) return;
  const seen = new Set<string>();
  if (portal.coordinatorToken !== undefined) seen.add(portal.coordinatorToken);
  for (const [code, token] of Object.entries(portal.departments)) {
    if (!departmentCodes.has(code)) throw new ConfigError(`配置文件 ${file}: portal.departments.${code}: not a department of the roster`);
    if (seen.has(token)) throw new ConfigError(`配置文件 ${file}: portal.departments.${code}: this token is already used by another link`);
    seen.add(token);
  }
}
