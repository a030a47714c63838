/**
 * Marked-up copies made in worker threads, several at once: exceljs loads and writes each
 * workbook on one core, and a district's copies took most of the report stage on the main
 * thread while the other core idled. Each worker makes one copy at a time; a worker that dies
 * (out of memory on a huge workbook) fails that copy only and is replaced.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { MarkUpInput, MarkUpResult } from './mark-up-workbook.ts';

/** The compiled worker beside this module in dist/, or its TypeScript source through tsx (tests, development). */
const ENTRY = new URL(import.meta.url.endsWith('.ts') ? './mark-up-worker.mjs' : './mark-up-worker.js', import.meta.url);

export type MarkUpReply = { readonly id: number; readonly result: MarkUpResult } | { readonly id: number; readonly error: string };

interface Job {
  readonly id: number;
  readonly input: MarkUpInput;
  readonly resolve: (r: MarkUpResult) => void;
  readonly reject: (e: Error) => void;
}

/** Not an .xlsx: its copy goes through exceljs (mark-up-workbook.ts). */
const slow = (input: MarkUpInput) => !/\.xlsx$/i.test(input.fileName);

export class MarkUpPool {
  readonly size: number;
  readonly #idle: Worker[] = [];
  readonly #all = new Set<Worker>();
  readonly #queue: Job[] = [];
  #next = 1;

  constructor(size = Math.min(4, availableParallelism())) {
    this.size = Math.max(1, size);
  }

  markUp(input: MarkUpInput): Promise<MarkUpResult> {
    return new Promise((resolve, reject) => {
      const job = { id: this.#next++, input, resolve, reject };
      // A copy made through exceljs (a CSV, an .xls: loading exceljs, then the whole workbook)
      // takes several times a patched .xlsx's: started first, after those already waiting, so
      // that the threads finish together rather than one waiting on the last long copy.
      const before = slow(input) ? this.#queue.findIndex((j) => !slow(j.input)) : -1;
      if (before < 0) this.#queue.push(job);
      else this.#queue.splice(before, 0, job);
      this.#pump();
    });
  }

  async close(): Promise<void> {
    const workers = [...this.#all];
    this.#all.clear();
    this.#idle.length = 0;
    await Promise.all(workers.map((w) => w.terminate()));
  }

  #pump(): void {
    while (this.#queue.length > 0) {
      let worker = this.#idle.pop();
      if (worker === undefined && this.#all.size < this.size) worker = this.#spawn();
      if (worker === undefined) return;
      this.#run(worker, this.#queue.shift() as Job);
    }
  }

  #spawn(): Worker {
    // exceljs holds a whole workbook (up to ~90× its size): the heap limit turns a runaway into one failed copy.
    const worker = new Worker(ENTRY, { resourceLimits: { maxOldGenerationSizeMb: 1024 } });
    worker.unref();
    this.#all.add(worker);
    return worker;
  }

  #run(worker: Worker, job: Job): void {
    const done = (replace: boolean) => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (replace) {
        this.#all.delete(worker);
        void worker.terminate();
      } else if (this.#all.has(worker)) {
        this.#idle.push(worker);
      }
      this.#pump();
    };
    const onMessage = (m: MarkUpReply) => {
      if (m.id !== job.id) return;
      done(false);
      if ('result' in m) job.resolve(m.result);
      else job.reject(new Error(m.error));
    };
    const onError = (e: Error) => {
      done(true);
      job.reject(e);
    };
    const onExit = () => {
      done(true);
      job.reject(new Error('批注版生成进程意外退出'));
    };
    worker.on('message', onMessage);
    worker.once('error', onError);
    worker.once('exit', onExit);
    worker.postMessage({ id: job.id, input: job.input });
  }
}
