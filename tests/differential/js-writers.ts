/** The spec written by exceljs and by SheetJS (`xlsx` 0.18.5, used here only to write). */
import ExcelJS from 'exceljs';
import XLSX from 'xlsx';
import { ERROR_VALUES, a1, serialOf, type BookSpec, type CellSpec } from './spec.ts';

export interface ExcelJsOptions {
  /** false: inline strings (`useSharedStrings: false`). */
  readonly sharedStrings: boolean;
  /** Text as rich-text runs. */
  readonly rich: boolean;
}

function utcDate(iso: string): Date {
  return new Date(`${iso.length === 10 ? `${iso}T00:00:00` : iso}Z`);
}

export async function writeExcelJs(book: BookSpec, options: ExcelJsOptions): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  if (book.date1904) wb.properties.date1904 = true;
  for (const sheet of book.sheets) {
    const ws = wb.addWorksheet(sheet.name, { state: sheet.state });
    sheet.rows.forEach((row, r) =>
      row.forEach((cell, c) => {
        if (cell === null) return;
        const target = ws.getCell(r + 1, c + 1);
        const value = (spec: Exclude<CellSpec, { t: 'f' }>, cached = false): ExcelJS.CellValue => {
          switch (spec.t) {
            case 's': {
              if (!options.rich || cached || spec.v.length < 2) return spec.v;
              const chars = [...spec.v];
              return { richText: [{ text: chars.slice(0, 1).join(''), font: { bold: true } }, { text: chars.slice(1).join('') }] };
            }
            case 'd':
              target.numFmt = spec.v.length === 10 ? 'yyyy-mm-dd' : 'yyyy-mm-dd hh:mm:ss';
              return utcDate(spec.v);
            case 'e':
              return { error: spec.v } as ExcelJS.CellErrorValue;
            default:
              return spec.v;
          }
        };
        if (cell.t === 'f') {
          const cached = value(cell.cached, true);
          target.value = { formula: cell.f, result: cached as never };
        } else {
          target.value = value(cell);
        }
      }),
    );
    for (const m of sheet.merges) ws.mergeCells(m);
  }
  return Buffer.from(await wb.xlsx.writeBuffer({ useSharedStrings: options.sharedStrings } as never));
}

export interface SheetJsOptions {
  /** Strings in the shared table (`bookSST`), or inline as `t="str"`. */
  readonly sharedStrings: boolean;
  /** Dates as `t="d"` ISO text (`cellDates`), or serials with a format. */
  readonly isoDates: boolean;
  readonly compression: boolean;
}

const SHEETJS_ERRORS: Readonly<Record<(typeof ERROR_VALUES)[number], number>> = {
  '#NULL!': 0x00,
  '#DIV/0!': 0x07,
  '#VALUE!': 0x0f,
  '#REF!': 0x17,
  '#NAME?': 0x1d,
  '#NUM!': 0x24,
  '#N/A': 0x2a,
};

export function writeSheetJs(book: BookSpec, options: SheetJsOptions): Buffer {
  const wb = XLSX.utils.book_new();
  for (const sheet of book.sheets) {
    const ws: XLSX.WorkSheet = {};
    let maxC = 0;
    sheet.rows.forEach((row, r) =>
      row.forEach((cell, c) => {
        if (cell === null) return;
        maxC = Math.max(maxC, c);
        const value = (spec: Exclude<CellSpec, { t: 'f' }>): XLSX.CellObject => {
          switch (spec.t) {
            case 'd': {
              const z = spec.v.length === 10 ? 'yyyy-mm-dd' : 'yyyy-mm-dd hh:mm:ss';
              if (options.isoDates) return { t: 'd', v: utcDate(spec.v), z };
              return { t: 'n', v: serialOf(spec.v, book.date1904), z };
            }
            case 'e':
              return { t: 'e', v: SHEETJS_ERRORS[spec.v] };
            default:
              return { t: spec.t, v: spec.v } as XLSX.CellObject;
          }
        };
        ws[a1(c, r + 1)] = cell.t === 'f' ? { ...value(cell.cached), f: cell.f } : value(cell);
      }),
    );
    ws['!ref'] = `A1:${a1(maxC, sheet.rows.length)}`;
    ws['!merges'] = sheet.merges.map((m) => XLSX.utils.decode_range(m));
    XLSX.utils.book_append_sheet(wb, ws, sheet.name);
  }
  wb.Workbook = {
    Sheets: book.sheets.map((s) => ({ name: s.name, Hidden: s.state === 'visible' ? 0 : s.state === 'hidden' ? 1 : 2 })),
    WBProps: { date1904: book.date1904 },
  };
  return XLSX.write(wb, {
    type: 'buffer',
    bookType: 'xlsx',
    bookSST: options.sharedStrings,
    cellDates: options.isoDates,
    compression: options.compression,
  }) as Buffer;
}
