/**
 * The portal in a real browser (Debian's Chromium driven by playwright-core), as a clerk uses it:
 * pick a file with a planted mistake, see the finding with its cell, confirm, upload the fixed
 * file, see it clean, and see the coordinator's dashboard change. Screenshots of the upload page
 * and the dashboard are kept in `tests/artifacts/` (git-ignored).
 */
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediationFile, PLANTED_CELL, ROOT, startTestPortal, type TestPortal, type UploadFile } from './portal-support.ts';

const SLOW = 240_000;
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, 'tests', 'artifacts');

describe('the portal in Chromium', () => {
  let portal: TestPortal;
  let browser: Browser;
  let files: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Browser tests need ${CHROMIUM}: apt-get install -y chromium (.ci/run does)`);
    await mkdir(ARTIFACTS, { recursive: true });
    portal = await startTestPortal('browser');
    files = join(portal.dir, 'to-upload');
    await mkdir(files, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-component-update', '--no-first-run'],
    });
  }, SLOW);
  afterAll(async () => {
    await browser?.close();
    await portal?.close();
  });

  /** Writes a file where the browser's file picker can take it from. */
  async function onDisk(file: UploadFile, dir: string): Promise<string> {
    await mkdir(join(files, dir), { recursive: true });
    const path = join(files, dir, file.name);
    await writeFile(path, file.bytes);
    return path;
  }

  async function newPage(): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    (page as Page & { problems: string[] }).problems = problems;
    return page;
  }

  async function departmentErrors(page: Page): Promise<string> {
    await page.goto(portal.dashboardUrl);
    return (await page.textContent('tr[data-department="justice"] td.errors')) ?? '';
  }

  it('finds the planted mistake with its cell, takes the fixed file clean, and the dashboard follows', async () => {
    const dashboard = await newPage();
    await dashboard.goto(portal.dashboardUrl);
    expect(await dashboard.textContent('tr[data-department="justice"] td.missing')).toBe('1');

    const page = await newPage();
    await page.goto(portal.departmentUrl('justice'));
    expect(await page.textContent('h1')).toContain('台账报送');
    expect(await page.textContent('.who')).toBe('司法所');

    // 1. A file with a mistake: the finding appears with its cell address.
    await page.setInputFiles('#file-input', await onDisk(await mediationFile('人民调解台账.xlsx', { mistake: true }), 'first'));
    const row = page.locator('#preview-findings tr[data-code="cell.enum"]');
    await row.waitFor({ timeout: 90_000 });
    expect(await row.locator('td.cell').textContent()).toBe(PLANTED_CELL);
    expect(await row.locator('td.message').textContent()).toContain('调解结果');
    expect(await page.textContent('#preview-status')).toContain('1 个错误');
    await page.screenshot({ path: join(ARTIFACTS, 'upload-preview.png'), fullPage: true });

    // 2. Confirmed: the page reloads with the submission and its open finding.
    await page.click('#confirm');
    await page.waitForURL(/placed=1/, { timeout: 90_000 });
    expect(await page.textContent('#placed')).toContain('已报送 1 个文件');
    expect(await page.textContent('#open-findings tr[data-code="cell.enum"] td.cell')).toBe(PLANTED_CELL);
    expect(await page.textContent('tr[data-ledger="mediation"] td.status')).toBe('已报');
    expect(await departmentErrors(dashboard)).toBe('1');
    expect(await dashboard.textContent('tr[data-department="justice"] td.missing')).toBe('0');

    // 3. The fixed file under the same name: clean, and a second version.
    await page.setInputFiles('#file-input', await onDisk(await mediationFile('人民调解台账.xlsx'), 'fixed'));
    await page.locator('#preview-clean').waitFor({ timeout: 90_000 });
    expect(await page.textContent('#preview-files')).toContain('第 2 版');
    await page.click('#confirm');
    await page.waitForSelector('#no-findings', { timeout: 90_000 });
    expect(await page.textContent('#files')).toContain('第 2 版');
    await page.screenshot({ path: join(ARTIFACTS, 'department-page.png'), fullPage: true });

    // 4. The dashboard changed: no error left for 司法所.
    expect(await departmentErrors(dashboard)).toBe('0');
    expect(await dashboard.textContent('tr[data-indicator="service.disputes_resolved"] td.value')).toBe('2');
    await dashboard.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });

    expect((page as Page & { problems: string[] }).problems).toEqual([]);
    expect((dashboard as Page & { problems: string[] }).problems).toEqual([]);
  }, SLOW);

  it('shows an injected cell as text: no element is created from it', async () => {
    const page = await newPage();
    await page.goto(portal.departmentUrl('counsel'));
    const evil = await mediationFile('注入.csv', { value: '<img src=x onerror="document.title=1">=HYPERLINK("http://evil.example")', csv: true });
    await page.setInputFiles('#file-input', await onDisk(evil, 'evil'));
    const row = page.locator('#preview-findings tr[data-code="cell.enum"]');
    await row.waitFor({ timeout: 90_000 });
    expect(await row.locator('td.message').textContent()).toContain('<img src=x onerror="document.title=1">');
    expect(await page.locator('#preview img').count()).toBe(0);
    expect(await page.title()).not.toBe('1');
  }, SLOW);

  it('refuses a fake spreadsheet in the page with the reason', async () => {
    const page = await newPage();
    await page.goto(portal.departmentUrl('counsel'));
    await page.setInputFiles('#file-input', await onDisk({ name: '不是表格.xlsx', bytes: new TextEncoder().encode('just text') }, 'fake'));
    await page.locator('#rejected').waitFor({ timeout: 60_000 });
    expect(await page.textContent('#rejected')).toContain('不是 Excel 工作簿');
    expect(await page.locator('#confirm').isHidden()).toBe(true);
    await rm(join(files, 'fake'), { recursive: true, force: true });
  }, SLOW);
});
