/**
 * A bounded fuzz run inside `npm test` (`npm run fuzz` runs it at length): 300 mutations of
 * valid workbooks and CSVs, each read through readFile + extractSheet. No crash, no hang, no
 * unhandled rejection; every outcome a read or a file.unreadable-style error. Deterministic.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runFuzz, summarize } from './fuzz/fuzz.ts';

const dir = join(import.meta.dirname, '.tmp', `fuzz-${randomBytes(4).toString('hex')}`);
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await rm(dir, { recursive: true, force: true });
});

it('reads 300 mutated workbooks and CSVs without a crash, a hang or an unhandled rejection', async () => {
  const result = await runFuzz({ iterations: 300, seed: 20_200_305, dir, timeoutMs: 10_000 });
  console.log(`fuzz: ${summarize(result)}`);
  expect(result.failures).toEqual([]);
  expect(result.counts.read + result.counts.findings + result.counts.unreadable).toBe(300);
  // The mutations reach every outcome: some files still read, some become unreadable.
  expect(result.counts.unreadable).toBeGreaterThan(0);
  expect(result.counts.read + result.counts.findings).toBeGreaterThan(0);
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(unhandled).toEqual([]);
}, 90_000);
