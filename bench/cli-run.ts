/**
 * Runs the real `tally` command (bin/tally.mjs) in a child process of its own and measures it:
 * wall time, the stages it announced and when, and the peak resident memory of that process —
 * read workers and DuckDB included, since they are threads of it. Nothing of tally is imported:
 * only the command line, whose interface is stable.
 *
 * Peak RSS comes from the process itself at exit (VmHWM, preloaded by bench/rss-probe.mjs:
 * exact). /proc/<pid>/status is polled meanwhile: VmHWM is the fallback when the process dies
 * without exiting normally (then the figure is a lower bound), and VmRSS feeds the guard that
 * stops a run going far past any sane size before it takes the machine down.
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const ROOT = join(import.meta.dirname, '..');
export const TALLY_BIN = join(ROOT, 'bin', 'tally.mjs');
const RSS_PROBE = join(ROOT, 'bench', 'rss-probe.mjs');

export interface CliRunOptions {
  /** Arguments after `tally`, e.g. `['run', '--inbox', …]`. */
  args: readonly string[];
  cwd?: string;
  /** Added to (or, when undefined, removed from) the environment. SMTP_URL is always removed. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Further modules to preload with `--import` (absolute paths). */
  preload?: readonly string[];
  /** Run on these CPUs only (`taskset -c`, e.g. `'0'`): every thread of the process, DuckDB's too. */
  cpus?: string;
  /** Kill the process after this long (default: no limit). */
  timeoutMs?: number;
  /** Kill the process when its resident memory passes this (MB; default: no limit). */
  killAboveMb?: number;
  /** Called as each stage is announced (`· 核查`), with seconds since the start. */
  onStage?: (label: string, seconds: number) => void;
}

export interface CliRun {
  exitCode: number | null;
  signal: string | null;
  /** Set when this module killed the process. */
  killed?: 'timeout' | 'memory';
  seconds: number;
  /** Peak resident memory of the process, MB (MiB). */
  peakRssMb: number;
  /** `exit`: the process's own VmHWM at exit (exact). `poll`: /proc sampling, a lower bound (it did not exit normally). */
  peakSource: 'exit' | 'poll';
  /** Stages as announced on stderr, with seconds since the start. */
  stages: { label: string; at: number }[];
  /** Highest resident memory sampled (every 200 ms) during each stage, MB: where the peak was reached. */
  stagePeaksMb: Record<string, number>;
  /** Per-file progress lines seen (`[i/n] path`). */
  fileLines: number;
  stdout: string;
  /** stderr without the stage and per-file lines, last 200 lines. */
  stderrTail: string;
}

/** What the time before the first announced stage is called: starting the process, loading the code, opening the database. */
export const START_LABEL = '启动';

/** Seconds spent in each stage: from its announcement to the next one (the first, from the start: starting, opening the database). */
export function stageSeconds(run: Pick<CliRun, 'stages' | 'seconds'>, firstLabel = START_LABEL): Record<string, number> {
  const marks = [{ label: firstLabel, at: 0 }, ...run.stages];
  return Object.fromEntries(marks.map((m, i) => [m.label, (marks[i + 1]?.at ?? run.seconds) - m.at]));
}

/** The counts `tally run` prints at the end (文件：收到 N 个，读取 M 个 …; absent when it printed none). */
export function summaryCounts(stdout: string): { seen?: number; read?: number; errors?: number; warnings?: number } {
  const files = /文件：收到 (\d+) 个，读取 (\d+) 个/.exec(stdout);
  const findings = /问题：错误 (\d+) 个，警告 (\d+) 个/.exec(stdout);
  return {
    ...(files === null ? {} : { seen: Number(files[1]), read: Number(files[2]) }),
    ...(findings === null ? {} : { errors: Number(findings[1]), warnings: Number(findings[2]) }),
  };
}

function procStatus(pid: number): { hwmKb: number; rssKb: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
    return { hwmKb: kb('VmHWM'), rssKb: kb('VmRSS') };
  } catch {
    return null;
  }
}

export async function runTallyCli(opts: CliRunOptions): Promise<CliRun> {
  const probeFile = join(tmpdir(), `tally-rss-probe-${process.pid}-${Date.now()}.json`);
  rmSync(probeFile, { force: true });
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...opts.env, BENCH_RSS_FILE: probeFile })) if (v !== undefined && k !== 'SMTP_URL') env[k] = v;
  const preload = [RSS_PROBE, ...(opts.preload ?? [])].flatMap((p) => ['--import', p]);
  const start = performance.now();
  const since = () => (performance.now() - start) / 1000;
  const command = [process.execPath, ...preload, TALLY_BIN, ...opts.args];
  // taskset execs node in its own process: the pid polled below is tally's.
  const [file, ...argv] = opts.cpus === undefined ? command : ['taskset', '-c', opts.cpus, ...command];
  const child = spawn(file as string, argv, { cwd: opts.cwd ?? ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;

  let hwmKb = 0;
  let killed: CliRun['killed'];
  const stages: CliRun['stages'] = [];
  const stagePeaksMb: Record<string, number> = {};
  const sample = () => {
    if (pid === undefined) return;
    const s = procStatus(pid);
    if (s === null) return;
    hwmKb = Math.max(hwmKb, s.hwmKb);
    const stage = stages.at(-1)?.label ?? START_LABEL;
    stagePeaksMb[stage] = Math.max(stagePeaksMb[stage] ?? 0, Math.round(s.rssKb / 1024));
    if (killed === undefined && opts.killAboveMb !== undefined && s.rssKb / 1024 > opts.killAboveMb) {
      killed = 'memory';
      child.kill('SIGKILL');
    }
  };
  const poll = setInterval(sample, 200);
  const timer =
    opts.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          if (killed !== undefined) return;
          killed = 'timeout';
          child.kill('SIGKILL');
        }, opts.timeoutMs);

  let stdout = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (s: string) => {
    if (stdout.length < 1 << 20) stdout += s;
  });
  const tail: string[] = [];
  let fileLines = 0;
  let partial = '';
  const line = (raw: string) => {
    const l = raw.replace(/\r|\x1b\[2K/g, '');
    const stage = /^· (.+)$/.exec(l);
    if (stage?.[1] !== undefined) {
      const at = since();
      stages.push({ label: stage[1], at });
      opts.onStage?.(stage[1], at);
    } else if (/^\s+\[\d+\/\d+\] /.test(l)) fileLines++;
    else {
      tail.push(l);
      if (tail.length > 200) tail.shift();
    }
  };
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => {
    const parts = (partial + s).split('\n');
    partial = parts.pop() ?? '';
    for (const p of parts) line(p);
  });

  const [exitCode, signal] = await new Promise<[number | null, string | null]>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, sig) => resolve([code, sig]));
  });
  const seconds = since();
  clearInterval(poll);
  if (timer !== undefined) clearTimeout(timer);
  if (partial !== '') line(partial);

  let exitKb: number | undefined;
  try {
    exitKb = (JSON.parse(readFileSync(probeFile, 'utf8')) as { maxRssKb: number }).maxRssKb;
  } catch {
    exitKb = undefined;
  }
  rmSync(probeFile, { force: true });
  return {
    exitCode,
    signal,
    ...(killed === undefined ? {} : { killed }),
    seconds,
    peakRssMb: Math.max(exitKb ?? 0, hwmKb) / 1024,
    peakSource: exitKb === undefined ? 'poll' : 'exit',
    stages,
    stagePeaksMb,
    fileLines,
    stdout,
    stderrTail: tail.join('\n'),
  };
}
