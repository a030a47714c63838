/**
 * Load: files' read results into DuckDB, one transaction per group of files: their sheets,
 * reader findings, stated totals and ledger rows (through the appender in data chunks, STACK.md:
 * bulk rows never go row by row through INSERT). A crash mid-load leaves the files' versions
 * unloaded, to be read again.
 *
 * A big sheet's rows arrive in parts while the file is still being read (the read worker hands
 * them on every few thousand rows): {@link FileLoader} appends each part as it comes, so the
 * load overlaps the read and no file is ever held whole in memory. Its metadata (sheets,
 * findings, totals) follows when the read ends; a file found unreadable after some of its rows
 * were appended has them deleted again, in the same transaction.
 */
import type { DuckDBAppender } from '@duckdb/node-api';
import { BIGINT, DuckDBDataChunk, INTEGER, VARCHAR } from '../../kernel/db/duckdb-api.ts';
import type { Insertable, Transaction } from 'kysely';
import type { LedgerDef } from '../../../sheets/ledger-catalog.ts';
import { columnLetters } from '../../../sheets/raw-sheet.ts';
import { bytesOf, type TallyDatabase } from '../../kernel/db/open-database.ts';
import type { Finding } from '../../kernel/findings/findings.ts';
import type { Database } from '../../kernel/db/schema.ts';
import { dataTableName, insertRows, sheetTableName, type RowValue } from '../../kernel/db/ledger-tables.ts';
import type { IntakeFile } from '../1-intake/intake.ts';
import type { FileRead, SheetPart } from '../2-read/read-stage.ts';
import { appendBlock, ChunkScratch, CHUNK_TYPE, type RowAppender } from './append-block.ts';

export interface FileLoad {
  readonly path: string;
  readonly rows: number;
  readonly findings: number;
}

/**
 * Loads several files in one transaction: all of them or none (a run killed meanwhile leaves
 * them all pending, to be read again). Small files go in groups because a commit costs more
 * than loading a few hundred rows.
 */
export async function loadSubmissions(tdb: TallyDatabase, reads: readonly FileRead[]): Promise<FileLoad[]> {
  const out: FileLoad[] = [];
  await tdb.db.transaction().execute(async (trx) => {
    const group = new LoadGroup(tdb, trx);
    for (const read of reads) out.push(await new FileLoader(group, read.file).finish(read));
    await group.flush();
  });
  return out;
}

/**
 * DuckDB's memory limit while a group of files is loaded (the run's, DUCKDB_MEMORY_LIMIT, is
 * back for the checks, which sort and join).
 *
 * Rows committed since the last checkpoint live in DuckDB's buffers (the log may grow to 128 MB
 * during a load, ingest.ts), and what passes the limit goes to its temporary files: a group of
 * small files loads at {@link LOAD_MEMORY_MB}, where the district's first 1,500 files left
 * ~1.5 MB there; at 32 MB, ~23 MB, and they loaded ~1 s slower.
 *
 * A big file's rows, appended in parts as they are read, go to the database file as each row
 * group of 122,880 fills, and until then sit in the buffers up to the limit; the process's
 * resident size follows it. So a group lowers it to {@link STREAMING_MEMORY_MB} once it appends
 * a part: the bench's 500,000-row file peaked at 233-235 MB at 32 MB, 241-243 MB at 40 MB
 * (3 alternating runs), 246-249 MB at 64 MB, as fast.
 *
 * A table being appended to pins about two 256 KiB blocks per column: a table of 60 columns
 * failed at 32 MB ("could not allocate block"), one of 120 at 64 MB, widths a pack may give a
 * ledger. So the limit also grows by {@link LOAD_MEMORY_MB_PER_COLUMN} for each column of each
 * table the group opens an appender for (a table of 120 columns loaded at 120 MB).
 */
export const LOAD_MEMORY_MB = 64;
export const STREAMING_MEMORY_MB = 32;
const LOAD_MEMORY_MB_PER_COLUMN = 1;

/** DuckDB's memory limit as a group loads (see {@link LOAD_MEMORY_MB}), never past the run's own. */
export class LoadMemory {
  readonly #tdb: TallyDatabase;
  /** The run's limit, MB. */
  readonly #ceiling: number;
  #columns = 0;
  #streaming = false;
  /** The limit set now, MB (the run's until the load starts). */
  #current: number;

