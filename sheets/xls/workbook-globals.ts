/**
 * The workbook globals substream of a BIFF8 `Workbook` stream: the sheets (name, visibility,
 * kind, where their records start), the shared strings, which cell formats show a date, the
 * 1904 date system, and whether the file is encrypted.
 */
import { isDateFormat } from '../xlsx/styles.ts';
import { BiffError, RT, RecordReader, records } from './biff-records.ts';

export interface XlsSheetEntry {
  readonly name: string;
  readonly hidden: boolean;
  /** Very hidden (state 2): Excel's 取消隐藏 does not list it. */
  readonly veryHidden: boolean;
  /** Offset of the sheet's BOF record in the `Workbook` stream. */
  readonly offset: number;
}

export interface WorkbookGlobals {
  /** Worksheets in tab order (chart, macro and module sheets have no cells and are left out). */
  readonly sheets: readonly XlsSheetEntry[];
  readonly sharedStrings: readonly string[];
  /** XF index → the format shows a date. */
  readonly dateStyles: readonly boolean[];
  readonly date1904: boolean;
  /** A FILEPASS record: the records after it are encrypted. */
  readonly encrypted: boolean;
}

/**
 * Excel's built-in number formats that show a date, as `sheets/xlsx/styles.ts` counts them
 * (a time of day alone is not a date there, so not here either). A FORMAT record of the same
 * number, where the file has one, wins — as a custom format does in xlsx.
 */
const BUILTIN_DATE_IDS = new Set([14, 15, 16, 17, 22, 27, 28, 29, 30, 31, 34, 35, 36, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** The BIFF version of a BOF record (0x0600: BIFF8, Excel 97–2003). */
export const BIFF8 = 0x0600;

/** The BIFF version a stream declares in its first record, or undefined when it starts with none. */
export function biffVersion(stream: Uint8Array): number | undefined {
  if (stream.length < 6 || ((stream[0] ?? 0) | ((stream[1] ?? 0) << 8)) !== RT.BOF) return undefined;
  return (stream[4] ?? 0) | ((stream[5] ?? 0) << 8);
}

export function readGlobals(stream: Uint8Array): WorkbookGlobals {
  const sheets: XlsSheetEntry[] = [];
  const formats = new Map<number, string>();
  const xfFormats: number[] = [];
  let sharedStrings: string[] = [];
  let date1904 = false;
  let sawBof = false;
  let sawEof = false;
  for (const record of records(stream)) {
    const r = new RecordReader(record.data, record.continues);
    if (!sawBof) {
      if (record.type !== RT.BOF) throw new BiffError('the Workbook stream does not start with a BOF record');
      sawBof = true;
      continue;
    }
    switch (record.type) {
      case RT.FILEPASS:
        // Nothing after it can be read without the password.
        return { sheets, sharedStrings, dateStyles: [], date1904, encrypted: true };
      case RT.DATEMODE:
        date1904 = r.u16() === 1;
        break;
      case RT.BOUNDSHEET: {
        const offset = r.u32();
        const state = r.u8() & 0x03;
        const kind = r.u8();
        const name = r.unicodeString(1);
        // 0: worksheet (also dialog sheets, which hold no cells); 1 macro, 2 chart, 6 VBA module.
        if (kind === 0) sheets.push({ name, hidden: state !== 0, veryHidden: state === 2, offset });
        break;
      }
      case RT.FORMAT: {
        const id = r.u16();
        formats.set(id, r.unicodeString(2));
        break;
      }
      case RT.XF:
        r.u16();
        xfFormats.push(r.u16());
        break;
      case RT.SST:
        sharedStrings = readSharedStrings(r);
        break;
      case RT.EOF:
        sawEof = true;
        break;
    }
    if (sawEof) break;
  }
  if (!sawEof) throw new BiffError('the workbook globals end without an EOF record');
  const dateStyles = xfFormats.map((id) => {
    const code = formats.get(id);
    return code !== undefined ? isDateFormat(code) : BUILTIN_DATE_IDS.has(id);
  });
  return { sheets, sharedStrings, dateStyles, date1904, encrypted: false };
}

/**
 * The SST: a count, then the strings. The declared count is not trusted for memory (a string
 * takes at least 3 bytes, so the record's length bounds how many there can be).
 */
function readSharedStrings(r: RecordReader): string[] {
  r.u32();
  const unique = r.u32();
  const out: string[] = [];
  while (out.length < unique && r.remaining >= 3) out.push(r.unicodeString(2));
  return out;
}
