/**
 * Writes the marked-up copy of every current file that has findings to
 * `<out>/marked/<department>/<name>` (the portal lists that folder; the department's mail attaches
 * its files), and removes the copies of files that no longer have any. A copy is rewritten only
 * when its original or its findings changed: a hidden manifest per folder remembers what each
 * copy was made from, so a nightly run over unchanged files does not reload every workbook.
 *
 * Names: the submitted file's name, cleaned to a plain name (no separators, no leading dot, no
 * control or Windows-reserved characters); a file in a subfolder is `子目录_名称.xlsx`; a copy that
 * is not .xlsx (a CSV, an .xls, an .xlsm, a WPS .et) is written as `<name>.xlsx`.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Finding } from '../../pipeline/kernel/findings/findings.ts';
import type { MarkUpInput, MarkUpResult } from './mark-up-workbook.ts';
import { MarkUpPool } from './mark-up-pool.ts';

/** A current submitted file, as the pipeline archived it. */
export interface MarkableFile {
  readonly department: string;
  /** Path relative to the inbox: `justice/调解台账.xlsx`. */
  readonly path: string;
  /** The archived original. */
  readonly archivedPath: string;
  readonly sha256: string;
  readonly size: number;
  /** Rows it was read with (all sheets), when known: exceljs holds every cell of the copy. */
  readonly rows?: number;
}

export interface MarkedFile {
  readonly department: string;
  /** The submitted file it marks up (relative to the inbox). */
  readonly file: string;
  /** The copy's name in `<out>/marked/<department>/`. */
  readonly name: string;
  readonly path: string;
}

export interface MarkedResult {
  /** Every marked copy now in place (written this run or still current). */
  readonly files: readonly MarkedFile[];
  /** Files with findings that could not be copied, and why (too large, not loadable). */
  readonly skipped: readonly { readonly file: string; readonly reason: string }[];
}

export interface WriteMarkedOptions {
  /** `<out>/marked` */
  readonly dir: string;
  readonly files: readonly MarkableFile[];
  /** Files that have findings: how many, and whether one says the file could not be read. */
  readonly withFindings: ReadonlyMap<string, { readonly total: number; readonly unreadable: boolean }>;
  /**
   * Each file's first `limit` findings, in reading order (from the run's findings in the
   * database), for a department's files at once: one query per department, not one per file
   * (a district's rerun spent ~9 s in 5,000 of them).
   */
  findingsOfFiles(files: readonly string[], limit: number): Promise<ReadonlyMap<string, readonly Finding[]>>;
  /**
   * A digest of each file's findings, all files in one query: a copy whose original and digest
   * are unchanged is kept without fetching its findings (a district's rerun spent ~0.7 s
   * fetching 120 departments' findings only to find nothing new).
   */
  findingDigests(): Promise<ReadonlyMap<string, string>>;
  /** Findings marked on one copy at most (default {@link MAX_MARKS}); the rest are counted on 问题说明. */
  readonly maxMarks?: number;
  /** Every department on the roster: one whose files are all withdrawn loses its old copies too. */
  readonly departments?: readonly string[];
  /**
   * Larger originals are not copied (default 8 MB): exceljs holds the whole workbook in memory,
   * about 90 times its size, in the run's own process.
   */
  readonly maxBytes?: number;
  /**
   * Called once every copy to make has been handed over (to the worker threads, or queued here),
   * before they are done: the caller may start other work then (the report stage writes the
   * report's files while the worker threads make the copies).
   */
  readonly queued?: () => void;
}

const MANIFEST = '.tally-marked.json';
/** Bumped when the marking itself changes, so every copy is made again. */
const MARK_VERSION = 3;
const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;
/**
 * Rows a copied workbook may hold: a small file can still expand to a hundred thousand rows of
 * long text (shared strings), and exceljs keeps an object per cell (1.5 GB for one such file).
 */
export const MAX_MARK_ROWS = 50_000;
/**
 * Findings marked on one copy at most: a comment per cell costs exceljs memory and the copy
 * bytes, and past a few thousand marks nobody reads them on the sheet; the complete list is the
 * CSV beside the report and on the portal.
 */
export const MAX_MARKS = 5_000;

interface Manifest {
  /** name → what the copy was made from (a hash of the original and its findings). */
  readonly files: Record<string, string>;
}

/**
 * From this many files with findings on, the copies are made in worker threads, several at once
 * (MarkUpPool); below, here, one after another (starting a worker costs more than a few copies).
 */
const POOL_FROM = 8;

