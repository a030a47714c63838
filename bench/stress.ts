/**
 * `npm run stress` (issue 12): every full-size case a department can send, each through the real
 * `tally run` in a process of its own, measuring its wall time and peak resident memory (worker
 * threads and DuckDB are threads of that process). A case passes when the run exits 0, within
 * 1 GB resident, with a correct read or a finding that says why not (see bench/stress/cases.ts),
 * and the department's mail stays under 10 MB. Prints a table and writes bench/stress-results.json.
 * A failing case is reported, never hidden; the exit code is 1 when any case failed.
 *
 *   STRESS_ONLY=rows-1m,findings-1m npm run stress   a subset (names as in the table)
 *   STRESS_KEEP=1                                    keep each case's inbox and output
 *   STRESS_TIMEOUT_S=1200                            per run (default 1200 s)
 *   STRESS_KILL_MB=6144                              stop a run past this resident size (default 6144)
 *
 * Inputs are generated under bench/.scratch/stress/<case>/ (git-ignored) and removed after it.
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism, loadavg, totalmem } from 'node:os';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runTallyCli, stageSeconds, START_LABEL, summaryCounts, type CliRun } from './cli-run.ts';
import { CASES, type Verdict } from './stress/cases.ts';
import { writeStressConfig } from './stress/town.ts';

const ROOT = join(import.meta.dirname, '..');
const SCRATCH = join(ROOT, 'bench', '.scratch', 'stress');
const LIMIT_MB = 1024;
const MAIL_LIMIT_BYTES = 10 * 1024 * 1024;
const YEAR = 2020;
const timeoutMs = Number(process.env['STRESS_TIMEOUT_S'] ?? 1200) * 1000;
const killAboveMb = Number(process.env['STRESS_KILL_MB'] ?? 6144);
const keep = process.env['STRESS_KEEP'] === '1';
const only = (process.env['STRESS_ONLY'] ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter((s) => s !== '');
const unknown = only.filter((n) => !CASES.some((c) => c.name === n));
if (unknown.length > 0) {
  process.stderr.write(`STRESS_ONLY: unknown case ${unknown.join(', ')} (cases: ${CASES.map((c) => c.name).join(', ')})\n`);
  process.exit(2);
}
const selected = only.length === 0 ? CASES : CASES.filter((c) => only.includes(c.name));

interface CaseResult {
  name: string;
  title: string;
  input?: string;
  inputBytes?: number;
  maxFileMegabytes: number;
  generateSeconds?: number;
  /** The tally run: wall time from spawn to exit. */
  seconds?: number;
  peakRssMb?: number;
  peakSource?: CliRun['peakSource'];
  exitCode?: number | null;
  signal?: string | null;
  killed?: CliRun['killed'];
  stages?: Record<string, number>;
  /** Highest resident memory sampled in each stage, MB. */
  stagePeaksMb?: Record<string, number>;
  largestMailBytes?: number;
  outcome: 'PASS' | 'FAIL';
  reason: string;
  details?: Record<string, unknown>;
  /** What the run printed at the end (its summary: files, findings, marked copies, mail). */
  stdoutTail?: string;
  /** When the run failed: the end of what it wrote to stderr. */
  stderrTail?: string;
}

const mb = (n: number | undefined) => (n === undefined ? '—' : n.toFixed(0));
const secs = (n: number | undefined) => (n === undefined ? '—' : n.toFixed(1));

function largestMail(outbox: string): number | undefined {
  if (!existsSync(outbox)) return undefined;
  let largest = 0;
  for (const f of readdirSync(outbox)) if (f.endsWith('.eml') && !f.includes('coordinator')) largest = Math.max(largest, statSync(join(outbox, f)).size);
  return largest;
}

function largestFile(dir: string): number {
  let largest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    largest = Math.max(largest, e.isDirectory() ? largestFile(p) : statSync(p).size);
  }
  return largest;
}

/** The code measured: the commit, and whether the sources tally runs from differ from it. */
function codeState(): { commit: string; uncommitted: string[] } {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--', 'bin', 'pipeline', 'sheets', 'reports', 'config', 'packs', 'package.json'], { cwd: ROOT, encoding: 'utf8' });
    return { commit, uncommitted: status.split('\n').filter((l) => l.trim() !== '').map((l) => l.slice(3)) };
  } catch {
    return { commit: 'unknown', uncommitted: [] };
  }
}

