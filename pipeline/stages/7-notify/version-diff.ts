/**
 * Two versions of one file compared row by row, ledger by ledger: identical rows first (wherever
 * they moved), then rows with the same key, then rows at the same place; what is left was added
 * or removed. Only for versions small enough to hold in memory (the caller checks DIFF_ROWS).
 */
import type { Kysely } from 'kysely';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { LedgerCatalog, LedgerDef } from '../../../sheets/ledger-catalog.ts';
import { tableName } from '../../kernel/db/ledger-tables.ts';
import type { Database } from '../../kernel/db/schema.ts';

export interface CellChange {
  readonly sheet: string;
  /** Where the value is now (A1). */
  readonly cell: string;
  /** The column's header (调解结果). */
  readonly field: string;
  readonly before: string | null;
  readonly after: string | null;
}

export interface RowChange {
  readonly sheet: string;
  readonly row: number;
  /** The ledger's name and the row's key or first values, for people. */
  readonly text: string;
}


interface StoredRow {
  readonly version: bigint;
  readonly sheet: string;
  readonly row: number;
  readonly key: string | null;
  readonly values: readonly (string | null)[];
  readonly cells: readonly (string | null)[];
}

/** The rows of two versions of one file, ledger by ledger, matched and compared. */
export async function diffVersions(
  db: Kysely<Database>,
  connection: DuckDBConnection,
  oldId: bigint,
  newId: bigint,
  catalog: LedgerCatalog,
): Promise<{ cells: CellChange[]; added: RowChange[]; removed: RowChange[] }> {
  const ledgers = await db
    .selectFrom('sheet_reads')
    .where('file_version_id', 'in', [oldId, newId])
    .where('ledger', 'is not', null)
    .select('ledger')
    .distinct()
    .execute();
  const cells: CellChange[] = [];
  const added: RowChange[] = [];
  const removed: RowChange[] = [];
  for (const { ledger: id } of ledgers.sort((a, b) => (a.ledger ?? '').localeCompare(b.ledger ?? ''))) {
    const ledger = id === null ? undefined : catalog.byId(id);
    if (ledger === undefined) continue;
    const rows = await storedRows(connection, ledger, oldId, newId);
    const d = diffRows(
      ledger,
      rows.filter((r) => r.version === oldId),
      rows.filter((r) => r.version === newId),
    );
    for (const c of d.cells) cells.push(c);
    for (const r of d.added) added.push(r);
    for (const r of d.removed) removed.push(r);
  }
  return { cells, added, removed };
}

const q = (id: string) => `"${id}"`;

/** How many ledger rows each of two versions holds (from what was recorded when each was read). */
export async function versionRows(db: Kysely<Database>, oldId: bigint, newId: bigint): Promise<{ before: number; after: number }> {
  const reads = await db
    .selectFrom('sheet_reads')
    .where('file_version_id', 'in', [oldId, newId])
    .select(['file_version_id', 'rows'])
    .execute();
  let before = 0;
  let after = 0;
  for (const r of reads) {
    if (r.file_version_id === oldId) before += Number(r.rows);
    else after += Number(r.rows);
  }
  return { before, after };
}

async function storedRows(connection: DuckDBConnection, ledger: LedgerDef, oldId: bigint, newId: bigint): Promise<StoredRow[]> {
  const fields = ledger.fields.map((f, i) => `cast(${q(f.id)} as varchar) as v${i}, ${q(`${f.id}__cell`)} as c${i}`).join(', ');
  const result = await connection.runAndReadAll(
    `select file_version_id, sheet, row_no, key_norm, ${fields} from ${q(tableName(ledger))}
     where file_version_id = $old or file_version_id = $new order by file_version_id, sheet, row_no`,
    { old: oldId, new: newId },
  );
  return (result.getRowObjectsJS() as Record<string, unknown>[]).map((r) => ({
    version: BigInt(r['file_version_id'] as bigint | number),
    sheet: String(r['sheet'] ?? ''),
    row: Number(r['row_no']),
    key: r['key_norm'] === null || r['key_norm'] === undefined ? null : String(r['key_norm']),
    values: ledger.fields.map((f, i) => display(r[`v${i}`], f.type)),
    cells: ledger.fields.map((_f, i) => (r[`c${i}`] === null || r[`c${i}`] === undefined ? null : String(r[`c${i}`]))),
  }));
}

/**
 * Pairs the rows of two versions: identical rows first (wherever they moved), then rows with the
 * same key (案号, 姓名 …), then rows at the same place; what is left was added or removed.
 */
function diffRows(
  ledger: LedgerDef,
  before: readonly StoredRow[],
  after: readonly StoredRow[],
): { cells: CellChange[]; added: RowChange[]; removed: RowChange[] } {
  const oldLeft = new Set(before);
  const newLeft = new Set(after);
  const pairs: [StoredRow, StoredRow][] = [];
  const pairBy = (keyOf: (r: StoredRow) => string | null, record: boolean) => {
    const pool = new Map<string, StoredRow[]>();
    for (const r of oldLeft) {
      const k = keyOf(r);
      if (k !== null) pool.set(k, [...(pool.get(k) ?? []), r]);
    }
    for (const r of [...newLeft]) {
      const k = keyOf(r);
      const match = k === null ? undefined : pool.get(k)?.shift();
      if (match === undefined) continue;
      oldLeft.delete(match);
      newLeft.delete(r);
      if (record) pairs.push([match, r]);
    }
  };
  pairBy((r) => JSON.stringify(r.values), false);
  pairBy((r) => r.key, true);
  pairBy((r) => `${r.sheet}\u0000${r.row}`, true);

  const cells: CellChange[] = [];
  for (const [o, n] of pairs.sort((a, b) => a[1].sheet.localeCompare(b[1].sheet) || a[1].row - b[1].row)) {
    ledger.fields.forEach((f, i) => {
      const was = o.values[i] ?? null;
      const is = n.values[i] ?? null;
      if (was === is) return;
      const cell = n.cells[i] ?? moveRow(o.cells[i] ?? null, n.row) ?? `${n.row}`;
      cells.push({ sheet: n.sheet, cell, field: f.header, before: was, after: is });
    });
  }
  const describe = (r: StoredRow): RowChange => ({ sheet: r.sheet, row: r.row, text: `${ledger.name}：${summary(r)}` });
  const byPlace = (a: StoredRow, b: StoredRow) => a.sheet.localeCompare(b.sheet) || a.row - b.row;
  return { cells, added: [...newLeft].sort(byPlace).map(describe), removed: [...oldLeft].sort(byPlace).map(describe) };
}

/** `D7` of the old row, moved to row 9: `D9`. */
function moveRow(cell: string | null, row: number): string | null {
  const letters = cell === null ? null : /^([A-Z]+)\d+$/.exec(cell)?.[1];
  return letters === undefined || letters === null ? null : `${letters}${row}`;
}

/** The first few values of a row, for a person to recognise it. */
function summary(r: StoredRow): string {
  return r.values
    .filter((v): v is string => v !== null && v !== '')
    .slice(0, 3)
    .map((v) => (v.length > 30 ? `${v.slice(0, 30)}…` : v))
    .join('，');
}

function display(value: unknown, type: string): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value);
  if (type === 'bool') return text === 'true' ? '是' : text === 'false' ? '否' : text;
  if (type === 'number' || type === 'integer') return text.replace(/\.0$/, '');
  return text;
}

