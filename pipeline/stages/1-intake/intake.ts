/**
 * Intake: what is in the inbox now, against what the database has seen. New and changed files
 * (by content hash) become new file versions, their original bytes archived; files gone from
 * the inbox are withdrawn; unchanged files are left alone (nothing is re-read).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, lstat, mkdir, readdir } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import type { Kysely, Selectable } from 'kysely';
import type { Department } from '../../kernel/config/config.ts';
import { utcTimestamp, type Database, type FileVersionTable } from '../../kernel/db/schema.ts';
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
}

export interface IntakeOptions {
  readonly inbox: string;
  readonly archiveDir: string;
  readonly departments: readonly Department[];
  readonly maxFileBytes: number;
  readonly now: Date;
}

/** Office's own scratch files, never a submission. */
function isIgnorable(name: string): boolean {
  return name.startsWith('~$') || name.startsWith('.') || /^(thumbs\.db|desktop\.ini)$/i.test(name);
}

interface Found {
  /** Path relative to the inbox, `/`-separated, names decoded for people. */
  readonly path: string;
  /** The path as the file system spells it (bytes: a name need not be UTF-8). */
  readonly abs: Buffer;
  readonly size: number;
  readonly kind: 'file' | 'symlink' | 'special';
}

const SEPARATOR = Buffer.from(sep);

/**
 * A file name as bytes → text. Names are read as bytes because a zip unpacked on Linux keeps
 * the GBK bytes Windows gave its Chinese names: read as UTF-8 they would become U+FFFD and name
 * no file at all. Valid UTF-8 is taken as such, anything else as GB18030.
 */
function decodeName(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

async function walk(root: string): Promise<Found[]> {
  const out: Found[] = [];
  const visit = async (dir: Buffer, prefix: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true, encoding: 'buffer' }))
      .map((e) => ({ e, name: decodeName(e.name) }))
      .sort((a, b) => a.name.localeCompare(b.name));
    for (const { e, name } of entries) {
      if (isIgnorable(name)) continue;
      const abs = Buffer.concat([dir, SEPARATOR, e.name]);
      const path = prefix === '' ? name : `${prefix}/${name}`;
      if (e.isSymbolicLink()) {
        out.push({ path, abs, size: 0, kind: 'symlink' });
      } else if (e.isDirectory()) {
        await visit(abs, path);
      } else if (e.isFile()) {
        out.push({ path, abs, size: (await lstat(abs)).size, kind: 'file' });
      } else {
        // A pipe, socket or device: reading it could block forever.
        out.push({ path, abs, size: 0, kind: 'special' });
      }
    }
  };
  await visit(Buffer.from(root), '');
  return out;
}

async function sha256(path: Buffer): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Files hashed at once: a district's inbox is thousands of small files, each mostly waiting on the disk. */
const HASHING_AT_ONCE = 16;

/** The SHA-256 of every file, several read at a time (one at a time took ~2 s for 5,000 files). */
async function hashAll(files: readonly Found[]): Promise<Map<Found, string>> {
  const out = new Map<Found, string>();
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const f = files[next++] as Found;
      out.set(f, await sha256(f.abs));
    }
  };
  await Promise.all(Array.from({ length: Math.min(HASHING_AT_ONCE, files.length) }, worker));
  return out;
}

