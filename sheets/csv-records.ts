/**
 * CSV text → records, the way LibreOffice Calc reads a CSV (and, for well-formed files, Excel
 * and RFC 4180): text arrives in chunks, records leave one at a time, and a stray quote never
 * swallows the rest of the file.
 *
 * The quote rules, checked against LibreOffice (`soffice --convert-to xlsx`, tests/csv-quotes.test.ts):
 * - a field that starts with `"` is quoted; inside it `""` is one `"`, and it ends at a `"`
 *   followed by the delimiter or the end of the record (blanks in between are kept);
 * - a `"` inside a quoted field followed by anything else is a stray quote, kept as text;
 * - a quoted field may span lines only when a closing quote is found in the lines it spans:
 *   a quote that is never closed (`"法治宣传进万家,…`) or closed with text after it
 *   (`"12·4"国家宪法日宣传,…`) is text, and its line is a record of its own;
 * - a `"` that does not start a field is text (`宪法日"12·4"宣传`).
 * Each field read with a stray quote is reported (`strays`): its value may not be what the clerk
 * meant, so the reader makes it a finding.
 *
 * Memory stays bounded: a record waits for its lines only while a quote is open, and at most
 * {@link MAX_QUOTED_CHARS} characters and {@link MAX_QUOTED_LINES} lines; a quote still open
 * then is a stray one.
 */

/**
 * How far a quoted field is looked for across lines: characters, and lines (Excel holds 32,767
 * characters in a cell, so no more line breaks than that).
 */
export const MAX_QUOTED_CHARS = 1_048_576;
export const MAX_QUOTED_LINES = 32_768;

/** One record: its fields, and the indexes of the fields read with a stray quote. */
export interface CsvRecord {
  readonly fields: readonly string[];
  readonly strays: readonly number[];
}

interface Line {
  readonly text: string;
  /** The line break that ended it (`\r\n`, `\n`, `\r`), or '' for the last line of the file. */
  readonly eol: string;
}

/**
 * Records of one delimiter from lines: a quoted field spanning lines is joined, a stray quote
 * is text. Feed lines with {@link push}, then {@link end}.
 */
export class RecordAssembler {
  // Lines not yet in a record, from #head on (an index, not shift(): a quote read as text after
  // a long wait gives its lines back to the queue, thousands at a time).
  #queue: Line[] = [];
  #head = 0;
  // How many lines of the record at the head of the queue have been scanned (it waits for more).
  #scanned = 0;
  #chars = 0;
  #inQuote = false;
  #fieldStart = true;
  #ended = false;

  constructor(
    private readonly delimiter: string,
    private readonly onRecord: (record: CsvRecord) => void,
  ) {}

  push(line: Line): void {
    this.#queue.push(line);
    this.#drain();
  }

  end(): void {
    this.#ended = true;
    this.#drain();
  }

