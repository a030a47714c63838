/**
 * A read worker: reads one submitted file at a time for the pool (read-pool.ts). Running reads
 * off the main thread bounds each one in time and memory (a hostile file is terminated, not
 * waited for) and uses both cores.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createLedgerCatalog, type LedgerDef } from '../sheets/ledger-catalog.ts';
import type { ReadLimits } from '../sheets/raw-sheet.ts';
import type { IntakeFile } from './intake.ts';
import { readSubmission } from './read-stage.ts';
import { blockBuffers } from '../sheets/row-block.ts';

export interface ReadWorkerData {
  readonly ledgers: readonly LedgerDef[];
  readonly year: number;
  readonly limits: Partial<ReadLimits>;
}

export interface ReadTask {
  readonly id: number;
  readonly file: IntakeFile;
}

const data = workerData as ReadWorkerData;
const catalog = createLedgerCatalog(data.ledgers);
const port = parentPort;
if (port === null) throw new Error('read-worker.ts runs only as a worker thread');

port.on('message', (task: ReadTask) => {
  readSubmission(task.file, { catalog, year: data.year, limits: data.limits }).then(
    // The row columns' buffers move to the main thread instead of being copied.
    (read) => port.postMessage({ id: task.id, read }, read.sheets.flatMap((s) => (s.block === null ? [] : blockBuffers(s.block)))),
    (error: unknown) => port.postMessage({ id: task.id, error: error instanceof Error ? error.message : String(error) }),
  );
});