export async function writeMarkedFiles(opts: WriteMarkedOptions): Promise<MarkedResult> {
  const pool = opts.withFindings.size >= POOL_FROM ? new MarkUpPool() : undefined;
  try {
    return await writeAll(opts, pool === undefined ? oneAtATime() : (input) => pool.markUp(input));
  } finally {
    await pool?.close();
  }
}

/** Copies made here, one after another (each holds its whole workbook in memory). */
function oneAtATime(): (input: MarkUpInput) => Promise<MarkUpResult> {
  let last: Promise<unknown> = Promise.resolve();
  return (input) => {
    // Loaded on the first copy made here: a run with no copy to make never loads exceljs.
    const made = last.then(async () => (await import('./mark-up-workbook.ts')).markUpWorkbook(input));
    last = made.catch(() => undefined);
    return made;
  };
}

/**
 * Findings handed to copies being made, at most, before the next department's are fetched: the
 * departments' copies are made at the same time (a long copy of one does not hold up the next
 * one's), but a flood of findings is not all held at once.
 */
const FINDINGS_IN_FLIGHT = 100_000;

/** A department whose copies are being made: finished (folder manifest, old copies removed) in roster order. */
interface DepartmentWork {
  readonly folder: string;
  readonly before: Manifest;
  readonly now: Record<string, string>;
  readonly listed: (MarkedFile | null)[];
  /** Files skipped when planned (too large), then those whose copy failed, in list order. */
  readonly skipped: { file: string; reason: string }[];
  readonly failed: ({ file: string; reason: string } | null)[];
  readonly making: Promise<void>[];
  /** Findings handed to its copies being made. */
  findings: number;
}

async function writeAll(opts: WriteMarkedOptions, markUp: (input: MarkUpInput) => Promise<MarkUpResult>): Promise<MarkedResult> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxMarks = opts.maxMarks ?? MAX_MARKS;
  const departments = new Map<string, MarkableFile[]>((opts.departments ?? []).map((d) => [d, []]));
  for (const file of opts.files) departments.set(file.department, [...(departments.get(file.department) ?? []), file]);

  const files: MarkedFile[] = [];
  const skipped: { file: string; reason: string }[] = [];
  // Every department's folder is read (its manifest, its listing) while the database answers,
  // all at once: one after the other, a district's 120 folders took ~0.2 s of round trips.
  const [digests, folders] = await Promise.all([
    opts.findingDigests(),
    Promise.all(
      [...departments.keys()].map(async (department) => {
        const folder = join(opts.dir, department);
        // One listing of the folder, not a stat per copy (1,124 copies in a district).
        const [before, present] = await Promise.all([readManifest(folder), readdir(folder).catch(() => [] as string[])]);
        return { before, present: new Set(present) };
      }),
    ),
  ]);
  const working: DepartmentWork[] = [];
  let inFlight = 0;
  const finishOldest = async () => {
    const work = working.shift();
    if (work === undefined) return;
    await Promise.all(work.making);
    inFlight -= work.findings;
    await finish(work, files, skipped);
  };
  for (const [index, [department, all]] of [...departments].entries()) {
    while (working.length > 0 && inFlight >= FINDINGS_IN_FLIGHT) await finishOldest();
    const folder = join(opts.dir, department);
    const { before, present } = folders[index] ?? { before: { files: {} }, present: new Set<string>() };
    const work: DepartmentWork = { folder, before, now: {}, listed: [], skipped: [], failed: [], making: [], findings: 0 };
    const { now, listed } = work;
    const taken = new Set<string>();
    const toMake: { file: MarkableFile; name: string; path: string; key: string; omitted: number; slot: number }[] = [];
    for (const file of [...all].sort((a, b) => a.path.localeCompare(b.path))) {
      const has = opts.withFindings.get(file.path);
      if (has === undefined || has.total === 0) continue;
      // A file that could not be read has nothing to mark: its mail says why.
      if (has.unreadable) continue;
      if (file.size > maxBytes) {
        work.skipped.push({ file: file.path, reason: `文件超过 ${Math.round(maxBytes / 1024 / 1024)} MB，未生成批注版` });
        continue;
      }
      if ((file.rows ?? 0) > MAX_MARK_ROWS) {
        work.skipped.push({ file: file.path, reason: `文件超过 ${MAX_MARK_ROWS.toLocaleString('en-US')} 行，未生成批注版（问题见问题清单）` });
        continue;
      }
      const name = markedName(file.path, department, taken);
      taken.add(name);
      const path = join(folder, name);
      const omitted = Math.max(0, has.total - maxMarks);
      const key = hash([MARK_VERSION, file.sha256, file.path, digests.get(file.path) ?? '', omitted]);
      if (before.files[name] === key && present.has(name)) {
        now[name] = key;
        listed.push({ department, file: file.path, name, path });
        continue;
      }
      // Its place in the list is kept while it is made.
      toMake.push({ file, name, path, key, omitted, slot: listed.push(null) - 1 });
    }
    working.push(work);
    if (toMake.length === 0) continue;
    // The findings of the copies to be made only, in one query.
    const fetched = await opts.findingsOfFiles(toMake.map((m) => m.file.path), maxMarks);
    await mkdir(folder, { recursive: true });
    // The longest first (a CSV or an .xls goes through exceljs; then the largest): the pool's
    // threads finish together. The list keeps its order (slots).
    for (const { file, name, path, key, omitted, slot } of [...toMake].sort(longestFirst)) {
      const findings = fetched.get(file.path) ?? [];
      work.findings += findings.length;
      inFlight += findings.length;
      const scratch = join(folder, `.${name}.${process.pid}.tmp`);
      work.making.push(
        (async () => {
          try {
            await markUp({ source: file.archivedPath, fileName: baseName(file.path), findings, omitted, target: scratch });
            // Renamed into place: the portal never serves a half-written copy.
            await rename(scratch, path);
            now[name] = key;
            listed[slot] = { department, file: file.path, name, path };
          } catch (error) {
            await rm(scratch, { force: true });
            work.failed[slot] = { file: file.path, reason: `批注版生成失败：${error instanceof Error ? error.message : String(error)}` };
          }
        })(),
      );
    }
  }
  opts.queued?.();
  while (working.length > 0) await finishOldest();
  return { files, skipped };
}

