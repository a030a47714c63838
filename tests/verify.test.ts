/**
 * `tally verify`: the figures of a draft report checked against the ledgers. The drafts are the
 * report text rendered from the template with the demo figures, the published 2020 report when
 * it is at hand (../shared/spec/, outside the repo), and altered copies of them.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoInbox } from '../demo/demo-inbox.ts';
import { loadConfig, type TallyConfig } from '../pipeline/kernel/config/config.ts';
import { runPipeline, type RunSummary } from '../pipeline/run.ts';
import { verifyDraft, type DraftCheck, type VerifyIndicator } from '../pipeline/audit/verify-draft.ts';
import { consistentWith, findFigures, parseChineseNumber } from '../pipeline/audit/verify-figures.ts';
import { readDraft, textParagraphs } from '../pipeline/audit/verify-read.ts';
import { narrativeDocument } from '../reports/write-report-docx.ts';
import { runCli } from './support/cli.ts';

/** The published 2020 report, when the shared spec folder sits next to the repo. */
const SEED_REPORT = resolve(import.meta.dirname, '..', '..', 'shared', 'spec', 'report-anding-2020.txt');

const root = join('tests', '.tmp', `verify-${randomBytes(4).toString('hex')}`);
let config: TallyConfig;
let summary: RunSummary;
let indicators: VerifyIndicator[];

