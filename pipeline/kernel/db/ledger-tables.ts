/**
 * One table per ledger, shaped by the ledger catalog, kept lean because every row goes through
 * the appender: the file version, the sheet's number in the file, the row and its normalized
 * key, then one column per field (`ledger_<id>_data`). What is the same for every row
 * of a sheet (its name, the column letter of each field) is stored once per sheet
 * (`ledger_<id>_sheets`). Two views put it back together:
 *
 * - `ledger_<id>`: every row of every version, with department, file, sheet, row_no, its
 *   fingerprint (what makes two rows "identical" for row.duplicate: every field but 序号) and,
 *   for each field, its value and the A1 address it came from (`<field>__cell`);
 * - `<id>`: the rows of current file versions only, with their `period_date`: what the SQL in
 *   `sql/` reads.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { FieldType, LedgerCatalog, LedgerDef } from '../../../sheets/ledger-catalog.ts';

export const SQL_TYPE: Readonly<Record<FieldType, string>> = {
  date: 'DATE',
  enum: 'VARCHAR',
  text: 'VARCHAR',
  key: 'VARCHAR',
  number: 'DOUBLE',
  integer: 'BIGINT',
  bool: 'BOOLEAN',
};

/** Per-row columns of the data table, in table order, before the field columns. */
export const ROW_COLUMNS = [
  ['file_version_id', 'BIGINT'],
  ['sheet_no', 'INTEGER'],
  ['row_no', 'INTEGER'],
  ['key_norm', 'VARCHAR'],
] as const;

/**
 * Columns earlier versions stored and this one no longer writes: dropped from existing tables,
 * since the appender fills every column. `fingerprint` was a SHA-1 computed in JS for every
 * row; the views now compute it from the fields, in DuckDB, only when a check asks for it.
 */
const RETIRED_COLUMNS: ReadonlySet<string> = new Set(['fingerprint']);

/** The view of every version's rows with full provenance (read this, not the data table). */
export function tableName(ledger: LedgerDef): string {
  return `ledger_${ledger.id}`;
}

/** The table the appender fills. */
export function dataTableName(ledger: Pick<LedgerDef, 'id'>): string {
  return `ledger_${ledger.id}_data`;
}

/** The per-sheet table: sheet name and each field's column letter. */
export function sheetTableName(ledger: Pick<LedgerDef, 'id'>): string {
  return `ledger_${ledger.id}_sheets`;
}

/** Every column of a data table, in order: what the appender must fill. */
export function ledgerColumns(ledger: LedgerDef): { name: string; type: string }[] {
  return [...ROW_COLUMNS.map(([name, type]) => ({ name, type })), ...ledger.fields.map((f) => ({ name: f.id, type: SQL_TYPE[f.type] }))];
}

/** Every column of a per-sheet table, in order. */
export function sheetColumns(ledger: LedgerDef): { name: string; type: string }[] {
  return [
    { name: 'file_version_id', type: 'BIGINT' },
    { name: 'sheet_no', type: 'INTEGER' },
    { name: 'sheet', type: 'VARCHAR' },
    ...ledger.fields.map((f) => ({ name: `${f.id}__col`, type: 'VARCHAR' })),
  ];
}

// Ledger and field ids are validated lower_snake_case at catalog load, so quoting suffices.
const q = (id: string) => `"${id}"`;

