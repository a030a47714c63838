#!/usr/bin/env node
// The `tally` command. tsx runs the TypeScript sources as they are: no build step to forget.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../pipeline/interfaces/cli/cli.ts');
process.exitCode = await main(process.argv.slice(2));
