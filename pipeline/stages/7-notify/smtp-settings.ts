/**
 * `SMTP_URL` → nodemailer's SMTP options: STARTTLS on `smtp://` (used whenever the server offers
 * it; `?requireTLS=true` insists), implicit TLS on `smtps://`, user and password from the URL,
 * one pooled connection for the whole run. The password lives only in the returned options: the
 * `redact` function removes it (as written and decoded) from any text headed for a log or the
 * database.
 */
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';

export interface SmtpExtras {
  /** PEM certificates to trust besides the system's (a self-signed server: `SMTP_CA_FILE`). */
  readonly ca?: string | Buffer | undefined;
  /** Milliseconds; defaults suit a real server (connect 30 s, greeting 30 s, socket 60 s). */
  readonly connectionTimeout?: number;
  readonly greetingTimeout?: number;
  readonly socketTimeout?: number;
}

export interface SmtpSettings {
  readonly options: SMTPPool.Options;
  /** `smtps://tally@mail.example.org:465`: the URL without its password, for logs. */
  readonly display: string;
  redact(text: string): string;
}

/**
 * @example
 * const s = smtpSettings('smtps://tally:p%40ss@mail.example.org');
 * s.options.secure; // true, port 465
 * s.redact('login p@ss failed'); // 'login *** failed'
 */
export function smtpSettings(smtpUrl: string, extras: SmtpExtras = {}): SmtpSettings {
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    throw new Error('SMTP_URL 不是有效的地址（应为 smtp://用户:密码@主机:端口 或 smtps://…）');
  }
  const secure = url.protocol === 'smtps:';
  if (!secure && url.protocol !== 'smtp:') throw new Error(`SMTP_URL 的协议应为 smtp:// 或 smtps://，收到 ${url.protocol}//`);
  const user = decodeURIComponent(url.username);
  const pass = decodeURIComponent(url.password);
  const options: Record<string, unknown> = {
    pool: true,
    maxConnections: 1,
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port === '' ? (secure ? 465 : 587) : Number(url.port),
    secure,
    connectionTimeout: extras.connectionTimeout ?? 30_000,
    greetingTimeout: extras.greetingTimeout ?? 30_000,
    socketTimeout: extras.socketTimeout ?? 60_000,
    logger: false,
    debug: false,
    ...(user === '' ? {} : { auth: { user, pass } }),
  };
  // `?requireTLS=true`, `?tls.rejectUnauthorized=false`, `?name=tally.example.org` …
  for (const [key, raw] of url.searchParams) setPath(options, key, parseValue(raw));
  if (extras.ca !== undefined) setPath(options, 'tls.ca', extras.ca);
  const secrets = [...new Set([url.password, pass])].filter((s) => s.length > 0);
  const shown = new URL(smtpUrl);
  shown.password = '';
  return {
    options: options as SMTPPool.Options,
    display: shown.toString().replace(/\/$/, ''),
    redact: (text) => secrets.reduce((t, secret) => t.replaceAll(secret, '***'), text),
  };
}

function parseValue(raw: string): unknown {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    node = (node[key] = typeof next === 'object' && next !== null ? { ...(next as object) } : {}) as Record<string, unknown>;
  }
  node[keys[keys.length - 1] as string] = value;
}
