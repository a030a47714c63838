/**
 * A sheet without a column its ledger does not require but a figure reads: 法制审核日期 on a
 * 行政处罚案件台账 (审核行政处罚案件 counts the rows reviewed in the year), 负责人出庭 on a 行政复议
 * 应诉案件台账. Its rows are judged as if the column were blank, which makes the figure short, so
 * the sheet gets header.missing_figure_column (警告) at its header row, naming the figures, and
 * the figures show 有警告, never 正常 in silence. A rerun that takes the cached figures says it
 * again. A column no figure reads (当事人) says nothing, nor does one whose absence left no row
 * out (a 行政复议 sheet without 负责人出庭; 结案日期, when 受理日期 dates the case instead).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { layoutOf, type CellInput, type SheetSpec } from '../demo/ledger-workbook.ts';
import { loadConfig } from '../pipeline/kernel/config/config.ts';
import { runPipeline } from '../pipeline/run.ts';
import { day, useScenarios } from './support/scenario.ts';

const scenarios = useScenarios({ outputs: false });

const PENALTY = ['案件编号', '立案日期', '当事人', '法制审核日期', '是否重大执法决定', '集体讨论日期', '决定日期'];

/** Penalty rows of April 2020, reviewed 3 days after filing, with only the given columns. */
function penaltySheet(header: readonly string[], n: number, first = 1): SheetSpec {
  const full = (i: number): Record<string, CellInput> => ({
    案件编号: `安综执罚〔2020〕${i}号`,
    立案日期: day(2020, 4, i),
    当事人: `某商户${i}`,
    法制审核日期: day(2020, 4, i + 3),
    是否重大执法决定: '否',
    集体讨论日期: null,
    决定日期: day(2020, 4, i + 5),
  });
  const rows = Array.from({ length: n }, (_, k) => header.map((h) => full(first + k)[h] ?? null));
  return { name: '处罚台账', title: '安定镇综合执法队行政处罚案件台账', header: [...header], rows };
}

const enforcementOwesPenalty = [{ code: 'enforcement', owes: ['penalty'] }];

