/**
 * What a reader hands on: the cells of one sheet as the file holds them, before any
 * interpretation. xlsx and CSV readers both produce this, so everything after reading is
 * format-blind.
 */

/** A cell value as stored: text, number, boolean, or a date the file typed as a date. */
export type RawValue = string | number | boolean | Date | null;

export interface RawCell {
  /** The value (for a formula: its cached result; null when there is none). */
  readonly value: RawValue;
  /** An error value such as `#DIV/0!` or `#REF!` (from a formula or typed into the cell). */
  readonly error?: string;
  /** True when the cell holds a formula (value is then the cached result). */
  readonly formula?: boolean;
  /**
   * True for a formula whose stored result the file itself says was never calculated (the
   * workbook asks to recalculate everything on opening: XlsxWriter's placeholder 0). Its value
   * is then null and its error absent, as for a formula saved without a result.
   */
  readonly uncalculated?: boolean;
}

export interface RawRow {
  /** 1-based row number as in the file. */
  readonly rowNumber: number;
  readonly hidden: boolean;
  /** cells[0] is column A; undefined for an empty cell. */
  readonly cells: readonly (RawCell | undefined)[];
}

export interface RawSheet {
  readonly name: string;
  /** Hidden or very hidden in the workbook. */
  readonly hidden: boolean;
  /** Very hidden: Excel's 取消隐藏 does not list it (absent: not very hidden). */
  readonly veryHidden?: boolean;
  /** Its workbook counts dates from 1904 ({@link SheetStream.date1904}; absent: from 1900). */
  readonly date1904?: boolean;
  /** Rows in ascending order; rows with no cells may be omitted. */
  readonly rows: readonly RawRow[];
  /** Merged ranges in A1 notation (`A1:F1`), top-left cell holding the value. */
  readonly merges: readonly string[];
  /** Set when a read limit cut the sheet short: what was left out (a finding, never silent). */
  readonly truncated?: SheetTruncation;
}

/**
 * A sheet as it streams in: what is known before its rows (name, visibility, merged ranges),
 * then its rows in batches, then what the limits cut. Readers produce this so that a sheet of
 * any length is read in bounded memory; {@link RawSheet} is the same sheet collected.
 */
export interface SheetStream {
  readonly name: string;
  readonly hidden: boolean;
  readonly veryHidden?: boolean;
  /**
   * Its workbook counts dates from 1904 (`<workbookPr date1904="1"/>`, BIFF's DATEMODE): a date
   * cell's value is already the date it shows, but serial 0 there is 1904-01-01, which a formula
   * mirroring an empty cell gives (sheets/read-cell.ts). Absent: the 1900 calendar.
   */
  readonly date1904?: boolean;
  readonly merges: readonly string[];
  /** The rows in ascending order, a batch at a time; iterate once. */
  rows(): AsyncIterable<readonly RawRow[]>;
  /** Once the rows are read: what the limits left out, if anything. */
  truncation(): SheetTruncation | undefined;
  /**
   * What the reader found wrong at cells so far and not yet taken (each call hands them over
   * once): a CSV's stray quote or bytes not valid in its encoding. Readers with nothing to say
   * leave it out.
   */
  notes?(): readonly ReadNote[];
}

/**
 * A cell the reader could read only in part or by a guess, for a finding at that cell: the
 * value is kept (the row still counts), the clerk is asked to check it.
 */
export interface ReadNote {
  /** `cell.encoding` (bytes not valid in the file's encoding), `cell.stray_quote` (a CSV quote read as text). */
  readonly code: 'cell.encoding' | 'cell.stray_quote';
  /** The A1 address of the cell. */
  readonly cell: string;
  /** Plain Chinese: what was read, why it may be wrong, what to do. */
  readonly message: string;
  /** The value as read. */
  readonly actual: string;
}

/** A whole sheet as a stream of one batch. */
export function streamOf(sheet: RawSheet): SheetStream {
  return {
    name: sheet.name,
    hidden: sheet.hidden,
    ...(sheet.veryHidden === true ? { veryHidden: true } : {}),
    ...(sheet.date1904 === true ? { date1904: true } : {}),
    merges: sheet.merges,
    async *rows() {
      yield sheet.rows;
    },
    truncation: () => sheet.truncated,
  };
}

