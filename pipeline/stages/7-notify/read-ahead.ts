/**
 * Pulls the next item of an async sequence while the consumer is still busy with the current one,
 * and never more than that one: at most two items are alive at once (the consumer's and the
 * next). The notify stage renders a mail (CPU on this thread) while the one before it is being
 * stored (waits on the disk and on DuckDB's threads); one after the other, a district's 120 mails
 * spent 2.9 s rendering and 1.9 s storing, each waiting for the other.
 *
 * A failure producing the next item is raised when the consumer asks for it, after the current
 * one was handled, exactly as without reading ahead; if the consumer stops first, it is dropped
 * with the item it failed to make.
 *
 * @example
 * for await (const mail of readAhead(renderedMails())) await store(mail); // renders mail n+1 while storing mail n
 */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const items = source[Symbol.asyncIterator]();
  let next = items.next();
  // Observed now, so that a failure while the consumer is busy is not taken for an unhandled one;
  // it is still raised below, when that item is asked for.
  next.catch(() => {});
  try {
    for (;;) {
      const current = await next;
      if (current.done === true) return;
      next = items.next();
      next.catch(() => {});
      yield current.value;
    }
  } finally {
    // The consumer stopped (or the source ended): let the source close once its pending item is
    // settled, as a generator cannot be returned while it is running.
    void next.then(() => items.return?.(), () => {});
  }
}
