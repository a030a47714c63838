import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { Kysely, Migrator, sql } from 'kysely';
import type { ColumnType, Generated, Migration } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBDialect } from '../pipeline/kernel/db/index.ts';

interface Database {
  item: {
    id: Generated<bigint>;
    name: string;
    qty: number;
    price: string | null;
    due: string | null;
    // Read as Date; written as an ISO string (the dialect refuses Date parameters).
    seen_at: ColumnType<Date | null, string | null, string | null>;
  };
  account: { name: string };
  appended: { id: bigint; name: string };
  serial: { n: string };
}

const dir = join(import.meta.dirname, '.tmp', `dialect-${randomUUID()}`);
const file = join(dir, 't.duckdb');
let instance: DuckDBInstance;
let connection: DuckDBConnection;
let db: Kysely<Database>;

async function open(): Promise<void> {
  instance = await DuckDBInstance.create(file);
  connection = await instance.connect();
  db = new Kysely<Database>({ dialect: new DuckDBDialect({ connection }) });
}

async function close(): Promise<void> {
  await db.destroy();
  connection.closeSync();
  instance.closeSync();
}

beforeAll(async () => {
  await mkdir(dir, { recursive: true });
  await open();
  await sql`create sequence item_id`.execute(db);
  await sql`
    create table item (
      id bigint default nextval('item_id') primary key,
      name varchar not null,
      qty integer not null,
      price decimal(10, 2),
      due date,
      seen_at timestamp
    )`.execute(db);
  await db
    .insertInto('item')
    .values([
      { name: 'pen', qty: 3, price: '1.50', due: '2020-03-05', seen_at: '2020-03-05T10:30:00Z' },
      { name: 'ink', qty: 1, price: '-0.05', due: null, seen_at: null },
      { name: 'pad', qty: 7, price: null, due: '1999-12-31', seen_at: null },
    ])
    .execute();
});

afterAll(async () => {
  await close();
  await rm(dir, { recursive: true, force: true });
});

