/**
 * What the readers of markup share (an HTML table and SpreadsheetML 2003 saved as `.xls`, an
 * OpenDocument spreadsheet's `content.xml`): the file's text decoded 64 KB at a time, and the
 * second pass that hands each sheet's rows on as a tokenizer finds them, with the cells' encoding
 * notes and what the limits left out.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { TextDecoder } from 'node:util';
import { Parser } from 'htmlparser2';
import { ENCODING_SNIFF_BYTES } from './csv-reader.ts';
import { EncodingNotes, encodingName } from './encoding-notes.ts';
import { TruncationCounter, UnreadableFileError, type RawCell, type RawRow, type ReadLimits, type SheetStream } from './raw-sheet.ts';

/** Bytes read and decoded at a time. */
const CHUNK = 64 * 1024;

/** An encoding and how many bytes of BOM to skip before decoding. */
export interface DecidedEncoding {
  /** A WHATWG label TextDecoder knows (`utf-8`, `gb18030`, `big5`, `utf-16le` …). */
  readonly label: string;
  readonly bom: number;
}

/** What a tokenizer of the second pass reports (sheets numbered from 1 in the file's order). */
export interface RowEvents {
  /**
   * A row of a sheet, with at least one cell, within the limits; `times` > 1 for a row the file
   * writes once for that many rows in a row (an OpenDocument `table:number-rows-repeated`): the
   * copies are made as they are read, a batch at a time, never all at once.
   */
  row(sheet: number, row: RawRow, times?: number): void;
  /** The sheet's last row has been read. */
  tableEnd(sheet: number): void;
  /** Where to count what the limits leave out of a sheet. */
  dropped(sheet: number): TruncationCounter;
}

/** Where a tokenizer hands a finished row, and counts what the limits leave out of a sheet. */
export interface RowSink {
  row?(sheet: number, row: RawRow): void;
  dropped?(sheet: number): TruncationCounter | undefined;
}

/**
 * The row a tokenizer is reading (HTML's `<tr>`, SpreadsheetML's `<Row>`): its number, where its
 * next cell goes, and its cells as they close. A cell past the column limit, or a row past the
 * sheet's row limit, is counted as left out rather than handed on; a row without a cell is
 * dropped without a word.
 */
export class RowInProgress {
  /** The row's number in its sheet (1-based; 0 before the sheet's first row). */
  number = 0;
  /** The column the next cell without a place of its own goes to. */
  cursor = 0;
  #open = false;
  #hidden = false;
  #cells: (RawCell | undefined)[] = [];
  #hasCell = false;

  constructor(
    private readonly sink: RowSink,
    private readonly limits: Pick<ReadLimits, 'maxRowsPerSheet' | 'maxColumns'>,
  ) {}

  get isOpen(): boolean {
    return this.#open;
  }

  /** A new sheet: no row read, none open. */
  reset(): void {
    this.number = 0;
    this.#open = false;
  }

  begin(number: number, hidden: boolean): void {
    this.number = number;
    this.#open = true;
    this.#hidden = hidden;
    this.#cells = [];
    this.#hasCell = false;
    this.cursor = 0;
  }

  /** A cell of sheet `sheet` that holds a value, at `column`. */
  set(sheet: number, column: number, cell: RawCell): void {
    if (column >= this.limits.maxColumns) {
      if (this.number <= this.limits.maxRowsPerSheet) this.sink.dropped?.(sheet)?.droppedCell(column, this.number);
      return;
    }
    this.#cells[column] = cell;
    this.#hasCell = true;
  }

