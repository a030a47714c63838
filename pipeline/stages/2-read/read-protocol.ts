/**
 * What the read pool (read-pool.ts) and its workers (read-worker.ts) say to each other. Apart
 * from the worker so that the main thread can import it without running a worker's code.
 */
import type { LedgerDef } from '../../../sheets/ledger-catalog.ts';
import type { ReadLimits } from '../../../sheets/raw-sheet.ts';
import type { IntakeFile } from '../1-intake/intake.ts';
import type { FileRead, SheetPart } from './read-stage.ts';

export interface ReadWorkerData {
  readonly ledgers: readonly LedgerDef[];
  readonly year: number;
  readonly limits: Partial<ReadLimits>;
}

/** Pool → worker. */
export type ToWorker =
  | { readonly kind: 'read'; readonly id: number; readonly file: IntakeFile; readonly stream: boolean }
  /**
   * A part was taken, and its buffers come back with the ack (transferred) once it is loaded:
   * the reader's heap is collected every few milliseconds, the loading thread's seldom, and the
   * buffers of parts loaded long ago waited there for it, up to ~25 MB more at the peak of the
   * bench's 500,000-row file.
   */
  | { readonly kind: 'ack'; readonly id: number; readonly buffers: readonly ArrayBuffer[] };

/** Worker → pool (id 0: not about a task; tasks are numbered from 1). */
export type FromWorker =
  | { readonly id: 0; readonly ready: true }
  | { readonly id: number; readonly part: SheetPart }
  | { readonly id: number; readonly read: FileRead }
  | { readonly id: number; readonly error: string };

/** Parts a streamed read may have handed on and not yet seen taken. */
export const PARTS_IN_FLIGHT = 2;
