/**
 * One pipeline run over an inbox of bad files, one department folder per case, each folder
 * holding the bad file beside a valid two-row 法律援助台账, so every case can show that its
 * neighbour was still read and counted. The configuration may set the file-size limit.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { queryDatabase } from '../support/query-database.ts';
import { writeLedgerWorkbook, type SheetSpec } from '../../demo/ledger-workbook.ts';
import { loadConfig } from '../../pipeline/kernel/config/config.ts';
import { runPipeline, type RunSummary } from '../../pipeline/run.ts';
import { writeTownConfig } from '../support/town-config.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
export const TMP = join(ROOT, 'tests', '.tmp');

/** The valid neighbour of every bad file: two legal-aid cases of 2020, keys unique per folder. */
export const NEIGHBOUR = '法律援助台账.xlsx';
export const NEIGHBOUR_ROWS = 2;

function neighbour(folder: string): SheetSpec {
  return {
    name: '法律援助',
    title: '2020年法律援助台账',
    header: ['案件编号', '受理日期', '受援人'],
    rows: [
      [`${folder}-援-1`, new Date(Date.UTC(2020, 2, 5)), '张三'],
      [`${folder}-援-2`, new Date(Date.UTC(2020, 5, 9)), '李四'],
    ],
  };
}

/** A department folder's code from a case name: `csv-utf16le-with-bom.csv` → `csv-utf16le-with-bom-csv`. */
export function folderOf(caseName: string): string {
  const code = caseName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return /^[a-z]/.test(code) ? code : `c-${code}`;
}

export interface InboxRun {
  readonly dir: string;
  readonly inbox: string;
  readonly out: string;
  readonly summary: RunSummary;
  /** Runs SQL on the run's database (opened after the run, closed again). */
  query(sql: string): Promise<Record<string, unknown>[]>;
}

/**
 * Lays out `tests/.tmp/<name>-<random>/inbox/<folder>/` for each folder (the writer puts the bad
 * file in, the neighbour is added here), runs the pipeline once, and hands back the summary.
 */
export async function runInbox(
  name: string,
  folders: readonly { folder: string; write: (folderPath: string) => Promise<void> }[],
  opts: { maxFileMegabytes?: number } = {},
): Promise<InboxRun> {
  const dir = join(TMP, `${name}-${randomBytes(4).toString('hex')}`);
  const inbox = join(dir, 'inbox');
  await mkdir(inbox, { recursive: true });
  for (const { folder, write } of folders) {
    const path = join(inbox, folder);
    await mkdir(path, { recursive: true });
    await writeLedgerWorkbook(join(path, NEIGHBOUR), [neighbour(folder)]);
    await write(path);
  }
  const configFile = join(dir, 'config.json');
  await writeTownConfig(
    configFile,
    {
      district: '大兴区',
      ...(opts.maxFileMegabytes === undefined ? {} : { limits: { maxFileMegabytes: opts.maxFileMegabytes } }),
      departments: folders.map(({ folder }) => ({ code: folder, name: folder, email: `${folder}@anding.example.gov.cn`, owes: ['legal_aid'] })),
    },
  );
  const dbPath = join(dir, 'tally.duckdb');
  const out = join(dir, 'out');
  const summary = await runPipeline({
    config: loadConfig(configFile),
    inbox,
    out,
    dbPath,
    now: () => new Date(Date.UTC(2021, 0, 10, 2, 0, 0)),
    readTimeoutMs: 30_000,
  });
  return {
    dir,
    inbox,
    out,
    summary,
    query: (sql) => queryDatabase(dbPath, sql),
  };
}

export async function removeRun(run: InboxRun | undefined): Promise<void> {
  if (run !== undefined) await rm(run.dir, { recursive: true, force: true });
}
