/**
 * One worksheet substream of a BIFF8 `Workbook` stream → its rows and merged ranges, cell
 * for cell as the xlsx reader gives the same workbook saved as .xlsx: text, numbers (a date
 * when the cell's format shows one), booleans, error values, formulas with their cached result.
 *
 * A worksheet has at most 65,536 rows × 256 columns, so it is read whole (its records are in
 * memory anyway) and handed on row by row in order.
 */
import { address, type RawCell, type RawRow, type TruncationCounter } from '../raw-sheet.ts';
import { serialToDate } from '../xlsx/sheet-scanner.ts';
import { BiffError, RT, RecordReader, records } from './biff-records.ts';
import type { WorkbookGlobals } from './workbook-globals.ts';

export interface SheetContext {
  readonly globals: WorkbookGlobals;
  readonly maxRows: number;
  readonly maxColumns: number;
  readonly dropped: TruncationCounter;
}

export interface SheetCells {
  readonly rows: readonly RawRow[];
  readonly merges: readonly string[];
}

/** BIFF error codes (MS-XLS §2.5.10 BErr) as Excel shows them. */
const ERRORS: Readonly<Record<number, string>> = {
  0x00: '#NULL!',
  0x07: '#DIV/0!',
  0x0f: '#VALUE!',
  0x17: '#REF!',
  0x1d: '#NAME?',
  0x24: '#NUM!',
  0x2a: '#N/A',
  0x2b: '#GETTING_DATA',
};

