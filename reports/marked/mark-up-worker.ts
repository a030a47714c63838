/** A worker thread of MarkUpPool (mark-up-pool.ts): makes the marked-up copies it is sent, one at a time. */
import { parentPort } from 'node:worker_threads';
import { markUpWorkbook, type MarkUpInput } from './mark-up-workbook.ts';
import type { MarkUpReply } from './mark-up-pool.ts';

const port = parentPort;
if (port === null) throw new Error('mark-up-worker.ts runs only as a worker thread');
port.on('message', ({ id, input }: { id: number; input: MarkUpInput }) => {
  markUpWorkbook(input).then(
    (result) => port.postMessage({ id, result } satisfies MarkUpReply),
    (error: unknown) => port.postMessage({ id, error: error instanceof Error ? error.message : String(error) } satisfies MarkUpReply),
  );
});
