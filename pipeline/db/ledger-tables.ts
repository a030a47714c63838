/**
 * One table per ledger, shaped by the ledger catalog: provenance columns, then for each field
 * its typed value and the A1 address it came from (`<field>__cell`). A view named after the
 * ledger shows the rows of current file versions with their `period_date`: that view is what
 * the SQL in `sql/` reads.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { FieldType, LedgerCatalog, LedgerDef } from '../../sheets/ledger-catalog.ts';

export const SQL_TYPE: Readonly<Record<FieldType, string>> = {
  date: 'DATE',
  enum: 'VARCHAR',
  text: 'VARCHAR',
  key: 'VARCHAR',
  number: 'DOUBLE',
  integer: 'BIGINT',
  bool: 'BOOLEAN',
};

/** Provenance columns, in table order, before the field columns. */
export const PROVENANCE_COLUMNS = [
  ['file_version_id', 'BIGINT'],
  ['department', 'VARCHAR'],
  ['file', 'VARCHAR'],
  ['sheet', 'VARCHAR'],
  ['row_no', 'INTEGER'],
  ['key_norm', 'VARCHAR'],
  ['fingerprint', 'VARCHAR'],
] as const;

export function tableName(ledger: LedgerDef): string {
  return `ledger_${ledger.id}`;
}

/** Every column of a ledger table, in order: what the appender must fill. */
export function ledgerColumns(ledger: LedgerDef): { name: string; type: string }[] {
  return [
    ...PROVENANCE_COLUMNS.map(([name, type]) => ({ name, type })),
    ...ledger.fields.flatMap((f) => [
      { name: f.id, type: SQL_TYPE[f.type] },
      { name: `${f.id}__cell`, type: 'VARCHAR' },
    ]),
  ];
}

// Ledger and field ids are validated lower_snake_case at catalog load, so quoting suffices.
const q = (id: string) => `"${id}"`;

/**
 * Creates missing ledger tables and columns, and (re)creates the views. Idempotent.
 *
 * Besides one view per ledger, three views span all ledgers so that checks stay one SQL file
 * each however many ledgers the catalog has: `ledger_rows` (provenance, key, fingerprint,
 * period date and its cell), `ledger_numbers` (every numeric value, for 合计 checks), and the
 * tables `ledger_catalog` / `field_catalog` (names for messages).
 */
export async function ensureLedgerTables(connection: DuckDBConnection, catalog: LedgerCatalog): Promise<void> {
  for (const ledger of catalog.ledgers) {
    const table = tableName(ledger);
    const columns = ledgerColumns(ledger);
    await connection.run(`create table if not exists ${q(table)} (${columns.map((c) => `${q(c.name)} ${c.type}`).join(', ')})`);
    const existing = await connection.runAndReadAll(
      `select column_name from information_schema.columns where table_name = $table`,
      { table },
    );
    const have = new Set(existing.getRowObjectsJS().map((r) => String(r['column_name'])));
    for (const c of columns) {
      // A field added to the catalog later: older rows read it as null.
      if (!have.has(c.name)) await connection.run(`alter table ${q(table)} add column ${q(c.name)} ${c.type}`);
    }
    const period = ledger.period === null || ledger.period.length === 0
      ? 'cast(null as date)'
      : `coalesce(${ledger.period.map((p) => `t.${q(p)}`).join(', ')})`;
    await connection.run(
      `create or replace view ${q(ledger.id)} as
         select t.*, ${period} as period_date, v.version as file_version
         from ${q(table)} t join file_versions v on v.id = t.file_version_id
         where v.current`,
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
  // Two current files of one department sharing most of their rows of a ledger: the classic
  // 台账.xlsx + 台账（修改）.xlsx. Pairs are ordered (file_a < file_b); shared counts identical rows.
  await connection.run(`create or replace view file_overlaps as
    with per_file as (
      select ledger, department, file, fingerprint, count(*) as n
      from ledger_rows group by all
    ), sizes as (
      select ledger, department, file, sum(n) as rows from per_file group by all
    ), shared as (
      select a.ledger, a.department, a.file as file_a, b.file as file_b, sum(least(a.n, b.n)) as shared
      from per_file a join per_file b
        on a.ledger = b.ledger and a.department = b.department and a.fingerprint = b.fingerprint and a.file < b.file
      group by all
    )
    select s.*, sa.rows as rows_a, sb.rows as rows_b
    from shared s
    join sizes sa on sa.ledger = s.ledger and sa.department = s.department and sa.file = s.file_a
    join sizes sb on sb.ledger = s.ledger and sb.department = s.department and sb.file = s.file_b
    where s.shared * 2 >= least(sa.rows, sb.rows) and s.shared >= 3`);
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
  for (const l of catalog.ledgers) {
    await connection.run('insert into ledger_catalog values ($id, $name)', { id: l.id, name: l.name });
    for (const f of l.fields) {
      await connection.run('insert into field_catalog values ($ledger, $field, $header)', { ledger: l.id, field: f.id, header: f.header });
    }
  }
}
