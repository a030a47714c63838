// Preloaded (`node --import`) into a measured `tally` process by bench/cli-run.ts: when the
// process exits, writes its own peak resident set (VmHWM, peak-rss.mjs: every thread, worker threads and
// DuckDB's included) to the file named by BENCH_RSS_FILE. Changes nothing else.
import { writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import { peakRssKb } from './peak-rss.mjs';

const file = process.env['BENCH_RSS_FILE'];
if (isMainThread && file) {
  process.on('exit', (code) => {
    try {
      writeFileSync(file, JSON.stringify({ maxRssKb: peakRssKb(), code }));
    } catch {
      // The measurement falls back to what /proc showed.
    }
  });
}
