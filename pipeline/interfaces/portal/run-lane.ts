/**
 * One lane, one task at a time, in order. The portal's runs, its reads of the database and the
 * placing of confirmed uploads into the inbox all go through one lane: DuckDB takes one owner
 * per file, and a run must never hash a file while an upload replaces it.
 */
export class RunLane {
  #tail: Promise<unknown> = Promise.resolve();
  #busy = 0;

  /** Runs `task` after every task queued before it; its result or error is the caller's. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    this.#busy++;
    const result = this.#tail.then(task);
    this.#tail = result.then(
      () => this.#busy--,
      () => this.#busy--,
    );
    return result;
  }

  /** Tasks queued or running. */
  get busy(): number {
    return this.#busy;
  }
}
