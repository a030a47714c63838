/**
 * SHA-256 of the current file versions and their sheets, every column the report stage reads of
 * them (the submissions, the files to mark up): what is kept from them beside the report (kept.ts)
 * is read back while this hash is the same. Computed in the database (~15-25 ms for a district's
 * 5,000 files), each field written with its length: no two lists of rows give the same text.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

const COLUMNS = ['v.id', 'v.department', 'v.path', 'v.version', 'v.sha256', 'v.size', 'v.received_at', 'v.archived_as', 's.sheet_index', 's.ledger', 's.rows'];

export async function currentFilesHash(connection: DuckDBConnection): Promise<string> {
  const field = (column: string) => `coalesce(length(${column}::varchar) || ':' || ${column}::varchar, '-')`;
  const row = `concat_ws(';', ${COLUMNS.map(field).join(', ')})`;
  const result = await connection.runAndReadAll(
    `select count(*) || ':' || coalesce(sha256(string_agg(${row}, chr(10) order by v.id, s.sheet_index)), '')
     from file_versions v left join sheet_reads s on s.file_version_id = v.id
     where v.current`,
  );
  return String(result.getRowsJS()[0]?.[0] ?? '');
}
