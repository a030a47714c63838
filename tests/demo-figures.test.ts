/**
 * The demo inbox, run in-process through the whole pipeline: the figures, the wording, the
 * findings and the narrative must be exactly those of the 2020 report and the planted mistakes.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoInbox, type DemoManifest } from '../demo/demo-inbox.ts';
import { loadConfig } from '../pipeline/kernel/config/config.ts';
import type { Finding } from '../pipeline/kernel/findings/findings.ts';
import { runPipeline, type RunSummary } from '../pipeline/run.ts';

/** How the 2020 report writes each figure, in the catalog order of packs/anding-2020/pack.json. */
const REPORT_WORDINGS = [
  ['enforcement.disclosures', '280余项'],
  ['enforcement.penalty_reviews', '200余件'],
  ['enforcement.exam_passed', '1人'],
  ['decision.normative_docs', '0件'],
  ['decision.contract_reviews', '200余份'],
  ['decision.legal_opinions', '12件'],
  ['litigation.total', '35件'],
  ['litigation.reconsiderations', '5件'],
  ['litigation.lawsuits', '30件'],
  ['litigation.leader_appearances', '15次'],
  ['litigation.rectifications', '0件'],
  ['study.pre_meeting', '2次'],
  ['study.staff_sessions', '4次'],
  ['service.consultations', '1200余人次'],
  ['service.disputes_resolved', '131件'],
  ['service.aid_consultations', '150余人次'],
  ['service.aid_cases', '14件'],
  ['service.model_villages', '1个'],
  ['publicity.events', '230余次'],
  ['staff.legal_professionals', '0人'],
] as const;

const SEED_REPORT = '/work/shared/spec/report-anding-2020.txt';

/** Punctuation and spacing differ between the published text and ours (，/,): compare without them. */
const bare = (text: string): string => text.replace(/[\s,，;；:：。、“”"（）()《》]/g, '');

/**
 * The clauses of the seed report that carry one of the 20 figures, e.g. `全年公示执法信息280余项`.
 * Zero figures are written in words there (未印发…, 无具有法律职业资格…), so those clauses are named.
 */
function seedFigureClauses(): string[] {
  const text = readFileSync(SEED_REPORT, 'utf8');
  const wordings = REPORT_WORDINGS.map(([, w]) => w).filter((w) => !w.startsWith('0'));
  const zeroClauses = ['2020年我镇未印发行政规范性文件', '未收到其他整改意见、建议', '目前我镇无具有法律职业资格的工作人员'];
  const clauses = text
    .split(/[,，;；。\n]/)
    .map((c) => c.trim())
    .filter((c) => wordings.some((w) => new RegExp(`(^|[^0-9])${w}`).test(c)));
  for (const z of zeroClauses) if (text.includes(z)) clauses.push(z);
  return clauses;
}

const root = join('tests', '.tmp', `demo-figures-${randomBytes(4).toString('hex')}`);
let manifest: DemoManifest;
let summary: RunSummary;

/** Where a finding points, as one comparable string; planted mistakes use the same shape. */
const place = (f: { code: string } & Pick<Finding, 'department' | 'file' | 'sheet' | 'cell'>) =>
  `${f.code} ${f.department ?? '-'} ${f.file ?? '-'} ${f.sheet ?? '-'} ${f.cell ?? '-'}`;

beforeAll(async () => {
  await mkdir(root, { recursive: true });
  manifest = await generateDemoInbox(join(root, 'inbox'));
  summary = await runPipeline({
    config: loadConfig(),
    inbox: join(root, 'inbox'),
    out: join(root, 'out'),
    dbPath: join(root, 'tally.duckdb'),
    now: () => new Date('2021-03-01T02:00:00Z'),
  });
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the demo inbox run through the pipeline', () => {
  it('reads all 14 demo files', () => {
    expect(summary.filesSeen).toBe(manifest.files.length);
    expect(summary.filesRead).toBe(manifest.files.length);
  });

  it('fills every indicator with the value the demo ledgers produce', () => {
    const got = Object.fromEntries(summary.report.indicators.map((i) => [i.code, i.value]));
    expect(got).toEqual(manifest.expected);
    expect(summary.indicatorsFilled).toBe(20);
  });

  it('writes every figure as the 2020 report does, in catalog order', () => {
    const catalog = JSON.parse(readFileSync('packs/anding-2020/pack.json', 'utf8')) as { indicators: { code: string }[] };
    expect(REPORT_WORDINGS.map(([code]) => code)).toEqual(catalog.indicators.map((i) => i.code));
    expect(summary.report.indicators.map((i) => [i.code, i.wording])).toEqual(REPORT_WORDINGS.map(([c, w]) => [c, w]));
  });

  it('finds every planted mistake at its exact place', () => {
    const found = new Set(summary.report.findings.map(place));
    const missed = manifest.planted
      .map((p) => ({ ...p, file: `${p.department}/${p.file}` }))
      .filter((p) => !found.has(place(p)))
      .map((p) => `${place(p)} (${p.note})`);
    expect(missed, `planted mistakes not found:\n${missed.join('\n')}\nfound:\n${[...found].join('\n')}`).toEqual([]);
  });

  it('finds nothing that was not planted', () => {
    const planted = new Set(manifest.planted.map((p) => place({ ...p, file: `${p.department}/${p.file}` })));
    const unexpected = summary.report.findings.filter((f) => !planted.has(place(f))).map((f) => `${place(f)}: ${f.message}`);
    expect(unexpected, `findings that were not planted:\n${unexpected.join('\n')}`).toEqual([]);
  });

  it('lists every owed ledger as 已报, except the empty 规范性文件台账 (空表)', () => {
    const statuses = summary.report.submissions.map((s) => [s.departmentCode, s.ledgerId, s.status]);
    const config = loadConfig();
    const owed = config.departments.flatMap((d) => d.owes.map((l) => [d.code, l, l === 'normative_docs' ? '空表' : '已报']));
    expect(statuses).toEqual(expect.arrayContaining(owed));
    expect(statuses.filter(([, , s]) => s !== '已报')).toEqual([['office', 'normative_docs', '空表']]);
  });

  it('writes the narrative with the figures sentences of the 2020 report', () => {
    const narrative = summary.report.narrative;
    for (const phrase of ['2020年我镇未印发行政规范性文件', '负责人出庭15次', '法治宣传活动共计230余次', '目前我镇无具有法律职业资格的工作人员']) {
      expect(narrative).toContain(phrase);
    }
    const clauses = seedFigureClauses();
    expect(clauses.length).toBeGreaterThanOrEqual(20);
    const ours = bare(narrative);
    const absent = clauses.filter((c) => !ours.includes(bare(c)));
    expect(absent, `seed report clauses missing from 报告正文:\n${absent.join('\n')}`).toEqual([]);
    // The seed names the village (后安定村); the ledgers give the count.
    expect(narrative).toMatch(/我镇1个村被评为“全国民主法治示范村”/);
    expect(narrative).not.toContain('缺报');
    expect(narrative).not.toMatch(/\{\{|\}\}/);
  });
});
