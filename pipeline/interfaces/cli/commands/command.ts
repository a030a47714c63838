/** A `tally` subcommand: what it does (its usage lines are in index.ts). Exit codes per contract §6. */
export interface CommandIO {
  readonly out: NodeJS.WritableStream & { isTTY?: boolean };
  readonly err: NodeJS.WritableStream & { isTTY?: boolean };
}

export interface Command {
  /** Returns the exit code; throws UsageError for bad arguments. */
  run(args: readonly string[], io: CommandIO): Promise<number>;
}

/** A usage error: exit code 2 with the usage text. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
