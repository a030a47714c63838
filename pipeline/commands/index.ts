/** Every `tally` subcommand, by name. A new command is one file here plus one line below. */
import type { Command } from './command.ts';
import { demoCommand } from './demo.ts';
import { explainCommand } from './explain.ts';
import { runCommand } from './run.ts';
import { serveCommand } from './serve.ts';
import { templatesCommand } from './templates.ts';
import { tokensCommand } from './tokens.ts';
import { scheduleCommand } from './schedule.ts';
import { statusCommand } from './status.ts';
import { verifyCommand } from './verify.ts';

export const COMMANDS: Readonly<Record<string, Command>> = {
  run: runCommand,
  serve: serveCommand,
  tokens: tokensCommand,
  templates: templatesCommand,
  demo: demoCommand,
  explain: explainCommand,
  verify: verifyCommand,
  schedule: scheduleCommand,
  status: statusCommand,
};