const started = new Date();
const code = codeState();
const loadAtStart = loadavg()[0];
const results: CaseResult[] = [];
process.stdout.write(
  `npm run stress: ${selected.length} case(s), each through \`tally run\` in a child process; limit ${LIMIT_MB} MB resident\n` +
    `code: ${code.commit}${code.uncommitted.length > 0 ? ` plus ${code.uncommitted.length} uncommitted source file(s)` : ''}; load average ${loadAtStart?.toFixed(1)} on ${availableParallelism()} cores\n\n`,
);
for (const c of selected) {
  const dir = join(SCRATCH, c.name);
  rmSync(dir, { recursive: true, force: true });
  const inbox = join(dir, 'inbox');
  const out = join(dir, 'out');
  mkdirSync(inbox, { recursive: true });
  const maxFileMegabytes = c.maxFileMegabytes ?? 50;
  const result: CaseResult = { name: c.name, title: c.title, maxFileMegabytes, outcome: 'FAIL', reason: '' };
  results.push(result);
  try {
    process.stdout.write(`· ${c.name}: ${c.title} — generating… `);
    const t = performance.now();
    const generated = await c.generate(inbox);
    result.generateSeconds = (performance.now() - t) / 1000;
    result.input = generated.input;
    result.inputBytes = generated.bytes;
    process.stdout.write(`${generated.input} in ${result.generateSeconds.toFixed(1)} s; running tally… `);
    const largest = largestFile(inbox);
    if (c.oversize !== true && largest > maxFileMegabytes * 1024 * 1024) throw new Error(`a generated file is ${(largest / 1024 / 1024).toFixed(1)} MB, over the ${maxFileMegabytes} MB limit: the case would test the size gate, not the reader`);
    const config = join(dir, 'town.json');
    writeStressConfig(config, c.maxFileMegabytes === undefined ? {} : { maxFileMegabytes });
    const run = await runTallyCli({
      args: ['run', '--inbox', inbox, '--out', out, '--config', config, '--db', join(out, 'tally.duckdb')],
      cwd: dir,
      timeoutMs,
      killAboveMb,
    });
    Object.assign(result, {
      seconds: run.seconds,
      peakRssMb: run.peakRssMb,
      peakSource: run.peakSource,
      exitCode: run.exitCode,
      signal: run.signal,
      ...(run.killed === undefined ? {} : { killed: run.killed }),
      stages: stageSeconds(run),
      stagePeaksMb: run.stagePeaksMb,
      largestMailBytes: largestMail(join(out, 'outbox')),
    });
    const last = run.stages.at(-1)?.label ?? START_LABEL;
    const failure = (why: string): Verdict => ({ ok: false, reason: `${why} (in stage ${last})` });
    const [peakStage, peakSampled] = Object.entries(run.stagePeaksMb).reduce((a, b) => (b[1] > a[1] ? b : a), [START_LABEL, 0]);
    let verdict: Verdict;
    if (run.killed === 'memory') verdict = failure(`killed past ${killAboveMb} MB resident`);
    else if (run.killed === 'timeout') verdict = failure(`killed after ${timeoutMs / 1000} s`);
    else if (run.exitCode !== 0) {
      const error = run.stderrTail.split('\n').find((l) => /tally：|Error|error|FATAL|heap/.test(l)) ?? run.stderrTail.split('\n').at(-1) ?? '';
      verdict = failure(`exit ${run.exitCode ?? run.signal}: ${error.trim().slice(0, 200)}`);
    } else {
      verdict = await c.check({ out, year: YEAR, stdout: run.stdout });
      if (verdict.ok && run.peakRssMb > LIMIT_MB) verdict = { ...verdict, ok: false, reason: `peak RSS ${run.peakRssMb.toFixed(0)} MB over ${LIMIT_MB} MB (highest sampled in stage ${peakStage}: ${peakSampled} MB); ${verdict.reason}` };
      if (verdict.ok && (result.largestMailBytes ?? 0) > MAIL_LIMIT_BYTES) verdict = { ...verdict, ok: false, reason: `the department's mail is ${((result.largestMailBytes ?? 0) / 1024 / 1024).toFixed(1)} MB (over 10 MB); ${verdict.reason}` };
    }
    result.outcome = verdict.ok ? 'PASS' : 'FAIL';
    result.reason = verdict.reason;
    if (verdict.details !== undefined) result.details = verdict.details;
    if (run.stdout.trim() !== '') result.stdoutTail = run.stdout.trim().slice(-1500);
    if (!verdict.ok) result.stderrTail = run.stderrTail.slice(-4000);
    const counts = summaryCounts(run.stdout);
    if (Object.keys(counts).length > 0) result.details = { ...result.details, summary: counts };
  } catch (error) {
    result.outcome = 'FAIL';
    result.reason = `stress harness: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`${result.outcome} ${secs(result.seconds)} s, ${mb(result.peakRssMb)} MB\n    ${result.reason}\n`);
}

// ---- the table
const header = ['case', 'input', 'wall s', 'peak RSS MB', 'outcome'];
const rows = results.map((r) => [r.name, r.input ?? '—', secs(r.seconds), `${mb(r.peakRssMb)}${r.peakSource === 'poll' ? ' (≥)' : ''}`, `${r.outcome}: ${r.reason}`]);
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (i === 4 ? 0 : (r[i] ?? '').length))));
const line = (cells: string[]) => cells.map((c, i) => (i === 4 ? c : i >= 2 && i <= 3 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ');
process.stdout.write(`\n${line(header)}\n${rows.map(line).join('\n')}\n`);
const failed = results.filter((r) => r.outcome === 'FAIL');
process.stdout.write(`\n${results.length - failed.length} PASS, ${failed.length} FAIL (limit ${LIMIT_MB} MB resident per run)\n`);

writeFileSync(
  join(ROOT, 'bench', 'stress-results.json'),
  `${JSON.stringify(
    {
      date: started.toISOString(),
      machine: { node: process.version, cores: availableParallelism(), memoryMb: Math.round(totalmem() / 1024 / 1024), loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadavg()[0] },
      commit: code.commit,
      ...(code.uncommitted.length > 0 ? { uncommittedSources: code.uncommitted.length } : {}),
      limitMb: LIMIT_MB,
      ...(only.length > 0 ? { only } : {}),
      cases: results,
    },
    null,
    2,
  )}\n`,
);
process.stdout.write('results: bench/stress-results.json\n');
process.exitCode = failed.length > 0 ? 1 : 0;
