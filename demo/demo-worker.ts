/**
 * The worker thread of write-demo.ts: writes a pack's demo inbox (and last year's report, when the
 * pack has one) and replies with the manifest.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { DEMO_PACKS, generatePackInbox } from './demo-packs.ts';
import type { DemoJob, DemoReply } from './write-demo.ts';

const port = parentPort;
if (port === null) throw new Error('demo-worker.ts runs only as a worker thread');
const job = workerData as DemoJob;
try {
  const pack = DEMO_PACKS[job.pack];
  if (pack === undefined) throw new Error(`no demo pack ${job.pack}`);
  // Both at once: the inbox's files and last year's report are independent.
  const [manifest] = await Promise.all([
    generatePackInbox(pack, job.inboxDir),
    job.previous === null || pack.writePrevious === undefined ? undefined : writePrevious(job.previous, pack.writePrevious),
  ]);
  port.postMessage({ manifest } satisfies DemoReply);
} catch (error) {
  port.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies DemoReply);
}

async function writePrevious(path: string, write: (path: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await write(path);
}
