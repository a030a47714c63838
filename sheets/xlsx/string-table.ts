/**
 * The shared string table's entries kept as UTF-8 bytes, decoded when a cell asks for one: a
 * ledger of 500,000 unique case numbers held them as 500,000 strings, 35–55 MB of a read
 * worker's peak (old space, its growth, and making them; measured by leaving them out). Kept
 * so (and streamed in smaller chunks, zip.ts), the peak of reading that ledger in a read
 * worker fell from 214–244 MB (median 221) to 177–188 (183), 5 runs each, and the whole
 * ingest's from 371–416 MB (388) to 286–299 (292), 4 each; the 100,000-row ledger read in the
 * same CPU time (40 alternated reads in one thread: 0.97× the time before, quartiles
 * 0.89–1.05×; its whole ingest 1.01× the seconds, 8 pairs).
 */

/** What reading a sheet needs of the table: a string array is one (tests), and so is {@link SharedStringTable}. */
export interface StringTable {
  readonly length: number;
  /** The entry at a whole `index` from 0 (callers check; an array's `at` counts a negative one from the end). */
  at(index: number): string | undefined;
}

/** The entry of `table` at `index`, undefined for anything that is not a whole number in range. */
export function sharedString(table: StringTable, index: number): string | undefined {
  return index >= 0 && Number.isInteger(index) ? table.at(index) : undefined;
}

/**
 * Bytes of entries are kept in slabs of this size, none spanning two; an entry longer than
 * {@link LONG_BYTES} (a long note; a cell holds at most 32,767 characters) is kept as a string.
 */
const SLAB = 1 << 20;
/**
 * A table's first slab starts this small and doubles as entries come, up to {@link SLAB}: a
 * district's workbooks hold a few kB of shared strings each, and a 1 MB slab for every one of
 * them (5,000 a run, outside the heap) was a megabyte allocated and dropped per file.
 */
const FIRST_SLAB = 1 << 14;
const LONG_BYTES = 1 << 16;
/** Past this many bytes the offsets (Uint32) would overflow: the rest is kept as strings. */
const MAX_VIRTUAL = 2 ** 32 - 2 * SLAB;
/** Lookups remembered, by index modulo this: a ledger's repeated texts (names, causes, 是/否) are decoded once. */
const CACHE = 4096;

/**
 * Shared strings as UTF-8 bytes in 1 MB slabs and one Uint32 per entry, decoded on lookup.
 * For 500,000 case numbers (~35 bytes of UTF-8 each) that is ~19 MB outside the JS heap
 * instead of 500,000 strings (~56 bytes each in the heap, two bytes a character) and an array
 * of them. Each lookup decodes a new string, as the parser did once for every entry; a small
 * cache by index keeps texts repeated down a ledger from being decoded on every row.
 *
 * Entry i's bytes end at `#ends[i]`, an offset into the slabs laid end to end (slab k starts
 * at k × {@link SLAB}); it starts where entry i − 1 ended, or at its slab's start when it did
 * not fit in the slab before. An entry ends strictly before its slab's end, so its end names
 * its slab. Entries that cannot be bytes (lone surrogates, from `_xD800_`) or are long are
 * kept as strings in {@link #strings}, with no bytes.
 */
export class SharedStringTable implements StringTable {
  #length = 0;
  #ends = new Uint32Array(1024);
  readonly #slabs: Buffer[] = [];
  /** Where the next entry's bytes go in the last slab. */
  #fill = SLAB;
  readonly #strings = new Map<number, string>();
  /** Made at the first lookup, no larger than the table (up to {@link CACHE}). */
  #cacheIndex: Int32Array | undefined;
  #cacheText: string[] = [];

  get length(): number {
    return this.#length;
  }

