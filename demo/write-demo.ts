/**
 * Writes a pack's demo inbox (and last year's report) in a worker thread, so that the thread
 * that runs the demo loads the run's code meanwhile: the inbox took ~1.2 s of the demo (exceljs
 * loading, then 14 workbooks), the run's code ~0.5 s, one after the other on a 2-core machine.
 * The files are those `generatePackInbox` and the pack's `writePrevious` write; last year's
 * figures are read back there too (`readPreviousWorkbook`, as `tally run --previous` reads them).
 */
import { Worker } from 'node:worker_threads';
import type { DemoManifest } from './demo-plan.ts';
import type { PreviousFigures } from '../pipeline/stages/5-rollup/yoy.ts';

/** The compiled worker beside this module in dist/, or its TypeScript source through tsx (tests, development). */
const ENTRY = new URL(import.meta.url.endsWith('.ts') ? './demo-worker.mjs' : './demo-worker.js', import.meta.url);

export interface DemoJob {
  /** A name of demo-pack-list.ts. */
  readonly pack: string;
  readonly inboxDir: string;
  /** Where last year's report goes, or null for none. */
  readonly previous: string | null;
}

/** What the worker wrote, and last year's figures read back from the report it wrote (null: none). */
export interface DemoWritten {
  readonly manifest: DemoManifest;
  readonly previous: PreviousFigures | null;
}

export type DemoReply = DemoWritten | { readonly error: string };

export function writeDemoInWorker(job: DemoJob): Promise<DemoWritten> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(ENTRY, { workerData: job });
    let settled = false;
    worker.once('message', (reply: DemoReply) => {
      settled = true;
      if ('manifest' in reply) resolve(reply);
      else reject(new Error(`演示收件箱生成失败：${reply.error}`));
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`演示收件箱生成进程意外退出（${code}）`));
    });
  });
}
