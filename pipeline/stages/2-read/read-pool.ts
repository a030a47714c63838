/**
 * Reads files in worker threads, each read bounded in time and memory. A read that overruns
 * or crashes its worker becomes a `file.unreadable` finding; the worker is replaced and the
 * other files go on.
 *
 * `read` hands back a whole file's result; `stream` hands its rows on in parts while the rest
 * is read (the loader appends them meanwhile). A streamed reader waits while its parts wait to
 * be taken, and that wait is not charged to its time limit.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { LedgerCatalog } from '../../../sheets/ledger-catalog.ts';
import type { ReadLimits } from '../../../sheets/raw-sheet.ts';
import { blockBuffers } from '../../../sheets/row-block.ts';
import { finding } from '../../kernel/findings/findings.ts';
import type { IntakeFile } from '../1-intake/intake.ts';
import type { FileRead, SheetPart } from './read-stage.ts';
import { PARTS_IN_FLIGHT, type FromWorker, type ReadWorkerData, type ToWorker } from './read-protocol.ts';

/**
 * The worker's entry: the compiled read-worker.js next to this module when tally runs from
 * dist/ (what `tally` ships), or read-worker.mjs, which loads the TypeScript sources through
 * tsx, when this module itself is a TypeScript source (tests, development).
 */
const WORKER_ENTRY = new URL(import.meta.url.endsWith('.ts') ? './read-worker.mjs' : './read-worker.js', import.meta.url);

export interface ReadPoolOptions {
  readonly catalog: LedgerCatalog;
  readonly year: number;
  readonly limits?: Partial<ReadLimits>;
  /** Worker threads (default: the cores, at most 4). */
  readonly size?: number;
  /** Longest a single file may take to read (default 120 s). */
  readonly timeoutMs?: number;
  /** Heap ceiling of a worker (default 1024 MB). */
  readonly maxMemoryMb?: number;
}

interface Slot {
  worker: Worker;
  busy: boolean;
  /** Settles once the worker has loaded its code (or failed to start). */
  ready: Promise<void>;
}

interface Pending {
  readonly id: number;
  readonly file: IntakeFile;
  readonly timeoutMs: number;
  /** Takes each part of a streamed read (absent: the read is not streamed). */
  readonly onPart?: (part: SheetPart, ack: () => void) => void;
  readonly resolve: (read: FileRead) => void;
}

/** A streamed read: its rows in parts as they are read, then the rest of the file's result. */
export interface ReadStream {
  /**
   * The parts in order; each is acknowledged (the reader may go on) when the next is asked for,
   * and its arrays go back to the reader then (read-protocol.ts): a part is the caller's to use
   * until it asks for the next, not after.
   */
  parts(): AsyncGenerator<SheetPart>;
  /** The read's result; its sheets' blocks hold only the rows after the last part. */
  readonly result: Promise<FileRead>;
}

export class ReadPool {
  readonly size: number;
  readonly #opts: ReadPoolOptions;
  readonly #slots: Slot[] = [];
  readonly #queue: Pending[] = [];
  #nextId = 1;
  #closed = false;

  constructor(opts: ReadPoolOptions) {
    this.#opts = opts;
    this.size = Math.max(1, opts.size ?? Math.min(4, availableParallelism()));
  }

  /** Reads one file; never rejects (a failure is a finding). */
  read(file: IntakeFile, opts: { timeoutMs?: number } = {}): Promise<FileRead> {
    if (this.#closed) return Promise.reject(new Error('ReadPool is closed'));
    return new Promise((resolve) => this.#enqueue({ id: this.#nextId++, file, timeoutMs: this.#timeout(opts), resolve }));
  }

  /**
   * Reads one file, its rows handed on in parts as they are read. The result never rejects;
   * when the read fails, parts not yet taken are dropped and the result says unreadable (the
   * caller undoes what it did with the parts it took).
   */
  stream(file: IntakeFile, opts: { timeoutMs?: number } = {}): ReadStream {
    if (this.#closed) throw new Error('ReadPool is closed');
    const queue: { part: SheetPart; ack: () => void }[] = [];
    let done = false;
    let wake: (() => void) | undefined;
    const notify = () => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    const result = new Promise<FileRead>((resolve) =>
      this.#enqueue({
        id: this.#nextId++,
        file,
        timeoutMs: this.#timeout(opts),
        onPart: (part, ack) => {
          queue.push({ part, ack });
          notify();
        },
        resolve: (read) => {
          if (read.status === 'unreadable') queue.length = 0;
          done = true;
          resolve(read);
          notify();
        },
      }),
    );
    return {
      result,
      parts: async function* () {
        for (;;) {
          const next = queue.shift();
          if (next !== undefined) {
            yield next.part;
            next.ack();
          } else if (done) {
            return;
          } else {
            await new Promise<void>((resolve) => (wake = resolve));
          }
        }
      },
    };
  }

  #timeout(opts: { timeoutMs?: number }): number {
    return opts.timeoutMs ?? this.#opts.timeoutMs ?? 120_000;
  }