beforeAll(async () => {
  await mkdir(root, { recursive: true });
  await generateDemoInbox(join(root, 'inbox'));
  config = loadConfig();
  summary = await runPipeline({
    config,
    inbox: join(root, 'inbox'),
    out: join(root, 'out'),
    dbPath: join(root, 'out', 'tally.duckdb'),
    now: () => new Date('2021-03-01T02:00:00Z'),
  });
  const values = new Map(summary.report.indicators.map((i) => [i.code, i.value]));
  indicators = config.report.indicators.map((i) => ({ ...i, value: values.get(i.code) ?? null }));
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The report text of the demo run, one paragraph per entry (title first). */
const rendered = () => textParagraphs(summary.report.narrative);
const verify = (paragraphs: readonly string[], file = '草稿.txt'): DraftCheck =>
  verifyDraft({ file, paragraphs, indicators, template: config.report.template });
const codes = (result: DraftCheck, code: string) => result.findings.filter((f) => f.code === code);

describe('finding the figures of a paragraph', () => {
  const found = (text: string) => findFigures(text).map((f) => [f.text, f.value, f.kind, f.unit]);

  it('reads Arabic and Chinese numerals, with 余/多/近/超过/约/左右 and the unit', () => {
    expect(found('全年公示执法信息280余项，审核行政处罚案件二百余件')).toEqual([
      ['280余项', 280, 'more', '项'],
      ['二百余件', 200, 'more', '件'],
    ]);
    expect(found('法律咨询一千二百多人次')).toEqual([['一千二百多人次', 1200, 'more', '人次']]);
    expect(found('近300项；超过200件；约1,200人次；280项左右；逾百分之九十')).toEqual([
      ['近300项', 300, 'nearly', '项'],
      ['超过200件', 200, 'over', '件'],
      ['约1,200人次', 1200, 'about', '人次'],
      ['280项左右', 280, 'about', '项'],
      ['百分之九十', 90, 'percent', null],
    ]);
    expect(found('出庭率达到95.5%，出庭十五次，接待１３１人次，1.2万人次')).toEqual([
      ['95.5%', 95.5, 'percent', null],
      ['十五次', 15, 'exact', '次'],
      ['１３１人次', 131, 'exact', '人次'],
      ['1.2万人次', 12000, 'exact', '人次'],
    ]);
  });

  it('reads Chinese numerals as written', () => {
    expect([parseChineseNumber('十五'), parseChineseNumber('一百零五'), parseChineseNumber('三万五千'), parseChineseNumber('二〇二〇')]).toEqual([15, 105, 35000, 2020]);
  });

  it('passes over dates, times, ordinals, enumerations and names in quotation marks', () => {
    expect(found('2020年8月全市首个中心在我镇成立；日期:2021-03-31 14:27')).toEqual([]);
    expect(found('一是落实第一责任人职责；贯彻落实“三项制度”；“七五”普法；《行政复议法》；二、存在的不足')).toEqual([]);
    expect(found('京兴安综罚〔2019〕第0412号')).toEqual([]);
  });

  it('holds 280余 consistent with 281–289 only, and an exact 280 with 280 only (contract §3)', () => {
    const more = { value: 280, kind: 'more' as const };
    expect([280, 281, 283, 289, 290].map((v) => consistentWith(more, v))).toEqual([false, true, true, true, false]);
    expect([279, 280, 281].map((v) => consistentWith({ value: 280, kind: 'exact' }, v))).toEqual([false, true, false]);
    expect([1201, 1236, 1299, 1300].map((v) => consistentWith({ value: 1200, kind: 'more' }, v))).toEqual([true, true, true, false]);
    expect([289, 290, 299, 300].map((v) => consistentWith({ value: 300, kind: 'nearly' }, v))).toEqual([false, true, true, false]);
  });
});

describe('a draft that says what the ledgers say', () => {
  it('finds every figure of the report text rendered from the template consistent, each tied to its indicator', () => {
    const result = verify(rendered());
    expect(codes(result, 'narrative.figure_mismatch')).toEqual([]);
    const tied = new Set(result.checks.filter((c) => c.verdict === '一致').map((c) => c.code));
    expect([...tied].sort()).toEqual(config.report.indicators.map((i) => i.code).sort());
    // The one figure the ledgers know nothing about: 4个部门 of the service centre.
    expect(codes(result, 'narrative.unmatched_figure').map((f) => f.actual)).toEqual(['4个']);
    expect(result.unmentioned).toEqual([]);
  });

  it.runIf(existsSync(SEED_REPORT))('finds the published 2020 report consistent with the demo ledgers', () => {
    const result = verify(textParagraphs(readFileSync(SEED_REPORT, 'utf8')), 'report-anding-2020.txt');
    expect(codes(result, 'narrative.figure_mismatch')).toEqual([]);
    expect(result.checks.filter((c) => c.verdict === '一致')).toHaveLength(20);
    expect(codes(result, 'narrative.unmatched_figure').map((f) => f.actual)).toEqual(['4个']);
    // It names the village (后安定村) instead of a count.
    expect(result.unmentioned).toEqual(['service.model_villages']);
  });

  it('accepts the same figures written another way: Chinese numerals, 多, 近, 约', () => {
    const text = rendered().map((p) =>
      p
        .replace('法律咨询1200余人次', '法律咨询一千二百余人次')
        .replace('公示执法信息280余项', '公示执法信息280多项')
        .replace('法律援助业务咨询150余人次', '法律援助业务咨询近160人次')
        .replace('法治宣传活动共计230余次', '法治宣传活动共计约230次')
        .replace('共化解矛盾纠纷131件', '共化解矛盾纠纷一百三十一件'),
    );
    const result = verify(text);
    expect(codes(result, 'narrative.figure_mismatch')).toEqual([]);
    expect(result.checks.filter((c) => c.verdict === '一致')).toHaveLength(21); // 20 figures, 负责人出庭 twice
  });
});

describe('altered drafts', () => {
  const ALTERATIONS: readonly [string, string, string, string, string][] = [
    // [indicator, the demo text, the altered text, the figure as altered, how the ledgers' value is written]
    ['service.disputes_resolved', '共化解矛盾纠纷131件', '共化解矛盾纠纷129件', '129件', '131件'],
    ['enforcement.disclosures', '公示执法信息280余项', '公示执法信息290余项', '290余项', '280余项'],
    ['enforcement.disclosures', '公示执法信息280余项', '公示执法信息280项', '280项', '280余项'],
    ['service.consultations', '法律咨询1200余人次', '法律咨询一千三百余人次', '一千三百余人次', '1200余人次'],
    ['litigation.leader_appearances', '负责人出庭15次；', '负责人出庭十六次；', '十六次', '15次'],
    ['litigation.reconsiderations', '其中行政复议5件', '其中行政复议6件', '6件', '5件'],
    ['litigation.total', '诉讼案件共计35件', '诉讼案件共计36件', '36件', '35件'],
    ['decision.normative_docs', '2020年我镇未印发行政规范性文件', '2020年我镇印发行政规范性文件2件', '2件', '0件'],
    ['staff.legal_professionals', '目前我镇无具有法律职业资格的工作人员', '目前我镇具有法律职业资格的工作人员3人', '3人', '0人'],
    ['publicity.events', '法治宣传活动共计230余次', '法治宣传活动共计近300次', '近300次', '230余次'],
    ['decision.contract_reviews', '合法性审查200余份', '合法性审查超过300份', '超过300份', '200余份'],
    ['enforcement.exam_passed', '1人顺利通过执法资格考试', '2人顺利通过执法资格考试', '2人', '1人'],
  ];

  for (const [code, from, to, figure, expected] of ALTERATIONS) {
    it(`finds “${to}” (${code}; the ledgers say ${expected})`, () => {
      const draft = rendered().map((p) => p.replace(from, to));
      expect(draft.join('\n'), `the demo text has no “${from}”`).toContain(to);
      const mismatches = codes(verify(draft), 'narrative.figure_mismatch');
      const ledger = config.report.indicators.find((i) => i.code === code)?.ledgers[0];
      expect(mismatches.map((f) => [f.level, f.ledger, f.expected, f.actual])).toEqual([['错误', ledger, expected, figure]]);
      expect(mismatches[0]?.message).toContain(`tally explain ${code}`);
    });
  }

  it('finds a zero written in words that the ledgers contradict', () => {
    const withDocs = indicators.map((i) => (i.code === 'decision.normative_docs' ? { ...i, value: 3 } : i));
    const result = verifyDraft({ file: '草稿.txt', paragraphs: rendered(), indicators: withDocs, template: config.report.template });
    const mismatches = codes(result, 'narrative.figure_mismatch');
    expect(mismatches.map((f) => [f.actual, f.expected])).toEqual([['未印发行政规范性文件', '3件']]);
  });

  it('cannot tell a percentage or a figure of no indicator, and says so (警告)', () => {
    const draft = [...rendered(), '全年行政机关负责人出庭率为50%，新增调解员8名。'];
    const result = verify(draft);
    expect(codes(result, 'narrative.figure_mismatch')).toEqual([]);
    const unmatched = codes(result, 'narrative.unmatched_figure');
    expect(unmatched.map((f) => [f.level, f.actual])).toEqual([
      ['警告', '4个'],
      ['警告', '50%'],
      ['警告', '8名'],
    ]);
    expect(unmatched[1]?.message).toContain('百分比');
  });

  it('warns rather than errs when the words fit two indicators alike', () => {
    const result = verify(['2020年共办理行政复议和行政诉讼案件35件。']);
    expect(codes(result, 'narrative.figure_mismatch')).toEqual([]);
    expect(codes(result, 'narrative.unmatched_figure').map((f) => f.message)).toEqual([expect.stringContaining('可能是“行政诉讼”，也可能是“行政复议”')]);
  });

  it('reads a .docx draft (the paragraphs of word/document.xml) and finds the alteration', async () => {
    const altered = summary.report.narrative.replace('共化解矛盾纠纷131件', '共化解矛盾纠纷129件');
    const path = join(root, '报告草稿.docx');
    await writeFile(path, await narrativeDocument(summary.report.title, altered));
    const paragraphs = await readDraft(path);
    expect(paragraphs[0]).toBe(summary.report.title);
    const mismatches = codes(verify(paragraphs, '报告草稿.docx'), 'narrative.figure_mismatch');
    expect(mismatches.map((f) => [f.file, f.actual, f.expected])).toEqual([['报告草稿.docx', '129件', '131件']]);
  });
});

describe('tally verify on the command line', () => {
  it('prints a table, exits 0 whatever it finds, and with --out writes the findings workbook', async () => {
    const draft = join(root, '草稿.txt');
    await writeFile(draft, `\uFEFF${summary.report.narrative.replace('共化解矛盾纠纷131件', '共化解矛盾纠纷129件')}`);
    const out = join(root, 'verify-out');
    const result = await runCli(['verify', draft, '--db', join(root, 'out', 'tally.duckdb'), '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/129件\s+化解矛盾纠纷\s+131\s+131件\s+不一致/);
    expect(result.stdout).toContain('[错误] narrative.figure_mismatch');
    expect(result.stdout).toContain('问题：错误 1 个，警告 1 个');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(out, 'verify-草稿.xlsx'));
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['问题清单', '数字核对']);
    expect(workbook.getWorksheet('问题清单')?.getRow(2).getCell(3).value).toBe('narrative.figure_mismatch');
  }, 60_000);

  it('is a usage error (exit 2) for a draft it cannot read', async () => {
    const doc = join(root, '草稿.doc');
    await writeFile(doc, 'not a docx');
    const result = await runCli(['verify', doc, '--db', join(root, 'out', 'tally.duckdb')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('.docx');
  }, 60_000);
});

describe('a draft of a pack with units and sentences the 2020 report never had', () => {
  const ind = (code: string, name: string, unit: string, value: number, more: Partial<VerifyIndicator> = {}): VerifyIndicator => ({
    code, name, unit, value, written: 'exact', ledgers: ['x'], ...more,
  });
  const indicators = [
    ind('publicity.audience', '普法受众', '万人次', 3.2156, { decimals: 1 }),
    ind('disputes.communities', '涉及社区', '个', 12),
    ind('disputes.accepted', '受理矛盾纠纷', '件', 300),
    ind('docs.issued', '制定行政规范性文件', '件', 0),
    ind('docs.filed', '报备行政规范性文件', '件', 0),
  ];
  const template = [
    '全年受理矛盾纠纷{{disputes.accepted}}，涉及{{disputes.communities}}社区，普法受众{{publicity.audience}}。',
    '{{docs.issued?未制定行政规范性文件:制定行政规范性文件{}，报备{{docs.filed}}}}。',
  ].join('\n');
  const result = verifyDraft({
    file: '草稿.txt',
    paragraphs: ['全年受理矛盾纠纷300件，涉及12个社区，普法受众3.2万人次。', '2022年街道未制定行政规范性文件。'],
    indicators,
    template,
  });
  const verdict = (figure: string) => result.checks.find((c) => c.figure === figure);

  it('reads 3.2万人次 as 3.2 of a figure counted in 万人次, the pack’s unit, not 32000 人次', () => {
    expect(verdict('3.2万人次')).toMatchObject({ code: 'publicity.audience', verdict: '一致', expected: '3.2万人次' });
  });

  it('ties a figure standing inside its name as the template writes it: 涉及12个社区', () => {
    expect(verdict('12个')).toMatchObject({ code: 'disputes.communities', verdict: '一致' });
  });

  it('does not miss a figure the text itself leaves out this year (报备 when none were 制定)', () => {
    expect(result.unmentioned).toEqual([]);
    expect(result.findings).toEqual([]);
  });
});
