import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { simpleParser } from 'mailparser';
import type { ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finding } from '../pipeline/kernel/findings/findings.ts';
import { composeMails } from '../pipeline/stages/7-notify/compose-mails.ts';
import type { OutgoingMail } from '../pipeline/stages/7-notify/compose-mails.ts';
import { sendMails } from '../pipeline/stages/7-notify/send-mails.ts';
import type { ReportData } from '../reports/report-data.ts';
import { writeReportWorkbook } from '../reports/write-report-workbook.ts';

const dir = join('tests', '.tmp', `mail-${randomBytes(4).toString('hex')}`);
const attachmentPath = join(dir, 'report-2020.xlsx');
const FROM = 'tally 台账核查 <tally@anding.example.org>';
const REJECTED = 'guwen@rejected.example.org';

/** Three departments: one with three findings, one with a warning and a missing ledger, one clean. */
function reportData(): ReportData {
  return {
    year: 2020,
    town: '安定镇',
    district: '大兴区',
    title: '大兴区安定镇2020年度法治政府建设年度情况报告',
    generatedAt: new Date('2021-03-01T02:00:00Z'),
    indicators: [
      {
        seq: 1, code: 'enforcement.disclosures', section: '一(一)', name: '公示执法信息', value: 283, unit: '项',
        written: 'approx', wording: '280余项', sources: '综合执法队·执法公示台账', status: '有错误',
      },
      {
        seq: 2, code: 'service.aid_cases', section: '一(五)', name: '法律援助', value: null, unit: '件',
        written: 'exact', wording: null, sources: '司法所·法律援助台账', status: '缺报',
      },
    ],
    findings: [
      finding('cell.type', { department: 'enforcement', file: 'enforcement/公示.xlsx', sheet: '1月', cell: 'B7', expected: '日期', actual: '2020-13-45' }, '公示日期不是有效日期，请改正'),
      finding('cell.required', { department: 'enforcement', file: 'enforcement/处罚.xlsx', sheet: 'Sheet1', cell: 'A9' }, '<script>alert(1)</script> 案件编号不能为空'),
      finding('row.duplicate', { department: 'enforcement', file: 'enforcement/公示.xlsx', sheet: '2月', cell: '12' }, '与第11行完全相同，请确认是否重复填报'),
      finding('dept.missing_submission', { department: 'justice', file: null, ledger: 'legal_aid' }, '尚未报送法律援助台账'),
      finding('sheet.unrecognized', { department: 'justice', file: 'justice/杂表.xlsx', sheet: '说明' }, '无法识别这张表是哪一种台账'),
      finding('file.unknown_department', { department: null, file: '散件.xlsx' }, '文件不在任何部门的文件夹中'),
    ],
    submissions: [
      {
        department: '综合执法队', departmentCode: 'enforcement', ledger: '执法公示台账', ledgerId: 'disclosure', status: '已报',
        files: ['enforcement/公示.xlsx'], versions: [1], receivedAt: '2021-01-05T16:30:00Z', rows: 283, findings: 2,
      },
      {
        department: '司法所', departmentCode: 'justice', ledger: '法律援助台账', ledgerId: 'legal_aid', status: '缺报',
        files: [], versions: [], receivedAt: null, rows: 0, findings: 1,
      },
      {
        department: '法律顾问', departmentCode: 'counsel', ledger: '合法性审查台账', ledgerId: 'legality_review', status: '空表',
        files: ['counsel/审查.xlsx'], versions: [1], receivedAt: '2021-01-05T16:30:00Z', rows: 0, findings: 0,
      },
    ],
    narrative: '大兴区安定镇2020年度法治政府建设年度情况报告\n\n全年公示执法信息280余项。',
    departments: [
      { code: 'enforcement', name: '综合执法队', email: 'zhifadui@anding.example.org', owes: ['disclosure'] },
      { code: 'justice', name: '司法所', email: 'sifasuo@anding.example.org', owes: ['legal_aid'] },
      { code: 'counsel', name: '法律顾问', email: REJECTED, owes: ['legality_review'] },
    ],
    coordinator: { name: '安定镇司法所（法治建设办公室）', email: 'fazhi@anding.example.org' },
  };
}

let mails: OutgoingMail[];
let attachmentBytes: Buffer;

