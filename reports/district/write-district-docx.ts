/**
 * `district-<year>.docx`: the district's summary for its report — who reported, the district's
 * figures, the questions — and the dashboard's charts as pictures. The charts are the same SVG,
 * rasterized to PNG by resvg (a Rust renderer shipped in its npm package: offline, no browser),
 * because Word's SVG support needs a PNG fallback anyway and WPS shows only the PNG.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { AlignmentType, Document, HeadingLevel, ImageRun, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import type { DistrictData } from '../../pipeline/district/district-data.ts';
import type { NamedChart } from './district-charts.ts';
import { totalShown } from './district-cells.ts';

const FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '仿宋' };
/** Width of a chart on an A4 page with 2.6 cm margins, in pixels at 96 dpi. */
const PAGE_PX = 600;

/** SVG → PNG at twice the size (sharp on paper), with the machine's Chinese fonts. */
export function svgToPng(svg: string): { png: Buffer; width: number; height: number } {
  const rendered = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: 2 },
    font: { loadSystemFonts: true, defaultFontFamily: 'WenQuanYi Micro Hei', sansSerifFamily: 'WenQuanYi Micro Hei' },
    background: 'white',
  }).render();
  return { png: rendered.asPng(), width: rendered.width / 2, height: rendered.height / 2 };
}

function text(t: string, opts: { bold?: boolean; size?: number } = {}): TextRun {
  return new TextRun({ text: t, font: FONT, size: opts.size ?? 28, bold: opts.bold ?? false });
}

export async function writeDistrictDocx(data: DistrictData, charts: readonly NamedChart[], path: string): Promise<void> {
  const late = data.towns.filter((t) => t.status === '逾期').map((t) => t.town);
  const missing = data.towns.filter((t) => t.status === '缺报').map((t) => t.town);
  const flagged = data.anomalies.filter((a) => a.flagged);
  const name = new Map(data.figures.map((f) => [f.code, f.name]));
  const p = (t: string) => new Paragraph({ children: [text(t)], indent: { firstLine: 560 }, spacing: { line: 480 } });
  const figureRows = data.figures.map((f) => {
    const t = data.totals.get(f.code);
    const cells = [f.name, String(totalShown(t)), f.unit, `${t?.towns ?? 0}/${data.towns.length}`, t?.previous === null || t?.previous === undefined ? '' : String(t.previous)];
    return new TableRow({ children: cells.map((c) => new TableCell({ children: [new Paragraph({ children: [text(c, { size: 21 })] })] })) });
  });
  const header = new TableRow({
    tableHeader: true,
    children: ['指标', '全区', '单位', '计入街镇', '上年'].map((c) => new TableCell({ children: [new Paragraph({ children: [text(c, { size: 21, bold: true })] })] })),
  });
  const chartParagraphs = charts.flatMap((c) => {
    const { png, width, height } = svgToPng(c.svg);
    const scale = Math.min(1, PAGE_PX / width);
    return [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [new ImageRun({ type: 'png', data: png, transformation: { width: Math.round(width * scale), height: Math.round(height * scale) }, altText: { name: c.id, description: c.title, title: c.title } })],
      }),
      new Paragraph({ alignment: AlignmentType.CENTER, children: [text(c.title, { size: 21 })] }),
    ];
  });
  const doc = new Document({
    creator: 'tally',
    title: `${data.district}${data.year}年度法治政府建设指标汇总`,
    sections: [
      {
        children: [
          new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, children: [text(`${data.district}${data.year}年度法治政府建设指标汇总`, { bold: true, size: 36 })] }),
          new Paragraph({ heading: HeadingLevel.HEADING_1, children: [text('一、报送情况', { bold: true })] }),
          p(`应报 ${data.towns.length} 个街镇，已报 ${data.towns.length - late.length - missing.length} 个${late.length > 0 ? `，逾期 ${late.length} 个（${late.join('、')}）` : ''}${missing.length > 0 ? `，缺报 ${missing.length} 个（${missing.join('、')}）` : ''}${data.deadline === null ? '' : `，截止日期 ${data.deadline}`}。`),
          new Paragraph({ heading: HeadingLevel.HEADING_1, children: [text('二、全区指标', { bold: true })] }),
          p('全区数值为有该指标数值的街镇之和；比率由各街镇分项之和重新计算，不取平均；缺报、无法统计、无法读取、无此指标、未报送的街镇不计入。'),
          new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [header, ...figureRows] }),
          new Paragraph({ heading: HeadingLevel.HEADING_1, children: [text('三、需核实的问题', { bold: true })] }),
          ...(flagged.length === 0 ? [p('无。')] : flagged.slice(0, 60).map((a) => p(`${a.town}·${name.get(a.code) ?? a.code}（${a.kind}）：${a.note}`))),
          ...(flagged.length > 60 ? [p(`另有 ${flagged.length - 60} 条，见 district-${data.year}.xlsx 的“异常”工作表。`)] : []),
          new Paragraph({ heading: HeadingLevel.HEADING_1, children: [text('四、图表', { bold: true })] }),
          ...chartParagraphs,
        ],
      },
    ],
  });
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, await Packer.toBuffer(doc));
}
