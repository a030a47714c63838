/** What each department has sent of each ledger: its current files, versions and rows (the report's 报送情况 and the portal). */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { TallyDatabase } from '../../kernel/db/open-database.ts';
import type { LedgerSubmission } from './assemble-report.ts';
import { keptOr, keptPath } from './kept.ts';

/**
 * {@link ledgerSubmissions}, kept beside the report (kept.ts) with the hash of the rows it is made
 * from: a district's rerun with nothing changed spent ~40-80 ms in its query and in turning 5,000
 * paths into JavaScript; hashing the rows in the database takes ~15-25 ms.
 */
export async function cachedLedgerSubmissions(tdb: TallyDatabase, out: string, year: number, keep: boolean): Promise<LedgerSubmission[]> {
  return await keptOr(keptPath(out, 'submissions', year), await submissionsHash(tdb), keep, () => ledgerSubmissions(tdb));
}

/** What {@link ledgerSubmissions} is made by: a change to it makes every kept list stale. */
const DEFINITION = createHash('sha256').update(ledgerSubmissions.toString()).digest('hex');

/**
 * SHA-256 of every row {@link ledgerSubmissions} reads (the current versions' sheets with a
 * ledger, each column written with its length: no two lists of rows give the same text), and of
 * its definition.
 */
async function submissionsHash(tdb: TallyDatabase): Promise<string> {
  const field = (column: string) => `coalesce(length(${column}::varchar) || ':' || ${column}::varchar, '-')`;
  const columns = ['v.id', 'v.department', 'v.path', 'v.version', 'v.received_at', 's.sheet_index', 's.ledger', 's.rows'];
  const row = `concat_ws(';', ${columns.map(field).join(', ')})`;
  const result = await tdb.connection.runAndReadAll(
    `select count(*), coalesce(sha256(string_agg(${row}, chr(10) order by ${row})), '')
     from sheet_reads s join file_versions v on v.id = s.file_version_id
     where v.current and s.ledger is not null`,
  );
  const [count, rows] = result.getRowsJS()[0] ?? [0, ''];
  return createHash('sha256').update(`${DEFINITION}\n${String(count)}\n${String(rows)}`).digest('hex');
}

export async function ledgerSubmissions(tdb: TallyDatabase): Promise<LedgerSubmission[]> {
  const rows = await tdb.db
    .selectFrom('sheet_reads as s')
    .innerJoin('file_versions as v', 'v.id', 's.file_version_id')
    .where('v.current', '=', true)
    .where('s.ledger', 'is not', null)
    .select([
      'v.department',
      's.ledger',
      sql<string[]>`list(distinct v.path order by v.path)`.as('files'),
      sql<number[]>`list(v.version order by v.path)`.as('versions'),
      sql<Date>`max(v.received_at)`.as('received_at'),
      sql<bigint>`sum(s.rows)`.as('rows'),
    ])
    .groupBy(['v.department', 's.ledger'])
    // A group-by's order is the hash table's: without this, a run with nothing changed listed
    // the departments behind a figure in another order, and rewrote the report for it.
    .orderBy('v.department')
    .orderBy('s.ledger')
    .execute();
  return rows.map((r) => ({
    department: r.department ?? '',
    ledger: r.ledger ?? '',
    files: r.files,
    versions: [...new Set(r.versions)],
    receivedAt: r.received_at instanceof Date ? r.received_at.toISOString() : null,
    rows: Number(r.rows),
  }));
}
