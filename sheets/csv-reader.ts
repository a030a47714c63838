import { createReadStream } from 'node:fs';
import { TextDecoder } from 'node:util';
import { CsvRecordReader, type CsvRecord } from './csv-records.ts';
import {
  DEFAULT_LIMITS,
  TruncationCounter,
  UnreadableFileError,
  address,
  columnLetters,
  type RawCell,
  type RawRow,
  type RawSheet,
  type ReadLimits,
  type ReadNote,
  type SheetStream,
} from './raw-sheet.ts';
import { textFormulaValue } from './text-formula.ts';

export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'gb18030';

/** How many leading bytes decide a CSV's encoding (when it has no BOM). */
export const ENCODING_SNIFF_BYTES = 64 * 1024;

/**
 * The encoding of a CSV file from its first bytes: a BOM when there is one; else UTF-8 when the
 * bytes are valid UTF-8, or overwhelmingly so (at least 10 valid multi-byte characters for each
 * invalid byte), or when the first line holds non-ASCII text that is valid UTF-8; else GB18030
 * (a superset of GBK, which is what Excel on a Chinese Windows writes when it saves "CSV").
 * A UTF-8 file with a few lines pasted in GBK, or cut inside its last character, stays UTF-8:
 * the bad bytes are found at their cells, not the whole file read as mojibake.
 *
 * @param whole true when `head` is the whole file (an incomplete character at its end is then invalid)
 * @example
 * decideEncoding(new Uint8Array([0xc8, 0xd5, 0xc6, 0xda]), true) // 'gb18030' (日期 in GBK)
 */
export function decideEncoding(head: Uint8Array, whole: boolean): TextEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8-bom';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const { valid, invalid, firstLine } = utf8Census(head, whole);
  if (invalid === 0 || firstLine === 'utf-8' || valid >= 10 * invalid) return 'utf-8';
  return 'gb18030';
}

/** Bytes of the BOM an encoding starts with. */
function bomLength(encoding: TextEncoding): number {
  return encoding === 'utf-8-bom' ? 3 : encoding === 'utf-16le' || encoding === 'utf-16be' ? 2 : 0;
}

function decoderFor(encoding: TextEncoding): TextDecoder {
  // ignoreBOM: the BOM is cut off before decoding; a second one would be content. Not fatal:
  // bytes not valid in the encoding become U+FFFD, which the reader reports at its cell.
  return new TextDecoder(encoding === 'utf-8-bom' ? 'utf-8' : encoding, { ignoreBOM: true });
}

/**
 * The text of a CSV file and the encoding it was found in ({@link decideEncoding}).
 *
 * @example
 * decodeText(new Uint8Array([0xc8, 0xd5, 0xc6, 0xda])) // { text: '日期', encoding: 'gb18030' }
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncoding } {
  const encoding = decideEncoding(bytes.subarray(0, ENCODING_SNIFF_BYTES), bytes.length <= ENCODING_SNIFF_BYTES);
  return { text: decoderFor(encoding).decode(bytes.subarray(bomLength(encoding))), encoding };
}

/** A CSV read whole: its sheet, and what was found at its cells while reading. */
export type CsvSheet = RawSheet & { readonly notes: readonly ReadNote[] };

/**
 * One CSV file as a sheet: every cell a string (the normalizer types values), rows numbered
 * 1-based by record (a quoted line break stays inside its cell and does not start a record; a
 * `sep=;` first line, which Excel hides, is not a row: the rows are numbered as Excel shows them),
 * ragged rows kept as they are, empty cells undefined and wholly empty records left out; a field
 * written `="…"` (a case-handling system's export) is the text inside, as Excel shows it.
 * The delimiter is detected among `,` tab `;` `|`, quotes read as LibreOffice reads them
 * (sheets/csv-records.ts). Records past `limits.maxRowsPerSheet` and fields past
 * `limits.maxColumns` are dropped and counted in `truncated`. A cell read with a stray quote or
 * with bytes not valid in the file's encoding is kept and noted in `notes`.
 *
 * @param sheetName the file name without its extension
 * @example
 * readCsv(bytes, '普法宣传台账').rows[0]?.cells[0] // { value: '日期' }
 */
export function readCsv(
  bytes: Uint8Array,
  sheetName: string,
  limits: Pick<ReadLimits, 'maxRowsPerSheet' | 'maxColumns'> = DEFAULT_LIMITS,
): CsvSheet {
  const { text, encoding } = decodeText(bytes);
  const rows: RawRow[] = [];
  const sheet = new CsvRows(limits, encoding, (row) => rows.push(row));
  const reader = new CsvRecordReader((record) => sheet.add(record));
  reader.push(text);
  reader.end();
  sheet.finish();
  return { name: sheetName, hidden: false, rows, merges: [], ...sheet.truncation(), notes: sheet.takeNotes() };
}

