/**
 * The upload portal over HTTP, as a department's browser and the coordinator's use it: the
 * department page, a preview with its findings, confirmation into the inbox (same name = new
 * version), the dashboard, run now, the report workbook, marked-up files, tokens and limits.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../pipeline/kernel/config/config-error.ts';
import { loadConfig } from '../pipeline/kernel/config/config.ts';
import { ensureTokens, TokenBook } from '../pipeline/interfaces/portal/portal-tokens.ts';
import { cleanFileName } from '../pipeline/interfaces/portal/upload-files.ts';
import { mediationFile, PLANTED_CELL, PLANTED_VALUE, startTestPortal, type PreviewBody, type TestPortal } from './portal-support.ts';

const SLOW = 180_000;

describe('a department uploads through its link and the coordinator sees it', () => {
  let portal: TestPortal;
  beforeAll(async () => {
    portal = await startTestPortal('portal');
  }, SLOW);
  afterAll(async () => {
    await portal?.close();
  });

  it('shows the department its name, what it owes (缺报 before anything is sent) and its template', async () => {
    const res = await fetch(portal.departmentUrl('justice'));
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('司法所');
    expect(page).toContain('上传台账');
    expect(page).toContain('人民调解台账');
    expect(page).not.toContain('合法性审查台账'); // counsel's ledger, not theirs
    const template = await fetch(`${portal.departmentUrl('justice')}/template.xlsx`);
    expect(template.status).toBe(200);
    expect(template.headers.get('content-disposition')).toContain(encodeURIComponent('司法所-2020年台账模板.xlsx'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await template.arrayBuffer());
    expect(wb.worksheets.filter((w) => w.state === 'visible').map((w) => w.name)).toEqual(['填表说明', '人民调解台账']);
  }, SLOW);

  it('previews an upload within seconds: the findings of those files with their cells, and nothing placed yet', async () => {
    const started = Date.now();
    const res = await portal.upload('justice', [await mediationFile('调解台账.xlsx', { mistake: true })]);
    const body = (await res.json()) as PreviewBody;
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(body.uploadId).toMatch(/^[0-9a-f]{32}$/);
    expect(body.files).toEqual([{ name: '调解台账.xlsx', size: expect.any(Number), replaces: false, version: 1 }]);
    expect(body.recognized).toEqual([expect.objectContaining({ ledger: 'mediation', rows: 3 })]);
    const planted = body.findings.find((f) => f.code === 'cell.enum');
    expect(planted).toMatchObject({ level: '错误', file: 'justice/调解台账.xlsx', sheet: '调解台账', cell: PLANTED_CELL, actual: PLANTED_VALUE });
    expect(planted?.message).toContain('调解结果');
    expect(existsSync(join(portal.inbox, 'justice'))).toBe(false);
  }, SLOW);

  it('confirms the upload into inbox/<department>/ and shows its open findings on the page', async () => {
    const preview = (await (await portal.upload('justice', [await mediationFile('调解台账.xlsx', { mistake: true })])).json()) as PreviewBody;
    const res = await portal.confirm('justice', preview.uploadId);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { placed: { name: string; replaced: boolean }[]; checked: boolean; findings: { code: string; cell: string }[] };
    expect(body.placed).toEqual([{ name: '调解台账.xlsx', replaced: false }]);
    expect(body.checked).toBe(true);
    expect(body.findings).toContainEqual(expect.objectContaining({ code: 'cell.enum', cell: PLANTED_CELL }));
    expect(await readdir(join(portal.inbox, 'justice'))).toEqual(['调解台账.xlsx']);

    const page = await (await fetch(portal.departmentUrl('justice'))).text();
    expect(page).toContain('第 1 版');
    expect(page).toMatch(/<td class="cell">F3<\/td>/);
    // A confirmation is used once.
    expect((await portal.confirm('justice', preview.uploadId)).status).toBe(404);
  }, SLOW);

  it('takes the same name again as a new version, and the fixed file clears the finding', async () => {
    const preview = (await (await portal.upload('justice', [await mediationFile('调解台账.xlsx')])).json()) as PreviewBody;
    expect(preview.findings).toEqual([]);
    expect(preview.files[0]).toMatchObject({ replaces: true, version: 2 });
    const body = (await (await portal.confirm('justice', preview.uploadId)).json()) as { placed: { replaced: boolean }[]; findings: unknown[] };
    expect(body.placed[0]?.replaced).toBe(true);
    expect(body.findings).toEqual([]);
    const page = await (await fetch(portal.departmentUrl('justice'))).text();
    expect(page).toContain('第 2 版');
    expect(page).toContain('旧版本');
    expect(page).toContain('id="no-findings"');
  }, SLOW);

  it('shows the coordinator every department (已报 and 缺报) and the figures', async () => {
    const page = await (await fetch(portal.dashboardUrl)).text();
    expect(page).toMatch(/data-department="justice"><td>司法所<\/td><td>1<\/td><td class="reported">1<\/td>/);
    expect(page).toMatch(/data-department="counsel">.*<td class="missing bad">1<\/td>/s);
    // Two of the three cases of the fixed file are 调解成功 with a 结案日期 in 2020.
    expect(page).toMatch(/data-indicator="service.disputes_resolved">.*?<td class="value">2<\/td>/s);
    expect(page).toContain('立即运行');
  }, SLOW);

  it('runs now from the dashboard: the report workbook is written and offered for download', async () => {
    const res = await fetch(`${portal.dashboardUrl}/run`, { method: 'POST', redirect: 'manual', headers: { Origin: portal.url, 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${new URL(portal.dashboardUrl).pathname}?ran=1`);
    const page = await (await fetch(`${portal.dashboardUrl}?ran=1`)).text();
    expect(page).toContain('id="ran"');
    expect(page).toContain('id="report-link"');
    const workbook = await fetch(`${portal.dashboardUrl}/report.xlsx`);
    expect(workbook.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await workbook.arrayBuffer());
    expect(wb.getWorksheet('指标汇总')).toBeDefined();
    // Mail went out with the run requested from the dashboard (to the outbox: no SMTP_URL).
    expect((await readdir(join(portal.out, 'outbox'))).length).toBeGreaterThan(0);
  }, SLOW);

  it('links marked-up files only when they exist, and only the department’s own', async () => {
    expect(await (await fetch(portal.departmentUrl('justice'))).text()).not.toContain('class="marked-link"');
    await mkdir(join(portal.out, 'marked', 'justice'), { recursive: true });
    await writeFile(join(portal.out, 'marked', 'justice', '调解台账（批注）.xlsx'), 'marked bytes');
    const page = await (await fetch(portal.departmentUrl('justice'))).text();
    const href = /class="marked-link" href="([^"]+)"/.exec(page)?.[1];
    expect(href).toBeDefined();
    const file = await fetch(`${portal.url}${href ?? ''}`);
    expect(file.status).toBe(200);
    expect(await file.text()).toBe('marked bytes');
    expect(await (await fetch(portal.departmentUrl('counsel'))).text()).not.toContain('class="marked-link"');
    const other = `${portal.departmentUrl('counsel')}/marked/${encodeURIComponent('调解台账（批注）.xlsx')}`;
    expect((await fetch(other)).status).toBe(404);
  }, SLOW);
});

describe('limits', () => {
  let portal: TestPortal;
  beforeAll(async () => {
    portal = await startTestPortal('portal-limits', { portal: { requestsPerMinute: 4, uploadsPerMinute: 2, maxFiles: 2 } });
  }, SLOW);
  afterAll(async () => {
    await portal?.close();
  });

  it('rate-limits each token on its own: 429 with Retry-After, other links unaffected', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await fetch(portal.departmentUrl('justice'))).status);
    expect(codes.slice(0, 4)).toEqual([200, 200, 200, 200]);
    expect(codes.slice(4)).toEqual([429, 429]);
    const limited = await fetch(portal.departmentUrl('justice'));
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await fetch(portal.departmentUrl('counsel'))).status).toBe(200);
  }, SLOW);

  it('refuses more files in one upload than configured', async () => {
    const file = await mediationFile('a.xlsx');
    const res = await portal.upload('counsel', [file, { ...file, name: 'b.xlsx' }, { ...file, name: 'c.xlsx' }]);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toContain('最多上传 2 个文件');
  }, SLOW);
});

describe('tokens', () => {
  it('are made once per link, kept, and replaced on rotation; the old one no longer opens anything', async () => {
    const portal = await startTestPortal('tokens');
    try {
      const file = join(portal.dir, 'config.tokens.json');
      const again = await ensureTokens(portal.config, file);
      expect(again.created).toEqual([]);
      expect(again.tokens).toEqual(portal.tokens);
      const rotated = await ensureTokens(portal.config, file, { rotate: ['justice'] });
      expect(rotated.created).toEqual(['justice']);
      expect(rotated.tokens.departments['justice']).not.toBe(portal.tokens.departments['justice']);
      expect(rotated.tokens.departments['counsel']).toBe(portal.tokens.departments['counsel']);
      const book = new TokenBook(portal.config, rotated.tokens);
      expect(book.who(portal.tokens.departments['justice'] ?? '')).toBeUndefined();
      expect(book.who(rotated.tokens.departments['justice'] ?? '')).toMatchObject({ kind: 'department', department: { code: 'justice' } });
      expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ departments: { justice: rotated.tokens.departments['justice'] } });
    } finally {
      await portal.close();
    }
  }, SLOW);

  it('may be given in the configuration, which names a mistake by its key', async () => {
    const portal = await startTestPortal('tokens-config', { portal: { coordinatorToken: 'c'.repeat(32), departments: { justice: 'j'.repeat(32) } } });
    try {
      expect(portal.tokens.coordinator).toBe('c'.repeat(32));
      expect(portal.tokens.departments['justice']).toBe('j'.repeat(32));
      expect((await fetch(`${portal.url}/d/${'j'.repeat(32)}`)).status).toBe(200);
      const broken = join(portal.dir, 'broken.json');
      const json = JSON.parse(await readFile(join(portal.dir, 'config.json'), 'utf8'));
      await writeFile(broken, JSON.stringify({ ...json, portal: { departments: { nobody: 'n'.repeat(32) } } }));
      expect(() => loadConfig(broken)).toThrow(ConfigError);
      expect(() => loadConfig(broken)).toThrow(/portal\.departments\.nobody/);
      await writeFile(broken, JSON.stringify({ ...json, portal: { departments: { justice: 'short' } } }));
      expect(() => loadConfig(broken)).toThrow(/portal\.departments\.justice/);
    } finally {
      await portal.close();
    }
  }, SLOW);
});

describe('file names', () => {
  it.each([
    ['../../etc/调解台账.xlsx', '调解台账.xlsx'],
    ['C:\\Users\\张三\\Desktop\\调解台账.CSV', '调解台账.csv'],
    ['.hidden.xlsx', 'hidden.xlsx'],
    ['~$锁定.xlsx', '锁定.xlsx'],
    ['台账\u0000\u001b[31m\u202e.xlsx', '台账[31m.xlsx'],
    ['a<b>:c|d?.csv', 'a_b__c_d_.csv'],
  ])('cleans %j to %j', (raw, clean) => {
    expect(cleanFileName(raw)).toBe(clean);
  });

  it.each(['台账.doc', '台账.exe', '台账', '.xlsx', '../..', '台账.xlsx.exe'])('refuses %j', (raw) => {
    expect(cleanFileName(raw)).toBeNull();
  });
});