  #drain(): void {
    while (this.#head < this.#queue.length) {
      const lines = this.#nextRecordLines();
      if (lines === undefined) return;
      const joined = lines.map((l, i) => (i < lines.length - 1 ? l.text + l.eol : l.text)).join('');
      const record = scanFields(joined, this.delimiter, lines.length > 1);
      if (record !== null) {
        this.onRecord(record);
        continue;
      }
      // A quote opened on the first line was never properly closed: that line alone is the
      // record (the quote is text), and the lines after it are read again as records of their own.
      const first = lines[0];
      if (first !== undefined) this.onRecord(scanFields(first.text, this.delimiter, false) ?? { fields: [first.text], strays: [] });
      this.#queue = [...lines.slice(1), ...this.#queue.slice(this.#head)];
      this.#head = 0;
    }
  }

  /** The lines of the record at the head of the queue, removed from it; undefined to wait for more. */
  #nextRecordLines(): Line[] | undefined {
    while (this.#head + this.#scanned < this.#queue.length) {
      const line = this.#queue[this.#head + this.#scanned];
      if (line === undefined) break;
      this.#toggle(line.text);
      this.#scanned++;
      this.#chars += line.text.length + line.eol.length;
      if (!this.#inQuote || this.#chars > MAX_QUOTED_CHARS || this.#scanned >= MAX_QUOTED_LINES) return this.#take(this.#scanned);
      // The line break is inside the quoted field: the field goes on on the next line.
    }
    return this.#ended ? this.#take(this.#queue.length - this.#head) : undefined;
  }

  #take(count: number): Line[] {
    this.#scanned = 0;
    this.#chars = 0;
    this.#inQuote = false;
    this.#fieldStart = true;
    const lines = this.#queue.slice(this.#head, this.#head + count);
    this.#head += count;
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    } else if (this.#head > 4096 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    return lines;
  }

  /**
   * Whether a quote is open at the end of the line (LibreOffice's line reader): a quote at a
   * field's start opens, any other quote in it but a doubled one closes.
   */
  #toggle(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (this.#inQuote) {
        if (c !== '"') continue;
        if (text[i + 1] === '"') i++;
        else this.#inQuote = false;
      } else if (c === this.delimiter) {
        this.#fieldStart = true;
      } else {
        if (c === '"' && this.#fieldStart) this.#inQuote = true;
        this.#fieldStart = false;
      }
    }
  }
}

/**
 * The fields of one record's text. A quoted field with no proper closing quote is read as text
 * (a stray quote) when the record is one line, and gives null when it spans lines (the caller
 * then reads its first line alone).
 */
export function scanFields(text: string, delimiter: string, multiLine: boolean): CsvRecord | null {
  const fields: string[] = [];
  const strays: number[] = [];
  let i = 0;
  for (;;) {
    let value: string | undefined;
    if (text[i] === '"') {
      const quoted = quotedField(text, i, delimiter);
      if (quoted === null && multiLine) return null;
      if (quoted === null || quoted.stray) strays.push(fields.length);
      if (quoted !== null) {
        value = quoted.value;
        i = quoted.end;
      }
    }
    if (value === undefined) {
      const next = text.indexOf(delimiter, i);
      const end = next < 0 ? text.length : next;
      value = text.slice(i, end);
      i = end;
    }
    fields.push(value);
    if (i >= text.length) return { fields, strays };
    i++; // the delimiter
  }
}

/** A quoted field from its opening quote at `start`: its value and where it ends, or null when it is not closed. */
function quotedField(text: string, start: number, delimiter: string): { value: string; end: number; stray: boolean } | null {
  let value = '';
  let stray = false;
  let from = start + 1;
  for (;;) {
    const q = text.indexOf('"', from);
    if (q < 0) return null;
    if (text[q + 1] === '"') {
      value += text.slice(from, q + 1);
      from = q + 2;
      continue;
    }
    let after = q + 1;
    while (after < text.length && text[after] !== delimiter && (text[after] === ' ' || text[after] === '\t')) after++;
    if (after >= text.length || text[after] === delimiter) return { value: value + text.slice(from, q) + text.slice(q + 1, after), end: after, stray };
    // A quote followed by text: kept as text; the field may still close further on.
    stray = true;
    value += text.slice(from, q + 1);
    from = q + 1;
  }
}

/**
 * Text in chunks → lines, each with the line break that ended it (`\r\n`, `\n` or a lone `\r`,
 * as old Mac files and some exports have it).
 */
export class LineSplitter {
  #carry = '';

  constructor(private readonly onLine: (line: Line) => void) {}