/** Collects a streamed sheet (for small sheets and tests; the pipeline streams). */
export async function collect(stream: SheetStream): Promise<RawSheet> {
  const rows: RawRow[] = [];
  for await (const batch of stream.rows()) for (const r of batch) rows.push(r);
  const truncated = stream.truncation();
  return {
    name: stream.name,
    hidden: stream.hidden,
    ...(stream.veryHidden === true ? { veryHidden: true } : {}),
    ...(stream.date1904 === true ? { date1904: true } : {}),
    rows,
    merges: stream.merges,
    ...(truncated === undefined ? {} : { truncated }),
  };
}

/**
 * What {@link ReadLimits} left out of a sheet: rows past `maxRowsPerSheet`, cells past
 * `maxColumns`. Each part is there only when something was dropped.
 *
 * @example
 * { rows: { limit: 1_048_576, count: 3, first: 1_048_577 } }
 */
export interface SheetTruncation {
  readonly rows?: { readonly limit: number; readonly count: number; readonly first: number };
  readonly columns?: { readonly limit: number; readonly cells: number; readonly first: string };
}

/** Counts what a reader drops at the limits, for {@link RawSheet.truncated}. */
export class TruncationCounter {
  #rows: { limit: number; count: number; first: number } | undefined;
  #columns: { limit: number; cells: number; first: string } | undefined;
  constructor(private readonly limits: Pick<ReadLimits, 'maxRowsPerSheet' | 'maxColumns'>) {}

  /** A row with content past the row limit (`count` rows from it, for a row the file repeats). */
  droppedRow(rowNumber: number, count = 1): void {
    if (this.#rows === undefined) this.#rows = { limit: this.limits.maxRowsPerSheet, count: 0, first: rowNumber };
    this.#rows.count += count;
  }

  /** A cell with content past the column limit (0-based column; `count` cells, for a repeated one). */
  droppedCell(column: number, rowNumber: number, count = 1): void {
    if (this.#columns === undefined) this.#columns = { limit: this.limits.maxColumns, cells: 0, first: address(column, rowNumber) };
    this.#columns.cells += count;
  }

  /** The truncation to put on the sheet, or nothing when all was read. */
  result(): { truncated?: SheetTruncation } {
    if (this.#rows === undefined && this.#columns === undefined) return {};
    return { truncated: { ...(this.#rows && { rows: this.#rows }), ...(this.#columns && { columns: this.#columns }) } };
  }
}

/** Raised by a reader when the file cannot be read at all; the message is Chinese, for the finding. */
export class UnreadableFileError extends Error {
  override readonly name = 'UnreadableFileError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A file one of whose cells holds what no workbook writes there: taken as damaged, the cell named. */
export function damagedCellError(sheet: string, cell: string, reason: string, cause: Error): UnreadableFileError {
  return new UnreadableFileError(
    `工作表“${sheet}”${cell} 单元格的内容无法识别（${reason}），文件可能已损坏。请在 Excel 中打开、另存为新的 .xlsx 后再报送`,
    { cause },
  );
}

/** Limits applied to every file read. */
export interface ReadLimits {
  /** Largest accepted file, in bytes (default 50 MB). */
  readonly maxFileBytes: number;
  /** Largest total of uncompressed zip entries, in bytes (zip-bomb guard). */
  readonly maxInflatedBytes: number;
  /** Stop reading a sheet after this many rows (the rest is a finding, not silent). */
  readonly maxRowsPerSheet: number;
  readonly maxColumns: number;
}

export const DEFAULT_LIMITS: ReadLimits = {
  maxFileBytes: 50 * 1024 * 1024,
  maxInflatedBytes: 1024 * 1024 * 1024,
  maxRowsPerSheet: 1_048_576,
  maxColumns: 16_384,
};

/** Column index (0-based) to letters: 0 -> A, 27 -> AB. */
export function columnLetters(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** A1 address from a 0-based column index and a 1-based row number. */
export function address(columnIndex: number, rowNumber: number): string {
  return `${columnLetters(columnIndex)}${rowNumber}`;
}

/** Parses `B7` to { column: 1, row: 7 }. */
export function parseAddress(a1: string): { column: number; row: number } {
  const m = /^([A-Z]+)(\d+)$/.exec(a1.replace(/\$/g, '').toUpperCase());
  if (!m || m[1] === undefined || m[2] === undefined) throw new Error(`not an A1 address: ${a1}`);
  let col = 0;
  for (const ch of m[1]) col = col * 26 + (ch.charCodeAt(0) - 64);
  return { column: col - 1, row: Number(m[2]) };
}
