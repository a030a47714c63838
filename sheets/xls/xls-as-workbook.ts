/**
 * A legacy `.xls` as an exceljs workbook, for its marked-up copy (`reports/marked/`): as for a
 * CSV, the copy of an `.xls` is an `.xlsx` holding what tally read — every sheet under its own
 * name and visibility, each cell's value (a formula's cached result, never the formula: nothing
 * of a department's file is run), error values, dates shown as dates, merged ranges and hidden
 * rows — so that each finding's cell is where the clerk saw it. Fonts, colours and column
 * widths of the original are not carried over.
 *
 * @example
 * const book = await xlsAsWorkbook('out/archive/ab/ab12….xls');
 * book.getWorksheet('调解台账')?.getCell('C7').value;
 */
import ExcelJS from 'exceljs';
import { DEFAULT_LIMITS, type ReadLimits, type SheetStream } from '../raw-sheet.ts';
import { streamXls } from './xls-reader.ts';

const MARCH_1900 = Date.UTC(1900, 2, 1);

export async function xlsAsWorkbook(
  path: string,
  limits: ReadLimits = DEFAULT_LIMITS,
  /** The reader of the file (an `.ods` is copied the same way, by its own reader). */
  read: (path: string, limits: ReadLimits) => AsyncIterable<SheetStream> = streamXls,
): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  book.creator = 'tally';
  for await (const sheet of read(path, limits)) {
    const ws = book.addWorksheet(sheet.name, { state: sheet.hidden ? 'hidden' : 'visible' });
    for await (const rows of sheet.rows()) {
      for (const row of rows) {
        if (row.hidden) ws.getRow(row.rowNumber).hidden = true;
        row.cells.forEach((c, i) => {
          if (c === undefined) return;
          const cell = ws.getCell(row.rowNumber, i + 1);
          if (c.error !== undefined) {
            cell.value = { error: c.error } as ExcelJS.CellErrorValue;
          } else if (c.value instanceof Date) {
            // exceljs writes a date before 1 March 1900 a day off (Excel's 29 February 1900):
            // such a date goes in as its serial.
            const t = c.value.getTime();
            cell.value = t < MARCH_1900 ? (t - Date.UTC(1899, 11, 31)) / 86_400_000 : c.value;
            cell.numFmt = c.value.getTime() % 86_400_000 === 0 ? 'yyyy-mm-dd' : 'yyyy-mm-dd hh:mm:ss';
          } else if (typeof c.value === 'string') {
            // XML-illegal control characters cannot be written; nothing else is changed.
            cell.value = c.value.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
          } else if (c.value !== null) {
            cell.value = c.value;
          }
        });
      }
    }
    for (const range of sheet.merges) {
      try {
        ws.mergeCells(range);
      } catch {
        // Overlapping ranges (a damaged or crafted file): the cells stay, unmerged.
      }
    }
  }
  return book;
}