beforeAll(async () => {
  await mkdir(dir, { recursive: true });
  await writeReportWorkbook(reportData(), attachmentPath);
  attachmentBytes = await readFile(attachmentPath);
  mails = composeMails(reportData(), attachmentPath);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function mailFor(recipient: string): OutgoingMail {
  const mail = mails.find((m) => m.recipient === recipient);
  if (mail === undefined) throw new Error(`no mail for ${recipient}`);
  return mail;
}

describe('composeMails', () => {
  it('writes one mail to the coordinator and one to each department on the roster', () => {
    expect(mails.map((m) => [m.recipient, m.to])).toEqual([
      ['coordinator', 'fazhi@anding.example.org'],
      ['enforcement', 'zhifadui@anding.example.org'],
      ['justice', 'sifasuo@anding.example.org'],
      ['counsel', REJECTED],
    ]);
    for (const mail of mails) {
      expect(mail.attachments).toEqual([{ filename: 'report-2020.xlsx', path: attachmentPath }]);
    }
  });

  it('sums up the run for the coordinator', () => {
    const mail = mailFor('coordinator');
    expect(mail.subject).toBe('【法治政府建设年度报告】安定镇2020年度台账核查汇总：4个错误、2个警告');
    expect(mail.text).toContain('已填 1/2 项');
    expect(mail.text).toContain('公示执法信息：280余项（有错误）');
    expect(mail.text).toContain('法律援助：缺报（缺报）');
    expect(mail.text).toContain('综合执法队：2个错误、1个警告');
    expect(mail.text).toContain('司法所：1个错误、1个警告');
    expect(mail.text).toContain('（未归属）：1个错误、0个警告');
    expect(mail.text).toContain('司法所·法律援助台账');
    expect(mail.html).toContain('已填 1/2 项');
  });

  it("lists exactly a department's own findings, naming the department and the year", () => {
    const mail = mailFor('enforcement');
    expect(mail.subject).toBe('【法治政府建设年度报告】综合执法队 2020年度报送核查：2个错误、1个警告');
    expect(mail.text).toContain('综合执法队：');
    expect(mail.text).toContain('2020年度');
    expect(mail.text).toContain('【错误】文件：enforcement/公示.xlsx；工作表：1月；单元格：B7。公示日期不是有效日期，请改正（期望：日期；实际：2020-13-45）');
    // A row-level finding's cell is its row: 第12行, never 单元格：12.
    expect(mail.text).toContain('【警告】文件：enforcement/公示.xlsx；工作表：2月；第12行。');
    expect(mail.text).not.toContain('法律援助台账');
    expect(mail.text).not.toContain('散件.xlsx');
    expect(mail.text).not.toContain('杂表');
    expect(mail.html).toContain('enforcement/处罚.xlsx');
    expect(mail.html).not.toContain('杂表');
  });

  it('tells a department which ledger it still owes', () => {
    const mail = mailFor('justice');
    expect(mail.subject).toBe('【法治政府建设年度报告】司法所 2020年度报送核查：1个错误、1个警告');
    expect(mail.text).toContain('《法律援助台账》尚未报送，请尽快报送。');
    expect(mail.html).toContain('《法律援助台账》尚未报送');
    expect(mail.text).not.toContain('enforcement/');
  });

  it('says so when a department has no findings', () => {
    const mail = mailFor('counsel');
    expect(mail.subject).toBe('【法治政府建设年度报告】法律顾问 2020年度报送核查：未发现问题');
    expect(mail.text).toContain('未发现问题');
    expect(mail.text).not.toContain('尚未报送');
  });

  it('counts every finding but lists the first of each file, sheet and rule, then one line for the rest', () => {
    const data = {
      ...reportData(),
      findingsOmitted: [{ level: '警告', code: 'row.duplicate', department: 'enforcement', file: 'enforcement/公示.xlsx', sheet: '2月', ledger: 'disclosure', count: 284_980, firstRow: 21, lastRow: 300_001 }] as const,
      findingCounts: [
        { department: 'enforcement', ledger: 'disclosure', level: '警告', count: 284_981 },
        { department: 'enforcement', ledger: null, level: '错误', count: 2 },
      ] as const,
    } satisfies ReportData;
    const mail = composeMails(data, attachmentPath).find((m) => m.recipient === 'enforcement');
    expect(mail?.subject).toContain('2个错误、284981个警告');
    expect(mail?.text).toContain('同类问题另有 284,980 处（第 21–300,001 行），见完整问题清单');
    expect(mail?.html).toContain('同类问题另有 284,980 处（第 21–300,001 行）');
  });

  it("attaches a department's complete list and marked copies while the mail stays under 10 MB, and names the rest", () => {
    const mb = 1024 * 1024;
    const context = {
      workbookBytes: 1 * mb,
      findingLists: new Map([['enforcement', { filename: '问题清单-enforcement-2020.csv', path: join(dir, 'list.csv'), bytes: 2 * mb }]]),
      marked: new Map([['enforcement', [
        { filename: '公示.xlsx', path: join(dir, 'a.xlsx'), bytes: 3 * mb },
        { filename: '处罚.xlsx', path: join(dir, 'b.xlsx'), bytes: 3 * mb },
      ]]]),
    };
    const mail = composeMails(reportData(), attachmentPath, context).find((m) => m.recipient === 'enforcement');
    expect(mail?.attachments.map((a) => a.filename)).toEqual(['report-2020.xlsx', '问题清单-enforcement-2020.csv', '公示.xlsx']);
    expect(mail?.text).toContain('为使邮件不超过 10 MB，处罚.xlsx 未随信附上');
  });

  it('escapes user text in the HTML and links nothing external', () => {
    const html = mailFor('enforcement').html;
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<img|<link|https?:\/\//);
    expect(mailFor('enforcement').text).toContain('<script>alert(1)</script>');
  });
});

interface Received {
  readonly to: string[];
  readonly raw: Buffer;
}

/** A real SMTP server on loopback that rejects one address. */
async function startServer(received: Received[]): Promise<{ server: SMTPServer; port: number }> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      callback(address.address === REJECTED ? new Error('550 没有这个邮箱') : null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.server.address() as AddressInfo).port };
}

