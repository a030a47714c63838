/**
 * The bytes a mail is stored and sent as (render-message.ts), read back by an independent parser
 * (mailparser): CRLF line ends throughout (RFC 5322; the composer is used without a transport,
 * whose filter used to guarantee them), no line over 998 octets, Chinese headers and file names,
 * attachments byte for byte.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { renderMessage } from '../pipeline/stages/7-notify/render-message.ts';
import { tmpDir } from './smtp-sink.ts';

let dir: string;
const workbook = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 256));
const list = Buffer.from('PK\u0003\u0004 问题清单 \n\r\n\n'.repeat(500));

beforeAll(async () => {
  dir = tmpDir('render-message');
  await writeFile(join(dir, 'report.xlsx'), workbook);
  await writeFile(join(dir, 'list.xlsx'), list);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('renders a mail as CRLF-only lines of at most 998 octets that a parser reads back whole', async () => {
  const text = '司法所：\n\n贵部门报送的台账中发现以下问题。\n' + '很长的一行'.repeat(400) + '\n末行';
  const html = `<html><body>\n<p>${'问题'.repeat(800)}</p>\n<p>第二段\r\n第三段</p></body></html>`;
  const rendered = await renderMessage(
    {
      recipient: 'justice',
      kind: 'findings',
      to: 'sifasuo@anding.example.org',
      cc: 'fazhi@anding.example.org',
      subject: '【法治政府建设年度报告】司法所 2020年度报送核查：3个错误、1个警告',
      text,
      html,
      attachments: [
        { filename: 'report-2020.xlsx', path: join(dir, 'report.xlsx') },
        { filename: '司法所 问题清单（2020年度）.xlsx', path: join(dir, 'list.xlsx') },
      ],
    },
    { from: 'tally 台账核查 <tally@anding.example.org>', date: new Date('2021-01-16T02:00:00+08:00') },
  );
  expect(rendered.raw).not.toMatch(/[^\r]\n/);
  expect(rendered.raw).not.toMatch(/\r(?!\n)/);
  const longest = rendered.raw.split('\r\n').reduce((most, line) => Math.max(most, Buffer.byteLength(line)), 0);
  expect(longest).toBeLessThanOrEqual(998);
  expect(rendered.envelope).toEqual({ from: 'tally@anding.example.org', to: ['sifasuo@anding.example.org', 'fazhi@anding.example.org'] });
  expect(rendered.raw).toContain(`Message-ID: ${rendered.messageId}\r\n`);

  const mail = await simpleParser(rendered.raw);
  expect(mail.subject).toBe('【法治政府建设年度报告】司法所 2020年度报送核查：3个错误、1个警告');
  expect(mail.date?.toISOString()).toBe('2021-01-15T18:00:00.000Z');
  expect(mail.text?.replace(/\r\n/g, '\n')).toBe(text);
  expect(mail.html).toContain('问题'.repeat(800));
  expect(mail.attachments.map((a) => a.filename)).toEqual(['report-2020.xlsx', '司法所 问题清单（2020年度）.xlsx']);
  expect(Buffer.compare(mail.attachments[0]!.content, workbook)).toBe(0);
  expect(Buffer.compare(mail.attachments[1]!.content, list)).toBe(0);
});
