/**
 * End to end, as a user runs it: a messy demo inbox, `node bin/tally.mjs run` as a child process,
 * a real SMTP server on loopback, and the mail and workbook read back as the recipients would.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join, relative, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoInbox, type DemoManifest } from '../demo/demo-inbox.ts';
import { placeText } from '../pipeline/stages/7-notify/mail-wording.ts';

const CWD = resolve(import.meta.dirname, '..');
const root = resolve(CWD, 'tests', '.tmp', `e2e-${randomBytes(4).toString('hex')}`);
const inbox = join(root, 'inbox');
const out = join(root, 'out');
const db = join(root, 'tally.duckdb');
const CHILD_TIMEOUT = 120_000;

const WORDINGS = [
  '280余项', '200余件', '1人', '0件', '200余份', '12件', '35件', '5件', '30件', '15次',
  '0件', '2次', '4次', '1200余人次', '131件', '150余人次', '14件', '1个', '230余次', '0人',
];

const HEADERS = {
  // The contract's columns, then 上年数值 and 同比 (issue 4: year over year).
  指标汇总: ['序号', '指标编码', '板块', '指标名称', '数值', '单位', '报告表述', '来源', '状态', '上年数值', '同比'],
  问题清单: ['序号', '级别', '规则编码', '部门', '文件', '工作表', '单元格', '说明', '期望', '实际'],
  报送情况: ['部门', '台账', '状态', '文件', '版本', '接收时间', '行数', '问题数'],
} as const;

const DEPARTMENTS = [
  { code: 'enforcement', name: '综合执法队', email: 'zhifadui@anding.example.gov.cn' },
  { code: 'justice', name: '司法所', email: 'sifasuo@anding.example.gov.cn' },
  { code: 'counsel', name: '法律顾问', email: 'guwen@anding.example.gov.cn' },
  { code: 'office', name: '综合保障办', email: 'baozhangban@anding.example.gov.cn' },
] as const;
const COORDINATOR = 'fazhi@anding.example.gov.cn';

interface ChildResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `node bin/tally.mjs …` in the checkout, as a user types it; never rejects. */
function tally(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<ChildResult> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (env['SMTP_URL'] === undefined) delete childEnv['SMTP_URL'];
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['bin/tally.mjs', ...args],
      { cwd: CWD, env: childEnv, timeout: CHILD_TIMEOUT, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        done({ code, stdout, stderr });
      },
    );
  });
}

/** A real SMTP server on loopback that keeps every message it receives, parsed. */
async function startSmtp(): Promise<{ port: number; received: ParsedMail[]; close: () => Promise<void> }> {
  const received: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push(mail);
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.server.address() as AddressInfo;
  return { port, received, close: () => new Promise<void>((closed) => server.close(() => closed())) };
}

const recipient = (mail: ParsedMail): string => {
  const to = Array.isArray(mail.to) ? mail.to : mail.to === undefined ? [] : [mail.to];
  return to.flatMap((a) => a.value.map((v) => v.address ?? '')).join(',');
};

const text = (v: ExcelJS.CellValue): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((r) => r.text).join('');
  if (v instanceof Date) return v.toISOString();
  return String(v);
};

async function readWorkbook(bytes: Buffer | string): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  if (typeof bytes === 'string') await workbook.xlsx.readFile(bytes);
  else await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook;
}

/** Row values 1-based → plain array of cell values, header row first. */
function rowsOf(workbook: ExcelJS.Workbook, name: string): ExcelJS.CellValue[][] {
  const sheet = workbook.getWorksheet(name);
  if (sheet === undefined) throw new Error(`no sheet ${name}`);
  const rows: ExcelJS.CellValue[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const values = row.values as ExcelJS.CellValue[];
    rows.push(values.slice(1));
  });
  return rows;
}

let manifest: DemoManifest;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let first: ChildResult;
let mails: ParsedMail[] = [];
let workbook: ExcelJS.Workbook;

