/**
 * The report stage: the run's findings read back summarised, put together with the figures and
 * the submissions (ReportData), then written: `report-<year>.xlsx` and `.docx` (only when their
 * content changed), `findings-<year>.csv` (every finding) and each department's own complete
 * list when its mail lists only part, and the marked-up copies of the departments' files.
 *
 * Takes: the roll-up's result. Returns: the report and where its files are. Sends nothing.
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { TallyConfig } from '../../kernel/config/config.ts';
import type { TallyDatabase } from '../../kernel/db/open-database.ts';
import { findingDigests, findingsOfFiles, writeFindingsCsv, type FindingsDigest } from '../../kernel/findings/findings-store.ts';
import type { ReportData } from '../../../reports/report-data.ts';
import { reportWriter } from '../../../reports/write-reports-if-changed.ts';
import { writeMarkedFiles, type MarkableFile, type MarkedResult } from '../../../reports/marked/write-marked-files.ts';
import type { RollupResult } from '../5-rollup/rollup-stage.ts';
import { assembleReport } from './assemble-report.ts';
import { cachedFindingsDigest } from './cached-digest.ts';
import { currentFilesHash } from './current-files-hash.ts';
import { keptOr, keptPath, keyOf } from './kept.ts';
import { cachedLedgerSubmissions } from './ledger-submissions.ts';

/** A file the report stage wrote, for the mail to attach. */
export interface WrittenFile {
  readonly filename: string;
  readonly path: string;
  readonly bytes: number;
}

export interface ReportResult {
  readonly report: ReportData;
  readonly digest: FindingsDigest;
  readonly workbook: string;
  readonly docx: string;
  /** Each department's complete findings list, for those whose list was cut for reading. */
  readonly findingLists: ReadonlyMap<string, WrittenFile>;
  /** Marked-up copies (`<out>/marked/<department>/`), when the files were written. */
  readonly marked?: MarkedResult;
}

export async function reportStage(
  tdb: TallyDatabase,
  input: { readonly config: TallyConfig; readonly runId: bigint; readonly rolled: RollupResult; readonly out: string; readonly write: boolean; readonly now: Date },
): Promise<ReportResult> {
  const { config, runId, out } = input;
  // The report's writers started loading with the checks when its files were missing (run.ts).
  if (input.write) await mkdir(out, { recursive: true });
  // What the stage makes from the database is kept beside the report (kept.ts) under hashes of
  // what it is made from: the run's findings, the current files and their sheets.
  const keep = input.write;
  // The files' hash on a connection of its own, while the findings' is taken on the run's.
  const filesHashing = (async () => {
    const connection = await tdb.connect();
    try {
      return await currentFilesHash(connection);
    } finally {
      connection.closeSync();
    }
  })();
  const [{ digest, hash: findingsHash }, filesHash] = await Promise.all([cachedFindingsDigest(tdb.connection, runId, out, config.year, keep), filesHashing]);
  const kept = <T>(name: string, key: string, make: () => Promise<T>, valid?: (value: T) => Promise<boolean>) =>
    keptOr(keptPath(out, name, config.year), key, keep, make, valid);
  const report = assembleReport({
    config,
    rollups: input.rolled.rollups,
    findings: digest,
    submissions: await cachedLedgerSubmissions(tdb, out, config.year, keep, filesHash),
    now: input.now,
    previous: input.rolled.previous,
  });
  const workbook = join(out, `report-${config.year}.xlsx`);
  const docx = join(out, `report-${config.year}.docx`);
  if (!input.write) return { report, digest, workbook, docx, findingLists: new Map() };

  // The marked copies are made in worker threads, the report's workbook and document on this
  // thread: at the same time, not one after the other (the demo spent 0.6 s on the ones, then
  // 0.65 s on the others). The copies' queries come first: the report's writers hold this thread
  // for long stretches, and every answer of the database waits for it.
  let queued = (): void => undefined;
  const copiesQueued = new Promise<void>((resolve) => (queued = resolve));
  const copies = (async () => {
    // The slowest query first: the report's fingerprint is taken meanwhile (below).
    const codes = JSON.stringify(config.departments.map((d) => d.code));
    const files = await kept('markable', keyOf(filesHash, findingsHash, codes, out), () => markableFiles(tdb, config, out, runId));
    const withFindings = new Map(await kept('with-findings', findingsHash, async () => [...(await filesWithFindings(tdb, runId))]));
    const findingLists = new Map(
      (
        await kept(
          'finding-lists',
          keyOf(findingsHash, codes, out),
          async () => {
            const lists = [...(await writeFindingLists(tdb, runId, out, config.year, report))];
            return { lists, written: await stamps(out, config.year, lists) };
          },
          async (kept) => JSON.stringify(await stamps(out, config.year, kept.lists)) === JSON.stringify(kept.written),
        )
      ).lists,
    );
    // Each department's own files with the findings marked on them (the portal lists them too).
    const marked = await writeMarkedFiles({
      dir: join(out, 'marked'),
      files,
      withFindings,
      findingsOfFiles: (files, limit) => findingsOfFiles(tdb.connection, runId, files, limit),
      findingDigests: async () => new Map(await kept('finding-digests', findingsHash, async () => [...(await findingDigests(tdb.connection, runId))])),
      departments: config.departments.map((d) => d.code),
      queued,
    });
    return { findingLists, marked };
  })();
  // The report's fingerprint is taken while the database answers the copies' first query (on
  // the next turn of the event loop: the query is on its way by then); its files are rewritten
  // only when their content changed (nothing changed, nothing rewritten), once the copies are
  // handed to their threads.
  const reports = new Promise((resolve) => setImmediate(resolve)).then(async () => {
    const write = await reportWriter(report, out, reportInputs(report, findingsHash, input.rolled.digest));
    if (write === null) return;
    await Promise.race([copiesQueued, copies.then(() => undefined, () => undefined)]);
    // The stage asks the database nothing more: its checkpoint, which the close would make
    // (~0.15 s of a town's run, the thread waiting), is made while this thread writes.
    await Promise.all([write(), tdb.checkpoint()]);
  });
  const [, { findingLists, marked }] = await allOf(reports, copies);
  return { report, digest, workbook, docx, findingLists, marked };
}

