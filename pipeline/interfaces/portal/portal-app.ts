/**
 * The portal's HTTP routes (hono). Departments and the coordinator reach it only through their
 * private links; a wrong or old token gets a bare 403. Nothing is served from a directory:
 * pages are rendered, the two assets are fixed strings, and downloads are looked up by name in
 * the one folder they may come from.
 *
 *   GET  /d/<token>                 the department's page (upload, what it owes, findings, files)
 *   POST /d/<token>/preview         multipart `files`: check them, stage them, return findings
 *   POST /d/<token>/confirm         `{ uploadId }`: place the staged files in the inbox
 *   GET  /d/<token>/template.xlsx   the department's template workbook
 *   GET  /d/<token>/marked/<name>   a marked-up file from `<out>/marked/<department>/`
 *   GET  /c/<token>                 the coordinator's dashboard
 *   POST /c/<token>/run             run now (workbook and mail), then back to the dashboard
 *   GET  /c/<token>/report.xlsx     the latest report workbook
 */
import { createReadStream, readFileSync } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import type { Department, TallyConfig } from '../../kernel/config/config.ts';
import { templateFileName, templateWorkbook } from '../../../reports/templates/write-template-workbook.ts';
import { dashboardPage } from './pages/dashboard-page.ts';
import { departmentPage } from './pages/department-page.ts';
import type { PortalRunner } from './portal-runner.ts';
import type { Principal, TokenBook } from './portal-tokens.ts';
import { previewUpload } from './preview-upload.ts';
import { RateLimiter } from './rate-limiter.ts';
import { RunLane } from './run-lane.ts';
import { cleanFileName, contentProblem, MESSAGE_BAD_EXTENSION } from './upload-files.ts';
import type { UploadStaging } from './upload-staging.ts';

export interface PortalLimits {
  readonly maxFiles: number;
  readonly maxFileBytes: number;
  readonly requestsPerMinute: number;
  readonly uploadsPerMinute: number;
}

export interface PortalAppDeps {
  readonly config: TallyConfig;
  readonly runner: PortalRunner;
  readonly tokens: TokenBook;
  readonly staging: UploadStaging;
  readonly inbox: string;
  readonly out: string;
  /** Scratch folders of previews. */
  readonly scratchRoot: string;
  readonly limits: PortalLimits;
}

/** The limits in effect: the `portal` section's, capped by `limits.maxFileMegabytes`. */
export function portalLimits(config: TallyConfig): PortalLimits {
  const p = config.portal;
  const perFile = p?.maxFileMegabytes === undefined ? config.maxFileBytes : Math.min(config.maxFileBytes, Math.round(p.maxFileMegabytes * 1024 * 1024));
  return {
    maxFiles: p?.maxFiles ?? 10,
    maxFileBytes: perFile,
    requestsPerMinute: p?.requestsPerMinute ?? 120,
    uploadsPerMinute: p?.uploadsPerMinute ?? 20,
  };
}

const ASSETS: Readonly<Record<string, { body: string; type: string }>> = {
  'portal.js': { body: readFileSync(new URL('./assets/portal.js', import.meta.url), 'utf8'), type: 'text/javascript; charset=utf-8' },
  'portal.css': { body: readFileSync(new URL('./assets/portal.css', import.meta.url), 'utf8'), type: 'text/css; charset=utf-8' },
};

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type Env = { Variables: { principal: Principal } };

