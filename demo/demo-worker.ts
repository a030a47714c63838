/**
 * The worker thread of write-demo.ts: writes a pack's demo inbox (and last year's report, when the
 * pack has one, then reads its figures back as `tally run --previous` does) and replies with the
 * manifest and those figures.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { DEMO_PACKS, generatePackInbox } from './demo-packs.ts';
import { readPreviousWorkbook, type PreviousFigures } from '../pipeline/stages/5-rollup/yoy.ts';
import type { DemoJob, DemoReply } from './write-demo.ts';

const port = parentPort;
if (port === null) throw new Error('demo-worker.ts runs only as a worker thread');
const job = workerData as DemoJob;
try {
  const pack = DEMO_PACKS[job.pack];
  if (pack === undefined) throw new Error(`no demo pack ${job.pack}`);
  // Both at once: the inbox's files and last year's report are independent.
  const [manifest, previous] = await Promise.all([
    generatePackInbox(pack, job.inboxDir),
    job.previous === null || pack.writePrevious === undefined ? null : writePrevious(job.previous, pack.year - 1, pack.writePrevious),
  ]);
  port.postMessage({ manifest, previous } satisfies DemoReply);
} catch (error) {
  port.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies DemoReply);
}

/**
 * Writes last year's report and reads its figures back with the run's own reader: here, where
 * exceljs is loaded already, not on the thread that runs the pipeline, which would load it
 * (~0.3 s) before its run could start.
 */
async function writePrevious(path: string, year: number, write: (path: string) => Promise<void>): Promise<PreviousFigures> {
  await mkdir(dirname(path), { recursive: true });
  await write(path);
  return readPreviousWorkbook(path, year);
}
