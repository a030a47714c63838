/** What extracting a sheet gives and takes (sheets/extract-sheet.ts), shared by its parts. */
import type { Finding } from '../pipeline/kernel/findings/findings.ts';
import type { DetectedHeader } from './detect-header.ts';
import type { LedgerDef } from './ledger-catalog.ts';
import type { FieldValue } from './read-cell.ts';

export interface ExtractedRow {
  readonly rowNumber: number;
  /** Field id → typed value (null when empty or unreadable). */
  readonly values: Readonly<Record<string, FieldValue | null>>;
  /** Field id → A1 address of the cell it came from. */
  readonly cells: Readonly<Record<string, string>>;
}

/** A 合计 row's claim: the sum of a numeric field, or (field null) the number of rows. */
export interface StatedTotal {
  readonly field: string | null;
  readonly stated: number;
  readonly cell: string;
}

export interface SheetExtraction {
  readonly sheet: string;
  readonly hidden: boolean;
  readonly ledger: LedgerDef | null;
  readonly header: DetectedHeader | null;
  /** The data rows, when read without a sink (with one, they went to it and this is empty). */
  readonly rows: readonly ExtractedRow[];
  /** How many data rows were read. */
  readonly rowCount: number;
  readonly totals: readonly StatedTotal[];
  readonly findings: readonly Finding[];
  /**
   * Labelled columns of the header that name no field of the ledger (咨询人, 备注), 序号 aside:
   * what tally does not read, so two rows equal in what it reads may differ there.
   */
  readonly otherColumns: number;
}

export interface ExtractContext {
  readonly year: number;
  readonly department: string | null;
  readonly file: string;
  /**
   * Where findings go as they are made (a streaming read hands them on with its parts of rows):
   * a sheet with a bad date in each of a million rows never holds a million findings. Without it
   * they are collected in the extraction. Findings made at the end (limits, unrecognised sheet,
   * blank-header columns) are always in the extraction.
   */
  readonly onFinding?: (finding: Finding) => void;
  /** Text a sheet's data rows may hold, in characters (default MAX_SHEET_TEXT_CHARS). */
  readonly maxTextChars?: number;
  /** Characters a sheet's long texts (cells over LONG_TEXT_CHARS) may hold in all (default MAX_SHEET_LONG_TEXT_CHARS). */
  readonly maxLongTextChars?: number;
  /**
   * The sheet's workbook counts dates from 1904 (`SheetStream.date1904`, raw-sheet.ts): its day 0 is
   * 1904-01-01. Set by the extractor from the sheet it reads.
   */
  readonly date1904?: boolean;
}

/** What receives findings as they are made: an array, or a forwarder to {@link ExtractContext.onFinding}. */
export type FindingSink = Pick<Finding[], 'push'>;

/** Where a finding is: the file, sheet and (once its header is known) ledger. */
export type Here = { department: string | null; file: string; sheet: string; ledger?: string };
