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
  | { readonly kind: 'ack'; readonly id: number };

/** Worker → pool (id 0: not about a task; tasks are numbered from 1). */
export type FromWorker =
  | { readonly id: 0; readonly ready: true }
  | { readonly id: number; readonly part: SheetPart }
  | { readonly id: number; readonly read: FileRead }
  | { readonly id: number; readonly error: string };

/** Parts a streamed read may have handed on and not yet seen taken. */
export const PARTS_IN_FLIGHT = 2;
