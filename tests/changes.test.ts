/**
 * What changed since the last upload (issue 4, point 5): a department that resubmits is told,
 * in its mail, which cells changed (old → new), which rows were added or removed, which of its
 * findings were fixed and which are new — compared with what its last mail was about.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeLedgerWorkbook } from '../demo/ledger-workbook.ts';
import { loadConfig } from '../pipeline/kernel/config/config.ts';
import { runPipeline, type RunSummary } from '../pipeline/run.ts';
import { writeTownConfig } from './support/town-config.ts';
import { caseNo as CASE, day, writeLitigation } from './support/litigation-ledger.ts';

const ROOT = resolve(import.meta.dirname, '..');
const root = join(ROOT, 'tests', '.tmp', `changes-${randomBytes(4).toString('hex')}`);
const inbox = join(root, 'inbox');
const out = join(root, 'out');
const configFile = join(root, 'config.json');

const litigation = (rows: (string | Date | null)[][]) => writeLitigation(inbox, rows);

async function study(topic: (n: number) => string): Promise<void> {
  const rows = Array.from({ length: 25 }, (_, i) => [day(3, i + 1), '机关干部学法', topic(i + 1)]);
  await writeLedgerWorkbook(join(inbox, 'office', '学法.xlsx'), [{ name: '学法', header: ['日期', '类别', '主题'], rows }]);
}

function run(hour: number, mail = true): Promise<RunSummary> {
  return runPipeline({
    config: loadConfig(configFile),
    inbox,
    out,
    dbPath: join(root, 'tally.duckdb'),
    now: () => new Date(Date.UTC(2021, 0, 10, hour)),
    ...(mail ? {} : { outputs: { mail: false } }),
  });
}

/** The newest .eml written for an address. */
async function latestMail(address: string): Promise<ParsedMail | undefined> {
  const files = (await readdir(join(out, 'outbox'))).filter((f) => f.endsWith('.eml')).sort();
  let latest: ParsedMail | undefined;
  for (const f of files) {
    const mail = await simpleParser(await readFile(join(out, 'outbox', f)));
    if ((Array.isArray(mail.to) ? mail.to[0] : mail.to)?.value[0]?.address === address) latest = mail;
  }
  return latest;
}

const JUSTICE = 'justice@anding.example.gov.cn';
const OFFICE = 'office@anding.example.gov.cn';
let first: ParsedMail | undefined;
let second: ParsedMail | undefined;
let office: ParsedMail | undefined;

beforeAll(async () => {
  await mkdir(join(inbox, 'justice'), { recursive: true });
  await mkdir(join(inbox, 'office'), { recursive: true });
  await writeTownConfig(
    configFile,
    {
      departments: [
        { code: 'justice', name: '司法所', email: JUSTICE, owes: ['litigation'] },
        { code: 'office', name: '综合保障办', email: OFFICE, owes: ['study'] },
      ],
    },
  );
  await litigation([
    [CASE(1), '行政诉讼', day(3, 5), '土地征收', '是', '王镇长', '驳回'],
    [CASE(2), '行政诉讼', day(4, 5), '房屋拆迁', '是', null, '维持'],
    [CASE(3), '行政复议', day(5, 5), '行政许可', '否', null, '维持'],
  ]);
  await study((n) => `第${n}次学法`);
  await run(2);
  first = await latestMail(JUSTICE);

  // Resubmitted: the missing 出庭负责人 filled in (fixes a row.rule), a 案由 changed, and a new
  // case whose 结果 is not on the list (a new cell.enum). The office changes all 25 topics.
  await litigation([
    [CASE(1), '行政诉讼', day(3, 5), '土地征收', '是', '王镇长', '驳回'],
    [CASE(2), '行政诉讼', day(4, 5), '房屋拆迁', '是', '李副镇长', '维持'],
    [CASE(3), '行政复议', day(5, 5), '信息公开', '否', null, '维持'],
    [CASE(4), '行政诉讼', day(6, 5), '行政处罚', '否', null, '胜诉'],
  ]);
  await study((n) => `民法典第${n}讲`);
  await run(3);
  second = await latestMail(JUSTICE);
  office = await latestMail(OFFICE);
}, 180_000);

afterAll(async () => {
  if (process.env['KEEP_TMP'] === undefined) await rm(root, { recursive: true, force: true });
});

describe('a department that resubmits a file', () => {
  it('is told nothing about changes in its first mail', () => {
    expect(first?.text).toBeDefined();
    expect(first?.text).not.toContain('自上次通知');
    expect(first?.text).toContain('出庭负责人');
  });

  it('is told which cells changed, old → new, and which rows were added', () => {
    const text = second?.text ?? '';
    expect(text).toContain('自上次通知（2021-01-10 10:00）以来的变化：');
    expect(text).toContain('文件 justice/应诉台账.xlsx：第1版 → 第2版（修改2处，新增1行）');
    expect(text).toContain('应诉!F3 出庭负责人：（空） → 李副镇长');
    expect(text).toContain('应诉!D4 案由：行政许可 → 信息公开');
    expect(text).toMatch(/应诉 第5行 新增：行政复议应诉案件台账：.*行初4号/);
    expect(second?.html).toContain('李副镇长');
  });

  it('is told which finding was fixed and which one is new', () => {
    const text = second?.text ?? '';
    const fixed = text.slice(text.indexOf('已改正的问题（1个）'), text.indexOf('新出现的问题'));
    expect(fixed).toContain('✓ 错误 justice/应诉台账.xlsx 应诉 F3：');
    expect(fixed).toContain('出庭负责人');
    const appeared = text.slice(text.indexOf('新出现的问题（1个）'));
    expect(appeared).toMatch(/✗ 错误 justice\/应诉台账\.xlsx 应诉 G5：.*胜诉/);
  });

  it('caps the list of changed cells and counts the rest', () => {
    const text = office?.text ?? '';
    expect(text).toContain('文件 office/学法.xlsx：第1版 → 第2版（修改25处）');
    expect(text).toContain('学法!C2 主题：第1次学法 → 民法典第1讲');
    expect(text).not.toContain('学法!C22 ');
    expect(text).toContain('另有 5 处改动未列出。');
  });

  it('after an upload checked without mail (the portal), the next mail still compares with what the department was last told', async () => {
    // Case 4 removed (its finding goes with it), checked by a run that mails nothing.
    await litigation([
      [CASE(1), '行政诉讼', day(3, 5), '土地征收', '是', '王镇长', '驳回'],
      [CASE(2), '行政诉讼', day(4, 5), '房屋拆迁', '是', '李副镇长', '维持'],
      [CASE(3), '行政复议', day(5, 5), '信息公开', '否', null, '维持'],
    ]);
    await run(4, false);
    await run(5);
    const text = (await latestMail(JUSTICE))?.text ?? '';
    expect(text).toContain('自上次通知（2021-01-10 11:00）以来的变化：');
    expect(text).toContain('文件 justice/应诉台账.xlsx：第2版 → 第3版（删除1行）');
    expect(text).toMatch(/应诉 原第5行 删除：.*行初4号/);
    expect(text).toMatch(/已改正的问题（1个）[\s\S]*G5/);
    expect(text).not.toContain('新出现的问题');
  }, 120_000);
});
