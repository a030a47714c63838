#!/usr/bin/env node
// The `tally` command. It runs the compiled JavaScript in dist/, which `npm ci` builds (the
// `prepare` script; `npm run build` after changing the sources). Compiling TypeScript at every
// start cost ~1.4 s and ~100 MB, in the main thread and again in each read worker.
// TALLY_FROM_SOURCE=1 runs the TypeScript sources through tsx instead (development only: tsx
// is a dev dependency).
import { existsSync } from 'node:fs';
import module from 'node:module';
import v8 from 'node:v8';

// V8 optimises a function (TurboFan, on background threads) after ~67 kB of its bytecode has run.
// Most of tally's functions run that much and little more in a run: a town's run (the demo)
// compiled ~380 functions, ~1.3 s of CPU on threads that compete for the same two cores. With a
// budget 15× larger only the really hot ones are optimised: the demo took 4.08 -> 3.64 s (median
// of 8 alternating runs), its CPU 7.1 -> 6.0 s; `tally demo --district` (22 towns) 40.2 -> 37.5 s.
// The flag is the process's, so the worker threads have it too. V8 12 and later (Node 22, 24)
// have no such flag and print an error for it on every start: set on V8 11 (Node 20) only.
if (Number(process.versions.v8.split('.')[0]) <= 11) v8.setFlagsFromString('--interrupt-budget=1000000');

// Node ≥ 22.1 keeps V8's compiled code for tally's modules between runs: loading them took
// ~60 ms less on Node 24. The cache lives in tally's own dist/ (never a shared temp folder,
// where another user could leave code for us to run); if it cannot be written, Node goes on
// without it. Node 20 has no such cache.
module.enableCompileCache?.(new URL('../dist/.compile-cache', import.meta.url).pathname);

const compiled = new URL('../dist/pipeline/interfaces/cli/cli.js', import.meta.url);
let main;
if (process.env.TALLY_FROM_SOURCE === '1') {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../pipeline/interfaces/cli/cli.ts'));
} else if (existsSync(compiled)) {
  ({ main } = await import(compiled.href));
} else {
  process.stderr.write('tally：尚未编译（dist/ 不存在）。请在 tally 目录中运行 npm ci（或 npm run build）。\n');
  process.exit(1);
}
process.exitCode = await main(process.argv.slice(2));
