/**
 * The charts in a real browser (Debian's Chromium via playwright-core): the district's dashboard
 * served under the portal's strict CSP, and the town's dashboard in the running portal after a
 * run. Each chart must be drawn (an SVG with bars or a line, a real size on screen) and the page
 * must raise no CSP violation or script error. Screenshots go to `tests/artifacts/`
 * (`district-dashboard.png`, `town-dashboard-charts.png`).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDistrictDemo } from '../demo/district/district-demo.ts';
import { loadDistrictConfig } from '../pipeline/district/district-config.ts';
import { runDistrict } from '../pipeline/district/run-district.ts';
import { dashboardPage } from '../pipeline/interfaces/portal/pages/dashboard-page.ts';
import type { PortalSnapshot } from '../pipeline/interfaces/portal/portal-snapshot.ts';
import { loadConfig } from '../pipeline/kernel/config/config.ts';
import { mediationFile, ROOT, startTestPortal, type TestPortal } from './portal-support.ts';

const SLOW = 300_000;
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, 'tests', 'artifacts');
/** The portal's policy (portal-app.ts): nothing inline, nothing from elsewhere. */
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Serves a folder as the portal would: strict CSP, nosniff. */
function serveFolder(root: string): Promise<{ server: Server; url: string }> {
  const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8' };
  const server = createServer((req, res) => {
    if (req.url === '/favicon.ico') return void res.writeHead(204).end();
    const path = normalize(join(root, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    if (!path.startsWith(root)) return void res.writeHead(403).end();
    readFile(path).then(
      (body) => res.writeHead(200, { 'Content-Type': types[extname(path)] ?? 'application/octet-stream', 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` })));
}

async function watched(browser: Browser): Promise<Page & { problems: string[] }> {
  const page = (await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })) as Page & { problems: string[] };
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') page.problems.push(m.text());
  });
  return page;
}

/** A chart is drawn: its SVG has marks and takes room on the screen. */
async function expectDrawn(page: Page, selector: string): Promise<void> {
  const svg = page.locator(`${selector} svg`);
  const box = await svg.boundingBox();
  expect(box?.width ?? 0, selector).toBeGreaterThan(200);
  expect(box?.height ?? 0, selector).toBeGreaterThan(100);
  expect(await page.locator(`${selector} svg path`).count(), selector).toBeGreaterThan(3);
}

describe('charts in Chromium', () => {
  const dir = join(ROOT, 'tests', '.tmp', `district-browser-${process.pid}`);
  let browser: Browser;
  let served: { server: Server; url: string };
  let portal: TestPortal | undefined;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Browser tests need ${CHROMIUM}: apt-get install -y chromium (.ci/run does)`);
    await mkdir(ARTIFACTS, { recursive: true });
    const demo = await generateDistrictDemo(dir, { towns: ['安定镇', '黄村镇', '亦庄镇', '礼贤镇', '长子营镇'] });
    await runDistrict({ config: loadDistrictConfig(demo.configFile), inbox: demo.inbox, out: join(dir, 'out'), year: 2020, docx: false, mail: false });
    served = await serveFolder(join(dir, 'out'));
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  }, SLOW);
  afterAll(async () => {
    await browser?.close();
    await portal?.close();
    served?.server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('draws the district dashboard: completeness, this year against last, towns ranked per figure', async () => {
    const page = await watched(browser);
    await page.goto(`${served.url}/district-2020.html`);
    expect(await page.textContent('h1')).toContain('大兴区2020年度');
    await expectDrawn(page, '#chart-completeness');
    await expectDrawn(page, '#chart-yoy');
    await expectDrawn(page, '#chart-rank-enforcement-disclosures');
    expect(await page.locator('#rankings figure.chart').count()).toBeGreaterThanOrEqual(20);
    expect(await page.textContent('#chart-rank-enforcement-disclosures')).toContain('亦庄镇');
    expect(await page.textContent('tr[data-town="长子营镇"] td[data-code="enforcement.disclosures"]')).toBe('未报送');
    expect(await page.textContent('#submission-summary')).toContain('缺报 1 个');
    await page.screenshot({ path: join(ARTIFACTS, 'district-dashboard.png'), fullPage: true });
    expect(page.problems).toEqual([]);
  }, SLOW);

  it('draws the town dashboard\'s charts in the running portal after a run', async () => {
    portal = await startTestPortal('district-charts', { inbox: { 'justice/人民调解台账.xlsx': (await mediationFile('人民调解台账.xlsx')).bytes } });
    const page = await watched(browser);
    await page.goto(portal.dashboardUrl);
    await page.click('#run-now');
    await page.waitForSelector('#ran', { timeout: 120_000 });
    await expectDrawn(page, '#chart-completeness');
    expect(await page.textContent('#chart-completeness')).toContain('台账报送进度');
    await page.locator('#chart-completeness').screenshot({ path: join(ARTIFACTS, 'town-dashboard-completeness.png') });
    await page.screenshot({ path: join(ARTIFACTS, 'town-dashboard-charts.png'), fullPage: true });
    expect(page.problems).toEqual([]);
  }, SLOW);

  it('puts findings about a figure in their own section, not under 不属于任何部门的文件', () => {
    const config = loadConfig();
    const finding = (code: string, file: string | null) => ({ level: '警告' as const, code, department: null, file, sheet: null, cell: null, message: `${code} 的说明`, expected: null, actual: null, ledger: null });
    const snapshot = {
      run: null,
      departments: [],
      indicators: [{ code: 'service.disputes_resolved', name: '化解矛盾纠纷', unit: '件', value: 131, wording: '131件', status: '有警告', previous: 60 }],
      unowned: [finding('indicator.yoy_change', null), finding('file.unknown_department', '散落文件.xlsx')],
      unownedOmitted: [],
    } as unknown as PortalSnapshot;
    const page = dashboardPage({ config, snapshot, base: '/c/x', workbook: null, lastRun: undefined, busy: false });
    const section = (id: string) => page.slice(page.indexOf(`<section id="${id}">`), page.indexOf('</section>', page.indexOf(`<section id="${id}">`)));
    expect(section('indicator-findings')).toContain('indicator.yoy_change');
    expect(section('unowned')).not.toContain('indicator.yoy_change');
    expect(section('unowned')).toContain('散落文件.xlsx');
    expect(page).toContain('id="chart-yoy"');
  });
});