  push(text: string): void {
    // The carry holds no line break (but a last `\r`): scan only from where it ends.
    const from = Math.max(0, this.#carry.length - 1);
    this.#carry += text;
    let start = 0;
    const s = this.#carry;
    for (let i = from; i < s.length; i++) {
      const c = s[i];
      if (c !== '\n' && c !== '\r') continue;
      // A `\r` at the end of the chunk may be the first half of `\r\n`: wait for the next chunk.
      if (c === '\r' && i === s.length - 1) break;
      const eol = c === '\r' && s[i + 1] === '\n' ? '\r\n' : c;
      this.onLine({ text: s.slice(start, i), eol });
      i += eol.length - 1;
      start = i + 1;
    }
    this.#carry = s.slice(start);
  }

  end(): void {
    const rest = this.#carry;
    this.#carry = '';
    if (rest.endsWith('\r')) this.onLine({ text: rest.slice(0, -1), eol: '\r' });
    else if (rest !== '') this.onLine({ text: rest, eol: '' });
  }
}

/** Delimiters a CSV may use, in the order a tie is broken. */
export const DELIMITERS = [',', '\t', ';', '|'] as const;

/**
 * The delimiter of a CSV from its first lines: the one giving the most consistent field count
 * over the first 10 records (then the most fields), as papaparse judges it; `,` when none gives
 * two fields or more.
 */
export function guessDelimiter(lines: readonly Line[]): string {
  let best: { delimiter: string; delta: number; average: number } | undefined;
  for (const delimiter of DELIMITERS) {
    const counts: number[] = [];
    const assembler = new RecordAssembler(delimiter, (r) => {
      if (counts.length < 10) counts.push(r.fields.length);
    });
    for (const line of lines) {
      if (counts.length >= 10) break;
      assembler.push(line);
    }
    if (counts.length < 10) assembler.end();
    if (counts.length === 0) continue;
    let delta = 0;
    for (let k = 1; k < counts.length; k++) delta += Math.abs((counts[k] ?? 0) - (counts[k - 1] ?? 0));
    const average = counts.reduce((a, b) => a + b, 0) / counts.length;
    if (average > 1.99 && (best === undefined || delta < best.delta || (delta === best.delta && average > best.average))) {
      best = { delimiter, delta, average };
    }
  }
  return best?.delimiter ?? ',';
}

/**
 * The records of a CSV text fed in chunks: the delimiter from a `sep=` first line (as Excel
 * writes and reads it; that line is no record) or guessed from the first 64 K characters.
 *
 * @example
 * const reader = new CsvRecordReader((r) => console.log(r.fields));
 * reader.push('日期,活动名称\n2020/3/5,"12·4"宪法日\n');
 * reader.end(); // ['日期', '活动名称'], then ['2020/3/5', '"12·4"宪法日'] (strays [1])
 */
export class CsvRecordReader {
  /** Set once the first line has been seen: the delimiter a `sep=` line named. */
  #sepLine: string | undefined;
  #firstLine = true;
  #head: Line[] = [];
  #headChars = 0;
  #assembler: RecordAssembler | undefined;
  readonly #lines = new LineSplitter((line) => this.#line(line));

  constructor(private readonly onRecord: (record: CsvRecord) => void) {}

  /** True when the file began with a `sep=` line (not a record: Excel does not show it). */
  get hadSepLine(): boolean {
    return this.#sepLine !== undefined;
  }

  push(text: string): void {
    this.#lines.push(text);
  }

  end(): void {
    this.#lines.end();
    this.#start();
    this.#assembler?.end();
  }

  #line(line: Line): void {
    if (this.#firstLine) {
      this.#firstLine = false;
      const sep = /^sep=(.)$/i.exec(line.text);
      if (sep?.[1] !== undefined) {
        this.#sepLine = sep[1];
        this.#assembler = new RecordAssembler(sep[1], this.onRecord);
        return;
      }
    }
    if (this.#assembler !== undefined) return this.#assembler.push(line);
    this.#head.push(line);
    this.#headChars += line.text.length + line.eol.length;
    if (this.#headChars >= 64 * 1024) this.#start();
  }

  /** Guesses the delimiter from the lines held so far and reads them. */
  #start(): void {
    if (this.#assembler !== undefined) return;
    const head = this.#head;
    this.#head = [];
    this.#assembler = new RecordAssembler(guessDelimiter(head), this.onRecord);
    for (const line of head) this.#assembler.push(line);
  }
}
