/** What tests compare of a sheet's extraction. */
import type { SheetExtraction } from '../../sheets/extract-sheet.ts';

/** The ledger id, the header rows and each field id's header cell. */
export function headerOf(x: SheetExtraction) {
  return {
    ledger: x.ledger?.id ?? null,
    rows: x.header?.rows ?? null,
    columns: Object.fromEntries((x.header?.columns ?? []).map((m) => [m.field.id, m.address])),
  };
}
