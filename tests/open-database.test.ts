/**
 * Opening the database (pipeline/kernel/db/open-database.ts): a database prepared for this
 * catalog and this code is opened as it is; a catalog that gained a field, or a database made
 * before the schema was fingerprinted, is brought in step first.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Migrator } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../pipeline/kernel/config/config.ts';
import { ledgerColumns, sheetColumns } from '../pipeline/kernel/db/ledger-tables.ts';
import { DatabaseError, openDatabase } from '../pipeline/kernel/db/open-database.ts';
import { migrationProvider, migrations } from '../pipeline/kernel/db/migrations.ts';
import type { LedgerCatalog } from '../sheets/ledger-catalog.ts';

const dir = join(import.meta.dirname, '.tmp', `open-database-${randomBytes(4).toString('hex')}`);
const catalog = loadConfig().ledgers;

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The catalog with one more text field on the mediation ledger (a pack's next year). */
function withField(base: LedgerCatalog, id: string): LedgerCatalog {
  return {
    ...base,
    ledgers: base.ledgers.map((l) => (l.id === 'mediation' ? { ...l, fields: [...l.fields, { ...(l.fields.at(-1) as (typeof l.fields)[number]), id, header: '备注说明', aliases: [] }] } : l)),
  };
}

async function columnsOf(path: string, cat: LedgerCatalog, table: string): Promise<string[]> {
  const tdb = await openDatabase(path, cat);
  try {
    const rows = await tdb.connection.runAndReadAll('select column_name from duckdb_columns() where table_name = $t order by column_index', { t: table });
    return rows.getRowObjectsJS().map((r) => String(r['column_name']));
  } finally {
    await tdb.close();
  }
}

describe('openDatabase', () => {
  it('opens a prepared database as it is, and prepares it again for a catalog that changed', async () => {
    const path = join(dir, 'changed.duckdb');
    expect(await columnsOf(path, catalog, 'mediation')).not.toContain('remark_extra');
    // Prepared: a view dropped behind tally's back stays dropped while nothing tally knows changed…
    const tdb = await openDatabase(path, catalog);
    await tdb.connection.run('drop view mediation');
    await tdb.close();
    expect(await columnsOf(path, catalog, 'mediation')).toEqual([]);
    // …and a new field in the catalog is a new schema: the table gains the column, the views are made again.
    const wider = withField(catalog, 'remark_extra');
    expect(await columnsOf(path, wider, 'ledger_mediation_data')).toContain('remark_extra');
    expect(await columnsOf(path, wider, 'mediation')).toContain('remark_extra');
  });

  it('brings a database made before the schema fingerprint in step', async () => {
    const path = join(dir, 'older.duckdb');
    const tdb = await openDatabase(path, catalog);
    await tdb.connection.run('drop table schema_state');
    await tdb.connection.run('drop view mediation');
    await tdb.close();
    expect(await columnsOf(path, catalog, 'mediation')).toContain('period_date');
  });

  it('keeps a ledger table in the catalog\'s column order when a field is added before others, or one is taken away', async () => {
    // The appender fills a table by position: a column added at the end for a field that comes
    // first would take the next field's values.
    const path = join(dir, 'reordered.duckdb');
    const first = await openDatabase(path, catalog);
    await first.connection.run(`insert into ledger_mediation_sheets (file_version_id, sheet_no, sheet) values (1, 0, '调解')`);
    await first.close();
    const mediation = catalog.byId('mediation');
    if (mediation === undefined) throw new Error('no mediation ledger');
    const added = { ...(mediation.fields.at(-1) as (typeof mediation.fields)[number]), id: 'case_ref', header: '卷宗号', aliases: [] };
    const reordered: LedgerCatalog = {
      ...catalog,
      ledgers: catalog.ledgers.map((l) => (l.id === 'mediation' ? { ...l, fields: [added, ...l.fields.slice(1)] } : l)),
    };
    const ledger = reordered.ledgers.find((l) => l.id === 'mediation') as NonNullable<typeof mediation>;
    expect(await columnsOf(path, reordered, 'ledger_mediation_data')).toEqual(ledgerColumns(ledger).map((c) => c.name));
    expect(await columnsOf(path, reordered, 'ledger_mediation_sheets')).toEqual(sheetColumns(ledger).map((c) => c.name));
    // The sheet stored before is still there.
    const tdb = await openDatabase(path, reordered);
    try {
      const rows = await tdb.connection.runAndReadAll('select sheet from ledger_mediation_sheets');
      expect(rows.getRowsJS()).toEqual([['调解']]);
    } finally {
      await tdb.close();
    }
  });

  it('records its migrations as Kysely\'s Migrator does, and refuses a database a later tally migrated', async () => {
    const path = join(dir, 'migrated.duckdb');
    const tdb = await openDatabase(path, catalog);
    try {
      const names = (await tdb.connection.runAndReadAll('select name from kysely_migration order by name')).getRowsJS().map((r) => String(r[0]));
      expect(names).toEqual(Object.keys(migrations).sort());
      // Kysely's own Migrator, which older tallies ran, finds nothing left to do and no fault.
      const { error, results } = await new Migrator({ db: tdb.db, provider: migrationProvider }).migrateToLatest();
      expect(error).toBeUndefined();
      expect(results).toEqual([]);
      await tdb.connection.run(`insert into kysely_migration values ('9999_from_a_later_tally', '2030-01-01T00:00:00.000Z')`);
      await tdb.connection.run('drop table schema_state');
    } finally {
      await tdb.close();
    }
    const refused = await openDatabase(path, catalog).then(async (t) => (await t.close(), null), (e: unknown) => e);
    expect(refused).toBeInstanceOf(DatabaseError);
    expect(String((refused as DatabaseError).cause)).toContain('更新版本的 tally');
  });

  it('checkpoints on request: the log is written to the data file, and an open transaction makes it wait for the close, not fail', async () => {
    const path = join(dir, 'checkpoint.duckdb');
    const tdb = await openDatabase(path, catalog);
    try {
      await tdb.connection.run('create table notes as select range as n from range(50000)');
      expect(statSync(`${path}.wal`).size).toBeGreaterThan(0);
      await tdb.checkpoint();
      expect(existsSync(`${path}.wal`) ? statSync(`${path}.wal`).size : 0).toBe(0);
      // A transaction left open on the run's connection: DuckDB refuses the checkpoint, quietly.
      await tdb.connection.run('begin transaction');
      await tdb.connection.run('insert into notes select range from range(10)');
      await expect(tdb.checkpoint()).resolves.toBeUndefined();
      await tdb.connection.run('commit');
    } finally {
      await tdb.close();
    }
    const again = await openDatabase(path, catalog);
    try {
      const rows = await again.connection.runAndReadAll('select count(*)::integer from notes');
      expect(rows.getRows()[0]?.[0]).toBe(50010);
    } finally {
      await again.close();
    }
  });
});