  at(index: number): string | undefined {
    if (!(index >= 0 && index < this.#length)) return undefined;
    const cache = this.#cacheIndex ?? this.#makeCache();
    const slot = index & (cache.length - 1);
    if (cache[slot] === index) return this.#cacheText[slot];
    const end = this.#ends[index] as number;
    const slab = Math.floor(end / SLAB);
    const before = index === 0 ? 0 : (this.#ends[index - 1] as number);
    const start = before > slab * SLAB ? before : slab * SLAB;
    let text: string;
    if (start === end) text = this.#strings.size > 0 ? (this.#strings.get(index) ?? '') : '';
    else {
      const bytes = this.#slabs[slab] as Buffer;
      const from = start - slab * SLAB;
      const to = end - slab * SLAB;
      text = to - from <= SHORT_BYTES ? decodeShort(bytes, from, to) : bytes.toString('utf8', from, to);
    }
    cache[slot] = index;
    this.#cacheText[slot] = text;
    return text;
  }

  #makeCache(): Int32Array {
    let size = 16;
    while (size < CACHE && size < this.#length) size *= 2;
    this.#cacheText = new Array<string>(size).fill('');
    return (this.#cacheIndex = new Int32Array(size).fill(-1));
  }

  /** The entries as strings (tests). */
  toArray(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.#length; i++) out.push(this.at(i) ?? '');
    return out;
  }

  /** Appends the entry whose UTF-8 bytes are `bytes[from, to)` (valid UTF-8, see utf8.ts). */
  pushBytes(bytes: Buffer, from: number, to: number): void {
    const n = to - from;
    if (n > LONG_BYTES) return this.#pushString(bytes.toString('utf8', from, to));
    const at = this.#room(n);
    if (at < 0) return this.#pushString(bytes.toString('utf8', from, to));
    const slab = this.#slabs[this.#slabs.length - 1] as Buffer;
    // A short entry (a case number is ~35 bytes) byte by byte: Buffer#copy made a Uint8Array
    // view of the source for every call.
    if (n <= 64) for (let i = 0, p = this.#fill; i < n; i++) slab[p + i] = bytes[from + i] as number;
    else bytes.copy(slab, this.#fill, from, to);
    this.#fill += n;
    this.#end(at + n);
  }

  /** Appends an entry given as text. */
  push(text: string): void {
    // A surrogate in the text may be a lone one, which UTF-8 cannot carry: kept as it is.
    if (text.length * 3 > LONG_BYTES || SURROGATE.test(text)) return this.#pushString(text);
    const n = Buffer.byteLength(text, 'utf8');
    const at = this.#room(n);
    if (at < 0) return this.#pushString(text);
    this.#fill += (this.#slabs[this.#slabs.length - 1] as Buffer).write(text, this.#fill, 'utf8');
    this.#end(at + n);
  }

  /**
   * The offset the next `n` bytes go to, a new slab begun when they would reach the end of the
   * last; -1 past {@link MAX_VIRTUAL}.
   */
  #room(n: number): number {
    if (this.#fill + n >= SLAB) {
      if ((this.#slabs.length + 1) * SLAB > MAX_VIRTUAL) return -1;
      // The first slab starts small; a table past it is a large one, its next slabs whole.
      this.#slabs.push(Buffer.allocUnsafeSlow(this.#slabs.length === 0 ? FIRST_SLAB : SLAB));
      this.#fill = 0;
    }
    const last = this.#slabs.length - 1;
    const slab = this.#slabs[last] as Buffer;
    if (this.#fill + n > slab.length) {
      // Still short of SLAB (checked above): doubled until the entry fits.
      let size = slab.length * 2;
      while (size < this.#fill + n) size *= 2;
      const grown = Buffer.allocUnsafeSlow(Math.min(size, SLAB));
      slab.copy(grown, 0, 0, this.#fill);
      this.#slabs[last] = grown;
    }
    return last * SLAB + this.#fill;
  }

  /** An entry kept as a string: no bytes, its end where the last entry's bytes ended. */
  #pushString(text: string): void {
    // A copy, not a slice: a slice would keep the whole chunk alive as long as the entry.
    if (text.length > 0) this.#strings.set(this.#length, flat(text));
    this.#end(this.#length === 0 ? 0 : (this.#ends[this.#length - 1] as number));
  }

  #end(end: number): void {
    if (this.#length === this.#ends.length) {
      const bigger = new Uint32Array(this.#ends.length * 2);
      bigger.set(this.#ends);
      this.#ends = bigger;
    }
    this.#ends[this.#length++] = end;
  }
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** Entries up to this many bytes are decoded by {@link decodeShort}. */
const SHORT_BYTES = 64;
/** One array of code units for each length of text, reused (setting an array's length is a runtime call). */
const UNITS: number[][] = [];

/**
 * Valid UTF-8 (the table holds nothing else) as text, in JavaScript: for a short entry, half
 * the time of Buffer#toString (~65 ns against ~130 ns, measured on case numbers, names and
 * 是/否), whose call into C++ costs more than the decoding. String.fromCharCode makes a
 * one-byte string when every unit fits one byte, as V8's own decoder does.
 */
function decodeShort(bytes: Buffer, from: number, to: number): string {
  let n = 0;
  for (let i = from; i < to; i++) {
    const b = bytes[i] as number;
    // A lead byte starts a character; one of four bytes is two code units.
    if ((b & 0xc0) !== 0x80) n += b >= 0xf0 ? 2 : 1;
  }
  const units = (UNITS[n] ??= new Array<number>(n).fill(0));
  let k = 0;
  for (let i = from; i < to; ) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      units[k++] = b;
      i += 1;
    } else if (b < 0xe0) {
      units[k++] = ((b & 0x1f) << 6) | ((bytes[i + 1] as number) & 0x3f);
      i += 2;
    } else if (b < 0xf0) {
      units[k++] = ((b & 0x0f) << 12) | (((bytes[i + 1] as number) & 0x3f) << 6) | ((bytes[i + 2] as number) & 0x3f);
      i += 3;
    } else {
      const c = (((b & 0x07) << 18) | (((bytes[i + 1] as number) & 0x3f) << 12) | (((bytes[i + 2] as number) & 0x3f) << 6) | ((bytes[i + 3] as number) & 0x3f)) - 0x10000;
      units[k++] = 0xd800 + (c >> 10);
      units[k++] = 0xdc00 + (c & 0x3ff);
      i += 4;
    }
  }
  return String.fromCharCode.apply(null, units);
}

/** A string detached from the larger string it was cut from (shared-strings.ts keeps its carry so too). */
export function flat(s: string): string {
  return s.length === 0 ? '' : (' ' + s).slice(1);
}
