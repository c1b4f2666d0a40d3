import { describe, expect, it } from 'vitest';
import { DisposableStore, toDisposable } from './disposable';

describe('DisposableStore', () => {
  it('disposes in reverse order, once, and disposes late additions at once', () => {
    const log: string[] = [];
    const store = new DisposableStore();
    store.add(toDisposable(() => log.push('first')));
    store.add(toDisposable(() => log.push('second')));
    store.dispose();
    store.dispose();
    expect(log).toEqual(['second', 'first']);
    store.add(toDisposable(() => log.push('late')));
    expect(log).toEqual(['second', 'first', 'late']);
    expect(store.isDisposed).toBe(true);
  });

  it('disposes every item even when some throw, then rethrows', () => {
    const log: string[] = [];
    const store = new DisposableStore();
    store.add(toDisposable(() => log.push('a')));
    store.add(toDisposable(() => {
      throw new Error('b failed');
    }));
    store.add(toDisposable(() => {
      throw new Error('c failed');
    }));
    expect(() => store.dispose()).toThrow(AggregateError);
    expect(log).toEqual(['a']);
  });

  it('delete disposes one item and forgets it', () => {
    let count = 0;
    const store = new DisposableStore();
    const item = store.add(toDisposable(() => count++));
    store.delete(item);
    store.dispose();
    expect(count).toBe(1);
  });
});
