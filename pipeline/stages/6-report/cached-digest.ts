/**
 * The run's findings digest (findingsDigest), kept beside the report (kept.ts) with the hash of
 * the findings it was made from: a run whose findings are row for row those of the digest kept
 * reads it back instead of asking the database again. A district's rerun with nothing changed spent ~0.13-0.2 s
 * in the digest's two window queries and in turning its ~3,000 findings into JavaScript; hashing
 * the findings in the database takes ~20 ms.
 *
 * The hash covers every column of every finding of the run (`seq` included: it orders ties);
 * kept.ts keeps tally's code version beside it, so another tally never takes a digest this one
 * kept.
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

/**
 * A hash of the run's findings, every column and `seq` (their order), made by a streaming
 * aggregate: the count, and two sums of 64-bit hashes of each row (its fields in two orders), so
 * that a different list of findings gives another hash but by odds of about 2^-128. Not one text
 * of every finding: a million findings (bench/stress: unreadable-1m) made a 250 MB string and
 * took DuckDB past its memory, and the run down with it.
 */
export async function findingsHash(connection: DuckDBConnection, runId: bigint): Promise<string> {
  const fields = ['seq', ...COLUMNS];
  const result = await connection.runAndReadAll(
    `select count(*), coalesce(sum(hash(${fields.join(', ')})::hugeint), 0), coalesce(sum(hash(${[...fields].reverse().join(', ')})::hugeint), 0)
     from findings where run_id = $run`,
    { run: runId },
  );
  const [count, a, b] = result.getRowsJS()[0] ?? [0, 0, 0];
  return createHash('sha256').update(`${String(count)}\n${String(a)}\n${String(b)}`).digest('hex');
}
