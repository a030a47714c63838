/**
 * BIFF8 records (MS-XLS §2.1.4): a 2-byte type, a 2-byte length, then that many bytes. A
 * record longer than 8,224 bytes goes on in CONTINUE records, and a string cut by a CONTINUE
 * starts the next piece with a fresh flags byte (its characters may switch between one byte
 * and two): {@link RecordReader} reads across the pieces so that callers never see the cut.
 */

/** Record types this reader looks at. */
export const RT = {
  FORMULA: 0x0006,
  EOF: 0x000a,
  FILEPASS: 0x002f,
  CONTINUE: 0x003c,
  DATEMODE: 0x0022,
  BOUNDSHEET: 0x0085,
  MULRK: 0x00bd,
  MULBLANK: 0x00be,
  RSTRING: 0x00d6,
  XF: 0x00e0,
  MERGEDCELLS: 0x00e5,
  SST: 0x00fc,
  LABELSST: 0x00fd,
  BLANK: 0x0201,
  NUMBER: 0x0203,
  LABEL: 0x0204,
  BOOLERR: 0x0205,
  STRING: 0x0207,
  ROW: 0x0208,
  RK: 0x027e,
  FORMAT: 0x041e,
  BOF: 0x0809,
} as const;

/** The record is shorter than what it must hold, or the stream ends inside a record. */
export class BiffError extends Error {
  override readonly name = 'BiffError';
}

export interface BiffRecord {
  readonly type: number;
  /** Where the record's header starts in the stream. */
  readonly offset: number;
  readonly data: Uint8Array;
}

/** The records of a stream from `offset`, each with the CONTINUE records that follow it. */
export function* records(stream: Uint8Array, offset = 0): Generator<BiffRecord & { readonly continues: Uint8Array[] }> {
  let at = offset;
  let pending: (BiffRecord & { continues: Uint8Array[] }) | undefined;
  while (at + 4 <= stream.length) {
    const type = (stream[at] ?? 0) | ((stream[at + 1] ?? 0) << 8);
    const length = (stream[at + 2] ?? 0) | ((stream[at + 3] ?? 0) << 8);
    if (at + 4 + length > stream.length) throw new BiffError(`record 0x${type.toString(16)} at ${at} runs past the end of the stream`);
    const data = stream.subarray(at + 4, at + 4 + length);
    if (type === RT.CONTINUE && pending !== undefined) {
      pending.continues.push(data);
    } else {
      if (pending !== undefined) yield pending;
      pending = { type, offset: at, data, continues: [] };
    }
    at += 4 + length;
  }
  if (pending !== undefined) yield pending;
}

/** Reads numbers and strings across a record and its CONTINUE pieces. */
export class RecordReader {
  readonly #pieces: readonly Uint8Array[];
  #piece = 0;
  #at = 0;

  constructor(data: Uint8Array, continues: readonly Uint8Array[] = []) {
    this.#pieces = [data, ...continues];
  }

  /** Bytes left in the current piece and after it. */
  get remaining(): number {
    let n = (this.#pieces[this.#piece]?.length ?? 0) - this.#at;
    for (let i = this.#piece + 1; i < this.#pieces.length; i++) n += this.#pieces[i]?.length ?? 0;
    return n;
  }

  u8(): number {
    let p = this.#pieces[this.#piece];
    while (p !== undefined && this.#at >= p.length) {
      this.#piece++;
      this.#at = 0;
      p = this.#pieces[this.#piece];
    }
    if (p === undefined) throw new BiffError('record too short');
    return p[this.#at++] ?? 0;
  }

  u16(): number {
    return this.u8() | (this.u8() << 8);
  }

  u32(): number {
    return (this.u16() | (this.u16() << 16)) >>> 0;
  }

  skip(n: number): void {
    for (let left = n; left > 0; ) {
      const p = this.#pieces[this.#piece];
      if (p === undefined) throw new BiffError('record too short');
      const step = Math.min(left, p.length - this.#at);
      if (step <= 0) {
        this.#piece++;
        this.#at = 0;
        continue;
      }
      this.#at += step;
      left -= step;
    }
  }

  /**
   * `count` characters, one byte each (Latin-1) or two (UTF-16LE) as `high` says; where the
   * characters cross into the next piece, its first byte says anew which.
   */
  chars(count: number, high: boolean): string {
    let out = '';
    let left = count;
    let wide = high;
    while (left > 0) {
      const p = this.#pieces[this.#piece];
      if (p === undefined) throw new BiffError('string runs past its record');
      if (this.#at >= p.length) {
        this.#piece++;
        this.#at = 0;
        const next = this.#pieces[this.#piece];
        if (next === undefined || next.length === 0) throw new BiffError('string runs past its record');
        wide = ((next[0] ?? 0) & 1) === 1;
        this.#at = 1;
        continue;
      }
      const width = wide ? 2 : 1;
      const n = Math.min(left, Math.floor((p.length - this.#at) / width));
      if (n === 0) throw new BiffError('a character cut in half');
      const bytes = Buffer.from(p.buffer, p.byteOffset + this.#at, n * width);
      out += wide ? bytes.toString('utf16le') : bytes.toString('latin1');
      this.#at += n * width;
      left -= n;
    }
    return out;
  }

  /**
   * An XLUnicodeRichExtendedString (SST, LABEL, STRING, FORMAT): a count of `countBytes`
   * bytes, flags, then the characters; rich-text runs and phonetic data are skipped (the text
   * is what the cell shows).
   */
  unicodeString(countBytes: 1 | 2 = 2): string {
    const count = countBytes === 1 ? this.u8() : this.u16();
    const flags = this.u8();
    const runs = flags & 0x08 ? this.u16() : 0;
    const ext = flags & 0x04 ? this.u32() : 0;
    const text = this.chars(count, (flags & 0x01) === 1);
    this.skip(runs * 4);
    this.skip(ext);
    return text;
  }
}
