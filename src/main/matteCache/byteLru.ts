/**
 * A least-recently-used map bounded by bytes, for the studio's caches (decoded pictures, mattes, preview layers,
 * frame JPEGs). An entry larger than the whole budget is still kept (alone), so the latest result is always there.
 */
export class ByteLru<K, V> {
  private readonly entries = new Map<K, { value: V; bytes: number }>();
  private totalBytes = 0;

  /**
   * @param budgetBytes Most bytes kept before the least recently used entries go.
   * @param onEvict Hears each entry that leaves (evicted, replaced or deleted), e.g. to stop work feeding it.
   */
  constructor(
    readonly budgetBytes: number,
    private readonly onEvict?: (key: K, value: V) => void,
  ) {}

  /** Bytes held now. */
  get bytes(): number {
    return this.totalBytes;
  }

  /** Entries held now. */
  get size(): number {
    return this.entries.size;
  }

  /** The value, marking it most recently used. */
  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** True when the key is held (without touching its recency). */
  has(key: K): boolean {
    return this.entries.has(key);
  }

  /** Stores (or replaces) a value of `bytes` bytes as the most recently used, then evicts down to the budget. */
  set(key: K, value: V, bytes: number): void {
    const previous = this.entries.get(key);
    if (previous) {
      this.entries.delete(key);
      this.totalBytes -= previous.bytes;
      if (previous.value !== value) this.onEvict?.(key, previous.value);
    }
    this.entries.set(key, { value, bytes });
    this.totalBytes += bytes;
    this.evict(key);
  }

  /** Removes one entry. */
  delete(key: K): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.entries.delete(key);
    this.totalBytes -= entry.bytes;
    this.onEvict?.(key, entry.value);
    return true;
  }

  /** Removes every entry whose key matches, e.g. all entries of an item whose file changed. */
  deleteWhere(predicate: (key: K) => boolean): void {
    for (const key of [...this.entries.keys()]) if (predicate(key)) this.delete(key);
  }

  /** Removes everything. */
  clear(): void {
    this.deleteWhere(() => true);
  }

  private evict(keep: K): void {
    for (const key of this.entries.keys()) {
      if (this.totalBytes <= this.budgetBytes) return;
      if (key !== keep) this.delete(key);
    }
  }
}
