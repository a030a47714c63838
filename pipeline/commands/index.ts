/** Every `tally` subcommand, by name. A new command is one file here plus one line below. */
import type { Command } from './command.ts';
import { demoCommand } from './demo.ts';
import { runCommand } from './run.ts';

export const COMMANDS: Readonly<Record<string, Command>> = {
  run: runCommand,
  demo: demoCommand,
};