describe('DuckDBDialect', () => {
  it('returns count(*) as a bigint row', async () => {
    const { rows } = await sql<{ count: bigint }>`select count(*) as count from item`.execute(db);
    expect(rows).toEqual([{ count: 3n }]);
    const counted = await db
      .selectFrom('item')
      .select((eb) => eb.fn.countAll<bigint>().as('count'))
      .execute();
    expect(counted).toEqual([{ count: 3n }]);
  });

  it('reports the rows an insert, update and delete changed', async () => {
    await sql`create table scratch (n integer)`.execute(db);
    const scratch = db.withTables<{ scratch: { n: number } }>();

    const inserted = await scratch
      .insertInto('scratch')
      .values([{ n: 1 }, { n: 2 }, { n: 3 }])
      .executeTakeFirstOrThrow();
    expect(inserted.numInsertedOrUpdatedRows).toBe(3n);

    const updated = await scratch
      .updateTable('scratch')
      .set({ n: 10 })
      .where('n', '>', 1)
      .executeTakeFirstOrThrow();
    expect(updated.numUpdatedRows).toBe(2n);

    const deleted = await scratch.deleteFrom('scratch').where('n', '=', 99).executeTakeFirstOrThrow();
    expect(deleted.numDeletedRows).toBe(0n);
    const deletedAll = await scratch.deleteFrom('scratch').executeTakeFirstOrThrow();
    expect(deletedAll.numDeletedRows).toBe(3n);
  });

  it('binds string, number, bigint, boolean and null parameters', async () => {
    const { rows } = await sql<Record<string, unknown>>`
      select ${'text'} as s, ${42} as i, ${1.25} as d, ${2n ** 70n} as b, ${true} as t,
        ${null} as z`.execute(db);
    expect(rows).toEqual([{ s: 'text', i: 42, d: 1.25, b: 2n ** 70n, t: true, z: null }]);

    const found = await db
      .selectFrom('item')
      .select('name')
      .where('name', '=', 'pad')
      .where('qty', '=', 7)
      .where('id', '=', 3n)
      .where(sql<boolean>`${true}`)
      .where('price', 'is', null)
      .execute();
    expect(found).toEqual([{ name: 'pad' }]);
  });

  it('reads DATE as a YYYY-MM-DD string, DECIMAL as an exact string and TIMESTAMP as a Date', async () => {
    const pen = await db
      .selectFrom('item')
      .select(['due', 'price', 'seen_at'])
      .where('name', '=', 'pen')
      .executeTakeFirstOrThrow();
    expect(pen).toEqual({
      due: '2020-03-05',
      price: '1.50',
      seen_at: new Date('2020-03-05T10:30:00Z'),
    });
    const ink = await db
      .selectFrom('item')
      .select(['due', 'price'])
      .where('name', '=', 'ink')
      .executeTakeFirstOrThrow();
    expect(ink).toEqual({ due: null, price: '-0.05' });
  });

  it('reads a LIST as an array whose DATE and DECIMAL elements follow the same rules', async () => {
    const { rows } = await sql`
      select [1, 2] as ints, [date '2020-03-05'] as dates, [1.5::decimal(4, 2)] as prices`.execute(
      db,
    );
    expect(rows).toEqual([{ ints: [1, 2], dates: ['2020-03-05'], prices: ['1.50'] }]);
  });

  it('refuses a JS Date parameter and says to pass a string', async () => {
    await expect(
      db
        .selectFrom('item')
        .selectAll()
        // Date is outside the column's insert/select type on purpose.
        .where('due', '=', new Date() as unknown as string)
        .execute(),
    ).rejects.toThrow(/JS Date.*'YYYY-MM-DD'/);
  });

  it('returns the id a sequence default gave an inserted row', async () => {
    const row = await db
      .insertInto('item')
      .values({ name: 'cup', qty: 2 })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ id: 4n });
    await db.deleteFrom('item').where('id', '=', row.id).execute();
  });

  it('streams the rows of a query, chunk size smaller than the result', async () => {
    const names: string[] = [];
    for await (const row of db.selectFrom('item').select('name').orderBy('id').stream(2)) {
      names.push(row.name);
    }
    expect(names).toEqual(['pen', 'ink', 'pad']);
  });

  it('serializes a query from outside a transaction until the transaction commits', async () => {
    await db.schema.createTable('serial').addColumn('n', 'varchar').execute();
    const events: string[] = [];
    let markStarted!: () => void;
    const started = new Promise<void>((resolve) => {
      markStarted = resolve;
    });

    const transaction = db.transaction().execute(async (trx) => {
      await trx.insertInto('serial').values({ n: 'inside' }).execute();
      events.push('transaction inserted');
      markStarted();
      await sleep(150);
      events.push('transaction commits');
    });
    await started;
    const outside = db
      .selectFrom('serial')
      .select((eb) => eb.fn.countAll<bigint>().as('count'))
      .executeTakeFirstOrThrow()
      .then((row) => {
        events.push('outside query ran');
        return row;
      });

    const [, seen] = await Promise.all([transaction, outside]);
    expect(events).toEqual(['transaction inserted', 'transaction commits', 'outside query ran']);
    expect(seen).toEqual({ count: 1n });
  });

  it('rolls back rows appended on the shared connection with the transaction they were added in', async () => {
    await db.schema
      .createTable('appended')
      .addColumn('id', 'bigint')
      .addColumn('name', 'varchar')
      .execute();

    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('appended').values({ id: 1n, name: 'by kysely' }).execute();
        const appender = await connection.createAppender('appended');
        appender.appendBigInt(2n);
        appender.appendVarchar('by appender');
        appender.endRow();
        appender.closeSync();
        const inside = await trx
          .selectFrom('appended')
          .select((eb) => eb.fn.countAll<bigint>().as('count'))
          .executeTakeFirstOrThrow();
        expect(inside).toEqual({ count: 2n });
        throw new Error('abandon the load');
      }),
    ).rejects.toThrow('abandon the load');

    const after = await db
      .selectFrom('appended')
      .select((eb) => eb.fn.countAll<bigint>().as('count'))
      .executeTakeFirstOrThrow();
    expect(after).toEqual({ count: 0n });
  });

  it('keeps a committed transaction and drops one that threw, across a reopen of the file', async () => {
    await db.schema.createTable('account').addColumn('name', 'varchar').execute();
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('account').values({ name: 'kept' }).execute();
    });
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('account').values({ name: 'lost' }).execute();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');

    await close();
    await open();
    expect(await db.selectFrom('account').select('name').execute()).toEqual([{ name: 'kept' }]);
  });

  it('runs two migrations with the Migrator and lists them as executed', async () => {
    const migrations: Record<string, Migration> = {
      '0001_ledger': {
        async up(db) {
          await sql`create sequence ledger_id`.execute(db);
          await db.schema
            .createTable('ledger')
            .addColumn('id', 'bigint', (c) => c.primaryKey().defaultTo(sql`nextval('ledger_id')`))
            .addColumn('department', 'varchar', (c) => c.notNull())
            .execute();
        },
      },
      '0002_ledger_received': {
        async up(db) {
          await db.schema.alterTable('ledger').addColumn('received', 'date').execute();
        },
      },
    };
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });

    const first = await migrator.migrateToLatest();
    expect(first.error).toBeUndefined();
    expect(first.results?.map((r) => [r.migrationName, r.status])).toEqual([
      ['0001_ledger', 'Success'],
      ['0002_ledger_received', 'Success'],
    ]);
    const again = await migrator.migrateToLatest();
    expect(again).toEqual({ results: [] });

    const listed = await migrator.getMigrations();
    expect(listed.map((m) => [m.name, m.executedAt instanceof Date])).toEqual([
      ['0001_ledger', true],
      ['0002_ledger_received', true],
    ]);
  });

  it('lists the tables with their columns, hiding Kysely’s own unless asked', async () => {
    const tables = await db.introspection.getTables();
    expect(tables.map((t) => t.name)).toEqual([
      'account',
      'appended',
      'item',
      'ledger',
      'scratch',
      'serial',
    ]);
    const ledger = tables.find((t) => t.name === 'ledger');
    expect(ledger).toEqual({
      name: 'ledger',
      schema: 'main',
      isView: false,
      columns: [
        {
          name: 'id',
          dataType: 'BIGINT',
          isNullable: false,
          hasDefaultValue: true,
          isAutoIncrementing: true,
          comment: undefined,
        },
        {
          name: 'department',
          dataType: 'VARCHAR',
          isNullable: false,
          hasDefaultValue: false,
          isAutoIncrementing: false,
          comment: undefined,
        },
        {
          name: 'received',
          dataType: 'DATE',
          isNullable: true,
          hasDefaultValue: false,
          isAutoIncrementing: false,
          comment: undefined,
        },
      ],
    });

    const all = await db.introspection.getTables({ withInternalKyselyTables: true });
    expect(all.map((t) => t.name)).toContain('kysely_migration');
    expect(await db.introspection.getSchemas()).toEqual([{ name: 'main' }]);
  });
});
