/**
 * How hard one run tries before leaving a message for the next run.
 *
 * Default: up to 4 rounds within a run, waiting 5 s, 20 s and 80 s between them (each wait four
 * times the last). A message that still fails for a temporary reason stays `pending` and is tried
 * again, the same way, by every later run until the server takes it or a newer mail to the same
 * recipient supersedes it. A permanent failure (5xx, a bad address) is not retried.
 */
export interface RetryPolicy {
  /** Rounds of attempts within one run (≥ 1). */
  readonly rounds: number;
  /** Wait before round `n + 1`, in ms, for n = 1, 2, … */
  delayMs(round: number): number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  rounds: 4,
  delayMs: (round) => 5_000 * 4 ** (round - 1),
};

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
