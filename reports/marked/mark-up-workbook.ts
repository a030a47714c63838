/**
 * A department's own file, marked up (issue 4, point 3): a copy of the submitted workbook with
 * each offending cell filled (错误 red, 警告 yellow) and a note (Excel comment) saying what is
 * wrong and what to write instead. Everything else of the original stays as it was: an .xlsx is
 * patched as a package (patch-xlsx/: every part the marks do not touch is copied byte for byte,
 * charts, images and pivot tables included); what the patcher cannot handle safely, an .xls and
 * a CSV go through exceljs (the workbook loaded whole, marked, written back; a CSV gets an .xlsx
 * copy of its text). Findings with no cell to point at (about the whole file, or a sheet that
 * cannot be found) are listed on a first sheet, 问题说明.
 *
 * Formulas: the original's own formulas are kept; nothing written here is ever a formula.
 * Every text (notes, the 问题说明 sheet, the CSV's cells) is a string cell, so a department's
 * `=HYPERLINK(…)` is shown, never run.
 */
import { readFile, rm } from 'node:fs/promises';
import type { Finding } from '../../pipeline/kernel/findings/findings.ts';
import { patchXlsx } from './patch-xlsx/patch-xlsx.ts';

export { MARK_FILLS, NOTES_SHEET, noteText } from './marks.ts';

export interface MarkUpInput {
  /** The original bytes as archived (never the inbox file, which may change meanwhile). */
  readonly source: string;
  /** The file's name as submitted (`调解台账.csv`): a CSV's one sheet is named after it. */
  readonly fileName: string;
  /** The findings of this file (at most the marking cap). */
  readonly findings: readonly Finding[];
  /** Findings of this file past the cap: not marked, counted on 问题说明. */
  readonly omitted?: number;
  readonly target: string;
}

export interface MarkUpResult {
  /** Cells filled (each once, however many findings it has). */
  readonly cells: number;
  /** Findings listed on 问题说明 (no cell to mark). */
  readonly listed: number;
}

/**
 * @example
 * await markUpWorkbook({ source: 'out/archive/ab/ab12….xlsx', fileName: '调解台账.xlsx', findings, target: 'out/marked/justice/调解台账.xlsx' });
 */
export async function markUpWorkbook(input: MarkUpInput): Promise<MarkUpResult> {
  const bytes = await readFile(input.source);
  if (isZip(bytes)) {
    try {
      return await patchXlsx(input, bytes);
    } catch {
      // Not patched (PatchFallback, or anything unforeseen): the exceljs round trip makes the copy.
      await rm(input.target, { force: true });
    }
  }
  // exceljs loads here only: a run whose copies are all patched never loads it.
  return (await import('./mark-up-exceljs.ts')).markUpWithExceljs(input, bytes, isZip(bytes));
}

/** A zip package (an .xlsx, or something claiming to be one). */
function isZip(bytes: Buffer): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b;
}
