import Papa from 'papaparse';
import { DEFAULT_LIMITS, TruncationCounter, type RawCell, type RawRow, type RawSheet, type ReadLimits } from './raw-sheet.ts';

export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'gb18030';

/**
 * The text of a CSV file and the encoding it was found in: a BOM when there is one, else
 * UTF-8 when the bytes are valid UTF-8, else GB18030 (a superset of GBK, which is what Excel
 * on a Chinese Windows writes when it saves "CSV").
 *
 * @example
 * decodeText(new Uint8Array([0xc8, 0xd5, 0xc6, 0xda])) // { text: '日期', encoding: 'gb18030' }
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncoding } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: decode('utf-8', bytes.subarray(3)), encoding: 'utf-8-bom' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: decode('utf-16le', bytes.subarray(2)), encoding: 'utf-16le' };
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: decode('utf-16be', bytes.subarray(2)), encoding: 'utf-16be' };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    // Not UTF-8: GB18030 decodes every byte sequence (invalid ones become U+FFFD).
    return { text: decode('gb18030', bytes), encoding: 'gb18030' };
  }
}

function decode(label: string, bytes: Uint8Array): string {
  // ignoreBOM: the BOM is already cut off; a second one would be content.
  return new TextDecoder(label, { ignoreBOM: true }).decode(bytes);
}

/**
 * One CSV file as a sheet: every cell a string (the normalizer types values), rows numbered
 * 1-based by record (a quoted line break stays inside its cell and does not start a record),
 * ragged rows kept as they are, empty cells undefined and wholly empty records left out.
 * The delimiter is detected among `,` tab `;` `|`. Records past `limits.maxRowsPerSheet` and
 * fields past `limits.maxColumns` are dropped and counted in `truncated`.
 *
 * @param sheetName the file name without its extension
 * @example
 * readCsv(bytes, '普法宣传台账').rows[0]?.cells[0] // { value: '日期' }
 */
export function readCsv(
  bytes: Uint8Array,
  sheetName: string,
  limits: Pick<ReadLimits, 'maxRowsPerSheet' | 'maxColumns'> = DEFAULT_LIMITS,
): RawSheet {
  const { text } = decodeText(bytes);
  // Parse errors (an unclosed quote, an undetectable delimiter in a one-column file) still
  // leave the best reading in `data`; a ledger is judged by its content, not by CSV syntax.
  const parsed = Papa.parse<string[]>(text, {
    delimitersToGuess: [',', '\t', ';', '|'],
    dynamicTyping: false,
    header: false,
    skipEmptyLines: false,
  });
  const rows: RawRow[] = [];
  const dropped = new TruncationCounter(limits);
  parsed.data.forEach((record, index) => {
    const rowNumber = index + 1;
    const cells: (RawCell | undefined)[] = record.map((field) => (field === '' ? undefined : { value: field }));
    if (!cells.some((c) => c !== undefined)) return;
    if (rows.length >= limits.maxRowsPerSheet) return dropped.droppedRow(rowNumber);
    cells.forEach((c, column) => {
      if (c !== undefined && column >= limits.maxColumns) dropped.droppedCell(column, rowNumber);
    });
    rows.push({ rowNumber, hidden: false, cells: cells.slice(0, limits.maxColumns) });
  });
  return { name: sheetName, hidden: false, rows, merges: [], ...dropped.result() };
}
