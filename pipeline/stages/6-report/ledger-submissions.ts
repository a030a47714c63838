/** What each department has sent of each ledger: its current files, versions and rows (the report's 报送情况 and the portal). */
import { sql } from 'kysely';
import type { TallyDatabase } from '../../kernel/db/open-database.ts';
import type { LedgerSubmission } from './assemble-report.ts';
import { keptOr, keptPath } from './kept.ts';

/**
 * {@link ledgerSubmissions}, kept beside the report (kept.ts) under the hash of the current files
 * and their sheets (current-files-hash.ts): a district's rerun with nothing changed spent ~40-80 ms
 * in its query and in turning 5,000 paths into JavaScript.
 */
export async function cachedLedgerSubmissions(tdb: TallyDatabase, out: string, year: number, keep: boolean, filesHash: string): Promise<LedgerSubmission[]> {
  return await keptOr(keptPath(out, 'submissions', year), filesHash, keep, () => ledgerSubmissions(tdb));
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
