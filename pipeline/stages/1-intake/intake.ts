/**
 * Intake: what is in the inbox now, against what the database has seen. New and changed files
 * (by content hash) become new file versions, their original bytes archived; files gone from
 * the inbox are withdrawn; unchanged files are left alone (nothing is re-read). A file whose
 * size, modification and change times and inode are those it had when last hashed is taken as
 * unchanged without reading it (as git does). The database is written in one transaction.
 */
import { createHash } from 'node:crypto';
import { constants, createReadStream, lstatSync, readdirSync, statSync, type BigIntStats } from 'node:fs';
import { copyFile, mkdir, open } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import { sql, type Selectable } from 'kysely';
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import { timestampValue } from '../../kernel/db/duckdb-api.ts';
import type { TallyDatabase } from '../../kernel/db/open-database.ts';
import type { Department } from '../../kernel/config/config.ts';
import { ConfigError } from '../../kernel/config/config-error.ts';
import type { FileVersionTable } from '../../kernel/db/schema.ts';
import { finding, type Finding } from '../../kernel/findings/findings.ts';

/** `pending`: seen before but its load never committed (a run was killed): read it again. */
export type IntakeStatus = 'new' | 'changed' | 'unchanged' | 'pending' | 'withdrawn' | 'unknown_department';

export interface IntakeFile {
  /** Path relative to the inbox, `/`-separated. */
  readonly path: string;
  readonly department: string | null;
  readonly status: IntakeStatus;
  readonly versionId: bigint;
  readonly version: number;
  readonly size: number;
  /** The archived copy to read (never the inbox file, which may change under us). */
  readonly archivedPath: string | null;
  readonly oversized: boolean;
}

export interface IntakeResult {
  readonly files: readonly IntakeFile[];
  /** Files that need reading this run (new or changed, in a roster folder). */
  readonly toRead: readonly IntakeFile[];
  readonly findings: readonly Finding[];
  /** Files read and hashed this run (the others' stat said they were unchanged). */
  readonly hashed: number;
}

export interface IntakeOptions {
  readonly inbox: string;
  readonly archiveDir: string;
  readonly departments: readonly Department[];
  readonly maxFileBytes: number;
  readonly now: Date;
  /** Called once, before hashing, when some file is new or its stat changed (the run will likely read). */
  readonly onChangedFiles?: () => void;
}

/** Office's own scratch files, never a submission. */
function isIgnorable(name: string): boolean {
  return name.startsWith('~$') || name.startsWith('.') || /^(thumbs\.db|desktop\.ini)$/i.test(name);
}

/**
 * Backups and temporary copies that editors and Office leave beside a file or save on request:
 * `台账 - 副本.xlsx.bak`, Excel's `台账的备份.xlk`, Word's `.wbk` and `.asd`, `.tmp` files, `台账.xlsx~`.
 * Read, a copy counts its rows twice (a `副本.xlsx` is not one: it may be the only copy sent).
 */
const BACKUP = /(\.(?:bak|backup|old|tmp|temp|wbk|xlk|asd)|~)$/i;

/** Archives: the ledgers in one are not unpacked (a zip is not an xlsx, whatever it holds). */
const ARCHIVES: ReadonlySet<string> = new Set(['zip', 'rar', '7z']);

/** Documents that are no ledger, by extension, as a clerk names them. */
const DOCUMENTS: ReadonlyMap<string, string> = new Map([
  ...['doc', 'docx', 'docm', 'dot', 'dotx', 'wps', 'rtf', 'odt'].map((ext) => [ext, 'Word 文档'] as const),
  ['pdf', 'PDF 文件'],
  ...['ppt', 'pptx', 'dps', 'odp'].map((ext) => [ext, '演示文稿（幻灯片）'] as const),
  ...['jpg', 'jpeg', 'png', 'gif', 'bmp', 'tif', 'tiff', 'heic', 'webp'].map((ext) => [ext, '图片'] as const),
]);