  #enqueue(p: Pending): void {
    this.#queue.push(p);
    this.#pump();
  }

  /**
   * Starts every worker now and waits until each has loaded its code: a run calls it while it hashes the inbox, so that the first file
   * does not wait for a worker to start.
   */
  async warm(): Promise<void> {
    while (this.#slots.length < this.size) this.#slots.push(this.#spawn());
    await Promise.all(this.#slots.map((s) => s.ready));
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#slots.map((s) => s.worker.terminate()));
    this.#slots.length = 0;
  }

  #spawn(): Slot {
    const data: ReadWorkerData = { ledgers: this.#opts.catalog.ledgers, year: this.#opts.year, limits: this.#opts.limits ?? {} };
    const worker = new Worker(WORKER_ENTRY, {
      workerData: data,
      // A small young generation: a read's garbage is short-lived rows, and V8's default young
      // generation held ~25 MB more per worker at its peak without reading any faster here.
      resourceLimits: { maxOldGenerationSizeMb: this.#opts.maxMemoryMb ?? 1024, maxYoungGenerationSizeMb: 16 },
    });
    worker.unref();
    const ready = new Promise<void>((resolve) => {
      const started = (m: FromWorker) => {
        if ('ready' in m) done();
      };
      const done = () => {
        worker.off('message', started);
        worker.off('error', done);
        worker.off('exit', done);
        resolve();
      };
      worker.on('message', started);
      worker.once('error', done);
      worker.once('exit', done);
    });
    return { worker, busy: false, ready };
  }

  #pump(): void {
    while (this.#queue.length > 0) {
      let slot = this.#slots.find((s) => !s.busy);
      if (slot === undefined && this.#slots.length < this.size) {
        slot = this.#spawn();
        this.#slots.push(slot);
      }
      if (slot === undefined) return;
      const next = this.#queue.shift();
      if (next === undefined) return;
      this.#run(slot, next);
    }
  }

  #run(slot: Slot, { id, file, timeoutMs, onPart, resolve }: Pending): void {
    slot.busy = true;
    const { worker } = slot;
    let settled = false;
    // The time limit counts reading only: while its parts wait to be taken, the reader waits
    // too, and the clock stops.
    let remaining = timeoutMs;
    let since = performance.now();
    let timer: NodeJS.Timeout | undefined;
    let inFlight = 0;
    const startClock = () => {
      since = performance.now();
      timer = setTimeout(
        () => fail(`文件读取超过 ${timeoutMs >= 10_000 ? Math.round(timeoutMs / 1000) : (timeoutMs / 1000).toFixed(1)} 秒仍未完成，已放弃。请删除无关的工作表和格式后重新报送。`, true),
        remaining,
      );
    };
    const stopClock = () => {
      clearTimeout(timer);
      timer = undefined;
      remaining -= performance.now() - since;
    };
    const finish = (read: FileRead, replace: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (replace) {
        void worker.terminate();
        const i = this.#slots.indexOf(slot);
        if (i >= 0) this.#slots.splice(i, 1);
      } else {
        slot.busy = false;
      }
      resolve(read);
      if (!this.#closed) this.#pump();
    };
    const fail = (message: string, replace: boolean) =>
      finish(
        {
          file,
          status: 'unreadable',
          sheets: [],
          findings: [finding('file.unreadable', { department: file.department, file: file.path }, message)],
        },
        replace,
      );
    const ack = (part: SheetPart) => {
      if (settled) return;
      if (inFlight-- === PARTS_IN_FLIGHT) startClock();
      const buffers = blockBuffers(part.block);
      worker.postMessage({ kind: 'ack', id, buffers } satisfies ToWorker, buffers);
    };
    const onMessage = (m: FromWorker) => {
      if (m.id !== id || settled) return;
      if ('part' in m) {
        const ledger = this.#opts.catalog.byId(m.part.ledger.id) ?? m.part.ledger;
        if (++inFlight === PARTS_IN_FLIGHT) stopClock();
        const part = { ...m.part, ledger };
        onPart?.(part, () => ack(part));
      } else if ('read' in m) {
        finish(relink(m.read, this.#opts.catalog), false);
      } else if ('error' in m) {
        fail(`文件无法读取（${m.error}）。请用 Excel 打开后重新保存为 .xlsx 再报送。`, false);
      }
    };
    const onError = (e: Error) =>
      fail(
        /memory|heap/i.test(`${(e as { code?: string }).code ?? ''} ${e.message}`)
          ? '文件过于庞大或结构异常，读取时超出内存上限，未读取。请删除无关内容后另存为新的 .xlsx 再报送。'
          : `文件读取出错（${e.message}），未读取。请重新保存后再报送。`,
        true,
      );
    const onExit = () => fail('文件读取中断，未读取。请重新保存后再报送。', true);
    startClock();
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage({ kind: 'read', id, file, stream: onPart !== undefined } satisfies ToWorker);
  }
}

/** Points each sheet back at the main thread's ledger definitions (the worker sent copies). */
function relink(read: FileRead, catalog: LedgerCatalog): FileRead {
  return {
    ...read,
    sheets: read.sheets.map((s) => (s.ledger === null ? s : { ...s, ledger: catalog.byId(s.ledger.id) ?? s.ledger })),
  };
}
