/**
 * Why a message did not go, and whether trying again can help. nodemailer errors carry a
 * `code` (ECONNECTION, ETIMEDOUT, ESOCKET, EDNS, ETLS, EAUTH, EENVELOPE, EMESSAGE…) and, when the
 * server answered, a `responseCode`.
 *
 * - temporary: no answer (refused, timed out, connection dropped, TLS or DNS trouble), any 4xx
 *   (421 service not available, 450/451/452 try later), and a failed login: the password can be
 *   fixed and the mail must not be lost meanwhile;
 * - permanent: any other 5xx (550 no such mailbox, 553 bad address, 552 too big) and an address
 *   nodemailer refuses before asking the server.
 *
 * `unreachable` marks failures about the server rather than the message: the rest of the round
 * is not tried against a server that is down.
 */
export interface DeliveryFailure {
  readonly kind: 'temporary' | 'permanent';
  readonly unreachable: boolean;
  readonly message: string;
}

interface MailerError {
  code?: unknown;
  responseCode?: unknown;
  message?: unknown;
}

const UNREACHABLE = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EAUTH', 'ECONNREFUSED', 'ECONNRESET', 'EPROXY', 'ENOTFOUND']);

export function classifyFailure(error: unknown): DeliveryFailure {
  const e = (typeof error === 'object' && error !== null ? error : {}) as MailerError;
  const message = typeof e.message === 'string' ? e.message : String(error);
  const code = typeof e.code === 'string' ? e.code : '';
  const response = typeof e.responseCode === 'number' ? e.responseCode : null;
  if (code === 'EAUTH') return { kind: 'temporary', unreachable: true, message };
  if (response !== null && response >= 400 && response < 500) return { kind: 'temporary', unreachable: response === 421, message };
  if (response !== null && response >= 500) return { kind: 'permanent', unreachable: false, message };
  if (UNREACHABLE.has(code)) return { kind: 'temporary', unreachable: true, message };
  if (code === 'EENVELOPE' || code === 'EMESSAGE') return { kind: 'permanent', unreachable: false, message };
  // Unknown trouble (a bug, a full disk for .eml files): keep the mail and try again.
  return { kind: 'temporary', unreachable: false, message };
}