/** Copies that go through exceljs first, then the larger originals. */
function longestFirst(a: { file: MarkableFile }, b: { file: MarkableFile }): number {
  const slow = (f: MarkableFile) => (/\.xlsx$/i.test(f.path) ? 0 : 1);
  return slow(b.file) - slow(a.file) || b.file.size - a.file.size;
}

/** A department's copies made: its list, its skipped files, its old copies gone, its manifest. */
async function finish(work: DepartmentWork, files: MarkedFile[], skipped: { file: string; reason: string }[]): Promise<void> {
  const { folder, before, now } = work;
  for (const f of work.listed) if (f !== null) files.push(f);
  for (const s of work.skipped) skipped.push(s);
  for (const f of work.failed) if (f !== undefined && f !== null) skipped.push(f);
  // Copies of files fixed or withdrawn since: gone, so nobody works from a stale one.
  for (const name of Object.keys(before.files)) {
    if (!(name in now)) await rm(join(folder, name), { force: true });
  }
  const same = Object.keys(now).length === Object.keys(before.files).length && Object.entries(now).every(([name, key]) => before.files[name] === key);
  if (!same) {
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, MANIFEST), JSON.stringify({ files: now } satisfies Manifest, null, 1));
  }
}

/**
 * The copy's name: `justice/调解台账.xlsx` → `调解台账.xlsx`, `justice/2020/调解.csv` →
 * `2020_调解.xlsx`; a second file that would get a taken name gets `(2)`.
 */
export function markedName(path: string, department: string, taken: ReadonlySet<string> = new Set()): string {
  const inside = path.startsWith(`${department}/`) ? path.slice(department.length + 1) : path;
  let name = inside
    .split('/')
    .map((part) => part.replace(/[\u0000-\u001f\u007f\\:*?"<>|]/g, '_'))
    .join('_')
    .replace(/^[.~$\s]+/, '');
  if (!/\.xlsx$/i.test(name)) name = `${name.replace(/\.(csv|txt|xlsm|xls|et)$/i, '') || '台账'}.xlsx`;
  if (name.length > 120) name = `${name.slice(0, 115)}.xlsx`;
  let candidate = name;
  for (let i = 2; taken.has(candidate); i++) candidate = name.replace(/\.xlsx$/i, `(${i}).xlsx`);
  return candidate;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

async function readManifest(folder: string): Promise<Manifest> {
  try {
    const parsed = JSON.parse(await readFile(join(folder, MANIFEST), 'utf8')) as Partial<Manifest>;
    return { files: typeof parsed.files === 'object' && parsed.files !== null ? parsed.files : {} };
  } catch {
    return { files: {} };
  }
}

function hash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}
