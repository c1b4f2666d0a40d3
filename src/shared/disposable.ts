/**
 * Disposables: one way to undo a subscription, a listener or a connection (the VS Code pattern).
 */

/** Something that holds a resource until {@link Disposable.dispose} is called. Disposing twice is harmless. */
export interface Disposable {
  dispose(): void;
}

/** Wraps a clean-up function as a {@link Disposable} that runs it at most once. */
export function toDisposable(cleanUp: () => void): Disposable {
  let isDisposed = false;
  return {
    dispose() {
      if (isDisposed) return;
      isDisposed = true;
      cleanUp();
    },
  };
}

/**
 * Collects disposables and disposes them together, in reverse order of addition (last acquired, first released).
 * Items added after the store was disposed are disposed at once, so a late subscription cannot leak.
 */
export class DisposableStore implements Disposable {
  private readonly items = new Set<Disposable>();
  private disposed = false;

  /** True once {@link DisposableStore.dispose} has run. */
  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Adds `item` and returns it, so `const x = store.add(create())` reads naturally. */
  add<T extends Disposable>(item: T): T {
    if (this.disposed) {
      item.dispose();
      return item;
    }
    this.items.add(item);
    return item;
  }

  /** Disposes `item` now and forgets it. */
  delete(item: Disposable): void {
    if (this.items.delete(item)) item.dispose();
  }

  /**
   * Disposes every item. All items are disposed even when some throw; the errors are then rethrown together
   * so a failing clean-up is never silent.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const items = [...this.items].reverse();
    this.items.clear();
    const errors: unknown[] = [];
    for (const item of items) {
      try {
        item.dispose();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, 'Several disposables failed to dispose.');
  }
}