/**
 * The same sheet read from a file as it streams in (64 KB at a time): the rows of each chunk are
 * one batch, and no more than a chunk, a record and the notes are held at once.
 *
 * @example
 * for await (const batch of streamCsv('inbox/justice/普法宣传台账.csv', '普法宣传台账').rows()) …
 */
export function streamCsv(
  path: string,
  sheetName: string,
  limits: Pick<ReadLimits, 'maxRowsPerSheet' | 'maxColumns'> = DEFAULT_LIMITS,
): SheetStream {
  let sheet: CsvRows | undefined;
  return {
    name: sheetName,
    hidden: false,
    merges: [],
    async *rows() {
      let batch: RawRow[] = [];
      let decoder: TextDecoder | undefined;
      let head: Buffer[] = [];
      let headBytes = 0;
      const reader = new CsvRecordReader((record) => sheet?.add(record));
      const begin = (whole: boolean) => {
        const bytes = Buffer.concat(head);
        head = [];
        const encoding = decideEncoding(bytes.subarray(0, ENCODING_SNIFF_BYTES), whole);
        sheet = new CsvRows(limits, encoding, (row) => batch.push(row));
        decoder = decoderFor(encoding);
        reader.push(decoder.decode(bytes.subarray(bomLength(encoding)), { stream: true }));
      };
      const stream = createReadStream(path, { highWaterMark: 64 * 1024 });
      try {
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          if (decoder === undefined) {
            head.push(chunk);
            headBytes += chunk.length;
            if (headBytes < ENCODING_SNIFF_BYTES) continue;
            begin(false);
          } else {
            reader.push(decoder.decode(chunk, { stream: true }));
          }
          if (batch.length > 0) {
            const out = batch;
            batch = [];
            yield out;
          }
        }
      } catch (error) {
        // The file system's errors (it vanished, it cannot be read) are the file's; any other is a fault.
        if (error instanceof Error && 'code' in error) throw new UnreadableFileError('文件无法打开，请重新报送', { cause: error });
        throw error;
      } finally {
        stream.destroy();
      }
      if (decoder === undefined) begin(true);
      reader.push(decoder?.decode() ?? '');
      reader.end();
      sheet?.finish();
      if (batch.length > 0) yield batch;
    },
    truncation: () => sheet?.truncation().truncated,
    notes: () => sheet?.takeNotes() ?? [],
  };
}

/** Notes of one kind kept per sheet; past it they are counted in one last note. */
export const MAX_NOTES_PER_KIND = 1_000;

/** Records → rows of a sheet, within the limits, noting the cells read with a stray quote or bad bytes. */
class CsvRows {
  #record = 0;
  #kept = 0;
  readonly #dropped: TruncationCounter;
  #notes: ReadNote[] = [];
  readonly #counts = new Map<ReadNote['code'], { kept: number; more: number; first: string; firstRow: number; lastRow: number }>();

  constructor(
    private readonly limits: Pick<ReadLimits, 'maxRowsPerSheet' | 'maxColumns'>,
    private readonly encoding: TextEncoding,
    private readonly onRow: (row: RawRow) => void,
  ) {
    this.#dropped = new TruncationCounter(limits);
  }

  add(record: CsvRecord): void {
    const rowNumber = ++this.#record;
    const cells: (RawCell | undefined)[] = record.fields.map(cellOf);
    if (!cells.some((c) => c !== undefined)) return;
    if (this.#kept >= this.limits.maxRowsPerSheet) return this.#dropped.droppedRow(rowNumber);
    this.#kept++;
    cells.forEach((c, column) => {
      if (c !== undefined && column >= this.limits.maxColumns) this.#dropped.droppedCell(column, rowNumber);
    });
    const kept = cells.slice(0, this.limits.maxColumns);
    for (const column of record.strays) {
      const value = record.fields[column];
      if (value !== undefined && column < kept.length) this.#note('cell.stray_quote', column, rowNumber, value);
    }
    kept.forEach((c, column) => {
      if (typeof c?.value === 'string' && c.value.includes('\uFFFD')) this.#note('cell.encoding', column, rowNumber, c.value);
    });
    this.onRow({ rowNumber, hidden: false, cells: kept });
  }

  truncation(): ReturnType<TruncationCounter['result']> {
    return this.#dropped.result();
  }

  /** The notes made since the last call; at the end of the sheet, the count of those left out. */
  takeNotes(): ReadNote[] {
    const out = this.#notes;
    this.#notes = [];
    return out;
  }

  #note(code: ReadNote['code'], column: number, rowNumber: number, value: string): void {
    const cell = address(column, rowNumber);
    const count = this.#counts.get(code) ?? { kept: 0, more: 0, first: '', firstRow: 0, lastRow: 0 };
    this.#counts.set(code, count);
    if (count.kept < MAX_NOTES_PER_KIND) {
      count.kept++;
      this.#notes.push({ code, cell, actual: value, message: noteMessage(code, column, rowNumber, value, this.encoding) });
      return;
    }
    // Past the cap: counted, and one note at the end of the sheet stands for them all.
    if (count.more === 0) {
      count.first = cell;
      count.firstRow = rowNumber;
    }
    count.more++;
    count.lastRow = rowNumber;
  }

