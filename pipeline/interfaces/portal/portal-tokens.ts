/**
 * The private links of the portal: one random token per department and one for the coordinator.
 * They come from the configuration's `portal` section or from a tokens file next to it that
 * `tally tokens` writes (`anding.json` → `anding.tokens.json`, readable by its owner only); a
 * token in the configuration wins. Rotating a token makes the old link answer 403.
 *
 * @example
 * const { tokens } = await ensureTokens(config, tokensFileFor(config.file));
 * const book = new TokenBook(config, tokens);
 * book.who(tokens.departments.justice); // { kind: 'department', department: { code: 'justice', … } }
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import * as z from 'zod';
import type { Department, TallyConfig } from '../../kernel/config/config.ts';
import { ConfigError, formatIssues } from '../../kernel/config/config-error.ts';

export interface PortalTokens {
  readonly coordinator: string;
  /** Department code → token. */
  readonly departments: Readonly<Record<string, string>>;
}

export type Principal = { readonly kind: 'coordinator' } | { readonly kind: 'department'; readonly department: Department };

const fileSchema = z
  .object({
    $comment: z.string().optional(),
    coordinator: z.string().regex(/^[A-Za-z0-9_-]{24,128}$/).optional(),
    departments: z.record(z.string(), z.string().regex(/^[A-Za-z0-9_-]{24,128}$/)).default({}),
  })
  .strict();

/** 32 random bytes, URL-safe: 43 characters. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** `…/anding.json` → `…/anding.tokens.json`. */
export function tokensFileFor(configFile: string): string {
  return join(dirname(configFile), `${basename(configFile).replace(/\.json$/i, '')}.tokens.json`);
}

async function readTokensFile(file: string): Promise<z.output<typeof fileSchema>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { departments: {} };
    throw new ConfigError(`令牌文件 ${file} 无法读取`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new ConfigError(`令牌文件 ${file} 不是有效的 JSON`, { cause });
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) throw new ConfigError(`令牌文件 ${file}: ${formatIssues(parsed.error)}`);
  return parsed.data;
}

export interface EnsuredTokens {
  readonly tokens: PortalTokens;
  /** Links that got a new token this time (`coordinator` or a department code). */
  readonly created: readonly string[];
  /** Links whose token comes from the configuration file (never written to the tokens file). */
  readonly fromConfig: readonly string[];
}

/**
 * Reads the tokens file, gives every link without a token a new one (and a new one to each link
 * named in `rotate`), writes the file back if anything changed (atomically, mode 600).
 */
export async function ensureTokens(config: TallyConfig, file: string, opts: { rotate?: readonly string[] } = {}): Promise<EnsuredTokens> {
  const stored = await readTokensFile(file);
  const rotate = new Set(opts.rotate ?? []);
  const known = new Set(['coordinator', ...config.departments.map((d) => d.code)]);
  for (const r of rotate) if (r !== 'all' && !known.has(r)) throw new ConfigError(`没有名为“${r}”的链接（可选：${[...known].join('、')}、all）`);
  const fresh = (name: string) => rotate.has('all') || rotate.has(name);
  const created: string[] = [];
  const fromConfig: string[] = [];

  const pick = (name: string, inConfig: string | undefined, inFile: string | undefined): { token: string; write: string | undefined } => {
    if (inConfig !== undefined) {
      fromConfig.push(name);
      return { token: inConfig, write: inFile };
    }
    if (inFile !== undefined && !fresh(name)) return { token: inFile, write: inFile };
    created.push(name);
    const token = newToken();
    return { token, write: token };
  };

  const coordinator = pick('coordinator', config.portal?.coordinatorToken, stored.coordinator);
  const departments: Record<string, string> = {};
  const written: Record<string, string> = { ...stored.departments };
  for (const d of config.departments) {
    const p = pick(d.code, config.portal?.departments[d.code], stored.departments[d.code]);
    departments[d.code] = p.token;
    if (p.write !== undefined) written[d.code] = p.write;
  }
  if (created.length > 0) {
    const body = {
      $comment: '各部门上传链接和司法所总览链接的令牌（tally tokens 生成）。请妥善保管：知道令牌即可访问对应页面。',
      ...(coordinator.write === undefined ? {} : { coordinator: coordinator.write }),
      departments: written,
    };
    const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(tmp, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
    await rename(tmp, file);
  }
  return { tokens: { coordinator: coordinator.token, departments }, created, fromConfig };
}

/**
 * Who a token is. Tokens are compared by their SHA-256, so the lookup time says nothing about
 * how much of a guessed token was right.
 */
export class TokenBook {
  readonly #byHash = new Map<string, Principal>();

  constructor(config: TallyConfig, tokens: PortalTokens) {
    this.#byHash.set(digest(tokens.coordinator), { kind: 'coordinator' });
    for (const d of config.departments) {
      const t = tokens.departments[d.code];
      if (t !== undefined) this.#byHash.set(digest(t), { kind: 'department', department: d });
    }
  }

  who(token: string): Principal | undefined {
    if (!/^[A-Za-z0-9_-]{24,128}$/.test(token)) return undefined;
    return this.#byHash.get(digest(token));
  }
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
