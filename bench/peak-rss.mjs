// The peak resident set of this process, in KB: every thread's, worker threads and DuckDB's
// included. Read from /proc/self/status (VmHWM, the high-water mark of this process's address
// space), not getrusage: on Linux ru_maxrss survives exec, so a process spawned by a parent
// holding 275 MB reports at least 275 MB whatever it uses itself (measured: a child of a 441 MB
// parent reported 404 MB by getrusage, 39 MB by VmHWM). Falls back to getrusage where /proc is
// missing.
import { readFileSync } from 'node:fs';

export function peakRssKb() {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m !== null) return Number(m[1]);
  } catch {
    // no /proc: below
  }
  return process.resourceUsage().maxRSS;
}
