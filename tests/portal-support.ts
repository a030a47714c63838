/**
 * A portal for tests: a temp dir `tests/.tmp/<name>-<random>/` with a configuration (a small
 * roster, the real catalogs), tokens made by `ensureTokens`, an inbox, and `tally serve`'s
 * server on `127.0.0.1:0`. Mediation ledgers with or without a planted mistake are made by code.
 *
 * @example
 * const portal = await startTestPortal('preview');
 * const res = await portal.upload('justice', [await mediationFile('调解台账.xlsx', { mistake: true })]);
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeLedgerWorkbook, type CellInput } from '../demo/ledger-workbook.ts';
import { loadConfig, type TallyConfig } from '../pipeline/kernel/config/config.ts';
import { ensureTokens, type PortalTokens } from '../pipeline/interfaces/portal/portal-tokens.ts';
import { startPortal, type RunningPortal } from '../pipeline/interfaces/portal/start-portal.ts';
import { writeTownConfig } from './support/town-config.ts';

export const ROOT = resolve(import.meta.dirname, '..');
const TMP = join(ROOT, 'tests', '.tmp');

/** A small roster: two departments, one ledger each. */
export const ROSTER = [
  { code: 'justice', name: '司法所', email: 'sifasuo@anding.example.gov.cn', owes: ['mediation'] },
  { code: 'counsel', name: '法律顾问', email: 'guwen@anding.example.gov.cn', owes: ['legality_review'] },
] as const;

export interface UploadFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface TestPortal {
  readonly dir: string;
  readonly inbox: string;
  readonly out: string;
  readonly url: string;
  readonly config: TallyConfig;
  readonly tokens: PortalTokens;
  readonly portal: RunningPortal;
  /** `http://127.0.0.1:<port>/d/<token>` of a department. */
  departmentUrl(code: string): string;
  /** `http://127.0.0.1:<port>/c/<token>`. */
  readonly dashboardUrl: string;
  /** POSTs files to a department's preview, as the page does. */
  upload(code: string, files: readonly UploadFile[], token?: string): Promise<Response>;
  /** POSTs a confirmation, as the page does. */
  confirm(code: string, uploadId: string, token?: string): Promise<Response>;
  close(): Promise<void>;
}

export interface TestPortalOptions {
  /** The `portal` section of the configuration (limits, tokens). */
  readonly portal?: Record<string, unknown>;
  readonly limits?: { maxFileMegabytes: number };
  /** Inbox-relative path → bytes, laid out before the server starts. */
  readonly inbox?: Readonly<Record<string, Uint8Array>>;
}

export async function startTestPortal(name: string, opts: TestPortalOptions = {}): Promise<TestPortal> {
  const dir = join(TMP, `${name}-${randomBytes(4).toString('hex')}`);
  const inbox = join(dir, 'inbox');
  const out = join(dir, 'out');
  await mkdir(inbox, { recursive: true });
  const configFile = join(dir, 'config.json');
  await writeTownConfig(
    configFile,
    {
      $comment: `portal test ${name}`,
      district: '大兴区',
      ...(opts.limits === undefined ? {} : { limits: opts.limits }),
      departments: ROSTER,
      ...(opts.portal === undefined ? {} : { portal: opts.portal }),
    },
  );
  for (const [path, bytes] of Object.entries(opts.inbox ?? {})) {
    await mkdir(join(inbox, path, '..'), { recursive: true });
    await writeFile(join(inbox, path), bytes);
  }
  const config = loadConfig(configFile);
  const { tokens } = await ensureTokens(config, join(dir, 'config.tokens.json'));
  const portal = await startPortal({
    config,
    inbox,
    out,
    dbPath: join(dir, 'tally.duckdb'),
    tokens,
    readers: 1,
    now: () => new Date(),
  });
  const url = portal.url;
  const departmentUrl = (code: string) => `${url}/d/${tokens.departments[code] ?? 'missing'}`;
  return {
    dir,
    inbox,
    out,
    url,
    config,
    tokens,
    portal,
    departmentUrl,
    dashboardUrl: `${url}/c/${tokens.coordinator}`,
    upload(code, files, token) {
      const form = new FormData();
      for (const f of files) form.append('files', new Blob([f.bytes]), f.name);
      return fetch(`${token === undefined ? departmentUrl(code) : `${url}/d/${token}`}/preview`, { method: 'POST', body: form, headers: { Origin: url } });
    },
    confirm(code, uploadId, token) {
      return fetch(`${token === undefined ? departmentUrl(code) : `${url}/d/${token}`}/confirm`, {
        method: 'POST',
        body: JSON.stringify({ uploadId }),
        headers: { 'Content-Type': 'application/json', Origin: url },
      });
    },
    async close() {
      await portal.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const day = (m: number, d: number) => new Date(Date.UTC(2020, m - 1, d));

export const MEDIATION_HEADER = ['序号', '受理日期', '当事人', '纠纷类型', '案件来源', '调解结果', '结案日期'];

/** Where {@link mediationFile}'s planted mistake sits: 调解结果 of the second data row. */
export const PLANTED_CELL = 'F3';
export const PLANTED_VALUE = '谈妥了';

/**
 * A 人民调解台账 with three cases, header in row 1. With `mistake`, the second case's 调解结果
 * is not one of the list (a `cell.enum` at {@link PLANTED_CELL}); with `value`, that cell holds
 * the given text instead.
 */
export async function mediationFile(name: string, opts: { mistake?: boolean; value?: string; csv?: boolean } = {}): Promise<UploadFile> {
  const planted = opts.value ?? (opts.mistake === true ? PLANTED_VALUE : '调解成功');
  const rows: CellInput[][] = [
    [1, day(3, 2), '张某、李某', '邻里纠纷', '来访', '调解成功', day(3, 9)],
    [2, day(4, 15), '王某、赵某', '婚姻家庭', '来电', planted, day(4, 20)],
    [3, day(6, 1), '刘某、陈某', '合同纠纷', '排查', '调解中', null],
  ];
  if (opts.csv === true) {
    const iso = (v: CellInput) => (v instanceof Date ? v.toISOString().slice(0, 10) : v === null ? '' : String(v));
    const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    const text = [MEDIATION_HEADER, ...rows.map((r) => r.map(iso))].map((r) => r.map((c) => quote(String(c))).join(',')).join('\r\n');
    return { name, bytes: new TextEncoder().encode(`${text}\r\n`) };
  }
  const tmp = join(TMP, `mediation-${randomBytes(6).toString('hex')}.xlsx`);
  await mkdir(TMP, { recursive: true });
  await writeLedgerWorkbook(tmp, [{ name: '调解台账', header: MEDIATION_HEADER, rows }]);
  const bytes = await readFile(tmp);
  await rm(tmp, { force: true });
  return { name, bytes };
}

/** The body of a preview or confirmation answer. */
export interface PreviewBody {
  readonly uploadId: string;
  readonly files: { name: string; replaces: boolean; version: number }[];
  readonly rejected: { name: string; reason: string }[];
  readonly findings: { level: string; code: string; file: string | null; sheet: string | null; cell: string | null; message: string; actual: string | null }[];
  readonly recognized: { ledger: string; rows: number }[];
  readonly error?: string;
}
