/**
 * The report text's template as a town writes it when it builds its own pack from the bundled
 * one: placeholders nested in a conditional's texts, a share whose denominator is 0 (no 行政诉讼
 * in the year), and a year other than the pack's (the same pack in 2021). Each proved by `tally
 * pack check` on a real pack in a temporary folder and by real runs (DuckDB file, .docx and .xlsx
 * written and read back).
 */
import { randomBytes } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPack } from '../pipeline/kernel/pack/check-pack.ts';
import type { PackProblem } from '../pipeline/kernel/pack/pack-problem.ts';
import { loadConfig } from '../pipeline/kernel/config/config.ts';
import { runPipeline } from '../pipeline/run.ts';
import { renderNarrative, templateValues, type NarrativeFigure } from '../reports/narrative.ts';
import { writeLitigation } from './support/litigation-ledger.ts';
import { writeTownConfig } from './support/town-config.ts';

const ROOT = resolve(import.meta.dirname, '..');
const TMP = resolve(import.meta.dirname, '.tmp', `report-text-${randomBytes(4).toString('hex')}`);
const BUNDLED = join(ROOT, 'packs', 'anding-2020');
const TITLE_2020 = '大兴区安定镇2020年度法治政府建设年度情况报告';
const TITLE_2021 = '大兴区安定镇2021年度法治政府建设年度情况报告';
/** The line of 一(三) that names 行政诉讼 in the bundled template. */
const LAWSUITS = '行政诉讼{{litigation.lawsuits}}';
/** The line of 三(三) in the bundled template. */
const APPEARANCES = '机关负责人出庭{{litigation.leader_appearances}}。';

let n = 0;

/** A copy of the bundled pack with its template edited, as a town makes its own. */
function townPack(edit: (template: string) => string, packEdit?: (json: Record<string, unknown>) => void): string {
  const dir = join(TMP, `pack-${++n}`);
  cpSync(BUNDLED, dir, { recursive: true });
  const file = join(dir, 'template.txt');
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
  if (packEdit !== undefined) {
    const json = JSON.parse(readFileSync(join(dir, 'pack.json'), 'utf8')) as Record<string, unknown>;
    packEdit(json);
    writeFileSync(join(dir, 'pack.json'), JSON.stringify(json, null, 2));
  }
  return dir;
}

