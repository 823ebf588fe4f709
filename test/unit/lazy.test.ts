import { describe, expect, it } from 'vitest';
import { lazily } from '#shared/lazy.ts';

describe('lazily', () => {
  it('loads once for every caller, and tries again after a failed load', async () => {
    let loads = 0;
    const load = lazily(async () => {
      loads++;
      if (loads === 1) throw new Error('network');
      return { module: loads };
    });
    await expect(load()).rejects.toThrow('network');
    const [a, b] = await Promise.all([load(), load()]);
    expect(a).toBe(b);
    expect(await load()).toEqual({ module: 2 });
    expect(loads).toBe(2);
  });
});
