/**
 * `tally serve` as a function: the portal's HTTP server and the runner that owns the database,
 * in this one process. Tests start it on `127.0.0.1:0` and read the port from `url`.
 *
 * @example
 * const portal = await startPortal({ config, inbox, out, dbPath, tokens, port: 8080 });
 * portal.url;           // 'http://127.0.0.1:8080'
 * await portal.close();
 */
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import type { TallyConfig } from '../../kernel/config/config.ts';
import { createPortalApp, portalLimits } from './portal-app.ts';
import { PortalRunner, type PortalRunnerOptions, type ScheduleHook } from './portal-runner.ts';
import { TokenBook, type PortalTokens } from './portal-tokens.ts';
import { UploadStaging } from './upload-staging.ts';

export interface StartPortalOptions {
  readonly config: TallyConfig;
  readonly inbox: string;
  readonly out: string;
  readonly dbPath: string;
  readonly tokens: PortalTokens;
  readonly host?: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly smtpUrl?: string | undefined;
  readonly now?: () => Date;
  /** Read worker threads per run and preview (default: the pipeline's). */
  readonly readers?: number;
  /** Passed to every run: mail delivery details and the notify mode. */
  readonly runOptions?: PortalRunnerOptions['runOptions'];
  /** Started once the server listens; stopped by `close()`. */
  readonly schedule?: ScheduleHook | undefined;
}

export interface RunningPortal {
  readonly url: string;
  readonly runner: PortalRunner;
  close(): Promise<void>;
}

export async function startPortal(opts: StartPortalOptions): Promise<RunningPortal> {
  const { config } = opts;
  const portalDir = join(opts.out, 'portal');
  const staging = new UploadStaging(join(portalDir, 'staging'));
  await staging.reset();
  const runner = new PortalRunner({
    config,
    inbox: opts.inbox,
    out: opts.out,
    dbPath: opts.dbPath,
    smtpUrl: opts.smtpUrl,
    ...(opts.now === undefined ? {} : { now: opts.now }),
    ...(opts.readers === undefined ? {} : { readers: opts.readers }),
    ...(opts.runOptions === undefined ? {} : { runOptions: opts.runOptions }),
  });
  // Opens the database now: a second process holding it fails here, not on the first page view.
  await runner.snapshot();
  const app = createPortalApp({
    config,
    runner,
    tokens: new TokenBook(config, opts.tokens),
    staging,
    inbox: opts.inbox,
    out: opts.out,
    scratchRoot: join(portalDir, 'preview'),
    limits: portalLimits(config),
  });
  const host = opts.host ?? '127.0.0.1';
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: host, port: opts.port ?? 0 }, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const schedule = opts.schedule === undefined ? undefined : await opts.schedule({ run: (t) => runner.run(t), config });
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    runner,
    async close() {
      await schedule?.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      // Let a run under way finish: the database is closed at its end.
      while (runner.busy) await new Promise((r) => setTimeout(r, 50));
    },
  };
}