/**
 * Why a file is not read, judged by its name (the message of its `file.ignored`), or null for a
 * file that is read. Never silent, unlike {@link isIgnorable}: the clerk may have meant it as a
 * submission, and a report draft in the folder should be moved out. A workbook is never judged
 * so: an `.et` or a `.csv` is read (by its content, sheets/sniff-format.ts).
 *
 * @example
 * notRead('台账 - 副本.xlsx.bak') // '“台账 - 副本.xlsx.bak”是备份或临时文件（.bak），…'
 * notRead('调解台账.xlsx') // null
 */
export function notRead(name: string): string | null {
  const backup = BACKUP.exec(name)?.[1];
  if (backup !== undefined) {
    const suffix = backup === '~' ? '名称以“~”结尾' : backup.toLowerCase();
    return `“${name}”是备份或临时文件（${suffix}），不是报送的台账，未读取，也不计入统计。如果它正是要报送的台账，请在 Excel 中打开它，另存为 .xlsx 文件后重新报送；否则请把它移出报送文件夹。`;
  }
  const ext = /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
  if (ARCHIVES.has(ext)) {
    return `“${name}”是压缩包，tally 不解压，未读取，也不计入统计。如果其中有要报送的台账，请解压后把台账文件放入报送文件夹；否则请把它移出报送文件夹。`;
  }
  const kind = DOCUMENTS.get(ext);
  if (kind !== undefined) {
    // 是 Word 文档, 是图片: a space before a Latin word only
    return `“${name}”是${/^[A-Za-z]/.test(kind) ? ' ' : ''}${kind}，不是台账，未读取，也不计入统计。台账请用 Excel 表格（.xlsx、.xls、.et、.ods 或 .csv）报送；这个文件如果不需要报送，请把它移出报送文件夹。`;
  }
  return null;
}

interface Found {
  /** Path relative to the inbox, `/`-separated, names decoded for people. */
  readonly path: string;
  /** The path as the file system spells it (bytes: a name need not be UTF-8). */
  readonly abs: Buffer;
  readonly size: number;
  readonly kind: 'file' | 'symlink' | 'special';
  /** A regular file's `size:mtimeNs:ctimeNs:ino` (table `file_stats`); '' for the others. */
  readonly stat: string;
  readonly mtimeNs: bigint;
}

const SEPARATOR = Buffer.from(sep);

/**
 * A file name as bytes → text. Names are read as bytes because a zip unpacked on Linux keeps
 * the GBK bytes Windows gave its Chinese names: read as UTF-8 they would become U+FFFD and name
 * no file at all. Valid UTF-8 is taken as such, anything else as GB18030.
 */
function decodeName(bytes: Buffer): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/** One decoder for every name (a new one per name cost ~10 ms of a district's walk): each decode starts afresh. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

async function walk(root: string): Promise<Found[]> {
  const out: Found[] = [];
  const pace = paced();
  // `localeCompare`'s order (the default collator), one collator for every comparison: ~2-5×
  // faster on a district's 5,000 names.
  const byName = new Intl.Collator().compare;
  const visit = async (dir: Buffer, prefix: string): Promise<void> => {
    await pace(1);
    // Synchronous, as the stats are: a district's 121 folders read one promise at a time through
    // the thread pool spent ~50 ms waiting for it, more on a busy machine.
    const entries = readdirSync(dir, { withFileTypes: true, encoding: 'buffer' })
      .map((e) => ({ e, name: decodeName(e.name), abs: Buffer.concat([dir, SEPARATOR, e.name]) }))
      .filter(({ name }) => !isIgnorable(name))
      .sort((a, b) => byName(a.name, b.name));
    const stats = await statFiles(entries.map(({ e, abs }) => (e.isFile() && !e.isSymbolicLink() ? abs : null)), pace);
    for (const [i, { e, name, abs }] of entries.entries()) {
      const path = prefix === '' ? name : `${prefix}/${name}`;
      const st = stats[i];
      if (e.isSymbolicLink()) {
        out.push({ path, abs, size: 0, kind: 'symlink', stat: '', mtimeNs: 0n });
      } else if (e.isDirectory()) {
        await visit(abs, path);
      } else if (e.isFile() && st !== null && st !== undefined) {
        out.push({ path, abs, size: Number(st.size), kind: 'file', stat: `${st.size}:${st.mtimeNs}:${st.ctimeNs}:${st.ino}`, mtimeNs: st.mtimeNs });
      } else {
        // A pipe, socket or device: reading it could block forever.
        out.push({ path, abs, size: 0, kind: 'special', stat: '', mtimeNs: 0n });
      }
    }
  };
  try {
    if (!statSync(root).isDirectory()) throw new ConfigError(`收件箱“${root}”不是文件夹，无法收取文件。请检查 --inbox 或配置中的收件箱路径。`);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`收件箱“${root}”不存在或无法打开（${(error as NodeJS.ErrnoException).code ?? String(error)}），无法收取文件。请检查 --inbox 或配置中的收件箱路径。`, { cause: error });
  }
  await visit(Buffer.from(root), '');
  return out;
}

/** Files stat'ed (or folders read) between two turns of the event loop (a server running the pipeline keeps answering). */
const STATS_PER_TURN = 256;