export function createPortalApp(deps: PortalAppDeps): Hono<Env> {
  const { config, runner, limits } = deps;
  const app = new Hono<Env>();
  const requests = new RateLimiter(limits.requestsPerMinute);
  const uploads = new RateLimiter(limits.uploadsPerMinute);
  // Previews run the pipeline on scratch copies: one at a time, so two cores stay usable.
  const previews = new RunLane();

  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
      xFrameOptions: 'DENY',
      xContentTypeOptions: 'nosniff',
      referrerPolicy: 'no-referrer',
      crossOriginResourcePolicy: 'same-origin',
      crossOriginOpenerPolicy: 'same-origin',
    }),
  );
  app.use('*', async (c, next) => {
    await next();
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
  });
  app.use('*', csrf());

  app.get('/', (c) =>
    c.html(
      '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>台账报送</title><link rel="stylesheet" href="/assets/portal.css"></head>' +
        '<body><main><section><p>请使用司法所发给本部门的专用链接访问。</p></section></main></body></html>',
    ),
  );
  // Browsers ask for it on every page; nothing to show, nothing to log as missing.
  app.get('/favicon.ico', (c) => c.body(null, 204));
  app.get('/assets/:name', (c) => {
    const asset = ASSETS[c.req.param('name')];
    if (asset === undefined) return notFound(c);
    return c.body(asset.body, 200, { 'Content-Type': asset.type, 'Cache-Control': 'no-cache' });
  });

  // --- Who is asking: a token in the path, checked before anything else. ---
  // One middleware per area, the token read from the path itself (`/d/:token` and
  // `/d/:token/*` would both match `/d/<token>` and count the request twice).
  const gate = (kind: Principal['kind']) => async (c: Context<Env>, next: () => Promise<void>) => {
    const principal = deps.tokens.who(c.req.path.split('/')[2] ?? '');
    if (principal === undefined || principal.kind !== kind) return c.text('403 Forbidden', 403);
    const key = principal.kind === 'coordinator' ? 'coordinator' : principal.department.code;
    const limited = requests.take(key);
    if (!limited.ok) return tooMany(c, limited.retryAfterSeconds);
    c.set('principal', principal);
    await next();
  };
  app.use('/d/*', gate('department'));
  app.use('/c/*', gate('coordinator'));

  const departmentOf = (c: Context<Env>): Department => {
    const p = c.get('principal');
    if (p.kind !== 'department') throw new Error('not a department link');
    return p.department;
  };

  // --- A department's link ---
  app.get('/d/:token', async (c) => {
    const department = departmentOf(c);
    const placed = c.req.query('placed');
    return c.html(
      departmentPage({
        config,
        department,
        snapshot: await runner.snapshot(),
        base: `/d/${c.req.param('token')}`,
        templateName: templateFileName(config, department),
        marked: await markedFiles(deps.out, department.code),
        limits,
        placed: placed !== undefined && /^\d{1,3}$/.test(placed) ? Number(placed) : undefined,
        busy: runner.busy,
      }),
    );
  });

  app.post(
    '/d/:token/preview',
    bodyLimit({
      maxSize: limits.maxFiles * limits.maxFileBytes + 1024 * 1024,
      onError: (c) => c.json({ error: `上传内容太大：每个文件不超过 ${megabytes(limits.maxFileBytes)} MB，一次最多 ${limits.maxFiles} 个文件。` }, 413),
    }),
    async (c) => {
      const department = departmentOf(c);
      const limited = uploads.take(department.code);
      if (!limited.ok) return tooMany(c, limited.retryAfterSeconds);
      let form: Record<string, unknown>;
      try {
        form = await c.req.parseBody({ all: true });
      } catch {
        return c.json({ error: '无法读取上传的内容，请重新选择文件上传。' }, 400);
      }
      const raw = form['files'];
      const files = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((f): f is File => f instanceof File);
      if (files.length === 0) return c.json({ error: '没有收到文件，请选择 .xlsx、.xls、.ods 或 .csv 文件。' }, 400);
      if (files.length > limits.maxFiles) return c.json({ error: `一次最多上传 ${limits.maxFiles} 个文件。` }, 413);
      const oversized = files.find((f) => f.size > limits.maxFileBytes);
      if (oversized !== undefined) {
        return c.json({ error: `“${oversized.name}”太大：每个文件不超过 ${megabytes(limits.maxFileBytes)} MB。` }, 413);
      }

      const accepted = new Map<string, Uint8Array>();
      const rejected: { name: string; reason: string }[] = [];
      for (const f of files) {
        const name = cleanFileName(f.name);
        if (name === null) {
          rejected.push({ name: f.name, reason: MESSAGE_BAD_EXTENSION });
          continue;
        }
        const bytes = new Uint8Array(await f.arrayBuffer());
        const problem = contentProblem(name, bytes);
        if (problem !== null) rejected.push({ name, reason: problem });
        else accepted.set(name, bytes); // the same name twice: the later one wins, as in a folder
      }
      if (accepted.size === 0) return c.json({ error: '上传的文件都未被接收。', rejected }, 400);

      const staged = await deps.staging.stage(department.code, [...accepted].map(([name, bytes]) => ({ name, bytes })));
      try {
        const preview = await previews.exclusive(() =>
          previewUpload({ config, inbox: deps.inbox, department, files: staged.files, scratchRoot: deps.scratchRoot }),
        );
        const snapshot = await runner.snapshot();
        const versions = snapshot.departments.find((d) => d.code === department.code)?.files ?? [];
        return c.json({
          uploadId: staged.id,
          files: staged.files.map((f) => {
            const last = versions.filter((v) => v.name === f.name).reduce((m, v) => Math.max(m, v.version), 0);
            const replaces = versions.some((v) => v.name === f.name && v.current);
            return { name: f.name, size: f.size, replaces, version: last + 1 };
          }),
          rejected,
          ...preview,
        });
      } catch (error) {
        await deps.staging.discard(staged.id);
        throw error;
      }
    },
  );

  app.post('/d/:token/confirm', bodyLimit({ maxSize: 4096, onError: (c) => c.json({ error: '请求无效。' }, 413) }), async (c) => {
    const department = departmentOf(c);
    const limited = uploads.take(department.code);
    if (!limited.ok) return tooMany(c, limited.retryAfterSeconds);
    const body = (await c.req.json().catch(() => null)) as { uploadId?: unknown } | null;
    const id = typeof body?.uploadId === 'string' && /^[0-9a-f]{32}$/.test(body.uploadId) ? body.uploadId : null;
    const upload = id === null ? undefined : deps.staging.get(department.code, id);
    if (upload === undefined) return c.json({ error: '这次上传已过期或不存在，请重新上传文件。' }, 404);
    const { placed, run } = await runner.place(department, upload);
    await deps.staging.discard(upload.id);
    const snapshot = await runner.snapshot();
    const mine = snapshot.departments.find((d) => d.code === department.code);
    return c.json({ placed, checked: run.error === undefined, findings: mine?.findings ?? [] });
  });

  app.get('/d/:token/template.xlsx', async (c) => {
    const department = departmentOf(c);
    const bytes = await templateWorkbook(config, department);
    return c.body(new Uint8Array(bytes), 200, { 'Content-Type': XLSX, 'Content-Disposition': attachment(templateFileName(config, department)) });
  });

  app.get('/d/:token/marked/:name', async (c) => {
    const department = departmentOf(c);
    const name = c.req.param('name');
    // Only a name listed in the department's own folder: no path ever reaches the file system.
    if (!(await markedFiles(deps.out, department.code)).includes(name)) return notFound(c);
    const bytes = await readFile(join(deps.out, 'marked', department.code, name));
    return c.body(new Uint8Array(bytes), 200, { 'Content-Type': name.toLowerCase().endsWith('.csv') ? 'text/csv; charset=utf-8' : XLSX, 'Content-Disposition': attachment(name) });
  });

  app.get('/d/:token/findings.csv', async (c) => {
    const department = departmentOf(c);
    return csvFile(c, join(deps.out, 'findings', `问题清单-${department.code}-${config.year}.csv`));
  });

  // --- The coordinator's link ---
  app.get('/c/:token', async (c) => {
    const notice = c.req.query('ran') !== undefined ? 'ran' : undefined;
    return c.html(
      dashboardPage({
        config,
        snapshot: await runner.snapshot(),
        base: `/c/${c.req.param('token')}`,
        workbook: (await isFile(reportPath(deps))) ? `report-${config.year}.xlsx` : null,
        lastRun: runner.lastRun,
        busy: runner.busy,
        notice,
      }),
    );
  });

  app.post('/c/:token/run', async (c) => {
    await runner.run('portal').catch(() => undefined); // the dashboard shows the error
    return c.redirect(`/c/${c.req.param('token')}?ran=1`, 303);
  });

  app.get('/c/:token/report.xlsx', async (c) => {
    const path = reportPath(deps);
    if (!(await isFile(path))) return notFound(c);
    return c.body(new Uint8Array(await readFile(path)), 200, { 'Content-Type': XLSX, 'Content-Disposition': attachment(`report-${config.year}.xlsx`) });
  });

  app.get('/c/:token/findings.csv', (c) => csvFile(c, join(deps.out, `findings-${config.year}.csv`)));

  app.notFound((c) => notFound(c));
  app.onError((error, c) => {
    // Raised by middleware (the CSRF check: a form posted from another site).
    if (error instanceof HTTPException && error.status < 500) return c.text(error.status === 403 ? '403 Forbidden' : String(error.status), error.status);
    process.stderr.write(`tally serve: ${c.req.method} ${c.req.path.replace(/\/(d|c)\/[^/]+/, '/$1/…')}: ${error.stack ?? error.message}\n`);
    return c.text('500 服务器内部错误，请稍后再试。', 500);
  });
  return app;
}