export async function intake(db: Kysely<Database>, opts: IntakeOptions): Promise<IntakeResult> {
  const roster = new Set(opts.departments.map((d) => d.code));
  const found = await walk(opts.inbox);
  const current = await db.selectFrom('file_versions').selectAll().where('current', '=', true).execute();
  const byPath = new Map(current.map((v) => [v.path, v]));
  // The last version number of every path ever seen, in one query rather than one per file.
  const versions = new Map(
    (await db.selectFrom('file_versions').select(['path', (eb) => eb.fn.max('version').as('v')]).groupBy('path').execute()).map((r) => [r.path, Number(r.v)]),
  );
  const files: IntakeFile[] = [];
  const findings: Finding[] = [];
  await mkdir(opts.archiveDir, { recursive: true });
  const hashes = await hashAll(found.filter((f) => f.kind === 'file'));

  for (const f of found) {
    const segments = f.path.split('/');
    const folder = segments.length > 1 ? (segments[0] ?? null) : null;
    const department = folder !== null && roster.has(folder) ? folder : null;
    if (f.kind === 'symlink') {
      // A link could point anywhere on the machine: it is never followed.
      findings.push(finding('file.unreadable', { department, file: f.path }, '这是一个链接（快捷方式），不是文件本身，未读取。请把文件本身放入文件夹。'));
      continue;
    }
    if (f.kind === 'special') {
      findings.push(finding('file.unreadable', { department, file: f.path }, '这不是普通文件（是管道、设备等特殊文件），未读取。请把台账文件本身放入文件夹。'));
      continue;
    }
    // Every regular file was hashed above.
    const hash = hashes.get(f) as string;
    const previous = byPath.get(f.path);
    byPath.delete(f.path);
    if (previous !== undefined && previous.sha256 === hash) {
      files.push(toFile(previous, previous.read_status === 'pending' ? 'pending' : 'unchanged', opts));
      if (department === null) findings.push(unknownDepartment(f.path, folder));
      continue;
    }
    const oversized = f.size > opts.maxFileBytes;
    const archivedAs = oversized ? '' : `${hash.slice(0, 2)}/${hash}${extname(f.path).toLowerCase().replace(/[^.a-z0-9]/g, '')}`;
    if (!oversized) {
      await mkdir(join(opts.archiveDir, hash.slice(0, 2)), { recursive: true });
      await copyFile(f.abs, join(opts.archiveDir, archivedAs));
    }
    const version = (versions.get(f.path) ?? 0) + 1;
    const inserted = await db.transaction().execute(async (trx) => {
      if (previous !== undefined) await trx.updateTable('file_versions').set({ current: false }).where('id', '=', previous.id).execute();
      return trx
        .insertInto('file_versions')
        .values({
          department,
          path: f.path,
          version,
          sha256: hash,
          size: BigInt(f.size),
          received_at: utcTimestamp(opts.now),
          archived_as: archivedAs,
          current: true,
          read_status: department === null ? 'skipped' : 'pending',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    });
    const status: IntakeStatus = department === null ? 'unknown_department' : previous === undefined ? 'new' : 'changed';
    files.push({
      path: f.path,
      department,
      status,
      versionId: inserted.id,
      version,
      size: f.size,
      archivedPath: oversized ? null : join(opts.archiveDir, archivedAs),
      oversized,
    });
    if (department === null) findings.push(unknownDepartment(f.path, folder));
  }

  // Whatever is no longer in the inbox is withdrawn: its rows stop counting, its versions stay.
  for (const gone of byPath.values()) {
    await db.updateTable('file_versions').set({ current: false }).where('id', '=', gone.id).execute();
    files.push(toFile(gone, 'withdrawn', opts));
  }
  const toRead = files.filter((f) => f.department !== null && (f.status === 'new' || f.status === 'changed' || f.status === 'pending'));
  return { files, toRead, findings };
}

function toFile(v: Selectable<FileVersionTable>, status: IntakeStatus, opts: IntakeOptions): IntakeFile {
  return {
    path: v.path,
    department: v.department,
    status,
    versionId: v.id,
    version: v.version,
    size: Number(v.size),
    archivedPath: v.archived_as === '' ? null : join(opts.archiveDir, v.archived_as),
    oversized: v.archived_as === '',
  };
}

function unknownDepartment(path: string, folder: string | null): Finding {
  return finding(
    'file.unknown_department',
    { department: null, file: path },
    folder === null
      ? `文件“${path}”没有放在任何部门的文件夹里，无法确定是哪个部门报送的，未读取。请放入本部门的文件夹。`
      : `文件夹“${folder}”不是名单上的部门，文件“${path}”未读取。请放入本部门的文件夹，或请司法所在配置中添加该部门。`,
  );
}
