/**
 * Findings are data: what is wrong with a department's submission, where, and what to do.
 * The vocabularies are `const` arrays so the compiler and the validators share one list.
 */

export const LEVELS = ['错误', '警告'] as const;
export type Level = (typeof LEVELS)[number];

/** Check codes of contract §4 (规则编码). */
export const CHECK_CODES = [
  'file.unreadable',
  'file.unknown_department',
  'sheet.unrecognized',
  'header.missing_column',
  'header.duplicate_column',
  'cell.required',
  'cell.type',
  'cell.enum',
  'cell.formula_error',
  'cell.out_of_period',
  'row.duplicate_key',
  'row.duplicate',
  'row.date_order',
  'row.rule',
  'sheet.total_mismatch',
  'dept.missing_submission',
  'indicator.bound',
  'indicator.self_reported_mismatch',
  'publicity.cross_department_duplicate',
  // Extensions of the contract (it may be extended, never changed):
  'dept.overlapping_files',
  'sheet.truncated',
  'sheet.multiple_ledgers',
  'header.blank_column',
  'header.unit_mismatch',
  'sheet.hidden',
  // tally verify: a figure of the draft report that the ledgers contradict, or one it cannot place.
  'narrative.figure_mismatch',
  'narrative.unmatched_figure',
  // Year over year: a figure that moved more than the configured share (yoyThreshold) since last year.
  'indicator.yoy_change',
  // CSV cells read only in part: bytes not valid in the file's encoding, a quote read as text.
  'cell.encoding',
  'cell.stray_quote',
  // A column the ledger does not require but a figure reads, absent from a sheet with rows.
  'header.missing_figure_column',
  // A row under the footer (填报人, 审核人, 盖章) holding a case with a required cell empty: not read.
  'row.below_footer',
  // A number not written exactly in the column's terms: an approximation, another measure word, another magnitude.
  'cell.approximate',
  'cell.measure_word',
  'cell.unit_mismatch',
  // One sheet repeating most rows of others of its ledger (a 全年 sheet copying the quarters).
  'sheet.overlapping_sheets',
  // A file in a department's folder that is not read by its name: a backup, a temporary file, a document.
  'file.ignored',
  // An amount merged down over several rows (30 人次 over two villages): counted once, at its top row.
  'cell.merged_amount',
  // A date or number written after Excel's text mark (`'2020-03-05`): read without it.
  'cell.leading_apostrophe',
  // A block of rows pasted again (once or many times) inside one sheet.
  'sheet.pasted_block',
] as const;
export type CheckCode = (typeof CHECK_CODES)[number];

/**
 * The code of a finding: one of contract §4 (built in, {@link CHECK_CODES}), or the code of a
 * report pack's own check (`contract.missing_amount`), declared with its level in the pack.
 */
export type FindingCode = CheckCode | (string & {});