/** A complete findings list the last run wrote, streamed (it can run to tens of megabytes). */
async function csvFile(c: Context, path: string): Promise<Response> {
  if (!(await isFile(path))) return notFound(c);
  const body = Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
  return c.body(body, 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': attachment(basename(path)) });
}

function notFound(c: Context): Response {
  return c.text('404 Not Found', 404);
}

function tooMany(c: Context, seconds: number): Response {
  c.header('Retry-After', String(seconds));
  return c.json({ error: `操作太频繁，请 ${seconds} 秒后再试。` }, 429);
}

function megabytes(bytes: number): string {
  return String(Math.floor((bytes / 1024 / 1024) * 10) / 10);
}

/** `attachment; filename="report.xlsx"; filename*=UTF-8''%E7%BB…` (an ASCII stand-in, then the real name). */
function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

function reportPath(deps: PortalAppDeps): string {
  return join(deps.out, `report-${deps.config.year}.xlsx`);
}

/** Plain files (no links, no folders, no hidden files) under `<out>/marked/<department>/`. */
async function markedFiles(out: string, department: string): Promise<string[]> {
  const dir = join(out, 'marked', department);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const n of names.sort()) {
    if (n.startsWith('.') || n.startsWith('~$')) continue;
    if ((await lstat(join(dir, n))).isFile()) files.push(n);
  }
  return files;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isFile();
  } catch {
    return false;
  }
}
