/**
 * The portal against what a stranger, a curious neighbour department or a hostile file can do:
 * wrong and old tokens, another department's token, path traversal in names, oversized and fake
 * uploads, formula and markup injection echoed on the page and into workbooks, directory
 * listings, and the security headers on every answer.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTokens } from '../pipeline/interfaces/portal/portal-tokens.ts';
import { startPortal } from '../pipeline/interfaces/portal/start-portal.ts';
import { mediationFile, PLANTED_CELL, startTestPortal, type PreviewBody, type TestPortal, type UploadFile } from './portal-support.ts';

const SLOW = 180_000;
/** A cell that Excel would run as a formula and a browser would run as markup. */
const INJECTION = '=HYPERLINK("http://evil.example/x","<img src=x onerror=alert(1)>")';

async function listAll(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (e.isDirectory()) await walk(join(d, e.name));
      else out.push(relative(dir, join(d, e.name)));
    }
  };
  if (existsSync(dir)) await walk(dir);
  return out.sort();
}

describe('security of the portal', () => {
  let portal: TestPortal;
  beforeAll(async () => {
    portal = await startTestPortal('security', { limits: { maxFileMegabytes: 1 }, portal: { maxFiles: 3 } });
  }, SLOW);
  afterAll(async () => {
    await portal?.close();
  });

  it('answers a wrong, malformed or empty token with a bare 403 and nothing else', async () => {
    const wrong = ['A'.repeat(43), 'x', '%00', "'%20or%201=1", `${portal.tokens.departments['justice'] ?? ''}x`];
    for (const t of wrong) {
      for (const path of [`/d/${t}`, `/d/${t}/template.xlsx`, `/c/${t}`, `/c/${t}/report.xlsx`]) {
        const res = await fetch(`${portal.url}${path}`);
        expect(res.status, path).toBe(403);
        const body = await res.text();
        expect(body).toBe('403 Forbidden');
      }
    }
    expect((await fetch(`${portal.url}/d/`)).status).toBe(403);
    const post = await portal.upload('justice', [await mediationFile('a.xlsx')], 'B'.repeat(43));
    expect(post.status).toBe(403);
  }, SLOW);

  it('answers an old token with 403 once it has been rotated and the portal restarted', async () => {
    const old = portal.tokens.departments['counsel'] ?? '';
    const rotated = await ensureTokens(portal.config, join(portal.dir, 'config.tokens.json'), { rotate: ['counsel'] });
    const fresh = rotated.tokens.departments['counsel'] ?? '';
    expect(fresh).not.toBe(old);
    // What `tally serve` does at start: the tokens as the file now has them.
    const restarted = await startPortal({
      config: portal.config,
      inbox: portal.inbox,
      out: join(portal.dir, 'restarted'),
      dbPath: join(portal.dir, 'restarted', 'tally.duckdb'),
      tokens: rotated.tokens,
      readers: 1,
    });
    try {
      const res = await fetch(`${restarted.url}/d/${old}`);
      expect(res.status).toBe(403);
      expect(await res.text()).toBe('403 Forbidden');
      expect((await fetch(`${restarted.url}/d/${fresh}`)).status).toBe(200);
    } finally {
      await restarted.close();
    }
  }, SLOW);

  it('keeps departments apart: a department token opens neither another department’s upload nor the dashboard', async () => {
    const preview = (await (await portal.upload('justice', [await mediationFile('司法所调解台账.xlsx')])).json()) as PreviewBody;
    expect(preview.uploadId).toMatch(/^[0-9a-f]{32}$/);
    // counsel tries to confirm justice's upload
    const stolen = await portal.confirm('counsel', preview.uploadId);
    expect(stolen.status).toBe(404);
    expect(await listAll(portal.inbox)).toEqual([]);
    // counsel's page says nothing of justice's files
    const page = await (await fetch(portal.departmentUrl('counsel'))).text();
    expect(page).not.toContain('司法所调解台账');
    // a department token on the coordinator's routes, and the coordinator's on a department's
    const justice = portal.tokens.departments['justice'] ?? '';
    expect((await fetch(`${portal.url}/c/${justice}`)).status).toBe(403);
    expect((await fetch(`${portal.url}/c/${justice}/run`, { method: 'POST', headers: { Origin: portal.url } })).status).toBe(403);
    expect((await fetch(`${portal.url}/d/${portal.tokens.coordinator}`)).status).toBe(403);
  }, SLOW);

  it('cleans path traversal out of file names: files land in the department’s own folder only', async () => {
    const base = await mediationFile('x.xlsx');
    const evil: UploadFile[] = [
      { name: '../../../逃逸台账.xlsx', bytes: base.bytes },
      { name: '..\\..\\config.tokens.csv', bytes: new TextEncoder().encode('序号,受理日期,调解结果\r\n1,2020-03-05,调解成功\r\n') },
      { name: '/etc/passwd.xlsx', bytes: base.bytes },
    ];
    const res = await portal.upload('counsel', evil);
    const preview = (await res.json()) as PreviewBody;
    expect(res.status).toBe(200);
    expect(preview.files.map((f) => f.name).sort()).toEqual(['config.tokens.csv', 'passwd.xlsx', '逃逸台账.xlsx'].sort());
    expect((await portal.confirm('counsel', preview.uploadId)).status).toBe(200);
    expect(await listAll(portal.inbox)).toEqual(['counsel/config.tokens.csv', 'counsel/passwd.xlsx', 'counsel/逃逸台账.xlsx']);
    expect(existsSync(join(portal.dir, '逃逸台账.xlsx'))).toBe(false);
    // and a traversal in a download name finds nothing
    for (const name of ['..%2F..%2Fconfig.json', '..%2F..%2F..%2Fconfig.tokens.json', '%2e%2e', '..']) {
      const r = await fetch(`${portal.departmentUrl('counsel')}/marked/${name}`);
      expect(r.status, name).toBe(404);
    }
  }, SLOW);

  it('refuses an oversized upload with 413 and keeps nothing of it', async () => {
    const big = new Uint8Array(1024 * 1024 + 10);
    big.set([0x50, 0x4b, 0x03, 0x04]);
    const res = await portal.upload('justice', [{ name: '大文件.xlsx', bytes: big }]);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toContain('太大');
    // far past the whole-request limit: cut off before the body is read
    const huge = await portal.upload('justice', [{ name: '超大.xlsx', bytes: new Uint8Array(8 * 1024 * 1024) }]);
    expect(huge.status).toBe(413);
    expect(await listAll(join(portal.inbox, 'justice'))).toEqual([]);
  }, SLOW);

  it('refuses a non-spreadsheet under a spreadsheet extension, and other extensions', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const zipNotXlsx = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, ...new TextEncoder().encode('hello.txt not a workbook')]);
    const fakes: UploadFile[] = [
      { name: '照片.xlsx', bytes: png },
      { name: '压缩包.xlsx', bytes: zipNotXlsx },
      { name: '网页.csv', bytes: new TextEncoder().encode('<!DOCTYPE html><html><script>alert(1)</script></html>') },
    ];
    const res = await portal.upload('justice', fakes);
    expect(res.status).toBe(400);
    const body = (await res.json()) as PreviewBody;
    expect(body.rejected.map((r) => r.name).sort()).toEqual(['压缩包.xlsx', '照片.xlsx', '网页.csv'].sort());
    for (const r of body.rejected) expect(r.reason).toContain('不是 Excel 工作簿');
    const others = await portal.upload('justice', [{ name: '程序.exe', bytes: png }, { name: '旧表.xls', bytes: png }]);
    // An .xls must be what the read stage reads as one; a PNG named .xls is refused for its content, the .exe for its name.
    expect(others.status).toBe(400);
    expect(((await others.json()) as PreviewBody).rejected.map((r) => [r.name, r.reason.includes('.xls')])).toEqual([
      ['程序.exe', true],
      ['旧表.xls', true],
    ]);
    expect(await listAll(join(portal.inbox, 'justice'))).toEqual([]);
  }, SLOW);

  it('accepts an .xls that is an HTML table or an XML Spreadsheet 2003, as systems export them, and reads its rows', async () => {
    const rows = [['1', '2020-03-05', '张某与李某', '邻里纠纷', '调解成功', '2020-03-20'], ['2', '2020-04-07', '赵某与钱某', '婚姻家庭', '调解成功', '2020-04-21']];
    const header = ['序号', '受理日期', '当事人', '纠纷类型', '调解结果', '结案日期'];
    const tr = (cells: string[], tag: string) => `<tr>${cells.map((c) => `<${tag}>${c}</${tag}>`).join('')}</tr>`;
    const html = `<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head><meta charset="utf-8"><script>alert(1)</script></head><body><table>${tr(header, 'th')}${rows.map((r) => tr(r, 'td')).join('')}</table></body></html>`;
    const cell = (c: string) => `<Cell><Data ss:Type="String">${c}</Data></Cell>`;
    const xml = `<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="调解台账"><Table>${[header, ...rows].map((r) => `<Row>${r.map(cell).join('')}</Row>`).join('')}</Table></Worksheet></Workbook>`;
    for (const [name, text] of [['调解台账导出.xls', html], ['调解台账2003.xls', xml]] as const) {
      const res = await portal.upload('justice', [{ name, bytes: new TextEncoder().encode(text) }]);
      expect(res.status, name).toBe(200);
      const body = (await res.json()) as PreviewBody;
      expect(body.rejected, name).toEqual([]);
      expect(body.findings.filter((f) => f.code === 'file.unreadable' || f.code === 'sheet.unrecognized'), name).toEqual([]);
      expect(body.recognized, name).toEqual([expect.objectContaining({ rows: 2 })]);
    }
    expect(await listAll(join(portal.inbox, 'justice'))).toEqual([]);
  }, SLOW);

  it('echoes a formula-injection cell escaped on the page and as text in the report workbook', async () => {
    const file = await mediationFile('注入.csv', { value: INJECTION, csv: true });
    const preview = (await (await portal.upload('justice', [file])).json()) as PreviewBody;
    // JSON carries the text as it is; the page script shows it with textContent (see the browser test).
    const finding = preview.findings.find((f) => f.code === 'cell.enum');
    expect(finding).toMatchObject({ cell: PLANTED_CELL, actual: INJECTION });
    expect((await portal.confirm('justice', preview.uploadId)).status).toBe(200);

    const page = await (await fetch(portal.departmentUrl('justice'))).text();
    expect(page).not.toContain('<img src=x');
    expect(page).toContain('&#60;img src=x onerror=alert(1)&#62;');
    expect(page).toContain('=HYPERLINK(&#34;http://evil.example/x&#34;');

    expect((await fetch(`${portal.dashboardUrl}/run`, { method: 'POST', redirect: 'manual', headers: { Origin: portal.url } })).status).toBe(303);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await (await fetch(`${portal.dashboardUrl}/report.xlsx`)).arrayBuffer());
    const sheet = wb.getWorksheet('问题清单');
    const cells: ExcelJS.Cell[] = [];
    sheet?.eachRow((row) => row.eachCell((c) => cells.push(c)));
    const echoed = cells.filter((c) => String(c.value ?? '').includes('HYPERLINK') || c.formula !== undefined);
    expect(echoed.length).toBeGreaterThan(0);
    for (const c of echoed) {
      expect(c.type).toBe(ExcelJS.ValueType.String);
      expect(c.formula).toBeUndefined();
    }
  }, SLOW);

  it('lists no directory anywhere', async () => {
    const paths = ['/', '/assets', '/assets/', '/assets/..', '/inbox/', '/out/', '/out/marked/', '/archive/', '/tally.duckdb', '/config.tokens.json', '/portal/staging/'];
    for (const p of paths) {
      const res = await fetch(`${portal.url}${p}`);
      const body = await res.text();
      expect([200, 404], p).toContain(res.status);
      expect(body, p).not.toMatch(/portal\.js|portal\.css.*portal\.js|Index of|justice|counsel|duckdb/i);
    }
    for (const p of ['/marked/', '/marked', '/marked/justice/']) {
      expect((await fetch(`${portal.departmentUrl('justice')}${p}`)).status, p).toBe(404);
    }
  }, SLOW);

  it('sends the security headers on pages, assets, downloads and errors', async () => {
    const urls = [
      portal.departmentUrl('justice'),
      portal.dashboardUrl,
      `${portal.url}/assets/portal.js`,
      `${portal.departmentUrl('justice')}/template.xlsx`,
      `${portal.url}/d/${'Z'.repeat(43)}`,
      `${portal.url}/nothing-here`,
    ];
    for (const u of urls) {
      const res = await fetch(u);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, u).toContain("default-src 'none'");
      expect(csp, u).toContain("script-src 'self'");
      expect(csp, u).toContain("frame-ancestors 'none'");
      expect(csp, u).not.toContain('unsafe-inline');
      expect(res.headers.get('x-content-type-options'), u).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), u).toBe('DENY');
      expect(res.headers.get('referrer-policy'), u).toBe('no-referrer');
      await res.arrayBuffer();
    }
    const page = await (await fetch(portal.departmentUrl('justice'))).text();
    expect(page).not.toMatch(/<script>|<style>| on[a-z]+="/);
  }, SLOW);

  it('refuses a form posted from another site (CSRF)', async () => {
    const res = await fetch(`${portal.dashboardUrl}/run`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Origin: 'http://evil.example', 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(403);
  }, SLOW);
});
