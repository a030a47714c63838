/**
 * `npm run fuzz [-- --iterations N] [--seed S]`: the fuzz run of tests/fuzz/fuzz.ts at length
 * (default 1,000 mutations), its counts printed; exits 1 on any crash, hang or unhandled
 * rejection.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runFuzz, summarize } from './fuzz.ts';

const { values } = parseArgs({ options: { iterations: { type: 'string', default: '1000' }, seed: { type: 'string', default: '20200305' } } });
const iterations = Number(values.iterations);
const seed = Number(values.seed);
const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));

const dir = join(import.meta.dirname, '..', '.tmp', `fuzz-${randomBytes(4).toString('hex')}`);
try {
  console.log(`fuzzing ${iterations} mutations, seed ${seed}`);
  const result = await runFuzz({ iterations, seed, dir, onProgress: (done, c) => console.log(`  ${done}: ${JSON.stringify(c)}`) });
  console.log(summarize(result));
  console.log('mutations:', JSON.stringify(result.byMutation));
  for (const f of result.failures) console.log(`FAIL #${f.iteration} ${f.seed} [${f.mutation}] ${f.outcome}: ${f.error}`);
  console.log(`unhandled rejections: ${unhandled.length}`);
  process.exitCode = result.failures.length > 0 || unhandled.length > 0 ? 1 : 0;
} finally {
  await rm(dir, { recursive: true, force: true });
}
