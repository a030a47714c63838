/** tally's reading of a file (`readFile`), brought to the comparison model. */
import { UnreadableFileError, address } from '../../sheets/raw-sheet.ts';
import { readFile } from '../../sheets/read-file.ts';
import type { ModelBook, ModelCell, ModelSheet } from './spec.ts';

export async function tallyModel(path: string): Promise<ModelBook> {
  const sheets: ModelSheet[] = [];
  try {
    for await (const sheet of readFile(path)) {
      const cells: Record<string, ModelCell> = {};
      for (const row of sheet.rows) {
        row.cells.forEach((cell, c) => {
          if (cell === undefined) return;
          const at = address(c, row.rowNumber);
          if (cell.error !== undefined) cells[at] = ['e', cell.error];
          else if (cell.value instanceof Date) cells[at] = ['d', cell.value.toISOString().replace(/\.000Z$|Z$/, '')];
          else if (typeof cell.value === 'string') cells[at] = ['s', cell.value];
          else if (typeof cell.value === 'number') cells[at] = ['n', cell.value];
          else if (typeof cell.value === 'boolean') cells[at] = ['b', cell.value];
        });
      }
      if (sheet.truncated !== undefined) throw new Error(`${path}: sheet ${sheet.name} truncated`);
      sheets.push({ name: sheet.name, hidden: sheet.hidden, merges: [...sheet.merges].sort(), cells });
    }
  } catch (error) {
    if (error instanceof UnreadableFileError) return { unreadable: `${error.message} (${String((error.cause as Error | undefined)?.message ?? '')})` };
    throw error;
  }
  return { sheets };
}