/** Counts synchronous calls and lets the event loop turn once every {@link STATS_PER_TURN} of them. */
function paced(): (calls: number) => Promise<void> {
  let since = 0;
  return async (calls) => {
    since += calls;
    if (since < STATS_PER_TURN) return;
    since = 0;
    await new Promise((resolve) => setImmediate(resolve));
  };
}

/**
 * lstat of each path (null: not a regular file, nothing to stat). Synchronous calls, a batch at
 * a time: 5,000 of them took ~30–75 ms this way, ~100–200 ms as 5,000 promises through the
 * thread pool (and one awaited at a time, longer still) — most of a district's rerun intake.
 */
async function statFiles(paths: readonly (Buffer | null)[], pace: (calls: number) => Promise<void>): Promise<(BigIntStats | null)[]> {
  const out: (BigIntStats | null)[] = [];
  for (const path of paths) {
    await pace(1);
    out.push(path === null ? null : lstatSync(path, { bigint: true }));
  }
  return out;
}

/**
 * Files up to this size are hashed from one read of the whole file (at most
 * {@link FILES_AT_ONCE} such buffers at a time); bigger ones as a stream. A district's 5,000
 * small workbooks hashed in ~0.35 s this way, ~0.6–1.0 s through a stream each.
 */
const READ_WHOLE_BYTES = 1024 * 1024;

async function sha256(path: Buffer, size: number): Promise<string> {
  if (size <= READ_WHOLE_BYTES) {
    const whole = await readAtMost(path, size);
    if (whole !== null) return createHash('sha256').update(whole).digest('hex');
  }
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * The file's bytes if it holds at most `size` of them; null if it has grown since it was
 * stat'ed (it is then hashed as a stream: a file being written never makes a bigger buffer).
 */
async function readAtMost(path: Buffer, size: number): Promise<Buffer | null> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(size + 1);
    let filled = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) return buffer.subarray(0, filled);
      filled += bytesRead;
      if (filled > size) return null;
    }
  } finally {
    await handle.close();
  }
}

/**
 * Files hashed or copied at once: a district's inbox is thousands of small files, each mostly
 * waiting on the disk (one at a time took ~2 s to hash 5,000 files).
 */
const FILES_AT_ONCE = 16;

/** `fn` over every item, {@link FILES_AT_ONCE} at a time. */
async function eachAtOnce<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(FILES_AT_ONCE, items.length) }, worker));
}

/** The SHA-256 of every file, several read at a time. */
async function hashAll(files: readonly Found[]): Promise<Map<Found, string>> {
  const out = new Map<Found, string>();
  await eachAtOnce(files, async (f) => void out.set(f, await sha256(f.abs, f.size)));
  return out;
}

/**
 * A file modified less than this before its hashing began may change again within the same
 * tick of a coarse file system clock (FAT, SMB: 2 s) without its stat changing: its stat is
 * recorded untrusted and the next run hashes it anyway (git's "racily clean" files).
 */
const RACY_NS = 2_000_000_000n;

/** Ids per statement (an `in` list takes each as a parameter). */
const IDS_PER_STATEMENT = 500;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A new version's row in `file_versions`, but its id (given once all are known) and time (the run's). */
type NewVersionRow = Omit<Selectable<FileVersionTable>, 'id' | 'received_at'>;

/**
 * Rows through DuckDB's appender, in the table's column order, inside the open transaction (the
 * connection's). A district's 5,000 new versions as multi-row INSERTs of 500 rows × 10
 * parameters took ~0.6 s to bind; appended, a few milliseconds.
 */
