/**
 * A read worker: reads one submitted file at a time for the pool (read-pool.ts). Running reads
 * off the main thread bounds each one in time and memory (a hostile file is terminated, not
 * waited for) and uses both cores.
 *
 * A streamed read (`stream: true`) hands the rows on in parts as they are read, and stops when
 * {@link PARTS_IN_FLIGHT} parts wait to be loaded: the pool acknowledges each part once the
 * loader has taken it, so a reader never runs further ahead than that.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createLedgerCatalog } from '../../../sheets/ledger-catalog.ts';
import { blockBuffers, packBlock } from '../../../sheets/row-block.ts';
import { readSubmission, type SheetPart } from './read-stage.ts';
import { PARTS_IN_FLIGHT, type FromWorker, type ReadWorkerData, type ToWorker } from './read-protocol.ts';

const data = workerData as ReadWorkerData;
const catalog = createLedgerCatalog(data.ledgers);
const port = parentPort;
if (port === null) throw new Error('read-worker.ts runs only as a worker thread');

/** The streamed read under way: its id, parts not yet acknowledged, and who waits for an ack. */
let current = { id: 0, inFlight: 0, wake: undefined as (() => void) | undefined };

const send = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

port.on('message', (m: ToWorker) => {
  if (m.kind === 'ack') {
    // The part's buffers (m.buffers) are let go here, to this thread's next collection.
    if (m.id !== current.id) return;
    current.inFlight--;
    const wake = current.wake;
    current.wake = undefined;
    wake?.();
    return;
  }
  const task = { id: m.id, inFlight: 0, wake: undefined as (() => void) | undefined };
  current = task;
  const onPart = m.stream
    ? async (part: SheetPart) => {
        // The part's column buffers move to the main thread instead of being copied.
        const block = packBlock(part.block, part.ledger.key);
        send({ id: m.id, part: { ...part, block } }, blockBuffers(block));
        task.inFlight++;
        while (task.inFlight >= PARTS_IN_FLIGHT) await new Promise<void>((resolve) => (task.wake = resolve));
      }
    : undefined;
  readSubmission(m.file, { catalog, year: data.year, limits: data.limits }, onPart).then(
    (read) => {
      const sheets = read.sheets.map((s) => (s.block === null || s.ledger === null ? s : { ...s, block: packBlock(s.block, s.ledger.key) }));
      send({ id: m.id, read: { ...read, sheets } }, sheets.flatMap((s) => (s.block === null ? [] : blockBuffers(s.block))));
    },
    (error: unknown) => send({ id: m.id, error: error instanceof Error ? error.message : String(error) }),
  );
});

// Loaded and listening: the pool may count this worker as started (ReadPool.warm).
send({ id: 0, ready: true });