async function ensureTable(
  connection: DuckDBConnection,
  table: string,
  columns: readonly { name: string; type: string }[],
  existing: ReadonlyMap<string, ReadonlySet<string>>,
): Promise<void> {
  const have = existing.get(table);
  if (have === undefined) {
    await connection.run(`create table ${q(table)} (${columns.map((c) => `${q(c.name)} ${c.type}`).join(', ')})`);
    return;
  }
  // The appender fills these tables by position: a catalog whose fields changed order, gained
  // one before others or lost one would have its values land in the wrong columns. Such a table
  // is made again in the catalog's order (a field no longer in it goes; a new one is null).
  const wanted = columns.map((c) => c.name);
  const kept = [...have].filter((name) => wanted.includes(name));
  const after = [...kept, ...wanted.filter((name) => !have.has(name))];
  const unknown = [...have].some((name) => !wanted.includes(name) && !RETIRED_COLUMNS.has(name));
  if (unknown || after.join('\u0000') !== wanted.join('\u0000')) {
    const select = columns.map((c) => (have.has(c.name) ? q(c.name) : `cast(null as ${c.type}) as ${q(c.name)}`));
    await connection.run(`create or replace table ${q(table)} as select ${select.join(', ')} from ${q(table)}`);
    return;
  }
  // These tables have no nextval() default, so an ALTER here replays safely from the WAL.
  for (const name of have) {
    if (RETIRED_COLUMNS.has(name) && !columns.some((c) => c.name === name)) await connection.run(`alter table ${q(table)} drop column ${q(name)}`);
  }
  for (const c of columns) {
    // A field added to the catalog later: older rows read it as null.
    if (!have.has(c.name)) await connection.run(`alter table ${q(table)} add column ${q(c.name)} ${c.type}`);
  }
}

/** Table name → its columns in the table's order, for every table of the database (one query, not one per table). */
async function tableColumns(connection: DuckDBConnection): Promise<Map<string, Set<string>>> {
  const rows = await connection.runAndReadAll(`select table_name, column_name from duckdb_columns() where schema_name = 'main' order by table_name, column_index`);
  const out = new Map<string, Set<string>>();
  for (const [table, column] of rows.getRowsJS()) {
    const columns = out.get(String(table)) ?? new Set<string>();
    columns.add(String(column));
    out.set(String(table), columns);
  }
  return out;
}

/**
 * Creates missing ledger tables and columns, and (re)creates the views. Idempotent.
 *
 * Besides the views per ledger, views span all ledgers so that checks stay one SQL file each
 * however many ledgers the catalog has: `ledger_rows` (provenance, key, fingerprint, period
 * date and its cell), `ledger_numbers` (every numeric value, for 合计 checks), and the tables
 * `ledger_catalog` / `field_catalog` (names for messages).
 */
export async function ensureLedgerTables(connection: DuckDBConnection, catalog: LedgerCatalog): Promise<void> {
  const existing = await tableColumns(connection);
  for (const ledger of catalog.ledgers) {
    await ensureTable(connection, dataTableName(ledger), ledgerColumns(ledger), existing);
    await ensureTable(connection, sheetTableName(ledger), sheetColumns(ledger), existing);
    const fields = ledger.fields.map((f) => `t.${q(f.id)}, s.${q(`${f.id}__col`)} || t.row_no as ${q(`${f.id}__cell`)}`).join(',\n           ');
    // Every field but the running number 序号, hashed to 64 bits: the odds of two different rows
    // matching among a million rows of one department are about 1 in 30 million.
    const printed = ledger.fields.filter((f) => f.id !== 'seq').map((f) => `t.${q(f.id)}`);
    const fingerprint = printed.length === 0 ? 'cast(0 as ubigint)' : `hash(${printed.join(', ')})`;
    await connection.run(
      `create or replace view ${q(tableName(ledger))} as
         select t.file_version_id, v.department, v.path as file, s.sheet, t.row_no, t.key_norm, ${fingerprint} as fingerprint,
           ${fields},
           v.version as file_version, v.current
         from ${q(dataTableName(ledger))} t
         join file_versions v on v.id = t.file_version_id
         join ${q(sheetTableName(ledger))} s on s.file_version_id = t.file_version_id and s.sheet_no = t.sheet_no`,
    );
    const period = ledger.period === null || ledger.period.length === 0
      ? 'cast(null as date)'
      : `coalesce(${ledger.period.map((p) => q(p)).join(', ')})`;
    await connection.run(
      `create or replace view ${q(ledger.id)} as
         select * exclude (current), ${period} as period_date
         from ${q(tableName(ledger))}
         where current`,
    );
  }
  await ensureCrossLedgerViews(connection, catalog);
}

