import { DEFAULT_MIGRATION_LOCK_TABLE, DEFAULT_MIGRATION_TABLE, sql } from 'kysely';
import type {
  ColumnMetadata,
  DatabaseIntrospector,
  DatabaseMetadata,
  DatabaseMetadataOptions,
  Kysely,
  SchemaMetadata,
  TableMetadata,
} from 'kysely';

interface TableRow {
  table_schema: string;
  table_name: string;
  table_type: string;
}

interface ColumnRow {
  table_schema: string;
  table_name: string;
  column_name: string;
  data_type: string;
  is_nullable: 'YES' | 'NO';
  column_default: string | null;
  column_comment: string | null;
}

/**
 * Lists the schemas, tables, views and columns of the current DuckDB database from
 * `information_schema` (Kysely's `PostgresIntrospector` fails on `pg_get_serial_sequence`).
 * Kysely's `Migrator` relies on it to see whether its own tables exist.
 *
 * A column is auto-incrementing when its default draws from a sequence (`nextval(...)`), the DuckDB
 * stand-in for `serial`.
 *
 * @example
 * ```ts
 * const tables = await db.introspection.getTables();
 * // [{ name: 'ledger', schema: 'main', isView: false, columns: [{ name: 'id', dataType: 'BIGINT', … }] }]
 * ```
 */
export class DuckDBIntrospector implements DatabaseIntrospector {
  // any: `Dialect.createIntrospector` hands over a `Kysely<any>`, and the introspector reads tables
  // (information_schema) that no caller's database type describes.
  readonly #db: Kysely<any>;

  constructor(db: Kysely<any>) {
    this.#db = db;
  }

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<{ name: string }>`
      select schema_name as name
      from information_schema.schemata
      where catalog_name = current_database()
        and schema_name not in ('information_schema', 'pg_catalog')
      order by schema_name`.execute(this.#db);
    return rows.map(({ name }) => ({ name }));
  }

  async getTables(
    options: DatabaseMetadataOptions = { withInternalKyselyTables: false },
  ): Promise<TableMetadata[]> {
    const hideKyselyTables = options.withInternalKyselyTables
      ? sql``
      : sql`and table_name not in (${DEFAULT_MIGRATION_TABLE}, ${DEFAULT_MIGRATION_LOCK_TABLE})`;
    const { rows: tables } = await sql<TableRow>`
      select table_schema, table_name, table_type
      from information_schema.tables
      where table_catalog = current_database()
        and table_schema not in ('information_schema', 'pg_catalog')
        ${hideKyselyTables}
      order by table_schema, table_name`.execute(this.#db);
    const { rows: columns } = await sql<ColumnRow>`
      select table_schema, table_name, column_name, data_type, is_nullable, column_default,
        "COLUMN_COMMENT" as column_comment
      from information_schema.columns
      where table_catalog = current_database()
      order by table_schema, table_name, ordinal_position`.execute(this.#db);

    const columnsByTable = new Map<string, ColumnMetadata[]>();
    for (const column of columns) {
      const key = tableKey(column.table_schema, column.table_name);
      const list = columnsByTable.get(key) ?? [];
      list.push({
        name: column.column_name,
        dataType: column.data_type,
        isNullable: column.is_nullable === 'YES',
        hasDefaultValue: column.column_default !== null,
        isAutoIncrementing: column.column_default?.startsWith('nextval(') ?? false,
        comment: column.column_comment ?? undefined,
      });
      columnsByTable.set(key, list);
    }

    return tables.map((table) => ({
      name: table.table_name,
      schema: table.table_schema,
      isView: table.table_type === 'VIEW',
      columns: columnsByTable.get(tableKey(table.table_schema, table.table_name)) ?? [],
    }));
  }

  async getMetadata(options?: DatabaseMetadataOptions): Promise<DatabaseMetadata> {
    return { tables: await this.getTables(options) };
  }
}

function tableKey(schema: string, table: string): string {
  return `${schema}.${table}`;
}