  /** The row of sheet `sheet` has ended: handed on if it was open and holds a cell. */
  end(sheet: number): void {
    if (!this.#open) return;
    this.#open = false;
    if (!this.#hasCell) return;
    if (this.number > this.limits.maxRowsPerSheet) {
      this.sink.dropped?.(sheet)?.droppedRow(this.number);
      return;
    }
    this.sink.row?.(sheet, { rowNumber: this.number, hidden: this.#hidden, cells: this.#cells });
  }
}

/** A tokenizer fed the file's text. */
export interface Tokenizer {
  write(text: string): void;
  end(): void;
}

/** What an XML spreadsheet's reader makes of its markup's tokens (SpreadsheetML 2003, ODS content). */
export interface XmlEvents {
  onopentag(name: string, attribs: Record<string, string>): void;
  onclosetag(name: string): void;
  ontext(text: string): void;
  onprocessinginstruction(name: string): void;
  /** The text has ended (before the parser is told so). */
  ending(): void;
}

/**
 * htmlparser2 in XML mode, handing its tokens to `book`: streaming; it knows only XML's five
 * entities and character references, expands no declared entity and fetches nothing.
 */
export function xmlTokenizer(book: XmlEvents): Tokenizer {
  const parser = new Parser(
    {
      onopentag: (name, attribs) => book.onopentag(name, attribs),
      onclosetag: (name) => book.onclosetag(name),
      ontext: (text) => book.ontext(text),
      onprocessinginstruction: (name) => book.onprocessinginstruction(name),
    },
    { xmlMode: true, decodeEntities: true },
  );
  return {
    write: (text) => parser.write(text),
    end: () => {
      book.ending();
      parser.end();
    },
  };
}

/** Where the second pass reads the text: its chunks, decoded, and the encoding they were decoded from. */
export interface MarkupText {
  chunks(): AsyncGenerator<string>;
  /** A WHATWG label (`utf-8`, `gb18030` …), for the notes on bytes not valid in it. */
  readonly encoding: string;
}

/** Rows handed on per batch at most, when a repeated row is copied. */
const REPEAT_BATCH = 512;

/**
 * The second pass: one tokenizer over the file, handing each sheet's rows (sheet 1, 2 … in the
 * order of the file) to its stream as the sheets are read in order: the rows of one chunk are
 * held at a time (a repeated row as one entry). Rows of a sheet whose rows were not read are
 * passed over.
 */
export class RowCursor {
  #chunks: AsyncGenerator<string> | undefined;
  readonly #tokenizer: Tokenizer;
  #queue: { table: number; row: RawRow; times: number; done: number }[] = [];
  /** The last table whose end has been read. */
  #ended = 0;
  #finished = false;
  readonly #dropped = new Map<number, TruncationCounter>();
  readonly #notes = new Map<number, EncodingNotes>();

  constructor(
    private readonly text: MarkupText,
    private readonly limits: ReadLimits,
    tokenizer: (events: RowEvents) => Tokenizer,
  ) {
    const events: RowEvents = {
      row: (table, row, times = 1) => {
        const notes = this.#notesOf(table);
        row.cells.forEach((cell, column) => {
          if (typeof cell?.value === 'string') notes.check(cell.value, column, row.rowNumber);
        });
        this.#queue.push({ table, row, times, done: 0 });
      },
      tableEnd: (table) => {
        this.#ended = table;
        this.#notesOf(table).finish();
      },
      dropped: (table) => this.#droppedOf(table),
    };
    this.#tokenizer = tokenizer(events);
  }

  async *rowsOf(table: number): AsyncGenerator<readonly RawRow[]> {
    for (;;) {
      let batch: RawRow[] = [];
      for (const entry of this.#queue) {
        if (entry.table !== table) continue;
        if (entry.times === 1) {
          batch.push(entry.row);
          continue;
        }
        // The copies share the row's cells (a RawRow is never changed once made).
        for (; entry.done < entry.times; entry.done++) {
          batch.push(entry.done === 0 ? entry.row : { ...entry.row, rowNumber: entry.row.rowNumber + entry.done });
          if (batch.length >= REPEAT_BATCH) {
            yield batch;
            batch = [];
          }
        }
      }
      this.#queue = this.#queue.filter((entry) => entry.table > table);
      if (batch.length > 0) yield batch;
      if (this.#ended >= table || this.#finished) return;
      await this.#pump();
    }
  }

  truncation(table: number) {
    return this.#dropped.get(table)?.result().truncated;
  }

  notes(table: number) {
    return this.#notes.get(table)?.take() ?? [];
  }

  async close(): Promise<void> {
    await this.#chunks?.return(undefined);
  }

  /**
   * The sheets as streams, `sheets` the first pass's description of each in the file's order
   * (sheet 1 first), their rows from this cursor. A caller that stops part-way closes the file
   * now; one that reads every sheet to its end closes it with its last row.
   */
  async *streams(sheets: Iterable<Pick<SheetStream, 'name' | 'hidden' | 'veryHidden' | 'merges'>>): AsyncGenerator<SheetStream> {
    let done = false;
    try {
      let index = 0;
      for (const sheet of sheets) {
        const at = ++index;
        yield { ...sheet, rows: () => this.rowsOf(at), truncation: () => this.truncation(at), notes: () => this.notes(at) };
      }
      done = true;
    } finally {
      if (!done) await this.close();
    }
  }

  /** Reads and tokenizes the next chunk of the file (or ends the document). */
  async #pump(): Promise<void> {
    this.#chunks ??= this.text.chunks();
    const next = await this.#chunks.next();
    if (next.done === true) {
      this.#tokenizer.end();
      this.#finished = true;
    } else {
      this.#tokenizer.write(next.value);
    }
  }

  #droppedOf(table: number): TruncationCounter {
    let counter = this.#dropped.get(table);
    if (counter === undefined) this.#dropped.set(table, (counter = new TruncationCounter(this.limits)));
    return counter;
  }

  #notesOf(table: number): EncodingNotes {
    let notes = this.#notes.get(table);
    if (notes === undefined) this.#notes.set(table, (notes = new EncodingNotes(encodingName(this.text.encoding))));
    return notes;
  }
}

/** The file's text, decoded a chunk at a time (a character split between chunks is kept whole). */
export async function* decodedChunks(path: string, encoding: DecidedEncoding): AsyncGenerator<string> {
  // Not fatal: bytes not valid in the encoding become U+FFFD, noted at their cell.
  const decoder = new TextDecoder(encoding.label, { ignoreBOM: true });
  const stream = createReadStream(path, { highWaterMark: CHUNK, start: encoding.bom });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) yield decoder.decode(chunk, { stream: true });
    yield decoder.decode();
  } catch (error) {
    if (error instanceof Error && 'code' in error) throw new UnreadableFileError('文件无法打开，请重新报送', { cause: error });
    throw error;
  } finally {
    stream.destroy();
  }
}

/** The file's first 64 KB, and whether they are all of it. */
export async function fileHead(path: string): Promise<[Uint8Array, boolean]> {
  const handle = await open(path, 'r').catch((error: unknown) => {
    throw new UnreadableFileError('文件无法打开，请重新报送', { cause: error });
  });
  try {
    const buffer = Buffer.alloc(ENCODING_SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return [buffer.subarray(0, bytesRead), bytesRead < buffer.length];
  } finally {
    await handle.close();
  }
}
