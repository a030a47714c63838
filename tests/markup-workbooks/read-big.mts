/**
 * Reads one file as the read stage streams it and prints what it took, as JSON: run by
 * tests/markup-workbooks.test.ts in a process of its own with a small heap, so a reader that held
 * the file whole would fail there (`node --max-old-space-size=64 --import tsx read-big.mts FILE`).
 */
import { streamFile } from '../../sheets/read-file.ts';

const path = process.argv[2] as string;
const started = performance.now();
let rows = 0;
let heapPeak = 0;
let rssPeak = 0;
for await (const sheet of streamFile(path)) {
  for await (const batch of sheet.rows()) {
    rows += batch.length;
    const m = process.memoryUsage();
    heapPeak = Math.max(heapPeak, m.heapUsed);
    rssPeak = Math.max(rssPeak, m.rss);
  }
}
process.stdout.write(JSON.stringify({ rows, seconds: (performance.now() - started) / 1000, heapPeakMB: heapPeak / 2 ** 20, rssPeakMB: rssPeak / 2 ** 20 }));
