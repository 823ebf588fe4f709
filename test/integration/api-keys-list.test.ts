import { describe, expect, it } from 'vitest';
import { digest } from '#domain/tokens.ts';
import { activeAccount, call } from '../support/flows.ts';
import { newEmail } from '../support/http.ts';
import { anotherKey, bearer, legacyKey, storedKey } from '../support/keys.ts';

type Listed = {
  id: string;
  created_at: string;
  last_used_at: string | null;
  user_agent: string | null;
  current: boolean;
};
const list = async (key: string) => {
  const res = await call('GET', '/api/api_keys', bearer(key));
  expect(res.status).toBe(200);
  const text = await res.text();
  expect(text).not.toContain(key);
  expect(text).not.toContain(digest(key));
  return (JSON.parse(text) as { data: Listed[] }).data;
};

describe('GET /api/api_keys', () => {
  it('lists every key oldest first, marks the current one, and shows no key material', async () => {
    const email = newEmail('lister');
    const first = await activeAccount(email);
    const second = await anotherKey(email, 'laptop/2.0');
    const listed = await list(second);
    expect(listed).toHaveLength(2);
    expect(listed.map((k) => k.current)).toEqual([false, true]);
    expect(listed[1]).toMatchObject({
      user_agent: 'laptop/2.0',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(Object.keys(listed[0] ?? {}).sort()).toEqual([
      'created_at',
      'current',
      'expired',
      'expires_at',
      'id',
      'ip',
      'last_ip',
      'last_used_at',
      'last_user_agent',
      'name',
      'scope',
      'user_agent',
    ]);
    // A login's key: no name, everything, for good.
    expect(listed[0]).toMatchObject({ name: null, scope: 'full', expires_at: null, expired: false });
    expect((await list(first)).map((k) => k.current)).toEqual([true, false]);
  });

  it.each([
    ['a key that carries its address', activeAccount],
    [
      'a legacy key',
      async (email: string) => {
        await activeAccount(email);
        return legacyKey(email);
      },
    ],
  ])('records the last use of %s at most once an hour, so reads stay reads', async (_, keyOf) => {
    const email = newEmail('used');
    const key = await keyOf(email);
    const lookup = () => storedKey(key);
    expect((await lookup())?.lastUsedAt).toBeUndefined();
    const mine = (await list(key)).find((k) => k.current);
    expect(mine?.last_used_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    const recorded = (await lookup())?.lastUsedAt;
    expect(recorded).toBeTypeOf('number');
    await call('GET', '/api/users', bearer(key));
    await call('GET', '/api/users', bearer(key));
    expect((await lookup())?.lastUsedAt).toBe(recorded);
    const [listed] = (await list(key)).filter((k) => k.current);
    expect(listed?.last_used_at).toBe(new Date(Number(recorded) * 1000).toISOString());
  });
});