/** The line of template.txt holding `text`, 1-based. */
function lineOf(dir: string, text: string): number {
  return readFileSync(join(dir, 'template.txt'), 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;
}

const errors = (problems: readonly PackProblem[]) => problems.filter((p) => p.level === '错误');
const warnings = (problems: readonly PackProblem[]) => problems.filter((p) => p.level === '警告');

/**
 * The pack of 魏善庄镇's sweep: 行政诉讼 and its 出庭率 in one nested placeholder (the only place
 * 行政诉讼 is named), 出庭率 again unconditionally in 三(三), the title line copied as 2020's.
 */
const nestedPack = () =>
  townPack(
    (t) =>
      t
        .replace('{district}{town}{year}年度法治政府建设年度情况报告', TITLE_2020)
        .replace(LAWSUITS, '{{litigation.lawsuits?未发生行政诉讼案件:行政诉讼{}，出庭率{{litigation.appearance_rate}}}}')
        .replace(APPEARANCES, '机关负责人出庭{{litigation.leader_appearances}}，出庭率{{litigation.appearance_rate}}。'),
    (j) => (j['tableOnly'] = []),
  );

interface RunOutput {
  readonly narrative: string;
  readonly title: string;
  /** The paragraphs of report-<year>.docx with their XML. */
  readonly docx: { xml: string; text: string }[];
  /** 报告正文, one cell a row. */
  readonly sheetText: string[];
  /** 指标汇总 rows by 指标编码. */
  readonly indicators: Map<string, unknown[]>;
}

/** 司法所 owing only its 应诉台账: a real run of `pack` for `year` on those rows. */
async function runTown(name: string, pack: string, year: number, rows: (string | Date | null)[][]): Promise<RunOutput> {
  const dir = join(TMP, name);
  const inbox = join(dir, 'inbox');
  await mkdir(join(inbox, 'justice'), { recursive: true });
  await writeLitigation(inbox, rows);
  const configFile = join(dir, 'config.json');
  await writeTownConfig(configFile, {
    district: '大兴区',
    year,
    pack,
    departments: [{ code: 'justice', name: '司法所', email: 'sifasuo@anding.example.gov.cn', owes: ['litigation'] }],
  });
  const out = join(dir, 'out');
  const summary = await runPipeline({ config: loadConfig(configFile), inbox, out, dbPath: join(out, 'tally.duckdb'), now: () => new Date(`${year + 1}-01-10T02:00:00Z`) });
  const zip = await JSZip.loadAsync(await readFile(join(out, `report-${year}.docx`)));
  const xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
  const docx = [...xml.matchAll(/<w:p[\s>][\s\S]*?<\/w:p>/g)].map((m) => ({
    xml: m[0],
    text: [...m[0].matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(''),
  }));
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(join(out, `report-${year}.xlsx`));
  const sheetText: string[] = [];
  workbook.getWorksheet('报告正文')?.eachRow((row) => sheetText.push(String(row.getCell(1).value)));
  const indicators = new Map<string, unknown[]>();
  workbook.getWorksheet('指标汇总')?.eachRow((row, r) => {
    const values = (row.values as unknown[]).slice(1);
    if (r > 1) indicators.set(String(values[1]), values);
  });
  return { narrative: summary.report.narrative, title: summary.report.title, docx: docx.filter((p) => p.text !== ''), sheetText, indicators };
}

const d = (y: number, m: number, day: number) => new Date(Date.UTC(y, m - 1, day));

let run2020: RunOutput;
let run2021: RunOutput;

beforeAll(async () => {
  const pack = nestedPack();
  // 2020: 2 行政诉讼 (a leader at one of them) and 1 行政复议.
  run2020 = await runTown('nested-2020', pack, 2020, [
    ['（2020）京0115行初1号', '行政诉讼', d(2020, 3, 2), '拆除', '是', '张镇长', '驳回'],
    ['（2020）京0115行初2号', '行政诉讼', d(2020, 5, 6), '征收', '否', null, '维持'],
    ['京兴复〔2020〕3号', '行政复议', d(2020, 7, 1), '处罚', null, null, '维持'],
  ]);
  // 2021, the same pack: 2 行政复议 and no 行政诉讼, so 出庭率 has a denominator of 0.
  run2021 = await runTown('no-lawsuits-2021', pack, 2021, [
    ['京兴复〔2021〕1号', '行政复议', d(2021, 4, 2), '处罚', null, null, '维持'],
    ['京兴复〔2021〕2号', '行政复议', d(2021, 9, 9), '强制', null, null, '撤销'],
  ]);
}, 180_000);

afterAll(() => rm(TMP, { recursive: true, force: true }));

describe('placeholders nested in a conditional’s texts', () => {
  it('pass pack check when the outer code is named nowhere else', async () => {
    const problems = await checkPack(nestedPack());
    expect(errors(problems)).toEqual([]);
  });

  it('render the inner figure inside the outer one’s non-zero text, with no {{ left', () => {
    expect(run2020.narrative).toContain('其中行政复议1件，行政诉讼2件，出庭率50%；');
    expect(run2020.narrative).not.toMatch(/\{\{|\}\}/);
    expect(run2020.sheetText.join('\n')).toContain('行政诉讼2件，出庭率50%');
    expect(run2020.docx.some((p) => p.text.includes('行政诉讼2件，出庭率50%'))).toBe(true);
  });

  it('take the zero text when the outer figure is 0', () => {
    expect(run2021.narrative).toContain('其中行政复议2件，未发生行政诉讼案件；');
    expect(run2021.narrative).not.toMatch(/\{\{|\}\}/);
  });

  it('may hold placeholders in the zero text too, to any depth', () => {
    const figures = new Map<string, NarrativeFigure>([
      ['a.lawsuits', { value: 0, wording: '0件', name: '行政诉讼' }],
      ['a.reconsiderations', { value: 2, wording: '2件', name: '行政复议' }],
      ['a.corrected', { value: 1, wording: '1件', name: '复议纠错' }],
    ]);
    const template = '{year}年{{a.lawsuits?无诉讼，复议{{a.reconsiderations?无:{}，纠错{{a.corrected?无:{}}}}}:诉讼{}}}。';
    expect(renderNarrative(template, figures, templateValues({ year: 2021, town: '魏善庄镇', district: '大兴区' })).text).toBe('2021年无诉讼，复议2件，纠错1件。');
  });

  it('fails pack check, naming the line, when a placeholder cannot be read', async () => {
    const dir = townPack((t) => t.replace(LAWSUITS, '{{litigation.lawsuits?未发生行政诉讼案件}}'));
    const found = errors(await checkPack(dir));
    expect(found).toHaveLength(1);
    expect(found[0]?.file).toMatch(/template\.txt$/);
    expect(found[0]?.key).toBe(`第${lineOf(dir, '未发生行政诉讼案件}}')}行`);
    expect(found[0]?.message).toContain('缺少分隔两段文字的半角冒号');
  });

  it('fails pack check, naming the line, for an unknown code nested inside', async () => {
    const dir = townPack((t) => t.replace(LAWSUITS, '{{litigation.lawsuits?未发生行政诉讼案件:行政诉讼{}，出庭率{{litigation.appearence_rate}}}}'));
    const found = errors(await checkPack(dir));
    expect(found.map((p) => p.message)).toEqual([`第${lineOf(dir, 'appearence_rate')}行的占位符 {{litigation.appearence_rate}} 没有对应的指标或派生指标（pack.json 中没有这个编码）`]);
  });
});

describe('a share whose denominator is 0', () => {
  it('is warned of by pack check when written without a zero text, with the line and the way to write it', async () => {
    const dir = nestedPack();
    const found = warnings(await checkPack(dir)).filter((p) => p.message.includes('分母为0'));
    expect(found.map((p) => p.key)).toEqual([`第${lineOf(dir, '出庭{{litigation.leader_appearances}}，出庭率')}行`]);
    expect(found[0]?.message).toContain('行政诉讼为 0 时正文会印出“【分母为0：出庭率】”');
    expect(found[0]?.message).toContain('{{litigation.appearance_rate?行政诉讼为0时的文字:出庭率{}}}');
  });

  it('prints 【分母为0：…】, highlighted in the .docx, where written unconditionally', () => {
    expect(run2021.narrative).toContain('机关负责人出庭0次，出庭率【分母为0：出庭率】。');
    expect(run2021.narrative).not.toContain('无法统计');
    const p = run2021.docx.find((x) => x.text.includes('【分母为0：出庭率】'));
    expect(p?.xml).toMatch(/<w:highlight w:val="yellow"\/>[\s\S]*?<w:t[^>]*>【分母为0：出庭率】<\/w:t>/);
  });

  it('says 分母为0 in 指标汇总’s 报告表述 rather than leaving the cell empty', () => {
    const row = run2021.indicators.get('litigation.appearance_rate');
    expect(row?.[4] ?? null).toBeNull();
    expect(row?.[6]).toBe('分母为0（行政诉讼为0，不计算出庭率）');
    // 2020's 50% is written as a share, as before.
    expect(run2020.indicators.get('litigation.appearance_rate')?.[6]).toBe('50%');
  });

  it('takes the conditional’s zero text, and writes a share of 0% as 0%', () => {
    const template = '{{x.rate?未发生行政诉讼:出庭率{}}}';
    const values = templateValues({ year: 2021, town: '安定镇', district: '大兴区' });
    const zeroBase = new Map<string, NarrativeFigure>([['x.rate', { value: null, wording: null, name: '出庭率', ratio: true, zeroDenominator: true }]]);
    const none = new Map<string, NarrativeFigure>([['x.rate', { value: 0, wording: '0%', name: '出庭率', ratio: true }]]);
    expect(renderNarrative(template, zeroBase, values).text).toBe('未发生行政诉讼');
    expect(renderNarrative(template, none, values).text).toBe('出庭率0%');
  });
});

describe('the report text follows the configured year', () => {
  it('prints one title, pack.json’s, in the .docx and in 报告正文, when the template’s first line names another year', () => {
    expect(run2021.title).toBe(TITLE_2021);
    expect(run2021.docx[0]?.text).toBe(TITLE_2021);
    expect(run2021.docx.filter((p) => p.text.includes('年度法治政府建设年度情况报告'))).toHaveLength(1);
    expect(run2021.sheetText[0]).toBe(TITLE_2021);
    expect(run2021.sheetText.filter((t) => t.includes('年度法治政府建设年度情况报告'))).toHaveLength(1);
    expect(run2021.narrative.startsWith(`${TITLE_2021}\n\n`)).toBe(true);
  });

  it('writes {year} as the configured year wherever the bundled template means the report’s own', () => {
    expect(run2021.narrative).toContain('2021年我镇参与行政复议、诉讼案件共计2件');
    expect(run2021.narrative).not.toMatch(/2020年我镇|2020年度/);
    expect(run2021.narrative).toContain('制定北京市大兴区安定镇人民政府重大执法决定法制审核');
    // Dated facts stay as the pack author wrote them, for them to edit.
    expect(run2021.narrative).toContain('2020年8月全市首个市民诉求综合服务中心在我镇成立');
    expect(run2020.narrative).toContain('2020年我镇参与行政复议、诉讼案件共计3件');
  });

  it('warns, with --config of another year, of each year the template writes out as the report’s own', async () => {
    const dir = townPack((t) => t.replace('{district}{town}{year}年度法治政府建设年度情况报告', TITLE_2020).replaceAll('{year}年我镇', '2020年我镇'));
    const roster = { file: join(TMP, 'config.json'), departments: [], settings: { year: 2021, town: '安定镇', district: '大兴区' } };
    const found = warnings(await checkPack(dir, roster));
    const titleLine = lineOf(dir, TITLE_2020);
    expect(found.filter((p) => p.key === `第${titleLine}行`).map((p) => p.message)).toEqual([
      `正文第一行“${TITLE_2020}”是标题，但与 pack.json 的 title（${TITLE_2021}）不同。报告只印一个标题，以 pack.json 的 title 为准，这一行不会印出；请把它改成与 title 相同的写法（可用 {district}{town}{year}），以免两处不一致`,
      '写的是“2020年度”，而配置的年度是 2021：如指本报告的年度，请改写为“{year}年度”（{year} 按配置填写）；如确指那一年，可不改',
    ]);
    expect(found.filter((p) => p.message.startsWith('写的是“2020年我镇”'))).toHaveLength(5);
    // Not the dated 2020年8月, and nothing for the bundled pack, whose template says {year}.
    expect(found.some((p) => p.key === `第${lineOf(dir, '2020年8月')}行`)).toBe(false);
    expect(warnings(await checkPack(BUNDLED, roster))).toEqual([]);
  });

  it('writes {nextYear} as the year after, and warns of next year written out, naming {nextYear}', async () => {
    const values = templateValues({ year: 2022, town: '城东街道', district: '临江县' });
    expect(renderNarrative('{nextYear}年，街道将持续深化法治政府建设。', new Map(), values).text).toBe('2023年，街道将持续深化法治政府建设。');
    const dir = townPack((t) => `${t}\n2023年，镇将持续深化法治政府建设。\n`);
    const roster = { file: join(TMP, 'config.json'), departments: [], settings: { year: 2022, town: '安定镇', district: '大兴区' } };
    const found = warnings(await checkPack(dir, roster)).filter((p) => p.message.includes('2023年'));
    expect(found.map((p) => p.message)).toEqual([
      '写的是“2023年，镇”，而配置的年度是 2022：如指下一年度（下一年度的工作安排），请改写为“{nextYear}年，镇”（{nextYear} 是配置年度的下一年）；如指本报告的年度，请改写为“{year}年，镇”；如确指那一年，可不改',
    ]);
    const withVariable = townPack((t) => `${t}\n{nextYear}年，镇将持续深化法治政府建设。\n`);
    expect(errors(await checkPack(withVariable, roster)).filter((p) => p.file.endsWith('template.txt'))).toEqual([]);
  });
});
