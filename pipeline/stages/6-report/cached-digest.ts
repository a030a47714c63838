/**
 * The run's findings digest (findingsDigest), kept beside the report (kept.ts) with the hash of
 * the findings it was made from: a run whose findings are row for row those of the digest kept
 * reads it back instead of asking the database again. A district's rerun with nothing changed spent ~0.13-0.2 s
 * in the digest's two window queries and in turning its ~3,000 findings into JavaScript; hashing
 * the findings in the database takes ~20 ms.
 *
 * The hash covers every column of every finding of the run (`seq` included: it orders ties),
 * each field written with its length so no two lists of findings write the same text; kept.ts
 * keeps tally's code version beside it, so another tally never takes a digest this one kept.
 */
import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { keptOr, keptPath } from './kept.ts';
import { findingsDigest, type FindingsDigest } from '../../kernel/findings/findings-store.ts';

const COLUMNS = ['level', 'code', 'department', 'file', 'sheet', 'cell', 'message', 'expected', 'actual', 'ledger'] as const;

/**
 * The run's findings digest, and the hash of its findings (which stands for the digest: it is
 * made from nothing else): the kept digest when the run's findings are those it was made from,
 * else made now (and kept, when `keep`).
 */
export async function cachedFindingsDigest(connection: DuckDBConnection, runId: bigint, out: string, year: number, keep: boolean): Promise<{ digest: FindingsDigest; hash: string }> {
  const hash = await findingsHash(connection, runId);
  const digest = await keptOr(keptPath(out, 'findings-digest', year), hash, keep, () => findingsDigest(connection, runId));
  return { digest, hash };
}

/** SHA-256 of the run's findings, every column, in `seq` order. */
export async function findingsHash(connection: DuckDBConnection, runId: bigint): Promise<string> {
  // `length:text`, or `-` for null: no two rows, nor two lists of rows, give the same text.
  const field = (column: string) => `coalesce(length(${column}) || ':' || ${column}, '-')`;
  const row = `concat(seq, ';', ${COLUMNS.map(field).join(", ';', ")})`;
  const result = await connection.runAndReadAll(
    // In `seq` order (a run numbers its findings; were two alike, the hash might differ between
    // two runs with the same findings, and the digest would only be made again).
    `select count(*), coalesce(sha256(string_agg(${row}, chr(10) order by seq)), '') from findings where run_id = $run`,
    { run: runId },
  );
  const [count, rows] = result.getRowsJS()[0] ?? [0, ''];
  return createHash('sha256').update(`${String(count)}\n${String(rows)}`).digest('hex');
}
