/**
 * Runs a job on a cron expression in one long-lived process (croner), never two at once: a run
 * still going when the next is due makes that one skipped, and logged. `stop()` stops the
 * schedule and waits for the run in progress, so SIGTERM never cuts a run in half.
 */
import { Cron } from 'croner';

export interface SchedulerOptions {
  /** `0 2 * * *`: five fields, or six with seconds first. */
  readonly cron: string;
  /** The zone the expression is read in, e.g. `Asia/Shanghai`. */
  readonly timezone: string;
  /** One run, started at `at`. A rejection is logged; the schedule goes on. */
  readonly run: (at: Date) => Promise<void>;
  readonly log: (line: string) => void;
}

export interface Tick {
  readonly started: boolean;
  /** Settles when the run started by this tick ends (at once when skipped). */
  readonly done: Promise<void>;
}

/**
 * @example
 * const scheduler = new Scheduler({ cron: '0 2 * * *', timezone: 'Asia/Shanghai', run, log: console.log });
 * scheduler.start();
 * process.once('SIGTERM', () => void scheduler.stop().then(() => process.exit(0)));
 */
export class Scheduler {
  readonly #opts: SchedulerOptions;
  #job: Cron | null = null;
  #current: { at: Date; done: Promise<void> } | null = null;
  #stopped = false;
  #skipped = 0;

  constructor(opts: SchedulerOptions) {
    this.#opts = opts;
  }

  /** Starts the schedule on the real clock. */
  start(): void {
    if (this.#job !== null || this.#stopped) return;
    this.#job = new Cron(this.#opts.cron, { timezone: this.#opts.timezone }, () => {
      this.tick(new Date());
    });
  }

  /** The next due time on the real clock, or null when stopped. */
  nextRun(): Date | null {
    return this.#job?.nextRun() ?? null;
  }

  get running(): boolean {
    return this.#current !== null;
  }

  /** Due times skipped because a run was still going. */
  get skipped(): number {
    return this.#skipped;
  }

  /** A due time has come: start a run at `at`, unless one is still going or the scheduler stopped. */
  tick(at: Date): Tick {
    if (this.#stopped) return { started: false, done: Promise.resolve() };
    if (this.#current !== null) {
      this.#skipped++;
      this.#opts.log(`跳过 ${stamp(at, this.#opts.timezone)} 的运行：${stamp(this.#current.at, this.#opts.timezone)} 开始的运行仍在进行`);
      return { started: false, done: Promise.resolve() };
    }
    const done = (async () => {
      try {
        await this.#opts.run(at);
      } catch (error) {
        this.#opts.log(`运行失败：${error instanceof Error ? error.message : String(error)}`);
      } finally {
        this.#current = null;
      }
    })();
    this.#current = { at, done };
    return { started: true, done };
  }

  /** No more runs; resolves once the run in progress (if any) has finished. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#job?.stop();
    this.#job = null;
    await this.#current?.done;
  }
}

/** `2021-01-12 02:00:00` in the given zone. */
export function stamp(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short', timeStyle: 'medium' }).format(at);
}
