// shared/lru-cache.ts stands in for mnemonist's LRU cache inside the DynamoDB client's endpoint
// cache (infra/build.ts): what that cache calls (get, set, has, peek, clear) behaves as mnemonist's.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import LRUCache from '#shared/lru-cache.ts';

/** Cache as it is bundled without the swap: CommonJS, `module.exports` the class. */
const MnemonistLRU = createRequire(import.meta.url)('mnemonist/lru-cache') as new (capacity: number) => Cache;

type Cache = {
  get(k: string): number | undefined;
  set(k: string, v: number): unknown;
  has(k: string): boolean;
  peek(k: string): number | undefined;
  clear(): void;
  size: number;
};

/** The same calls on both caches, answer for answer. */
function replay(ours: Cache, theirs: Cache, steps: number, seed: number) {
  let s = seed;
  const next = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  for (let i = 0; i < steps; i++) {
    const key = `k${Math.floor(next() * 6)}`;
    const op = next();
    if (op < 0.35) {
      ours.set(key, i);
      theirs.set(key, i);
    } else if (op < 0.6) expect(ours.get(key), `step ${i}`).toBe(theirs.get(key));
    else if (op < 0.8) expect(ours.peek(key), `step ${i}`).toBe(theirs.peek(key));
    else if (op < 0.98) expect(ours.has(key), `step ${i}`).toBe(theirs.has(key));
    else {
      ours.clear();
      theirs.clear();
    }
    expect(ours.size, `step ${i}`).toBe(theirs.size);
  }
}

describe('the LRU cache of the endpoint cache', () => {
  it('evicts the least recently used; get makes a key recent, peek does not', () => {
    const cache = new LRUCache<string, number>(2);
    cache.set('a', 1).set('b', 2);
    expect(cache.peek('a')).toBe(1);
    cache.set('c', 3); // a was only peeked: it goes
    expect(cache.has('a')).toBe(false);
    expect(cache.get('b')).toBe(2);
    cache.set('d', 4); // b was read: c goes
    expect([cache.has('b'), cache.has('c'), cache.has('d')]).toEqual([true, false, true]);
  });

  it("answers as mnemonist's does, call for call", () => {
    for (let seed = 1; seed <= 50; seed++)
      replay(new LRUCache<string, number>(3), new MnemonistLRU(3), 200, seed);
  });
});
