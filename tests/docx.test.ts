/**
 * The report as a Word document: every run writes report-<year>.docx next to the workbook, with
 * the title centred, the 一、/（一） headings as Word headings and the figures filled in. Read back
 * from the zip's word/document.xml.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoInbox } from '../demo/demo-inbox.ts';
import { loadConfig } from '../pipeline/kernel/config/config.ts';
import { runPipeline, type RunSummary } from '../pipeline/run.ts';
import { docxParagraphs } from '../pipeline/audit/verify-read.ts';
import { narrativeDocument, narrativeParagraphs, paragraphKind } from '../reports/write-report-docx.ts';

const root = join('tests', '.tmp', `docx-${randomBytes(4).toString('hex')}`);
let summary: RunSummary;
let docx: Buffer;
let xml: string;

/** The `<w:p>` elements of document.xml, with their text. */
function paragraphsOf(documentXml: string): { xml: string; text: string }[] {
  return [...documentXml.matchAll(/<w:p[\s>][\s\S]*?<\/w:p>/g)].map((m) => ({
    xml: m[0],
    text: [...m[0].matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(''),
  }));
}

async function documentXml(bytes: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(bytes);
  const text = await zip.file('word/document.xml')?.async('string');
  if (text === undefined) throw new Error('no word/document.xml');
  return text;
}

beforeAll(async () => {
  await mkdir(root, { recursive: true });
  await generateDemoInbox(join(root, 'inbox'));
  summary = await runPipeline({
    config: loadConfig(),
    inbox: join(root, 'inbox'),
    out: join(root, 'out'),
    dbPath: join(root, 'out', 'tally.duckdb'),
    now: () => new Date('2021-03-01T02:00:00Z'),
  });
  docx = await readFile(join(root, 'out', 'report-2020.docx'));
  xml = await documentXml(docx);
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('report-2020.docx of a run', () => {
  it('lies next to the report workbook', () => {
    expect(existsSync(summary.workbook)).toBe(true);
    expect(docx.subarray(0, 2).toString()).toBe('PK');
  });

  it('holds the whole report text, paragraph for paragraph, title first', async () => {
    const expected = [summary.report.title, ...narrativeParagraphs(summary.report.title, summary.report.narrative)];
    expect(await docxParagraphs(docx)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(40);
  });

  it('centres the title and makes it the document title', () => {
    const [title] = paragraphsOf(xml);
    expect(title?.text).toBe('大兴区安定镇2020年度法治政府建设年度情况报告');
    expect(title?.xml).toContain('<w:jc w:val="center"/>');
    expect(title?.xml).toContain('<w:pStyle w:val="Title"/>');
  });

  it('makes 一、 lines headings and （一） lines subheadings, as the seed report has them', () => {
    const style = (text: string) => /<w:pStyle w:val="([^"]+)"\/>/.exec(paragraphsOf(xml).find((p) => p.text === text)?.xml ?? '')?.[1];
    expect(style('一、推进法治政府建设的主要举措和成效')).toBe('Heading1');
    expect(style('五、其他需要报告的情况')).toBe('Heading1');
    expect(style('（一）深化行政执法体制改革，严格规范公正文明执法')).toBe('Heading2');
    expect(style('（三）切实落实行政机关负责人出庭制度')).toBe('Heading2');
    // A body paragraph led by its heading stays a body paragraph, the heading in 楷体.
    const runIn = paragraphsOf(xml).find((p) => p.text.startsWith('（一）进一步加强执法规范化建设。'));
    expect(runIn?.xml).not.toContain('<w:pStyle');
    expect(runIn?.xml).toMatch(/w:eastAsia="楷体"[\s\S]*进一步加强执法规范化建设。[\s\S]*w:eastAsia="仿宋"/);
    const body = paragraphsOf(xml).find((p) => p.text.startsWith('二是发挥人民调解组织作用'));
    expect(body?.xml).toContain('<w:ind w:firstLine="640"/>');
  });

  it('fills in the figures of the run', () => {
    const text = paragraphsOf(xml).map((p) => p.text).join('\n');
    for (const phrase of [
      '全年公示执法信息280余项',
      '审核行政处罚案件200余件',
      '1人顺利通过执法资格考试',
      '2020年我镇未印发行政规范性文件',
      '合法性审查200余份',
      '提供法律意见12件',
      '共计35件，其中行政复议5件，行政诉讼30件',
      '负责人出庭15次',
      '法律咨询1200余人次',
      '共化解矛盾纠纷131件',
      '法律援助业务咨询150余人次',
      '提供法律援助14件',
      '法治宣传活动共计230余次',
      '目前我镇无具有法律职业资格的工作人员',
    ]) {
      expect(text).toContain(phrase);
    }
    expect(text).not.toMatch(/\{\{|\}\}|缺报/);
  });
});

describe('the Word layout of a report text', () => {
  it('tells headings from body paragraphs by how they start', () => {
    expect(paragraphKind('一、推进法治政府建设的主要举措和成效')).toBe('heading1');
    expect(paragraphKind('(二)完善依法决策机制,履行重大行政决策法定程序')).toBe('heading2');
    expect(paragraphKind('（二）进一步落实依法行政工作联席会制度。建立法制部门与业务科室的双向交流机制。')).toBe('body');
    expect(paragraphKind('一是建立健全工作制度，按时完成综合执法改革任务。')).toBe('body');
  });

  it('highlights a 【缺报】 marker so nobody publishes it', async () => {
    const bytes = await narrativeDocument('标题', '标题\n\n为基层群众提供法律咨询【缺报：法律咨询】；');
    const p = paragraphsOf(await documentXml(bytes)).find((x) => x.text.includes('缺报'));
    expect(p?.text).toBe('为基层群众提供法律咨询【缺报：法律咨询】；');
    expect(p?.xml).toMatch(/<w:highlight w:val="yellow"\/>[\s\S]*?<w:t[^>]*>【缺报：法律咨询】<\/w:t>/);
  });
});