  /** Once every record is in: the notes that stand for those past the cap. */
  finish(): void {
    for (const [code, count] of this.#counts) {
      if (count.more === 0) continue;
      this.#notes.push({
        code,
        cell: count.first,
        actual: `另有 ${count.more} 个单元格`,
        message: `从 ${count.first} 起（第 ${count.firstRow}–${count.lastRow} 行）另有 ${count.more} 个单元格同样${code === 'cell.encoding' ? '含有无法识别的字符' : '有未成对使用的英文双引号'}，未逐一列出。请整体检查这个文件后重新报送。`,
      });
    }
  }
}

/**
 * A field as its cell: undefined when empty; a text formula `="…"` (how case-handling systems
 * keep a case number or a date as text in Excel) as the text Excel and LibreOffice show for it.
 */
function cellOf(field: string): RawCell | undefined {
  if (field === '') return undefined;
  const shown = textFormulaValue(field);
  if (shown === undefined) return { value: field };
  return shown === '' ? undefined : { value: shown };
}

function noteMessage(code: ReadNote['code'], column: number, rowNumber: number, value: string, encoding: TextEncoding): string {
  const at = `第 ${rowNumber} 行 ${columnLetters(column)} 列（${address(column, rowNumber)}）`;
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  if (code === 'cell.stray_quote') {
    return `${at}的英文双引号（"）没有按 CSV 的规则成对使用，已把引号当作普通文字读取，读出的是“${shown}”。请核对这一格的内容；在 CSV 中写引号，应把整格用英文双引号括起、其中的引号写成两个（""），也可改用中文引号“”，或另存为 .xlsx 后重新报送。`;
  }
  const as = encoding === 'gb18030' ? 'GBK/GB18030' : encoding === 'utf-16le' || encoding === 'utf-16be' ? 'UTF-16' : 'UTF-8';
  return `${at}含有无法识别的字符（文件按 ${as} 编码读取，这一格的字节不是有效的 ${as} 字符：文件编码混杂或文件不完整），读出的是“${shown}”（� 处为无法识别的字节），可能与原内容不符。请用 Excel 打开文件核对这一行，另存为 .xlsx 后重新报送。`;
}

/**
 * Counts of valid multi-byte UTF-8 characters and of invalid bytes, and whether the first line
 * holds non-ASCII text that is valid UTF-8 ('utf-8'), invalid UTF-8 ('invalid') or only ASCII.
 */
function utf8Census(bytes: Uint8Array, whole: boolean): { valid: number; invalid: number; firstLine: 'utf-8' | 'invalid' | 'ascii' } {
  let valid = 0;
  let invalid = 0;
  let firstLine: 'utf-8' | 'invalid' | 'ascii' | undefined;
  let lineValid = 0;
  let lineInvalid = 0;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      if (firstLine === undefined && (b === 0x0a || b === 0x0d)) firstLine = lineInvalid > 0 ? 'invalid' : lineValid > 0 ? 'utf-8' : 'ascii';
      i++;
      continue;
    }
    const n = sequenceLength(bytes, i);
    if (n > 0) {
      valid++;
      lineValid++;
      i += n;
    } else if (n === 0 && !whole) {
      break; // cut by the end of the head, not by the file
    } else {
      invalid++;
      lineInvalid++;
      i++;
    }
  }
  firstLine ??= lineInvalid > 0 ? 'invalid' : lineValid > 0 ? 'utf-8' : 'ascii';
  return { valid, invalid, firstLine };
}

/** The length of the valid UTF-8 sequence at `i` (a lead byte), 0 when cut by the end of the bytes, -1 when invalid. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i] ?? 0;
  let n: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) n = 2;
  else if (b >= 0xe0 && b <= 0xef) {
    n = 3;
    if (b === 0xe0) lo = 0xa0;
    if (b === 0xed) hi = 0x9f;
  } else if (b >= 0xf0 && b <= 0xf4) {
    n = 4;
    if (b === 0xf0) lo = 0x90;
    if (b === 0xf4) hi = 0x8f;
  } else return -1;
  for (let k = 1; k < n; k++) {
    if (i + k >= bytes.length) return 0;
    const c = bytes[i + k] ?? 0;
    if (c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return -1;
  }
  return n;
}
