/**
 * Writes the report text (报告正文) as a Word document `report-<year>.docx`, ready for the office
 * to edit and publish: laid out as a government report is (GB/T 9704 in spirit): the title
 * centred, 一、 headings in 黑体, （一） headings in 楷体, body paragraphs in 仿宋 三号 with a two-character
 * first-line indent and 28-point lines. Headings are Word headings, so the navigation pane lists
 * them. A 【缺报：…】, 【无法统计：…】, 【分母为0：…】, 【无上年数据：…】 or 【上年为0：…】 marker is
 * highlighted so nobody publishes it by mistake.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  AlignmentType,
  Document,
  Footer,
  HeadingLevel,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  TextRun,
  type IRunOptions,
} from 'docx';
import type { ReportData } from './report-data.ts';

/** Sizes in half-points: 二号 22pt, 三号 16pt. */
const TITLE_SIZE = 44;
const BODY_SIZE = 32;
/** Exact line height of 28pt, in twentieths of a point. */
const LINE = 560;
/** Two characters of 三号 (2 × 16pt), in twentieths of a point. */
const INDENT = 640;
const MM = 56.7;

const FONTS = {
  title: { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '宋体' },
  heading1: { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '黑体' },
  heading2: { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '楷体' },
  body: { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '仿宋' },
} as const;

/** What a paragraph of the report text is, by how it starts. */
export type ParagraphKind = 'title' | 'heading1' | 'heading2' | 'body';

const HEADING1 = /^[一二三四五六七八九十]+、/;
const HEADING2 = /^[（(][一二三四五六七八九十]+[）)]/;
/** Markers nobody may publish: 缺报, 无法统计, 分母为0, 无上年数据, 上年为0, and a template’s 未知指标 or 模板错误. */
const MISSING = /(【(?:缺报|无法统计|分母为0|无上年数据|上年为0|未知指标|模板错误)：[^】]*】)/;

/**
 * The kind of one paragraph (not the title): `一、…` is a heading, `（一）…` a subheading when it
 * stands alone; `（一）进一步加强执法规范化建设。全面落实…` is a body paragraph led by its heading.
 */
export function paragraphKind(text: string): Exclude<ParagraphKind, 'title'> {
  if (HEADING1.test(text)) return 'heading1';
  if (HEADING2.test(text) && !runInHeading(text)) return 'heading2';
  return 'body';
}

/** `（一）进一步加强执法规范化建设。全面落实…`: the heading and the text after it, or null. */
function runInHeading(text: string): { heading: string; rest: string } | null {
  if (!HEADING2.test(text)) return null;
  const stop = text.indexOf('。');
  if (stop < 0 || stop === text.length - 1) return null;
  return { heading: text.slice(0, stop + 1), rest: text.slice(stop + 1) };
}

/** The narrative's paragraphs (split at blank lines), without the title when it starts with it. */
export function narrativeParagraphs(title: string, narrative: string): string[] {
  const paragraphs = narrative
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (paragraphs[0] === title.trim()) paragraphs.shift();
  return paragraphs;
}

/**
 * The Word document of a report text, as bytes.
 *
 * @example
 * const bytes = await narrativeDocument('安定镇2020年度法治政府建设年度情况报告', '一、推进…\n\n全年公示执法信息280余项。');
 */
export async function narrativeDocument(title: string, narrative: string, meta: { creator?: string } = {}): Promise<Buffer> {
  const children = [
    new Paragraph({
      heading: HeadingLevel.TITLE,
      alignment: AlignmentType.CENTER,
      spacing: { before: 0, after: LINE, line: 700, lineRule: LineRuleType.EXACT },
      children: [new TextRun({ text: clean(title), font: FONTS.title, size: TITLE_SIZE, bold: true })],
    }),
    ...narrativeParagraphs(title, narrative).map(paragraph),
  ];
  const doc = new Document({
    creator: meta.creator ?? 'tally',
    title: clean(title),
    styles: {
      default: {
        document: { run: { font: FONTS.body, size: BODY_SIZE }, paragraph: { spacing: { line: LINE, lineRule: LineRuleType.EXACT } } },
        title: { run: { font: FONTS.title, size: TITLE_SIZE, bold: true, color: '000000' } },
        heading1: { run: { font: FONTS.heading1, size: BODY_SIZE, bold: false, color: '000000' }, paragraph: { indent: { firstLine: INDENT } } },
        heading2: { run: { font: FONTS.heading2, size: BODY_SIZE, bold: false, italics: false, color: '000000' }, paragraph: { indent: { firstLine: INDENT } } },
      },
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: Math.round(210 * MM), height: Math.round(297 * MM) },
            margin: { top: Math.round(37 * MM), bottom: Math.round(35 * MM), left: Math.round(28 * MM), right: Math.round(26 * MM) },
          },
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: FONTS.body, size: 28 })],
              }),
            ],
          }),
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/**
 * Writes `report-<year>.docx`: the title and the filled 报告正文 of the run.
 *
 * @example
 * await writeReportDocx(data, 'out/report-2020.docx');
 */
export async function writeReportDocx(data: ReportData, path: string): Promise<void> {
  const bytes = await narrativeDocument(data.title, data.narrative);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
}

function paragraph(text: string): Paragraph {
  const kind = paragraphKind(text);
  const base = {
    spacing: { line: LINE, lineRule: LineRuleType.EXACT },
    indent: { firstLine: INDENT },
  };
  if (kind === 'heading1') return new Paragraph({ ...base, heading: HeadingLevel.HEADING_1, children: runs(text, FONTS.heading1) });
  if (kind === 'heading2') return new Paragraph({ ...base, heading: HeadingLevel.HEADING_2, children: runs(text, FONTS.heading2) });
  const lead = runInHeading(text);
  return new Paragraph({
    ...base,
    alignment: AlignmentType.JUSTIFIED,
    children: lead === null ? runs(text, FONTS.body) : [...runs(lead.heading, FONTS.heading2), ...runs(lead.rest, FONTS.body)],
  });
}

/** Text runs of one font; a 【缺报：…】, 【无法统计：…】 or 【分母为0：…】 marker gets a yellow highlight. */
function runs(text: string, font: IRunOptions['font']): TextRun[] {
  return clean(text)
    .split(MISSING)
    .filter((part) => part !== '')
    .map((part) => new TextRun({ text: part, font, size: BODY_SIZE, ...(MISSING.test(part) ? { highlight: 'yellow' } : {}) }));
}

/** XML-illegal control characters dropped; line breaks inside a paragraph folded to nothing. */
function clean(text: string): string {
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '').replace(/\r?\n/g, '');
}