async function ensureCrossLedgerViews(connection: DuckDBConnection, catalog: LedgerCatalog): Promise<void> {
  const rows = catalog.ledgers.map((l) => {
    const key = l.key === undefined ? 'cast(null as varchar)' : `cast(${q(l.key)} as varchar)`;
    const keyCell = l.key === undefined ? 'cast(null as varchar)' : q(`${l.key}__cell`);
    const periods = l.period ?? [];
    const periodCell = periods.length === 0
      ? 'cast(null as varchar)'
      : `case ${periods.map((p) => `when ${q(p)} is not null then ${q(`${p}__cell`)}`).join(' ')} end`;
    return `select '${l.id}' as ledger, department, file, sheet, row_no, file_version_id, key_norm,
      ${key} as key_value, ${keyCell} as key_cell, fingerprint, period_date, ${periodCell} as period_cell
      from ${q(l.id)}`;
  });
  await connection.run(`create or replace view ledger_rows as ${rows.join('\nunion all\n')}`);
  // Overlapping files and sheets are computed by the check stage, once per run, into the run
  // tables `file_overlaps` and `sheet_overlaps` (run-tables.ts); earlier databases held views.
  await dropOldOverlapsViews(connection);
  const numbers = catalog.ledgers.flatMap((l) =>
    l.fields
      .filter((f) => f.type === 'number' || f.type === 'integer')
      .map((f) => `select '${l.id}' as ledger, '${f.id}' as field, file_version_id, sheet, row_no,
        cast(${q(f.id)} as double) as value from ${q(l.id)}`),
  );
  await connection.run(
    `create or replace view ledger_numbers as ${numbers.length > 0 ? numbers.join('\nunion all\n')
      : "select '' as ledger, '' as field, cast(0 as bigint) as file_version_id, '' as sheet, 0 as row_no, cast(0 as double) as value where false"}`,
  );
  // 1400.0 → '1400', 12.5 → '12.5': numbers in messages as a clerk writes them.
  await connection.run(`create or replace macro num_text(x) as regexp_replace(cast(x as varchar), '\\.0$', '')`);
  await connection.run('create or replace table ledger_catalog (id varchar, name varchar)');
  await connection.run('create or replace table field_catalog (ledger varchar, field varchar, header varchar)');
  // One statement per table (each insert alone cost ~1 ms, on every open).
  await insertRows(connection, 'ledger_catalog', catalog.ledgers.map((l) => [l.id, l.name]));
  await insertRows(connection, 'field_catalog', catalog.ledgers.flatMap((l) => l.fields.map((f) => [l.id, f.id, f.header])));
}

/**
 * Databases made before the run table `file_overlaps` held a view of that name, and later ones a
 * view `file_overlaps_now` it was filled from.
 */
async function dropOldOverlapsViews(connection: DuckDBConnection): Promise<void> {
  const old = await connection.runAndReadAll(
    "select view_name from duckdb_views() where schema_name = 'main' and view_name in ('file_overlaps', 'file_overlaps_now')",
  );
  for (const [name] of old.getRowsJS()) await connection.run(`drop view "${String(name)}"`);
}

/** A value bound as a parameter of {@link insertRows}. */
export type RowValue = string | number | bigint | null;

/** Inserts rows into `table` in one statement, every value a parameter (never spliced into the SQL). */
export async function insertRows(connection: DuckDBConnection, table: string, rows: readonly (readonly RowValue[])[]): Promise<void> {
  if (rows.length === 0) return;
  const values: RowValue[] = [];
  const tuples = rows.map((row) => `(${row.map((v) => (values.push(v), `$${values.length}`)).join(', ')})`);
  await connection.run(`insert into ${q(table)} values ${tuples.join(', ')}`, values);
}