describe('header.missing_figure_column', () => {
  it('says a penalty sheet without 法制审核日期 leaves 审核行政处罚案件 short, at its header row; the figure is 有警告', async () => {
    const without = penaltySheet(PENALTY.filter((h) => h !== '法制审核日期'), 3, 10);
    const run = await scenarios.run('penalty-without-review-date', {
      roster: enforcementOwesPenalty,
      files: { 'enforcement/penalty-complete.xlsx': [penaltySheet(PENALTY, 2)], 'enforcement/penalty-without-review-date.xlsx': [without] },
    });
    const found = run.findingsOf('header.missing_figure_column');
    expect(found, JSON.stringify(found, null, 1)).toHaveLength(1);
    expect(found[0]).toMatchObject({
      level: '警告',
      department: 'enforcement',
      file: 'enforcement/penalty-without-review-date.xlsx',
      sheet: '处罚台账',
      cell: String(layoutOf(without).headerRows[0]),
      expected: '法制审核日期',
      actual: '无此列',
      ledger: 'penalty',
    });
    expect(found[0]?.message).toContain('没有“法制审核日期”列');
    expect(found[0]?.message).toContain('审核行政处罚案件');
    // The complete file's two reviews; the three rows without the column are not counted, and said so.
    expect(run.indicator('enforcement.penalty_reviews')).toMatchObject({ value: 2, status: '有警告' });
    expect(run.findings.filter((f) => f.code !== 'header.missing_figure_column')).toEqual([]);

    // Nothing changed: the figures come from the roll-up cache, and the finding is said again.
    const again = await runPipeline({
      config: loadConfig(join(run.dir, 'config.json')),
      inbox: join(run.dir, 'inbox'),
      out: join(run.dir, 'out'),
      dbPath: join(run.dir, 'tally.duckdb'),
      now: () => new Date(Date.UTC(2021, 0, 11, 2, 0, 0)),
      readers: 1,
      outputs: { report: false, mail: false },
    });
    expect(again.filesRead).toBe(0);
    expect(again.report.findings.filter((f) => f.code === 'header.missing_figure_column')).toEqual(found);
    expect(again.report.indicators.find((i) => i.code === 'enforcement.penalty_reviews')).toMatchObject({ value: 2, status: '有警告' });
  });

  it('says nothing of a column no figure reads (当事人), and a complete sheet stays 正常', async () => {
    const run = await scenarios.run('penalty-without-party', {
      roster: enforcementOwesPenalty,
      files: { 'enforcement/penalty-without-party.xlsx': [penaltySheet(PENALTY.filter((h) => h !== '当事人'), 3)] },
    });
    expect(run.findings).toEqual([]);
    expect(run.indicator('enforcement.penalty_reviews')).toMatchObject({ value: 3, status: '正常' });
  });

  it('gives one finding per absent column a figure reads, naming that figure', async () => {
    const header = ['案号', '案件类别', '收案日期', '申请人/原告', '结案日期', '结果'];
    const rows: CellInput[][] = [1, 2].map((n) => [`(2020)京0115行初${n}号`, '行政诉讼', day(2020, 3, n), `原告${n}`, day(2020, 9, n), '驳回']);
    const run = await scenarios.run('litigation-without-leader-column', {
      roster: [{ code: 'justice', owes: ['litigation'] }],
      files: { 'justice/litigation-without-leader.xlsx': [{ name: '应诉台账', header, rows }] },
    });
    const found = run.findingsOf('header.missing_figure_column');
    // 负责人出庭 (read by 负责人出庭应诉) and 整改意见建议 (read by 整改意见、建议): one finding each.
    expect(found.map((f) => f.expected).sort()).toEqual(['整改意见建议', '负责人出庭']);
    const figuresNamed = (field: string) => found.find((f) => f.expected === field)?.message.match(/指标“([^。]*)”要按/)?.[1];
    expect(figuresNamed('负责人出庭')).toBe('负责人出庭');
    expect(figuresNamed('整改意见建议')).toBe('整改意见、建议');
    expect(run.indicator('litigation.leader_appearances')).toMatchObject({ value: 0, status: '有警告' });
    expect(run.indicator('litigation.lawsuits')).toMatchObject({ value: 2, status: '有警告' });
  });

  it('says nothing when the absent column left no row out: 负责人出庭 on a sheet of 行政复议, 结案日期 of mediations dated by 受理日期', async () => {
    const header = ['案号', '案件类别', '收案日期', '申请人/原告', '结案日期', '结果', '整改意见建议'];
    const rows: CellInput[][] = [1, 2].map((n) => [`安复〔2020〕${n}号`, '行政复议', day(2020, 3, n), `申请人${n}`, day(2020, 6, n), '维持', null]);
    const mediation = ['序号', '受理日期', '当事人', '纠纷类型', '调解结果'];
    const mediations: CellInput[][] = [1, 2, 3].map((n) => [String(n), day(2020, n, 5), `张${n}与李${n}`, '邻里纠纷', '调解成功']);
    const run = await scenarios.run('absent-columns-that-left-nothing-out', {
      roster: [{ code: 'justice', owes: ['litigation', 'mediation'] }],
      files: {
        'justice/reconsiderations-only.xlsx': [{ name: '复议台账', header, rows }],
        'justice/mediation-without-closing-date.xlsx': [{ name: '调解台账', header: mediation, rows: mediations }],
      },
    });
    expect(run.findingsOf('header.missing_figure_column')).toEqual([]);
    expect(run.indicator('litigation.reconsiderations')).toMatchObject({ value: 2, status: '正常' });
    expect(run.indicator('litigation.leader_appearances')).toMatchObject({ value: 0, status: '正常' });
    // All three counted by 受理日期 (row.rule asks each 调解成功 for its 结案日期: that is another finding).
    expect(run.indicator('service.disputes_resolved')).toMatchObject({ value: 3 });
  });
});
