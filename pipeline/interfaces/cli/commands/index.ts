/**
 * Every `tally` subcommand, by name. A new command is one file here plus one line below.
 * Each is imported when it runs, not before: `tally demo` need not load the web portal, and
 * `tally status` need not load the workbook writers (importing them all took ~0.25 s).
 */
import type { Command } from './command.ts';

export const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  run: async () => (await import('./run.ts')).runCommand,
  serve: async () => (await import('./serve.ts')).serveCommand,
  tokens: async () => (await import('./tokens.ts')).tokensCommand,
  templates: async () => (await import('./templates.ts')).templatesCommand,
  demo: async () => (await import('./demo.ts')).demoCommand,
  explain: async () => (await import('./explain.ts')).explainCommand,
  verify: async () => (await import('./verify.ts')).verifyCommand,
  schedule: async () => (await import('./schedule.ts')).scheduleCommand,
  status: async () => (await import('./status.ts')).statusCommand,
  inspect: async () => (await import('./inspect.ts')).inspectCommand,
};
