import { describe, expect, it } from 'vitest';
import { MAX_KEYS_PER_ACCOUNT } from '#data/api-keys.ts';
import { activeAccount, call } from '../support/flows.ts';
import { newEmail, PASSWORD } from '../support/http.ts';
import { anotherKey, basicWith, bearer, createdKey, keyStatus } from '../support/keys.ts';

const idOf = async (key: string, current: boolean) => {
  const { data } = (await (await call('GET', '/api/api_keys', bearer(key))).json()) as {
    data: { id: string; current: boolean }[];
  };
  return data.find((k) => k.current === current)?.id as string;
};

describe('DELETE /api/api_keys/{id}', () => {
  it('revokes one key of the account', async () => {
    const email = newEmail('revoker');
    const keep = await activeAccount(email);
    const lost = await anotherKey(email);
    const lostId = await idOf(keep, false);
    const res = await call('DELETE', `/api/api_keys/${lostId}`, bearer(keep));
    expect(res.status).toBe(200);
    expect(await keyStatus(lost)).toBe(401);
    expect(await keyStatus(keep)).toBe(200);
    expect((await call('DELETE', `/api/api_keys/${lostId}`, bearer(keep))).status).toBe(404);
  });

  it("answers 404 for another account's key, an unknown id or a malformed one, and revokes nothing", async () => {
    const alice = await activeAccount(newEmail('alice'));
    const bob = await activeAccount(newEmail('bob'));
    const bobId = await idOf(bob, true);
    for (const id of [bobId, '00000000-0000-4000-8000-000000000000', 'not-an-id']) {
      const res = await call('DELETE', `/api/api_keys/${id}`, bearer(alice));
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ errors: { '': ['No such API key'] } });
    }
    expect(await keyStatus(bob)).toBe(200);
  });

  it(`keeps at most ${MAX_KEYS_PER_ACCOUNT} keys: the next login revokes the oldest login's key, never a named one`, {
    timeout: 60_000,
  }, async () => {
    const email = newEmail('many-keys');
    const oldest = await activeAccount(email);
    // Made on purpose for a machine, second oldest: logins never push it out.
    const named = await createdKey(oldest, { scope: 'read' });
    const ip = `198.18.0.${Math.random().toString(36).slice(2)}`;
    const logins: string[] = [];
    for (let i = 2; i < MAX_KEYS_PER_ACCOUNT; i++) {
      const res = await call('GET', '/api/login', basicWith(email, PASSWORD), ip);
      expect(res.status).toBe(200);
      logins.push(((await res.json()) as { data: { key: string } }).data.key);
    }
    expect(await keyStatus(oldest)).toBe(200);
    const newest = await anotherKey(email);
    expect(await keyStatus(oldest)).toBe(401);
    expect(await keyStatus(named.key)).toBe(200);
    await anotherKey(email);
    expect(await keyStatus(logins[0] as string)).toBe(401);
    expect(await keyStatus(named.key)).toBe(200);
    const { data } = (await (await call('GET', '/api/api_keys', bearer(newest))).json()) as {
      data: unknown[];
    };
    expect(data).toHaveLength(MAX_KEYS_PER_ACCOUNT);
  });
});