async function stop(server: SMTPServer): Promise<void> {
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

function expectReportMail(parsed: ParsedMail, mail: OutgoingMail): void {
  expect(parsed.subject).toBe(mail.subject);
  expect(parsed.from?.text).toContain('tally@anding.example.org');
  expect(parsed.text?.trim()).toBe(mail.text.trim());
  expect(parsed.html).toBe(mail.html);
  expect(parsed.attachments).toHaveLength(1);
  const attachment = parsed.attachments[0]!;
  expect(attachment.filename).toBe('report-2020.xlsx');
  expect(Buffer.compare(attachment.content, attachmentBytes)).toBe(0);
}

describe('sendMails', () => {
  it('delivers through a real SMTP server; one rejected recipient does not stop the others', async () => {
    const received: Received[] = [];
    const { server, port } = await startServer(received);
    try {
      const sent = await sendMails(mails, { from: FROM, smtpUrl: `smtp://127.0.0.1:${port}`, outboxDir: join(dir, 'unused') });
      expect(sent.map((s) => [s.recipient, s.via])).toEqual(mails.map((m) => [m.recipient, 'smtp']));
      const rejected = sent.find((s) => s.recipient === 'counsel')!;
      expect(rejected.error).toBeTruthy();
      expect(rejected.messageId).toBeUndefined();
      for (const s of sent.filter((x) => x.recipient !== 'counsel')) {
        expect(s.error).toBeUndefined();
        expect(s.messageId).toBeTruthy();
      }

      expect(received).toHaveLength(3);
      for (const message of received) {
        const parsed = await simpleParser(message.raw);
        const mail = mails.find((m) => m.subject === parsed.subject)!;
        expect(mail).toBeDefined();
        expect(message.to).toEqual([mail.to]);
        expectReportMail(parsed, mail);
      }
    } finally {
      await stop(server);
    }
  });

  it('records a failed login on every message without the password', async () => {
    const server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      onAuth(_auth, _session, callback) {
        callback(new Error('535 认证失败'));
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.server.address() as AddressInfo).port;
    try {
      const sent = await sendMails(mails.slice(0, 2), {
        from: FROM,
        smtpUrl: `smtp://tally:S3cr%40t-pw@127.0.0.1:${port}`,
        outboxDir: join(dir, 'unused'),
      });
      expect(sent).toHaveLength(2);
      for (const s of sent) {
        expect(s.error).toBeTruthy();
        expect(s.error).not.toContain('S3cr');
      }
    } finally {
      await stop(server);
    }
  });

  it('writes parseable .eml files into the outbox when there is no SMTP server', async () => {
    const outboxDir = join(dir, 'outbox');
    const sent = await sendMails(mails, { from: FROM, outboxDir });
    expect(sent.map((s) => s.via)).toEqual(['outbox', 'outbox', 'outbox', 'outbox']);
    expect(sent.every((s) => s.error === undefined)).toBe(true);
    expect((await readdir(outboxDir)).sort()).toEqual([
      '01-coordinator.eml',
      '02-enforcement.eml',
      '03-justice.eml',
      '04-counsel.eml',
    ]);
    for (const [index, s] of sent.entries()) {
      expect(s.path).toBe(join(outboxDir, (await readdir(outboxDir)).sort()[index]!));
      const parsed = await simpleParser(await readFile(s.path!));
      expectReportMail(parsed, mails[index]!);
      expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.text : '').toBe(mails[index]!.to);
    }
  });
});