async function append<T>(connection: DuckDBConnection, table: 'file_versions' | 'file_stats', rows: readonly T[], row: (a: DuckDBAppender, r: T) => void): Promise<void> {
  if (rows.length === 0) return;
  const appender = await connection.createAppender(table);
  try {
    for (const r of rows) {
      row(appender, r);
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

export async function intake(tdb: Pick<TallyDatabase, 'db' | 'connection'>, opts: IntakeOptions): Promise<IntakeResult> {
  const { db } = tdb;
  const receivedAt = timestampValue(BigInt(opts.now.getTime()) * 1000n);
  const roster = new Set(opts.departments.map((d) => d.code));
  // Before any file is read: a file modified after this moment is never trusted by its stat.
  const hashingBegan = BigInt(Date.now()) * 1_000_000n;
  const findings: Finding[] = [];
  // A backup or a document beside the ledgers is named in a warning and goes no further.
  const found: Found[] = [];
  for (const f of await walk(opts.inbox)) {
    const why = f.kind === 'file' ? notRead(f.path.slice(f.path.lastIndexOf('/') + 1)) : null;
    if (why === null) found.push(f);
    else findings.push(finding('file.ignored', { department: placeOf(f.path, roster).department, file: f.path }, why));
  }
  const byPath = new Map((await currentVersions(tdb.connection)).map((v) => [v.path, v]));
  const files: IntakeFile[] = [];
  // A file whose stat is what it was when its current version was hashed is that version, as
  // git assumes: only the others are read and hashed.
  const statUnchanged = (f: Found) => {
    const previous = byPath.get(f.path);
    return previous !== undefined && previous.trusted === true && previous.stat === f.stat;
  };
  const toHash = found.filter((f) => f.kind === 'file' && !statUnchanged(f));
  if (toHash.length > 0) opts.onChangedFiles?.();
  // The last version number of every path ever seen, in one query rather than one per file;
  // only a file hashed now can become a new version (nothing to number in a run with no change).
  const versions = new Map(
    toHash.length === 0
      ? []
      : (await db.selectFrom('file_versions').select(['path', (eb) => eb.fn.max('version').as('v')]).groupBy('path').execute()).map((r) => [r.path, Number(r.v)]),
  );
  const hashes = await hashAll(toHash);
  const statRow = (id: bigint, f: Found) => ({ file_version_id: id, stat: f.stat, trusted: f.mtimeNs + RACY_NS <= hashingBegan });

  /** New versions, their ids given once they are all known (one INSERT for many files). */
  const fresh: { file: Mutable<IntakeFile>; row: NewVersionRow; found: Found }[] = [];
  /** Versions no longer current: replaced, or withdrawn. */
  const retired: bigint[] = [];
  /** Unchanged files hashed again (their stat had changed): their new stat replaces the old. */
  const restat: { id: bigint; found: Found }[] = [];
  const copies = new Map<string, Buffer>();

  for (const f of found) {
    const { folder, department } = placeOf(f.path, roster);
    if (f.kind === 'symlink') {
      // A link could point anywhere on the machine: it is never followed.
      findings.push(finding('file.unreadable', { department, file: f.path }, '这是一个链接（快捷方式），不是文件本身，未读取。请把文件本身放入文件夹。'));
      continue;
    }
    if (f.kind === 'special') {
      findings.push(finding('file.unreadable', { department, file: f.path }, '这不是普通文件（是管道、设备等特殊文件），未读取。请把台账文件本身放入文件夹。'));
      continue;
    }
    const previous = byPath.get(f.path);
    byPath.delete(f.path);
    // Every regular file was hashed above, unless its stat says it is its current version.
    const hash = hashes.get(f) ?? (previous as { sha256: string }).sha256;
    if (previous !== undefined && previous.sha256 === hash) {
      if (hashes.has(f)) restat.push({ id: previous.id, found: f });
      files.push(toFile(previous, previous.read_status === 'pending' ? 'pending' : 'unchanged', opts));
      if (department === null) findings.push(unknownDepartment(f.path, folder));
      continue;
    }
    const oversized = f.size > opts.maxFileBytes;
    const archivedAs = oversized ? '' : `${hash.slice(0, 2)}/${hash}${extname(f.path).toLowerCase().replace(/[^.a-z0-9]/g, '')}`;
    if (!oversized) copies.set(archivedAs, f.abs);
    if (previous !== undefined) retired.push(previous.id);
    const version = (versions.get(f.path) ?? 0) + 1;
    const status: IntakeStatus = department === null ? 'unknown_department' : previous === undefined ? 'new' : 'changed';
    const file: Mutable<IntakeFile> = {
      path: f.path,
      department,
      status,
      versionId: 0n,
      version,
      size: f.size,
      archivedPath: oversized ? null : join(opts.archiveDir, archivedAs),
      oversized,
    };
    fresh.push({
      file,
      found: f,
      row: {
        department,
        path: f.path,
        version,
        sha256: hash,
        size: BigInt(f.size),
        archived_as: archivedAs,
        current: true,
        read_status: department === null ? 'skipped' : 'pending',
      },
    });
    files.push(file);
    if (department === null) findings.push(unknownDepartment(f.path, folder));
  }
  // Whatever is no longer in the inbox is withdrawn: its rows stop counting, its versions stay.
  for (const gone of byPath.values()) {
    retired.push(gone.id);
    files.push(toFile(gone, 'withdrawn', opts));
  }

  // The original bytes are archived before their version is recorded, several files at a time.
  await mkdir(opts.archiveDir, { recursive: true });
  for (const dir of new Set([...copies.keys()].map((a) => a.slice(0, 2)))) await mkdir(join(opts.archiveDir, dir), { recursive: true });
  // A copy-on-write clone where the file system has them (btrfs, XFS), else a plain copy.
  await eachAtOnce([...copies], ([archivedAs, from]) => copyFile(from, join(opts.archiveDir, archivedAs), constants.COPYFILE_FICLONE));

  // One transaction for the whole inbox (one per file cost ~6 ms each: 30 s for a district).
  if (fresh.length > 0 || retired.length > 0 || restat.length > 0) {
    await db.transaction().execute(async (trx) => {
      for (const ids of chunks(retired, IDS_PER_STATEMENT)) await trx.updateTable('file_versions').set({ current: false }).where('id', 'in', ids).execute();
      if (fresh.length > 0) {
        const ids = (await sql<{ id: bigint }>`select nextval('file_version_seq') as id from range(${sql.lit(fresh.length)})`.execute(trx)).rows
          .map((r) => BigInt(r.id))
          .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        fresh.forEach((n, i) => (n.file.versionId = ids[i] as bigint));
        await append(tdb.connection, 'file_versions', fresh, (a, { file, row }) => {
          a.appendBigInt(file.versionId);
          if (row.department === null) a.appendNull();
          else a.appendVarchar(row.department);
          a.appendVarchar(row.path);
          a.appendInteger(row.version);
          a.appendVarchar(row.sha256);
          a.appendBigInt(row.size);
          a.appendTimestamp(receivedAt);
          a.appendVarchar(row.archived_as);
          a.appendBoolean(row.current);
          a.appendVarchar(row.read_status);
        });
      }
      for (const part of chunks(restat, IDS_PER_STATEMENT)) await trx.deleteFrom('file_stats').where('file_version_id', 'in', part.map((r) => r.id)).execute();
      const stats = [...fresh.filter((n) => n.found.stat !== '').map((n) => statRow(n.file.versionId, n.found)), ...restat.map((r) => statRow(r.id, r.found))];
      await append(tdb.connection, 'file_stats', stats, (a, r) => {
        a.appendBigInt(r.file_version_id);
        a.appendVarchar(r.stat);
        a.appendBoolean(r.trusted);
      });
    });
  }
  const toRead = files.filter((f) => f.department !== null && (f.status === 'new' || f.status === 'changed' || f.status === 'pending'));
  return { files, toRead, findings, hashed: hashes.size };
}

function toFile(v: CurrentVersion, status: IntakeStatus, opts: IntakeOptions): IntakeFile {
  return {
    path: v.path,
    department: v.department,
    status,
    versionId: v.id,
    version: v.version,
    size: Number(v.size),
    archivedPath: v.archived_as === '' ? null : archivedPath(opts.archiveDir, v.archived_as),
    oversized: v.archived_as === '',
  };
}

/** An archived copy's name as intake gives it: `ab/<sha256>` and the file's extension, cleaned. */
const ARCHIVED_AS = /^[0-9a-f]{2}\/[0-9a-f]{64}(\.[a-z0-9]*)?$/;
let archiveRoot: { dir: string; prefix: string } | undefined;

/**
 * `join(archiveDir, archivedAs)`: for a name intake made, on a `/` file system, the archive
 * folder's normalized path and the name, without normalizing the whole path again for each of a
 * district's 5,000 files (~10 ms of a rerun); any other through `join`.
 */
function archivedPath(archiveDir: string, archivedAs: string): string {
  if (sep !== '/' || !ARCHIVED_AS.test(archivedAs)) return join(archiveDir, archivedAs);
  if (archiveRoot?.dir !== archiveDir) archiveRoot = { dir: archiveDir, prefix: join(archiveDir, '_').slice(0, -1) };
  return `${archiveRoot.prefix}${archivedAs}`;
}

/** A current version with the stat it was hashed with (none for a version from before stats were kept). */
interface CurrentVersion extends Pick<Selectable<FileVersionTable>, 'id' | 'department' | 'path' | 'version' | 'sha256' | 'size' | 'archived_as' | 'read_status'> {
  readonly stat: string | null;
  readonly trusted: boolean | null;
}

/** Fields of a version in {@link currentVersions}' text. */
const VERSION_FIELDS = 10;

/**
 * Every current version with its stat, as one text from the database: fields separated by NUL
 * (which no path or stored value can hold), a nullable field written `=value` or empty for null.
 * A district's 5,000 rows as row objects cost ~60-130 ms of a rerun, nearly all of it turning
 * each of their 50,000 values into JavaScript; as one text, ~20-30 ms.
 */
async function currentVersions(connection: DuckDBConnection): Promise<CurrentVersion[]> {
  const nullable = (column: string) => `coalesce('=' || ${column}, '')`;
  const result = await connection.runAndReadAll(
    `select string_agg(concat_ws(chr(0), v.id, ${nullable('v.department')}, v.path, v.version, v.sha256, v.size, v.archived_as, v.read_status,
       ${nullable('s.stat')}, case when s.trusted then 't' when not s.trusted then 'f' else '' end), chr(0))
     from file_versions v left join file_stats s on s.file_version_id = v.id
     where v.current`,
  );
  const text = result.getRowsJS()[0]?.[0];
  if (typeof text !== 'string') return [];
  const fields = text.split('\0');
  const valueOf = (field: string) => (field === '' ? null : field.slice(1));
  const out: CurrentVersion[] = [];
  for (let i = 0; i + VERSION_FIELDS <= fields.length; i += VERSION_FIELDS) {
    const [id, department, path, version, sha256, size, archivedAs, readStatus, stat, trusted] = fields.slice(i, i + VERSION_FIELDS) as string[] as [string, string, string, string, string, string, string, string, string, string];
    out.push({
      id: BigInt(id),
      department: valueOf(department),
      path,
      version: Number(version),
      sha256,
      size: BigInt(size),
      archived_as: archivedAs,
      read_status: readStatus,
      stat: valueOf(stat),
      trusted: trusted === '' ? null : trusted === 't',
    });
  }
  return out;
}

/** A path's first folder, and the department it is when the roster has it. */
function placeOf(path: string, roster: ReadonlySet<string>): { folder: string | null; department: string | null } {
  const segments = path.split('/');
  const folder = segments.length > 1 ? (segments[0] ?? null) : null;
  return { folder, department: folder !== null && roster.has(folder) ? folder : null };
}

function unknownDepartment(path: string, folder: string | null): Finding {
  return finding(
    'file.unknown_department',
    { department: null, file: path },
    folder === null
      ? `文件“${path}”没有放在任何部门的文件夹里，无法确定是哪个部门报送的，未读取。请放入本部门的文件夹。`
      : `文件夹“${folder}”不是名单上的部门，文件“${path}”未读取。请放入本部门的文件夹，或在配置文件的 departments 中添加该部门。`,
  );
}
