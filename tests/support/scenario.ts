/**
 * Scenarios for pipeline tests: a temp dir `tests/.tmp/<name>-<random>/` with an inbox laid out
 * by the test (workbooks built by code, raw bytes for broken files), a configuration whose roster
 * the test gives, one full run of the pipeline on its own DuckDB file, and the summary back.
 *
 * @example
 * const scenarios = useScenarios(); // at the top of a test file: cleans up in afterAll
 * const run = await scenarios.run('mediation-total-row-wrong', {
 *   roster: [{ code: 'justice', owes: ['mediation'] }],
 *   files: { 'justice/mediation-total-row-wrong.xlsx': [sheetSpec] },
 * });
 * run.findingsOf('sheet.total_mismatch'); // the findings of that code only
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { afterAll } from 'vitest';
import { writeCsv, writeLedgerWorkbook, type SheetSpec } from '../../demo/ledger-workbook.ts';
import { loadConfig } from '../../pipeline/kernel/config/config.ts';
import type { CheckCode, Finding } from '../../pipeline/kernel/findings/findings.ts';
import { runPipeline, type RunSummary } from '../../pipeline/run.ts';
import type { IndicatorResult, SubmissionRow } from '../../reports/report-data.ts';
import { writeTownConfig } from './town-config.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const TMP = join(ROOT, 'tests', '.tmp');

/** Display names of the demo roster; other codes are named after themselves. */
const NAMES: Readonly<Record<string, string>> = {
  enforcement: '综合执法队',
  justice: '司法所',
  counsel: '法律顾问',
  office: '综合保障办',
};

export interface RosterEntry {
  readonly code: string;
  /** Ledger ids the department owes. */
  readonly owes: readonly string[];
}

/**
 * What to write at a path of the inbox: a workbook (its sheets), a CSV (its rows), raw bytes
 * (a broken file), or a writer of its own.
 */
export type InboxFile =
  | readonly SheetSpec[]
  | { readonly csv: (string | number)[][]; readonly encoding?: 'utf-8' | 'utf-8-bom' | 'gb18030' }
  | { readonly bytes: Buffer | string }
  /** Anything else: the test writes the file itself (e.g. a workbook, then truncated). */
  | { readonly write: (path: string) => Promise<void> };

export interface ScenarioSpec {
  readonly roster: readonly RosterEntry[];
  /** Inbox-relative path (`justice/调解台账.xlsx`, or a bare name for the inbox root) → content. */
  readonly files: Readonly<Record<string, InboxFile>>;
  readonly year?: number;
}

export interface ScenarioRun {
  readonly dir: string;
  readonly summary: RunSummary;
  readonly findings: readonly Finding[];
  findingsOf(code: CheckCode): Finding[];
  /** The indicator of that code; throws when the report has none. */
  indicator(code: string): IndicatorResult;
  /** The 报送情况 row of a department and ledger; throws when there is none. */
  submission(department: string, ledger: string): SubmissionRow;
}

/** UTC midnight of a calendar day, as the workbook builder wants dates. */
export function day(year: number, month: number, date: number): Date {
  return new Date(Date.UTC(year, month - 1, date));
}

async function writeInboxFile(path: string, content: InboxFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  if ('csv' in content) return writeCsv(path, content.csv, { encoding: content.encoding ?? 'utf-8' });
  if ('bytes' in content) return writeFile(path, content.bytes);
  if ('write' in content) return content.write(path);
  return writeLedgerWorkbook(path, [...content]);
}

/**
 * Registers cleanup of every scenario dir in `afterAll`; call once at the top of a test file.
 * With `{ outputs: false }` the runs write no report, marked copy or mail (the report data and
 * every finding are still made): for tests of what was found, not of the files (a third of a
 * scenario's time went to writing them).
 */
export function useScenarios(opts: { readonly outputs?: boolean } = {}): { run(name: string, spec: ScenarioSpec): Promise<ScenarioRun> } {
  const outputs = opts.outputs ?? true;
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });
  return {
    async run(name, spec) {
      const dir = join(TMP, `${name}-${randomBytes(4).toString('hex')}`);
      dirs.push(dir);
      const inbox = join(dir, 'inbox');
      await mkdir(inbox, { recursive: true });
      const configFile = join(dir, 'config.json');
      await writeTownConfig(
        configFile,
        {
          $comment: `scenario ${name}`,
          district: '大兴区',
          year: spec.year ?? 2020,
          departments: spec.roster.map((d) => ({
            code: d.code,
            name: NAMES[d.code] ?? d.code,
            email: `${d.code}@anding.example.gov.cn`,
            owes: d.owes,
          })),
        },
      );
      for (const [path, content] of Object.entries(spec.files)) await writeInboxFile(join(inbox, path), content);
      const summary = await runPipeline({
        config: loadConfig(configFile),
        inbox,
        out: join(dir, 'out'),
        dbPath: join(dir, 'tally.duckdb'),
        now: () => new Date(Date.UTC(2021, 0, 10, 2, 0, 0)),
        // A scenario's inbox is a few small files: one read worker is enough, and starts faster.
        readers: 1,
        ...(outputs ? {} : { outputs: { report: false, mail: false } }),
      });
      const findings = summary.report.findings;
      return {
        dir,
        summary,
        findings,
        findingsOf: (code) => findings.filter((f) => f.code === code),
        indicator: (code) => {
          const found = summary.report.indicators.find((i) => i.code === code);
          if (found === undefined) throw new Error(`no indicator ${code} in the report`);
          return found;
        },
        submission: (department, ledger) => {
          const found = summary.report.submissions.find((s) => s.departmentCode === department && s.ledgerId === ledger);
          if (found === undefined) throw new Error(`no submission row for ${department}/${ledger}`);
          return found;
        },
      };
    },
  };
}
