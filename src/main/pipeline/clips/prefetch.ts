/**
 * Runs an async iterator up to `depth` items ahead of its consumer, so two pipeline stages overlap (the next frame
 * decodes or infers while this one is refined) with a bounded queue: memory stays at `depth` items however slow the
 * consumer. Errors surface in order; returning early stops the source.
 */
export async function* prefetch<T>(source: AsyncIterable<T>, depth: number): AsyncGenerator<T, void, undefined> {
  const iterator = source[Symbol.asyncIterator]();
  const queue: Array<Promise<IteratorResult<T>>> = [];
  let finished = false;
  const pull = () => {
    if (finished) return;
    const next = iterator.next();
    queue.push(next);
    next.then(
      (result) => {
        if (result.done) finished = true;
      },
      () => {
        finished = true;
      },
    );
  };
  try {
    for (let index = 0; index < depth; index++) pull();
    while (queue.length > 0) {
      const result = await queue.shift()!;
      if (result.done) return;
      pull();
      yield result.value;
    }
  } finally {
    finished = true;
    // Settle what is in flight so no rejection goes unhandled, then stop the source (kills ffmpeg, for example).
    await Promise.allSettled(queue);
    await iterator.return?.();
  }
}

/** Maps an async iterable through an async function, one item at a time, in order. */
export async function* mapAsync<T, U>(source: AsyncIterable<T>, transform: (item: T) => Promise<U>): AsyncGenerator<U, void, undefined> {
  for await (const item of source) yield await transform(item);
}