  /** `runLimit`: the limit the run opened the database with (DUCKDB_MEMORY_LIMIT, a size checked there). */
  constructor(tdb: TallyDatabase, runLimit: string) {
    const bytes = bytesOf(runLimit);
    if (bytes === undefined) throw new Error(`not a memory size: ${runLimit}`);
    this.#tdb = tdb;
    this.#ceiling = Math.floor(bytes / 1e6);
    this.#current = this.#ceiling;
  }

  /** A group begins: nothing is appended yet. */
  async begin(): Promise<void> {
    this.#columns = 0;
    this.#streaming = false;
    await this.#fit(true);
  }

  /** A table of `columns` columns is about to be appended to. */
  async open(columns: number): Promise<void> {
    this.#columns += columns;
    await this.#fit(false);
  }

  /** The group appends a big file's rows in parts. */
  async streaming(): Promise<void> {
    if (this.#streaming) return;
    this.#streaming = true;
    await this.#fit(true);
  }

  /** The load is over: the run's own limit (not DuckDB's default, 80% of the machine). */
  async end(): Promise<void> {
    await this.#apply(this.#ceiling);
  }

  /** The limit this group needs now; `lower` lets it go down as well as up. */
  async #fit(lower: boolean): Promise<void> {
    const base = this.#streaming ? STREAMING_MEMORY_MB : LOAD_MEMORY_MB;
    const want = Math.min(Math.max(base, this.#columns * LOAD_MEMORY_MB_PER_COLUMN), this.#ceiling);
    if (want > this.#current || (lower && want < this.#current)) await this.#apply(want);
  }

  async #apply(mb: number): Promise<void> {
    if (mb === this.#current) return;
    try {
      await this.#tdb.connection.run(`set memory_limit = '${mb}MB'`);
      this.#current = mb;
    } catch (error) {
      // Lowered only if DuckDB can make room (it writes rows committed since the last checkpoint
      // to its temporary files); when it cannot, the load goes on at the limit it has.
      if (mb > this.#current) throw error;
    }
  }
}

type SheetReadRow = Insertable<Database['sheet_reads']>;
type SheetTotalRow = Insertable<Database['sheet_totals']>;

/**
 * The files loaded in one transaction: one appender per ledger for all of them, and what they
 * write besides their rows (sheets, totals, findings, statuses) gathered and written in a few
 * statements by {@link flush}. A district's 5,000 small files each made ~7 statements of their
 * own, and those, on the one connection, were what the read workers waited for.
 */
export class LoadGroup {
  readonly tdb: TallyDatabase;
  readonly trx: Transaction<Database>;
  readonly #appenders = new Map<string, RowAppender>();
  readonly #sheetReads: SheetReadRow[] = [];
  readonly #otherColumns: Insertable<Database['sheet_other_columns']>[] = [];
  readonly #totals: SheetTotalRow[] = [];
  /** Reader findings go through an appender too: a file can raise a million of them. */
  #findingsAppender: DuckDBAppender | undefined;
  /** Ledger id → its per-sheet rows (version, sheet number, sheet name, column letters). */
  readonly #sheetRows = new Map<string, RowValue[][]>();
  readonly #status = new Map<string, bigint[]>();
  /** Raises DuckDB's memory limit as appenders open (absent: the run's limit stays). */
  readonly #memory: LoadMemory | undefined;

  constructor(tdb: TallyDatabase, trx: Transaction<Database>, memory?: LoadMemory) {
    this.tdb = tdb;
    this.trx = trx;
    this.#memory = memory;
  }

  /** The group's appender for a ledger (opened on first use). */
  async appender(ledger: LedgerDef): Promise<RowAppender> {
    const open = this.#appenders.get(ledger.id);
    if (open !== undefined) return open;
    const appender = await this.tdb.connection.createAppender(dataTableName(ledger));
    // Before its first append (an appender pins nothing until then).
    await this.#memory?.open(appender.columnCount);
    // One chunk, refilled: a chunk's memory is DuckDB's, given back only when JavaScript's
    // collector finalizes it, and the main thread's small heap is seldom collected (a new
    // chunk per 2,048 rows held ~25 MB more at the peak of a 500,000-row file).
    const types = [BIGINT, INTEGER, INTEGER, VARCHAR, ...ledger.fields.map((f) => CHUNK_TYPE[f.type])];
    const entry = { ledger, appender, chunk: DuckDBDataChunk.create(types), scratch: new ChunkScratch() };
    this.#appenders.set(ledger.id, entry);
    return entry;
  }

  /** A big file's rows are appended in parts ({@link LoadMemory.streaming}). */
  async streaming(): Promise<void> {
    await this.#memory?.streaming();
  }

  /** Makes what was appended to a ledger visible to statements (before deleting some of it). */
  flushAppender(ledgerId: string): void {
    this.#appenders.get(ledgerId)?.appender.flushSync();
  }

  sheetRead(row: SheetReadRow, otherColumns = 0): void {
    this.#sheetReads.push(row);
    if (otherColumns > 0) this.#otherColumns.push({ file_version_id: row.file_version_id, sheet_index: row.sheet_index, columns: otherColumns });
  }

  total(row: SheetTotalRow): void {
    this.#totals.push(row);
  }

  /** Appends a file's reader findings, numbered from `seq`. */
  async findings(versionId: bigint, seq: number, findings: readonly Finding[]): Promise<void> {
    if (findings.length === 0) return;
    if (this.#findingsAppender === undefined) {
      this.#findingsAppender = await this.tdb.connection.createAppender('reader_findings');
      await this.#memory?.open(this.#findingsAppender.columnCount);
    }
    const a = this.#findingsAppender;
    const text = (v: string | null) => (v === null ? a.appendNull() : a.appendVarchar(v));
    findings.forEach((f, i) => {
      a.appendBigInt(versionId);
      a.appendInteger(seq + i);
      a.appendVarchar(f.level);
      a.appendVarchar(f.code);
      text(f.department);
      text(f.file);
      text(f.sheet);
      text(f.cell);
      a.appendVarchar(f.message);
      text(f.expected);
      text(f.actual);
      text(f.ledger);
      a.endRow();
    });
  }

  /** Makes the reader findings appended so far visible to statements (before deleting some). */
  flushFindings(): void {
    this.#findingsAppender?.flushSync();
  }

  sheetRow(ledgerId: string, row: RowValue[]): void {
    const rows = this.#sheetRows.get(ledgerId) ?? [];
    rows.push(row);
    this.#sheetRows.set(ledgerId, rows);
  }

  status(versionId: bigint, status: string): void {
    const ids = this.#status.get(status) ?? [];
    ids.push(versionId);
    this.#status.set(status, ids);
  }

  /** Closes the appenders and writes what the files gathered; call before the commit. */
  async flush(): Promise<void> {
    for (const { appender } of this.#appenders.values()) {
      appender.flushSync();
      appender.closeSync();
    }
    this.#appenders.clear();
    this.#findingsAppender?.flushSync();
    this.#findingsAppender?.closeSync();
    this.#findingsAppender = undefined;
    const trx = this.trx;
    for (const rows of batches(this.#sheetReads)) await trx.insertInto('sheet_reads').values(rows).execute();
    for (const rows of batches(this.#otherColumns)) await trx.insertInto('sheet_other_columns').values(rows).execute();
    for (const rows of batches(this.#totals)) await trx.insertInto('sheet_totals').values(rows).execute();
    for (const [ledgerId, all] of this.#sheetRows) {
      for (const rows of batches(all)) await insertRows(this.tdb.connection, sheetTableName({ id: ledgerId }), rows);
    }
    for (const [status, ids] of this.#status) {
      for (const some of batches(ids)) await trx.updateTable('file_versions').set({ read_status: status }).where('id', 'in', some).execute();
    }
    this.#sheetReads.length = 0;
    this.#otherColumns.length = 0;
    this.#totals.length = 0;
    this.#sheetRows.clear();
    this.#status.clear();
  }
}

/** Rows per statement: well within DuckDB's parameters per statement. */
function* batches<T>(rows: readonly T[], size = 500): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

/**
 * One file's load inside a group: {@link part} for each part of its rows as they arrive, then
 * {@link finish} with the read's result (its last rows and everything else).
 */
export class FileLoader {
  readonly #group: LoadGroup;
  readonly #file: IntakeFile;
  /** Ledgers this file appended rows to (or, for a retried version, cleared). */
  readonly #touched = new Set<string>();
  #rows = 0;
  /** Reader findings appended so far (the next one's number). */
  #findings = 0;
  #prepared = false;

  constructor(group: LoadGroup, file: IntakeFile) {
    this.#group = group;
    this.#file = file;
  }

  /** Appends a part of a sheet's rows, read ahead of the file's end. */
  async part(part: SheetPart): Promise<void> {
    await this.#prepare();
    await this.#group.streaming();
    const appender = await this.#appender(part.ledger);
    this.#rows += appendBlock(appender, part.block, this.#file.versionId, part.sheetIndex);
    await this.#group.findings(this.#file.versionId, this.#findings, part.findings);
    this.#findings += part.findings.length;
  }

  /**
   * Before anything of the file is stored: a new version has nothing stored yet. A pending one
   * (its run was killed) should have nothing either, its transaction having rolled back; it is
   * cleared anyway, so that loading a version twice can never double its rows or findings.
   */
  async #prepare(): Promise<void> {
    if (this.#prepared) return;
    this.#prepared = true;
    if (this.#file.status !== 'pending') return;
    const { trx } = this.#group;
    const versionId = this.#file.versionId;
    await trx.deleteFrom('sheet_reads').where('file_version_id', '=', versionId).execute();
    await trx.deleteFrom('sheet_other_columns').where('file_version_id', '=', versionId).execute();
    await trx.deleteFrom('reader_findings').where('file_version_id', '=', versionId).execute();
    await trx.deleteFrom('sheet_totals').where('file_version_id', '=', versionId).execute();
  }

  /** The rest of the file: its last rows now, its sheets, findings, totals and status with the group. */
  async finish(read: FileRead): Promise<FileLoad> {
    const group = this.#group;
    const versionId = this.#file.versionId;
    await this.#prepare();
    if (read.status === 'unreadable') {
      // Rows appended before the damage was found count for nothing: a half-read file would
      // give half a figure. Its findings so far go too: the file's one finding says why.
      for (const ledger of this.#touched) {
        group.flushAppender(ledger);
        await this.#clearRows(ledger);
      }
      this.#rows = 0;
      if (this.#findings > 0) {
        group.flushFindings();
        await group.trx.deleteFrom('reader_findings').where('file_version_id', '=', versionId).execute();
        this.#findings = 0;
      }
    }
    for (const [i, s] of read.sheets.entries()) {
      group.sheetRead({
        file_version_id: versionId,
        sheet_index: i,
        sheet: s.sheet,
        hidden: s.hidden,
        ledger: s.ledger?.id ?? null,
        header_rows: s.header?.rows.join(',') ?? null,
        rows: s.rowCount,
      }, s.otherColumns);
      for (const t of s.totals) {
        if (s.ledger === null) continue;
        group.total({ file_version_id: versionId, sheet: s.sheet, ledger: s.ledger.id, field: t.field, stated: t.stated, cell: t.cell });
      }
    }
    await group.findings(versionId, this.#findings, read.findings);
    this.#findings += read.findings.length;
    for (const sheet of read.sheets) {
      await group.findings(versionId, this.#findings, sheet.findings);
      this.#findings += sheet.findings.length;
    }
    for (const [sheetNo, s] of read.sheets.entries()) {
      if (s.ledger === null || s.block === null || s.rowCount === 0) continue;
      if (s.block.length > 0) this.#rows += appendBlock(await this.#appender(s.ledger), s.block, versionId, sheetNo);
      // Once per sheet: its name and the column letter of each field (the cells' addresses).
      const block = s.block;
      const letters = s.ledger.fields.map((f) => {
        const k = block.fields.indexOf(f.id);
        return k < 0 ? null : columnLetters(block.columns[k] ?? 0);
      });
      group.sheetRow(s.ledger.id, [versionId, sheetNo, s.sheet, ...letters]);
    }
    group.status(versionId, read.status);
    return { path: read.file.path, rows: this.#rows, findings: this.#findings };
  }

  async #appender(ledger: LedgerDef): Promise<RowAppender> {
    if (!this.#touched.has(ledger.id)) {
      if (this.#file.status === 'pending') await this.#clearRows(ledger.id);
      this.#touched.add(ledger.id);
    }
    return this.#group.appender(ledger);
  }

  async #clearRows(id: string): Promise<void> {
    const { connection } = this.#group.tdb;
    await connection.run(`delete from "${dataTableName({ id })}" where file_version_id = $id`, { id: this.#file.versionId });
    await connection.run(`delete from "${sheetTableName({ id })}" where file_version_id = $id`, { id: this.#file.versionId });
  }
}
