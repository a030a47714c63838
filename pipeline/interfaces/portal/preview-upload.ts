/**
 * The preview of an upload: the pipeline run on a scratch copy of the department's folder (its
 * current files, the uploaded ones put in as they would be) with a scratch database, writing
 * no report and sending no mail. Only the findings about the uploaded files are kept: the same
 * codes, cells and messages the mail would carry once the files are submitted.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, cp, lstat, mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Department, TallyConfig } from '../../kernel/config/config.ts';
import type { Finding } from '../../kernel/findings/findings.ts';
import { runPipeline } from '../../run.ts';
import type { StagedFile } from './upload-staging.ts';

export interface PreviewLedger {
  readonly ledger: string;
  readonly ledgerName: string;
  readonly rows: number;
  readonly files: readonly string[];
}

export interface PreviewResult {
  readonly findings: readonly Finding[];
  /** Ledgers found in the uploaded files, with their data rows. */
  readonly recognized: readonly PreviewLedger[];
  /** Ledger names the department would still owe after this upload. */
  readonly stillMissing: readonly string[];
  readonly ms: number;
}

export interface PreviewOptions {
  readonly config: TallyConfig;
  readonly inbox: string;
  readonly department: Department;
  readonly files: readonly StagedFile[];
  /** Where scratch folders go (removed afterwards). */
  readonly scratchRoot: string;
}

export async function previewUpload(opts: PreviewOptions): Promise<PreviewResult> {
  const started = Date.now();
  const { config, department } = opts;
  const scratch = join(opts.scratchRoot, randomBytes(8).toString('hex'));
  const folder = join(scratch, 'inbox', department.code);
  try {
    await mkdir(folder, { recursive: true });
    const current = join(opts.inbox, department.code);
    if (await isDirectory(current)) {
      // Links are never followed by a run either; leave them out.
      await cp(current, folder, { recursive: true, filter: async (src) => !(await lstat(src)).isSymbolicLink() });
    }
    for (const f of opts.files) await copyFile(f.path, join(folder, f.name));
    const summary = await runPipeline({
      config,
      inbox: join(scratch, 'inbox'),
      out: join(scratch, 'out'),
      dbPath: join(scratch, 'preview.duckdb'),
      readers: 1,
      outputs: { report: false, mail: false },
    });
    const uploaded = new Set(opts.files.map((f) => `${department.code}/${f.name}`));
    const mine = summary.report.submissions.filter((s) => s.departmentCode === department.code);
    return {
      findings: summary.report.findings.filter((f) => f.file !== null && uploaded.has(f.file)),
      recognized: mine
        .filter((s) => s.files.some((p) => uploaded.has(p)))
        .map((s) => ({ ledger: s.ledgerId, ledgerName: s.ledger, rows: s.rows, files: s.files.filter((p) => uploaded.has(p)).map((p) => p.slice(department.code.length + 1)) })),
      stillMissing: mine.filter((s) => s.status === '缺报').map((s) => s.ledger),
      ms: Date.now() - started,
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