export function readSheet(stream: Uint8Array, offset: number, ctx: SheetContext): SheetCells {
  const { globals } = ctx;
  const cells = new Map<number, (RawCell | undefined)[]>();
  const hiddenRows = new Set<number>();
  const merges: string[] = [];
  const mergeSeen = new Set<string>();
  /** A formula whose text result is in the STRING record that follows it. */
  let pendingString: { row: number; column: number } | undefined;

  const put = (row: number, column: number, cell: RawCell) => {
    let line = cells.get(row);
    if (line === undefined) cells.set(row, (line = []));
    line[column] = cell;
  };
  const numberCell = (n: number, xf: number): RawCell => {
    // Excel never stores NaN or an infinity; a file that does is shown as Excel shows an overflow.
    if (!Number.isFinite(n)) return { value: null, error: '#NUM!' };
    return globals.dateStyles[xf] === true ? { value: serialToDate(n, globals.date1904) ?? n } : { value: n };
  };

  let depth = 0;
  let first = true;
  for (const record of records(stream, offset)) {
    if (first) {
      if (record.type !== RT.BOF) throw new BiffError(`no BOF record where a sheet starts (offset ${offset})`);
      first = false;
      depth = 1;
      continue;
    }
    // A chart embedded in the sheet is a substream of its own, BOF … EOF.
    if (record.type === RT.BOF) {
      depth++;
      continue;
    }
    if (record.type === RT.EOF) {
      depth--;
      if (depth === 0) break;
      continue;
    }
    if (depth !== 1) continue;
    const r = new RecordReader(record.data, record.continues);
    switch (record.type) {
      case RT.LABELSST: {
        const [row, column] = [r.u16(), r.u16()];
        r.u16();
        const value = globals.sharedStrings[r.u32()];
        if (value !== undefined) put(row, column, { value });
        break;
      }
      case RT.LABEL:
      case RT.RSTRING: {
        const [row, column] = [r.u16(), r.u16()];
        r.u16();
        put(row, column, { value: r.unicodeString(2) });
        break;
      }
      case RT.NUMBER: {
        const [row, column, xf] = [r.u16(), r.u16(), r.u16()];
        put(row, column, numberCell(float64(record.data, 6), xf));
        break;
      }
      case RT.RK: {
        const [row, column, xf] = [r.u16(), r.u16(), r.u16()];
        put(row, column, numberCell(rkNumber(r.u32()), xf));
        break;
      }
      case RT.MULRK: {
        const row = r.u16();
        const firstColumn = r.u16();
        const count = Math.floor((record.data.length - 6) / 6);
        for (let k = 0; k < count; k++) {
          const xf = r.u16();
          put(row, firstColumn + k, numberCell(rkNumber(r.u32()), xf));
        }
        break;
      }
      case RT.BOOLERR: {
        const [row, column] = [r.u16(), r.u16()];
        r.u16();
        const value = r.u8();
        const isError = r.u8() === 1;
        put(row, column, isError ? { value: null, error: ERRORS[value] ?? '#VALUE!' } : { value: value !== 0 });
        break;
      }
      case RT.FORMULA: {
        const [row, column, xf] = [r.u16(), r.u16(), r.u16()];
        pendingString = undefined;
        const d = record.data;
        if (d.length < 14) throw new BiffError('FORMULA record too short');
        if (d[12] === 0xff && d[13] === 0xff) {
          const kind = d[6];
          if (kind === 0) pendingString = { row, column };
          else if (kind === 1) put(row, column, { value: d[8] !== 0, formula: true });
          else if (kind === 2) put(row, column, { value: null, error: ERRORS[d[8] ?? 0x0f] ?? '#VALUE!', formula: true });
          else if (kind === 3) put(row, column, { value: '', formula: true });
          else put(row, column, { value: null, formula: true });
        } else {
          put(row, column, { ...numberCell(float64(d, 6), xf), formula: true });
        }
        break;
      }
      case RT.STRING:
        if (pendingString !== undefined) put(pendingString.row, pendingString.column, { value: r.unicodeString(2), formula: true });
        pendingString = undefined;
        break;
      case RT.ROW: {
        const row = r.u16();
        r.skip(10);
        if ((r.u16() & 0x20) !== 0) hiddenRows.add(row);
        break;
      }
      case RT.MERGEDCELLS: {
        const count = r.u16();
        for (let k = 0; k < count && r.remaining >= 8; k++) {
          const [r1, r2, c1, c2] = [r.u16(), r.u16(), r.u16(), r.u16()];
          if (r2 < r1 || c2 < c1) continue;
          const range = `${address(c1, r1 + 1)}:${address(c2, r2 + 1)}`;
          if (!mergeSeen.has(range)) {
            mergeSeen.add(range);
            merges.push(range);
          }
        }
        break;
      }
    }
  }
  if (depth !== 0) throw new BiffError(`the sheet at offset ${offset} ends without an EOF record`);

  const rows: RawRow[] = [];
  const numbers = [...new Set([...cells.keys(), ...hiddenRows])].sort((a, b) => a - b);
  for (const row of numbers) {
    const rowNumber = row + 1;
    const line = cells.get(row) ?? [];
    const kept: (RawCell | undefined)[] = line.length > ctx.maxColumns ? line.slice(0, ctx.maxColumns) : line;
    if (rows.length >= ctx.maxRows) {
      ctx.dropped.droppedRow(rowNumber);
      continue;
    }
    for (let c = ctx.maxColumns; c < line.length; c++) if (line[c] !== undefined) ctx.dropped.droppedCell(c, rowNumber);
    rows.push({ rowNumber, hidden: hiddenRows.has(row), cells: kept });
  }
  return { rows, merges };
}

/** An RK number (MS-XLS §2.5.217): a 30-bit integer or the top 30 bits of a double, maybe ÷ 100. */
export function rkNumber(rk: number): number {
  let n: number;
  if ((rk & 0x02) !== 0) {
    n = rk >> 2;
  } else {
    const b = new DataView(new ArrayBuffer(8));
    b.setUint32(4, (rk & 0xfffffffc) >>> 0, true);
    n = b.getFloat64(0, true);
  }
  return (rk & 0x01) !== 0 ? n / 100 : n;
}

function float64(data: Uint8Array, at: number): number {
  if (at + 8 > data.length) throw new BiffError('number cut short');
  return new DataView(data.buffer, data.byteOffset + at, 8).getFloat64(0, true);
}
