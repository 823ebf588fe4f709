// A least-recently-used cache: what the DynamoDB client's endpoint cache (@aws-sdk/endpoint-cache)
// gets in place of mnemonist's (infra/build.ts resolves `mnemonist/lru-cache` here). mnemonist is
// CommonJS, and CommonJS at start made esbuild put its helpers in a chunk file shared with the lazy
// parts: one more file at the cold start of most functions with a lazy part, and 7 KB
// (bench/cold-start.ts). The client fills the cache only with endpoint discovery on (it is off);
// it is a whole LRU all the same.

export default class LRUCache<K, V> {
  readonly #entries = new Map<K, V>();

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.#entries.size;
  }

  has(key: K): boolean {
    return this.#entries.has(key);
  }

  /** The value, without making it the most recently used. */
  peek(key: K): V | undefined {
    return this.#entries.get(key);
  }

  get(key: K): V | undefined {
    if (!this.#entries.has(key)) return undefined;
    const value = this.#entries.get(key) as V;
    // A Map iterates in insertion order: inserted again, the key is the most recently used.
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  set(key: K, value: V): this {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.capacity) this.#entries.delete(this.#entries.keys().next().value as K);
    return this;
  }

  clear(): void {
    this.#entries.clear();
  }
}
