/** What tests compare of a sheet's extraction, and the extractions of a file. */
import { basename, join } from 'node:path';
import { extractSheet, type SheetExtraction } from '../../sheets/extract-sheet.ts';
import { loadLedgerCatalog } from '../../sheets/ledger-catalog.ts';
import { readFile } from '../../sheets/read-file.ts';

/** The demo pack's ledgers (packs/anding-2020). */
export const ANDING_LEDGERS = loadLedgerCatalog(join(import.meta.dirname, '..', '..', 'packs', 'anding-2020', 'ledgers.json'));

/** The ledger id, the header rows and each field id's header cell. */
export function headerOf(x: SheetExtraction) {
  return {
    ledger: x.ledger?.id ?? null,
    rows: x.header?.rows ?? null,
    columns: Object.fromEntries((x.header?.columns ?? []).map((m) => [m.field.id, m.address])),
  };
}

/**
 * Every sheet of the workbook (or CSV) at `path`, read by tally's reader and extracted against
 * the demo pack's ledgers (anding-2020) as `department`'s file for 2020.
 */
export async function extractSheets(path: string, department = 'justice'): Promise<SheetExtraction[]> {
  const out: SheetExtraction[] = [];
  for await (const sheet of readFile(path)) out.push(extractSheet(sheet, ANDING_LEDGERS, { year: 2020, department, file: basename(path) }));
  return out;
}

/** {@link extractSheets} of a file of one sheet. */
export async function extractOnlySheet(path: string, department = 'justice'): Promise<SheetExtraction> {
  const [only, ...rest] = await extractSheets(path, department);
  if (only === undefined || rest.length > 0) throw new Error(`${path}: ${rest.length + (only === undefined ? 0 : 1)} sheets, not one`);
  return only;
}