beforeAll(async () => {
  await mkdir(root, { recursive: true });
  manifest = await generateDemoInbox(inbox);
  smtp = await startSmtp();
  first = await tally(['run', '--inbox', inbox, '--out', out, '--db', db], { SMTP_URL: `smtp://127.0.0.1:${smtp.port}` });
  mails = [...smtp.received];
  const coordinator = mails.find((m) => recipient(m) === COORDINATOR);
  const attachment = coordinator?.attachments.find((a) => a.filename === 'report-2020.xlsx');
  if (attachment !== undefined) {
    const path = join(root, 'received-report-2020.xlsx');
    await writeFile(path, attachment.content);
    workbook = await readWorkbook(path);
  }
}, CHILD_TIMEOUT);

afterAll(async () => {
  await smtp?.close();
  await rm(root, { recursive: true, force: true });
});

describe('tally run on the demo inbox, mail through a real SMTP server', () => {
  it('exits 0 and its summary names the workbook and the mails sent', () => {
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`报告工作簿：${relative(CWD, join(out, 'report-2020.xlsx'))}`);
    expect(first.stdout).toContain('邮件：5 封经 SMTP 发出');
    expect(first.stdout).toContain(`读取 ${manifest.files.length} 个`);
    expect(first.stdout).toContain('指标：已填 20/20');
  });

  it('sends exactly 5 mails, to the coordinator and each department, with Chinese subjects naming the department and 2020', () => {
    expect(mails).toHaveLength(5);
    expect(mails.map(recipient).sort()).toEqual([COORDINATOR, ...DEPARTMENTS.map((d) => d.email)].sort());
    const coordinator = mails.find((m) => recipient(m) === COORDINATOR);
    expect(coordinator?.subject).toMatch(/安定镇.*2020/);
    for (const d of DEPARTMENTS) {
      const subject = mails.find((m) => recipient(m) === d.email)?.subject ?? '';
      expect(subject).toContain(d.name);
      expect(subject).toContain('2020');
    }
    // The coordinator gets the workbook and the report as Word; each department the workbook and
    // the marked-up copies of its own files that have findings (issue 4).
    const coordinatorMail = mails.find((m) => recipient(m) === COORDINATOR);
    expect(coordinatorMail?.attachments.map((a) => a.filename)).toEqual(['report-2020.xlsx', 'report-2020.docx']);
    for (const d of DEPARTMENTS) {
      const names = mails.find((m) => recipient(m) === d.email)?.attachments.map((a) => a.filename) ?? [];
      const withFindings = [...new Set(manifest.planted.filter((p) => p.department === d.code).map((p) => p.file))];
      expect(names[0], d.name).toBe('report-2020.xlsx');
      expect(names.slice(1).sort(), d.name).toEqual(withFindings.map((f) => f.replace(/\.csv$/, '.xlsx')).sort());
    }
  });

  it("attaches the report workbook to the coordinator's mail, with the sheets and headers of contract §5", () => {
    expect(workbook, 'coordinator mail without report-2020.xlsx').toBeDefined();
    // The four sheets of the contract come first; 溯源 (the trace behind each figure) follows.
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['指标汇总', '问题清单', '报送情况', '报告正文', '溯源']);
    for (const [name, headers] of Object.entries(HEADERS)) expect(rowsOf(workbook, name)[0]).toEqual(headers);
  });

  it('fills the 20 indicators with the figures of the 2020 report, 数值 as numbers, then the derived 出庭率', () => {
    const [, ...all] = rowsOf(workbook, '指标汇总');
    const rows = all.slice(0, 20);
    // After the 20 figures, the rate derived from two of them (issue 4): 15 ÷ 30, as the report writes it.
    expect(all.slice(20).map((r) => r.slice(1, 7))).toEqual([['litigation.appearance_rate', '一(三)、三(三)', '出庭率', 50, '%', '50%']]);
    expect(rows.map((r) => r[6])).toEqual(WORDINGS);
    for (const r of rows) {
      expect(typeof r[4], `数值 of ${text(r[1])}`).toBe('number');
      expect(r[4]).toBe(manifest.expected[text(r[1])]);
    }
  });

  it('lists every planted mistake in 问题清单 at its file, sheet and cell', () => {
    const [, ...rows] = rowsOf(workbook, '问题清单');
    const listed = new Set(rows.map((r) => [r[2], r[4], r[5], r[6]].map(text).join(' | ')));
    const missed = manifest.planted
      .map((p) => [p.code, `${p.department}/${p.file}`, p.sheet, p.cell ?? ''].join(' | '))
      .filter((key) => !listed.has(key));
    expect(missed, `not in 问题清单:\n${missed.join('\n')}\nlisted:\n${[...listed].join('\n')}`).toEqual([]);
  });

  it("tells each department its own planted findings and nothing of the others' files", () => {
    for (const d of DEPARTMENTS) {
      const body = mails.find((m) => recipient(m) === d.email)?.text ?? '';
      for (const p of manifest.planted.filter((x) => x.department === d.code)) {
        expect(body, `${d.name}: ${p.code}`).toContain(p.file);
        // 单元格：D7 for a cell, 第12行 for a row-level finding
        if (p.cell !== null) expect(body, `${d.name}: ${p.code} cell`).toContain(placeText(p.cell));
      }
      // Every finding line points at one of its own files. (A cross-department duplicate's
      // message names the other department's file on purpose: they have to settle it together.)
      const pointedAt = [...body.matchAll(/【(?:错误|警告)】文件：([^；]+)；/g)].map((m) => m[1] ?? '');
      expect(pointedAt).toHaveLength(manifest.planted.filter((x) => x.department === d.code).length);
      for (const file of pointedAt) expect(file, `${d.name} mail lists a finding in ${file}`).toMatch(new RegExp(`^${d.code}/`));
      for (const other of manifest.files.filter((f) => !f.startsWith(`${d.code}/`))) {
        expect(body, `${d.name} mail lists a finding in ${other}`).not.toContain(`文件：${other}`);
      }
    }
  });

  it('writes the report text into 报告正文', () => {
    const narrative = rowsOf(workbook, '报告正文').map((r) => r.map(text).join('')).join('\n');
    expect(narrative).toContain('全年公示执法信息280余项');
    expect(narrative).toContain('共化解矛盾纠纷131件');
  });

  it('re-reads nothing on a second run over the same inbox and database, and writes .eml files without SMTP_URL', async () => {
    const second = await tally(['run', '--inbox', inbox, '--out', out, '--db', db]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain(`读取 0 个，未变化 ${manifest.files.length} 个`);
    expect(second.stdout).toContain('未变化 14');
    expect(second.stdout).toContain('邮件：5 封写入发件箱');

    const again = await readWorkbook(join(out, 'report-2020.xlsx'));
    expect(rowsOf(again, '指标汇总')).toEqual(rowsOf(workbook, '指标汇总'));

    const outbox = join(out, 'outbox');
    const emls = (await readdir(outbox)).filter((f) => f.endsWith('.eml'));
    expect(emls).toHaveLength(5);
    const parsed = await Promise.all(emls.map(async (f) => simpleParser(await readFile(join(outbox, f)))));
    expect(parsed.map(recipient).sort()).toEqual([COORDINATOR, ...DEPARTMENTS.map((d) => d.email)].sort());
    for (const m of parsed) {
      expect(m.subject).toContain('2020');
      expect(m.attachments[0]?.filename).toBe('report-2020.xlsx');
    }
  }, CHILD_TIMEOUT);
});

describe('tally run when it cannot run', () => {
  it('exits 2 with the usage on stderr for --year abc', async () => {
    const r = await tally(['run', '--inbox', inbox, '--out', join(root, 'bad-year'), '--year', 'abc']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('用法');
    expect(r.stderr).toContain('--year');
  }, CHILD_TIMEOUT);

  it('exits 1 with a Chinese message for a configuration file that does not exist', async () => {
    const r = await tally(['run', '--inbox', inbox, '--out', join(root, 'bad-config'), '--config', '/nonexistent.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/无法运行.*配置文件.*\/nonexistent\.json/);
  }, CHILD_TIMEOUT);
});
