/**
 * The one owner of the database in `tally serve`: every real run (the coordinator's "run now",
 * the schedule, the check after a confirmed upload), every read of the database and every
 * placing of files into the inbox goes through one lane, one at a time.
 *
 * @example
 * const runner = new PortalRunner({ config, inbox, out, dbPath });
 * await runner.run('portal');            // report workbook and mail, like `tally run`
 * (await runner.snapshot()).departments; // what the pages show
 */
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Department, TallyConfig } from '../../kernel/config/config.ts';
import { runPipeline, type RunOptions, type RunSummary } from '../../run.ts';
import { readSnapshot, type PortalSnapshot } from './portal-snapshot.ts';
import { RunLane } from './run-lane.ts';
import type { StagedUpload } from './upload-staging.ts';

/** Who asked for a run: the dashboard's button, the schedule, or a confirmed upload. */
export type RunTrigger = 'portal' | 'schedule' | 'upload';

export interface RunRecord {
  readonly trigger: RunTrigger;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly summary?: RunSummary;
  readonly error?: string;
}

/** Where and how each run goes (as `tally run` takes them), and what every run is passed. */
export interface PortalRunnerOptions extends Pick<RunOptions, 'config' | 'inbox' | 'out' | 'dbPath' | 'smtpUrl' | 'now' | 'readers'> {
  /** Passed to every run as they are: mail delivery details and the notify mode. */
  readonly runOptions?: Pick<RunOptions, 'mail' | 'notify'>;
}

export interface PlacedFile {
  readonly name: string;
  /** A file of that name was there: this is a new version of it. */
  readonly replaced: boolean;
}

/**
 * What the schedule gets from `tally serve`: a way to run, serialized with everything else.
 * A scheduler module exports a function of this shape; `tally serve` calls it once at start
 * and `stop()` on shutdown (see pipeline/interfaces/cli/commands/serve.ts).
 */
export type ScheduleHook = (runner: { run(trigger: 'schedule'): Promise<RunSummary>; readonly config: TallyConfig }) =>
  | { stop(): void | Promise<void> }
  | Promise<{ stop(): void | Promise<void> }>;

export class PortalRunner {
  readonly config: TallyConfig;
  readonly #opts: PortalRunnerOptions;
  readonly #lane = new RunLane();
  #snapshot: PortalSnapshot | undefined;
  #last: RunRecord | undefined;

  constructor(opts: PortalRunnerOptions) {
    this.#opts = opts;
    this.config = opts.config;
  }

  /**
   * One run over the inbox as it is now, after whatever is queued. `portal` and `schedule`
   * runs write the workbook and send mail like `tally run`; `upload` runs send none.
   */
  run(trigger: RunTrigger): Promise<RunSummary> {
    return this.#lane.exclusive(() => this.#run(trigger));
  }

  /** What the pages show, as of the last run (read from the database at most once per run). */
  snapshot(): Promise<PortalSnapshot> {
    const held = this.#snapshot;
    if (held !== undefined) return Promise.resolve(held);
    return this.#lane.exclusive(() => this.#refresh());
  }

  /** The last run this process made (null before the first), with its error if it failed. */
  get lastRun(): RunRecord | undefined {
    return this.#last;
  }

  /** Runs or placements queued or under way. */
  get busy(): boolean {
    return this.#lane.busy > 0;
  }

  /**
   * Puts a confirmed upload into `inbox/<department>/`, each file written beside its final name
   * and renamed over it (a run never sees half a file; the inbox ignores dot-files), then runs
   * the pipeline without mail so the pages show the new state at once.
   */
  place(department: Department, upload: StagedUpload): Promise<{ placed: PlacedFile[]; run: RunRecord }> {
    return this.#lane.exclusive(async () => {
      const folder = join(this.#opts.inbox, department.code);
      await mkdir(folder, { recursive: true });
      const placed: PlacedFile[] = [];
      for (const f of upload.files) {
        const target = join(folder, f.name);
        const replaced = await exists(target);
        const tmp = join(folder, `.${randomBytes(6).toString('hex')}.uploading`);
        try {
          await copyFile(f.path, tmp);
          await rename(tmp, target);
        } catch (error) {
          await rm(tmp, { force: true });
          throw error;
        }
        placed.push({ name: f.name, replaced });
      }
      await this.#run('upload').catch(() => undefined);
      return { placed, run: this.#last as RunRecord };
    });
  }

  async #run(trigger: RunTrigger): Promise<RunSummary> {
    const now = this.#opts.now ?? (() => new Date());
    const startedAt = now();
    const options: RunOptions = {
      ...this.#opts.runOptions,
      config: this.config,
      inbox: this.#opts.inbox,
      out: this.#opts.out,
      dbPath: this.#opts.dbPath,
      smtpUrl: this.#opts.smtpUrl,
      now,
      ...(this.#opts.readers === undefined ? {} : { readers: this.#opts.readers }),
      trigger: trigger === 'schedule' ? 'schedule' : 'manual',
      ...(trigger === 'upload' ? { outputs: { mail: false } } : {}),
    };
    try {
      await mkdir(this.#opts.inbox, { recursive: true });
      const summary = await runPipeline(options);
      this.#last = { trigger, startedAt, finishedAt: now(), summary };
      return summary;
    } catch (error) {
      this.#last = { trigger, startedAt, finishedAt: now(), error: error instanceof Error ? error.message : String(error) };
      throw error;
    } finally {
      this.#snapshot = undefined;
      await this.#refresh().catch(() => undefined);
    }
  }

  async #refresh(): Promise<PortalSnapshot> {
    const snapshot = await readSnapshot(this.config, this.#opts.dbPath);
    this.#snapshot = snapshot;
    return snapshot;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
