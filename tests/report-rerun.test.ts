/**
 * A rerun with nothing changed takes what the report stage kept beside the report (the findings
 * digest, the submissions, the files to mark, the finding lists: pipeline/stages/6-report/kept.ts)
 * and rewrites nothing; a rerun after a file changed, or after the roster changed, makes them again
 * and writes what changed. The real pipeline on a real DuckDB file.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../pipeline/kernel/config/config.ts';
import { runPipeline, type RunSummary } from '../pipeline/run.ts';
import { writeTownConfig } from './support/town-config.ts';
import { caseNo as CASE, day, writeLitigation } from './support/litigation-ledger.ts';

const ROOT = resolve(import.meta.dirname, '..');
const root = join(ROOT, 'tests', '.tmp', `report-rerun-${randomBytes(4).toString('hex')}`);
const inbox = join(root, 'inbox');
const out = join(root, 'out');
const configFile = join(root, 'config.json');
const JUSTICE = 'justice@anding.example.gov.cn';

async function litigation(result: string): Promise<void> {
  await writeLitigation(inbox, [
    [CASE(1), '行政诉讼', day(3, 5), '土地征收', '是', '王镇长', '驳回'],
    [CASE(2), '行政诉讼', day(4, 5), '房屋拆迁', '是', null, result],
  ]);
}

async function config(justiceName: string): Promise<void> {
  await writeTownConfig(configFile, {
    departments: [
      { code: 'justice', name: justiceName, email: JUSTICE, owes: ['litigation'] },
      { code: 'office', name: '综合保障办', email: 'office@anding.example.gov.cn', owes: ['study'] },
    ],
  });
}

function run(hour: number): Promise<RunSummary> {
  return runPipeline({ config: loadConfig(configFile), inbox, out, dbPath: join(root, 'tally.duckdb'), now: () => new Date(Date.UTC(2021, 0, 10, hour)) });
}

const OUTPUTS = ['report-2020.xlsx', 'report-2020.docx', 'findings-2020.csv', 'marked/justice/应诉台账.xlsx'];
/** Each output's modification time. */
async function times(): Promise<number[]> {
  return await Promise.all(OUTPUTS.map(async (f) => (await stat(join(out, f))).mtimeMs));
}

let first: RunSummary;
let firstTimes: number[];
let again: RunSummary;
let againTimes: number[];

beforeAll(async () => {
  await mkdir(join(inbox, 'justice'), { recursive: true });
  await config('司法所');
  await litigation('维持');
  first = await run(2);
  firstTimes = await times();
  again = await run(3);
  againTimes = await times();
}, 180_000);

afterAll(async () => {
  if (process.env['KEEP_TMP'] === undefined) await rm(root, { recursive: true, force: true });
});

describe('a rerun and the report stage', () => {
  it('rewrites nothing and reports the same when nothing changed', async () => {
    expect(first.findings).toEqual(again.findings);
    expect(againTimes).toEqual(firstTimes);
    expect({ ...again.report, generatedAt: null }).toEqual({ ...first.report, generatedAt: null });
    expect(again.marked).toEqual(first.marked);
    expect(again.mails).toEqual([]);
    for (const name of ['findings-digest', 'submissions', 'markable', 'with-findings', 'finding-lists', 'finding-digests']) {
      expect((await stat(join(out, `.${name}-2020.json`))).isFile()).toBe(true);
    }
  });

  it('writes the findings list again when it is not as it was written', async () => {
    await rm(join(out, 'findings-2020.csv'));
    await run(4);
    expect(await readFile(join(out, 'findings-2020.csv'), 'utf8')).toContain('出庭负责人');
  });

  it('makes everything again after a file changed: the new finding in the list, the report, the marked copy and the mail', async () => {
    const before = await times();
    const csvBefore = await readFile(join(out, 'findings-2020.csv'), 'utf8');
    await litigation('胜诉'); // not one of 结果's values: a new finding
    const changed = await run(5);
    const after = await times();
    for (const [i, t] of after.entries()) expect(t, OUTPUTS[i]).not.toBe(before[i]);
    const csv = await readFile(join(out, 'findings-2020.csv'), 'utf8');
    expect(csv).not.toBe(csvBefore);
    expect(csv).toContain('胜诉');
    expect(changed.report.findings.some((f) => f.actual === '胜诉')).toBe(true);
    expect(changed.report.submissions.find((s) => s.departmentCode === 'justice')?.versions).toEqual([2]);
    expect(changed.mails.map((m) => m.to)).toContain(JUSTICE);
  });

  it("makes the report again after the roster changed a department's name", async () => {
    const before = await times();
    await config('镇司法所');
    const renamed = await run(6);
    expect(renamed.report.submissions.find((s) => s.departmentCode === 'justice')?.department).toBe('镇司法所');
    const after = await times();
    expect(after[0]).not.toBe(before[0]); // the workbook
    expect(after[2]).toBe(before[2]); // the findings list: the same findings
  });
});
