/**
 * What a marked copy says, whichever way it is made (the package patcher for an .xlsx, an
 * exceljs workbook for an .xls or a CSV): fills, note texts, the 问题说明 sheet's layout.
 */
import type { Finding, Level } from '../../pipeline/kernel/findings/findings.ts';

/** Fill colours of a marked cell, by the worst level of its findings (Excel's 差/中性 styles). */
export const MARK_FILLS: Readonly<Record<Level, string>> = { 错误: 'FFFFC7CE', 警告: 'FFFFEB9C' };

/** The first sheet of a marked copy when some findings have no cell to point at. */
export const NOTES_SHEET = '问题说明';

/** At most this many cells are marked for one range finding (a merged title, a whole row). */
export const MAX_CELLS_PER_FINDING = 200;

/** 问题说明's columns and their widths. */
export const NOTES_HEADERS = ['序号', '级别', '规则编码', '工作表', '单元格', '说明', '期望', '实际'] as const;
export const NOTES_WIDTHS = [6, 8, 22, 12, 8, 60, 24, 24] as const;

/** A 问题说明 row's values: number, then texts (null: an empty cell). */
export function notesRow(f: Finding, n: number): [number, ...(string | null)[]] {
  return [n + 1, f.level, f.code, f.sheet, f.cell, f.message, f.expected, f.actual];
}

/** The last line of 问题说明 when findings past the cap were not marked. */
export function omittedLine(marked: number, omitted: number): string {
  return `本副本只标注了前 ${marked.toLocaleString('en-US')} 处问题，另有 ${omitted.toLocaleString('en-US')} 处未标注，完整清单见问题清单（CSV）。`;
}

/** The worst level of a cell's findings. */
export function worst(findings: readonly Finding[]): Level {
  return findings.some((f) => f.level === '错误') ? '错误' : '警告';
}

/** The text of a note: one paragraph per finding, with 期望/实际. */
export function noteText(findings: readonly Finding[]): string {
  return findings
    .map((f) => {
      const lines = [`【${f.level}】${f.message}`];
      if (f.expected !== null) lines.push(`期望：${f.expected}`);
      if (f.actual !== null) lines.push(`实际：${f.actual}`);
      return lines.join('\n');
    })
    .join('\n\n');
}

/** A cell's note: the findings, then the note it had (`原批注：`). */
export function fullNote(findings: readonly Finding[], before: string | null): string {
  return `${noteText(findings)}${before === null ? '' : `\n\n原批注：${before}`}`;
}
