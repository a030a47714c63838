/**
 * Real SMTP servers on loopback for the mail tests (smtp*, outbox*, schedule*, deadline*): a sink
 * that keeps what it accepts, parsed; options to refuse one address (550), answer 421, require
 * login, or speak TLS (implicit or STARTTLS) with a certificate made by `openssl` for the test; a
 * silent server that accepts connections and never greets (a timeout); and a free port with
 * nothing listening (connection refused).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export const TMP = resolve(import.meta.dirname, '.tmp');

/** `tests/.tmp/<name>-<random>/`, created. */
export function tmpDir(name: string): string {
  const dir = join(TMP, `${name}-${randomBytes(4).toString('hex')}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export interface Received {
  /** RCPT TO addresses. */
  readonly rcpt: string[];
  readonly raw: Buffer;
  readonly mail: ParsedMail;
}

export interface SinkOptions {
  /** RCPT TO this address gets `550 5.1.1 No such user`. */
  readonly reject550?: string;
  /** Every MAIL FROM gets `421 4.3.2 Service not available`. */
  readonly answer421?: boolean;
  /** Login required with these credentials. */
  readonly auth?: { readonly user: string; readonly pass: string };
  /** TLS: `implicit` (smtps) or `starttls`; needs `tls`. */
  readonly secure?: 'implicit' | 'starttls';
  readonly tls?: { readonly key: Buffer; readonly cert: Buffer };
  /** Listen on this port (default: any free one). */
  readonly port?: number;
}

export interface Sink {
  readonly port: number;
  readonly received: Received[];
  /** Logins seen (user, and whether the password matched). */
  readonly logins: { user: string; ok: boolean }[];
  /** Whether each session was over TLS. */
  readonly sessionsSecure: boolean[];
  close(): Promise<void>;
}

function smtpError(code: number, text: string): Error {
  return Object.assign(new Error(text), { responseCode: code });
}

export async function startSink(opts: SinkOptions = {}): Promise<Sink> {
  const received: Received[] = [];
  const logins: { user: string; ok: boolean }[] = [];
  const sessionsSecure: boolean[] = [];
  const options: SMTPServerOptions = {
    logger: false,
    secure: opts.secure === 'implicit',
    ...(opts.tls === undefined ? {} : { key: opts.tls.key, cert: opts.tls.cert }),
    ...(opts.secure === undefined ? { disabledCommands: opts.auth === undefined ? ['STARTTLS', 'AUTH'] : ['STARTTLS'] } : {}),
    ...(opts.auth === undefined ? { authOptional: true } : { authMethods: ['PLAIN', 'LOGIN'], allowInsecureAuth: opts.secure === undefined }),
    onAuth(auth, _session, callback) {
      const ok = opts.auth !== undefined && auth.username === opts.auth.user && auth.password === opts.auth.pass;
      logins.push({ user: auth.username ?? '', ok });
      callback(ok ? null : smtpError(535, '5.7.8 Authentication failed'), ok ? { user: auth.username } : undefined);
    },
    onMailFrom(_address, session, callback) {
      sessionsSecure.push(session.secure);
      callback(opts.answer421 === true ? smtpError(421, '4.3.2 Service not available, try later') : null);
    },
    onRcptTo(address, _session, callback) {
      callback(address.address === opts.reject550 ? smtpError(550, '5.1.1 No such user here') : null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((mail) => {
            received.push({ rcpt: session.envelope.rcptTo.map((r) => r.address), raw, mail });
            callback();
          })
          .catch((error: Error) => callback(error));
      });
    },
  };
  const server = new SMTPServer(options);
  server.on('error', () => {});
  await new Promise<void>((ready) => server.listen(opts.port ?? 0, '127.0.0.1', ready));
  const port = (server.server.address() as AddressInfo).port;
  return { port, received, logins, sessionsSecure, close: () => new Promise<void>((done) => server.close(() => done())) };
}

/** A TCP server that accepts and never says a word: the client's greeting timeout fires. */
export async function startSilent(port: number): Promise<{ close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((ready) => server.listen(port, '127.0.0.1', ready));
  return {
    close: () =>
      new Promise<void>((done) => {
        for (const s of sockets) s.destroy();
        server.close(() => done());
      }),
  };
}

/** A port with nothing listening on it (connection refused). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** A self-signed certificate for 127.0.0.1/localhost, made with the `openssl` command line. */
export function selfSignedCertificate(dir: string): { key: Buffer; cert: Buffer; certFile: string } {
  const keyFile = join(dir, 'smtp-key.pem');
  const certFile = join(dir, 'smtp-cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
    { stdio: 'pipe' },
  );
  return { key: readFileSync(keyFile), cert: readFileSync(certFile), certFile };
}

/** The To addresses of a parsed mail. */
export function toOf(mail: ParsedMail): string[] {
  const list = Array.isArray(mail.to) ? mail.to : mail.to === undefined ? [] : [mail.to];
  return list.flatMap((a) => a.value.map((v) => v.address ?? ''));
}

export function ccOf(mail: ParsedMail): string[] {
  const list = Array.isArray(mail.cc) ? mail.cc : mail.cc === undefined ? [] : [mail.cc];
  return list.flatMap((a) => a.value.map((v) => v.address ?? ''));
}