/**
 * What the report's content is made from, hashed, equal only when the content is: its parts but
 * the findings, for which the hash of the run's findings stands (the digest they come from is
 * made from nothing else), and the traces, for which the rollups' digest stands. Hashing those
 * two as JSON was most of the report's fingerprint (~60 ms for a district: 4.5 MB of text).
 */
function reportInputs(report: ReportData, findings: string, rollups: string): string {
  const { generatedAt: _moment, findings: _shown, findingsOmitted: _omitted, findingCounts: _counts, trace: _trace, traceOmitted: _traceOmitted, ...rest } = report;
  const text = JSON.stringify({ rest, findings, rollups }, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Both results, once both are done: when one fails, the other still finishes before the error
 * goes up (the run closes the database next, and the copies may still be asking it).
 */
async function allOf<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [ra, rb] = await Promise.allSettled([a, b]);
  if (ra.status === 'rejected') throw ra.reason;
  if (rb.status === 'rejected') throw rb.reason;
  return [ra.value, rb.value];
}

/**
 * The finding lists as they are on disk: the whole list's and each department's size and
 * modification time, and what `findings/` holds. Lists kept for the same findings are taken as
 * they are only while this is what it was when they were written (else written again, as every
 * run did).
 */
async function stamps(out: string, year: number, lists: readonly (readonly [string, WrittenFile])[]): Promise<unknown[]> {
  const stampOf = (path: string) => stat(path).then((s) => [s.size, s.mtimeMs, s.ino], () => null);
  const present = await readdir(join(out, 'findings')).catch(() => [] as string[]);
  return [await stampOf(join(out, `findings-${year}.csv`)), present.sort(), ...(await Promise.all(lists.map(([, file]) => stampOf(file.path))))];
}

/**
 * `findings-<year>.csv`: every finding of the run, beside the report. For each department whose
 * list was cut for reading (the mail, the portal), its own complete list in `findings/`.
 */
async function writeFindingLists(tdb: TallyDatabase, runId: bigint, out: string, year: number, report: ReportData): Promise<Map<string, WrittenFile>> {
  const whole = join(out, `findings-${year}.csv`);
  const written = await writeFindingsCsv(tdb.connection, runId, whole);
  const lists = new Map<string, WrittenFile>();
  const cut = new Set((report.findingsOmitted ?? []).map((o) => o.department));
  const dir = join(out, 'findings');
  await rm(dir, { recursive: true, force: true });
  // A department with every finding of the run (the usual flood: one file pasted twenty times)
  // gets a copy of the whole list: the same rows in the same order, without sorting them again.
  const counts = report.findingCounts ?? [];
  const all = counts.reduce((n, c) => n + c.count, 0);
  const ofDepartment = (code: string) => counts.reduce((n, c) => n + (c.department === code ? c.count : 0), 0);
  for (const d of report.departments) {
    if (!cut.has(d.code)) continue;
    await mkdir(dir, { recursive: true });
    const filename = `问题清单-${d.code}-${year}.csv`;
    const path = join(dir, filename);
    const { bytes } = all > 0 && ofDepartment(d.code) === all
      ? await copyFile(whole, path).then(() => written)
      : await writeFindingsCsv(tdb.connection, runId, path, d.code);
    lists.set(d.code, { filename, path, bytes });
  }
  return lists;
}

/**
 * The current files of roster departments that have findings in this run, with their archived
 * originals (for the marked copies: a file without findings gets none). Only those: the rows of
 * a district's 5,000 files were added up for the 1,124 with findings (~60 ms -> ~20 ms).
 */
async function markableFiles(tdb: TallyDatabase, config: TallyConfig, out: string, runId: bigint): Promise<MarkableFile[]> {
  const codes = config.departments.map((d) => d.code);
  const rows = await tdb.db
    .selectFrom('file_versions')
    .where('current', '=', true)
    .where('department', 'in', codes)
    .where('archived_as', '!=', '')
    .where('path', 'in', (eb) => eb.selectFrom('findings').where('run_id', '=', runId).where('file', 'is not', null).select('file'))
    .select((eb) => [
      'department',
      'path',
      'archived_as',
      'sha256',
      'size',
      eb.selectFrom('sheet_reads as s').whereRef('s.file_version_id', '=', 'file_versions.id').select(sql<bigint>`coalesce(sum(s.rows), 0)`.as('n')).as('rows'),
    ])
    .execute();
  return rows.map((r) => ({
    department: r.department ?? '',
    path: r.path,
    archivedPath: join(out, 'archive', r.archived_as),
    sha256: r.sha256,
    size: Number(r.size),
    rows: Number(r.rows ?? 0),
  }));
}

/** Files with findings in this run: how many each, and whether it could not be read. */
async function filesWithFindings(tdb: TallyDatabase, runId: bigint): Promise<Map<string, { total: number; unreadable: boolean }>> {
  const rows = await tdb.db
    .selectFrom('findings')
    .where('run_id', '=', runId)
    .where('file', 'is not', null)
    .select(['file', sql<bigint>`count(*)`.as('total'), sql<boolean>`bool_or(code = 'file.unreadable')`.as('unreadable')])
    .groupBy('file')
    .execute();
  return new Map(rows.map((r) => [r.file ?? '', { total: Number(r.total), unreadable: r.unreadable }]));
}
