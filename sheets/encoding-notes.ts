/**
 * `cell.encoding` notes for the readers of markup saved as `.xls` (an HTML table, SpreadsheetML
 * 2003): a cell whose text holds `�` had bytes not valid in the file's encoding. The value is
 * kept (the row still counts) and the clerk asked to check it, as the CSV reader does; past
 * {@link MAX_NOTES_PER_KIND} one note at the end stands for the rest, so a file of mojibake
 * holds a bounded list.
 */
import { MAX_NOTES_PER_KIND } from './csv-reader.ts';
import { address, columnLetters, type ReadNote } from './raw-sheet.ts';

export class EncodingNotes {
  #notes: ReadNote[] = [];
  #kept = 0;
  #more: { count: number; first: string; firstRow: number; lastRow: number } | undefined;

  /** @param encoding how the file was decoded, as the message names it (`GBK/GB18030`, `UTF-8`) */
  constructor(private readonly encoding: string) {}

  /** Looks at one cell's text (0-based column, 1-based row). */
  check(text: string, column: number, rowNumber: number): void {
    if (!text.includes('\uFFFD')) return;
    const cell = address(column, rowNumber);
    if (this.#kept < MAX_NOTES_PER_KIND) {
      this.#kept++;
      const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
      this.#notes.push({
        code: 'cell.encoding',
        cell,
        actual: text,
        message: `第 ${rowNumber} 行 ${columnLetters(column)} 列（${cell}）含有无法识别的字符（文件按 ${this.encoding} 编码读取，这一格的字节不是有效的 ${this.encoding} 字符：文件编码混杂或文件不完整），读出的是“${shown}”（� 处为无法识别的字节），可能与原内容不符。请用 Excel 打开文件核对这一行，另存为 .xlsx 后重新报送。`,
      });
      return;
    }
    this.#more ??= { count: 0, first: cell, firstRow: rowNumber, lastRow: rowNumber };
    this.#more.count++;
    this.#more.lastRow = rowNumber;
  }

  /** The notes made since the last call. */
  take(): ReadNote[] {
    const out = this.#notes;
    this.#notes = [];
    return out;
  }

  /** Once the sheet has ended: the note that stands for those past the cap. */
  finish(): void {
    const more = this.#more;
    if (more === undefined) return;
    this.#more = undefined;
    this.#notes.push({
      code: 'cell.encoding',
      cell: more.first,
      actual: `另有 ${more.count} 个单元格`,
      message: `从 ${more.first} 起（第 ${more.firstRow}–${more.lastRow} 行）另有 ${more.count} 个单元格同样含有无法识别的字符，未逐一列出。请整体检查这个文件后重新报送。`,
    });
  }
}

/** How a decoder's label is named to a clerk. */
export function encodingName(label: string): string {
  if (label === 'gb18030' || label === 'gbk') return 'GBK/GB18030';
  if (label.startsWith('utf-16')) return 'UTF-16';
  return label.toUpperCase();
}