export const LEVEL_OF: Readonly<Record<CheckCode, Level>> = {
  'file.unreadable': '错误',
  'file.unknown_department': '错误',
  'sheet.unrecognized': '警告',
  'header.missing_column': '错误',
  'header.duplicate_column': '错误',
  'cell.required': '错误',
  'cell.type': '错误',
  'cell.enum': '错误',
  'cell.formula_error': '错误',
  'cell.out_of_period': '警告',
  'row.duplicate_key': '错误',
  'row.duplicate': '警告',
  'row.date_order': '错误',
  'row.rule': '错误',
  'sheet.total_mismatch': '错误',
  'dept.missing_submission': '错误',
  'indicator.bound': '错误',
  'indicator.self_reported_mismatch': '错误',
  'publicity.cross_department_duplicate': '警告',
  'dept.overlapping_files': '错误',
  /** A read limit cut the sheet: the rows or cells past it are not counted. */
  'sheet.truncated': '错误',
  /** Two ledgers side by side on one sheet: the first is read, the other is not (no guessing where it ends). */
  'sheet.multiple_ledgers': '错误',
  /** A column with data under a blank header cell (or cells past the header's last column): not read. */
  'header.blank_column': '警告',
  /** A header naming a column in another unit than the ledger's (罚款金额（万元） for 罚款金额(元)): not read. */
  'header.unit_mismatch': '错误',
  /**
   * A hidden (or very hidden) sheet holding a ledger: read and counted like any sheet (contract
   * §1: every sheet), but a draft or a backup kept out of sight would be counted unseen, so the
   * clerk is asked to delete it or show it.
   */
  'sheet.hidden': '警告',
  /** A figure of the draft report (tally verify) that differs from what the ledgers add up to. */
  'narrative.figure_mismatch': '错误',
  /** A figure of the draft report that tally verify cannot tie to an indicator, or cannot check. */
  'narrative.unmatched_figure': '警告',
  /** A figure that changed by more than `yoyThreshold` (default ±50%) against the year before: please confirm. */
  'indicator.yoy_change': '警告',
  /** A cell whose bytes are not valid in the file's encoding (mixed encodings, a file cut short): read with U+FFFD in it. */
  'cell.encoding': '错误',
  /** A CSV quote that does not open and close a field by the rules, read as text (as LibreOffice reads it): please confirm. */
  'cell.stray_quote': '警告',
  /**
   * A sheet without a column its ledger does not require but a figure reads (法制审核日期 for
   * 审核行政处罚案件): its rows are judged as if that column were blank, so the figure may be
   * short. Often the column is there under a name tally does not know (法制审核时间).
   */
  'header.missing_figure_column': '警告',
  /**
   * A row below the table's footer (填报人, 审核人, （盖章）…) that holds a case — two of the
   * ledger's columns or more, a date of the year, a listed value or a number among them — but
   * leaves a required cell empty: it is not read (the footer's lines are not), so the figure is
   * short by it until the clerk moves it above the footer and fills it in.
   */
  'row.below_footer': '错误',
  /**
   * An approximation (`约300`, `280余`, `超过100`, `50左右`): counted as its number, so the figure
   * may be short or over; the clerk is asked for the exact number.
   */
  'cell.approximate': '警告',
  /**
   * A measure word that counts another thing than the column (`3件` or `2场` in 人次, `5人` in
   * 件数): counted as written, but it may count the wrong thing.
   */
  'cell.measure_word': '警告',
  /**
   * An amount in another magnitude than the column's (`3.5万元` in 元, `35000元` in 万元,
   * `2万人次` in 人次): the cell states its own magnitude, so it is counted converted into the
   * column's unit (35000), and the message says to what, asking the clerk to check it and to
   * write the column's unit from now on.
   */
  'cell.unit_mismatch': '警告',
  /**
   * A sheet sharing most of its rows of a ledger with other sheets of the department's files (a
   * 全年 sheet that copies 一季度…四季度): every shared row is counted twice. One finding on the
   * sheet that repeats, naming the sheets it repeats (as dept.overlapping_files does for files);
   * the shared rows are then not reported one by one as row.duplicate / row.duplicate_key.
   */
  'sheet.overlapping_sheets': '错误',
  /**
   * A file in a department's folder that tally does not read, judged by its name: a backup or
   * temporary copy (`.bak`, `.tmp`, `.wbk`, `.xlk`, `…~`), an archive (`.zip`), or a document that
   * is no ledger (Word, PDF, slides, a picture). Never silent: the clerk may have meant it as a
   * submission.
   */
  'file.ignored': '警告',
  /**
   * A number of a column that figures add up (人次, 参与人数, 罚款金额, 标的额: the ledger's
   * number and integer fields) merged down over several rows: one amount for the group, counted
   * once, at the range's top row, not once for every row it covers. Said once per range (at the
   * range, `D6:D7`), so that a clerk who meant the amount for each row splits it row by row.
   */
  'cell.merged_amount': '警告',
  /**
   * A date, number or choice whose text starts with an apostrophe (`'2020-03-05` in a CSV):
   * Excel shows it and takes the cell as text; read without it, counted, please delete it.
   */
  'cell.leading_apostrophe': '警告',
  /**
   * A block of at least 3 consecutive rows pasted again, once or many times, inside one sheet
   * (pipeline/kernel/db/pasted-blocks.ts): every copied row is counted again. One finding on the
   * sheet naming the block and where its copies are (as sheet.overlapping_sheets does for a sheet
   * copied whole); the copied rows are then not reported one by one as row.duplicate /
   * row.duplicate_key. Two identical rows, or a row repeated here and there, stay row.duplicate.
   */
  'sheet.pasted_block': '错误',
};

export interface Finding {
  readonly level: Level;
  readonly code: FindingCode;
  /** Department code from the roster; null when the file lies outside any department folder. */
  readonly department: string | null;
  /** Path of the file relative to the inbox, e.g. `justice/调解台账.xlsx`. */
  readonly file: string | null;
  readonly sheet: string | null;
  /** An A1 address (`D7`), a row number (`7`), or null when the finding is about a whole file or figure. */
  readonly cell: string | null;
  /** Plain Chinese: what is wrong and what to do. */
  readonly message: string;
  readonly expected: string | null;
  readonly actual: string | null;
  /** Ledger id the finding concerns, when known (drives the indicator 状态). */
  readonly ledger: string | null;
}

/** Builds a finding whose level follows from its code. */
export function finding(
  code: CheckCode,
  at: Pick<Finding, 'department' | 'file'> & Partial<Pick<Finding, 'sheet' | 'cell' | 'ledger' | 'expected' | 'actual'>>,
  message: string,
): Finding {
  return {
    level: LEVEL_OF[code],
    code,
    department: at.department,
    file: at.file,
    sheet: at.sheet ?? null,
    cell: at.cell ?? null,
    message,
    expected: at.expected ?? null,
    actual: at.actual ?? null,
    ledger: at.ledger ?? null,
  };
}

/** Findings of one file, sheet and rule left out of a list: how many, and on which rows. */
export interface OmittedFindings {
  readonly level: Level;
  readonly code: FindingCode;
  readonly department: string | null;
  readonly file: string | null;
  readonly sheet: string | null;
  readonly ledger: string | null;
  readonly count: number;
  /** First and last row number among them (null when they have no row). */
  readonly firstRow: number | null;
  readonly lastRow: number | null;
}

export interface FindingCount {
  readonly department: string | null;
  readonly ledger: string | null;
  readonly level: Level;
  readonly count: number;
}


/** The one line that stands for the findings left out of a list. */
export function omittedLine(o: OmittedFindings): string {
  const rows =
    o.firstRow === null || o.lastRow === null
      ? ''
      : o.firstRow === o.lastRow
        ? `（第 ${thousands(o.firstRow)} 行）`
        : `（第 ${thousands(o.firstRow)}–${thousands(o.lastRow)} 行）`;
  return `同类问题另有 ${thousands(o.count)} 处${rows}，见完整问题清单`;
}

export function thousands(n: number): string {
  return n.toLocaleString('en-US');
}

/** Totals by level, of everything or of one department (`null`: findings outside any department). */
export function levelTotals(counts: readonly FindingCount[], department?: string | null): Record<Level, number> {
  const out: Record<Level, number> = { 错误: 0, 警告: 0 };
  for (const c of counts) if (department === undefined || c.department === department) out[c.level] += c.count;
  return out;
}

