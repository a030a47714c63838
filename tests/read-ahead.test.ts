/**
 * readAhead (notify stage): the next mail is rendered while the one before it is stored, never
 * more than one ahead, and a mail that cannot be rendered fails the run where it did before:
 * once the mails before it are stored.
 */
import { expect, it } from 'vitest';
import { readAhead } from '../pipeline/stages/7-notify/read-ahead.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

/** A source that logs when it starts and finishes each item, and when it is closed. */
function source(log: string[], count: number, failAt?: number) {
  return (async function* () {
    try {
      for (let i = 0; i < count; i++) {
        log.push(`make ${i}`);
        await tick();
        if (i === failAt) throw new Error(`第 ${i} 封邮件无法生成`);
        log.push(`made ${i}`);
        yield i;
      }
    } finally {
      log.push('closed');
    }
  })();
}

it('makes the next item while the consumer handles the current one, and no further ahead', async () => {
  const log: string[] = [];
  for await (const i of readAhead(source(log, 3))) {
    log.push(`store ${i} begins`);
    await tick();
    await tick();
    log.push(`store ${i} ends`);
  }
  expect(log).toEqual([
    'make 0', 'made 0',
    'make 1', 'store 0 begins', 'made 1', 'store 0 ends',
    'make 2', 'store 1 begins', 'made 2', 'store 1 ends',
    // Asking past the last item finds the source's end while the last item is handled.
    'closed', 'store 2 begins', 'store 2 ends',
  ]);
});

it('raises a failure making the next item only once the current one is handled, never as unhandled', async () => {
  const log: string[] = [];
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    const stored: number[] = [];
    const run = async () => {
      for await (const i of readAhead(source(log, 5, 1))) {
        await tick();
        await tick();
        stored.push(i);
      }
    };
    await expect(run()).rejects.toThrow('第 1 封邮件无法生成');
    expect(stored).toEqual([0]);
    await tick();
    expect(unhandled).toEqual([]);
    expect(log).toContain('closed');
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});

it('closes the source when the consumer stops early, once the item being made is done', async () => {
  const log: string[] = [];
  for await (const i of readAhead(source(log, 10))) {
    if (i === 1) break;
  }
  await tick();
  await tick();
  expect(log).toEqual(['make 0', 'made 0', 'make 1', 'made 1', 'make 2', 'made 2', 'closed']);
});
