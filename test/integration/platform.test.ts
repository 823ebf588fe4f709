// The platform's view of a credential (issue 20, part 1), against DynamoDB Local: the authorizer
// another HTTP API puts in front of its routes, and the lookup the git host invokes. Both accept
// exactly what Gatehouse's own routes accept, and stop at the very next request when a key is
// revoked or the account goes.
import { describe, expect, it, vi } from 'vitest';
import { db } from '#data/client.ts';
import { TIER_LIMITS } from '#domain/tiers.ts';
import { authorize } from '../../functions/platform/authorizer.ts';
import { lookup } from '../../functions/platform/lookup.ts';
import { VERIFY_ACTIONS } from '../../infra/platform.ts';
import { markedForDeletion, userIdOf } from '../support/deletion.ts';
import { completeChange } from '../support/email-change.ts';
import { activeAccount, call } from '../support/flows.ts';
import { basic, newEmail } from '../support/http.ts';
import { anotherKey, bearer, keyStatus, legacyKey, withKey } from '../support/keys.ts';
import { newSshKey } from '../support/ssh.ts';

/** The event API Gateway sends a payload 2.0 REQUEST authorizer (header names in lower case). */
const request = (authorization?: string) => ({
  version: '2.0',
  type: 'REQUEST',
  routeArn: 'arn:aws:execute-api:eu-west-1:123456789012:abc123/$default/GET/apps',
  routeKey: 'GET /apps',
  headers: { host: 'apps.example.com', ...(authorization === undefined ? {} : { authorization }) },
});

const keyIdOf = async (key: string) => {
  const { data } = (await (await call('GET', '/api/api_keys', bearer(key))).json()) as {
    data: { id: string; current: boolean }[];
  };
  return data.find((k) => k.current)?.id;
};

describe('the authorizer', () => {
  it("hands the integration the account's context for Bearer and for Basic email:key", async () => {
    const email = newEmail('platform');
    const key = await activeAccount(email);
    const expected = {
      isAuthorized: true,
      context: {
        accountId: await userIdOf(email),
        email,
        tier: 'FREE',
        limits: JSON.stringify(TIER_LIMITS.FREE),
        mfaEnabled: false,
        credential: 'api_key',
        keyId: await keyIdOf(key),
        scope: 'full',
      },
    };
    expect(await authorize(request(`Bearer ${key}`))).toEqual(expected);
    // The Gigalixir CLI's form, each part percent-encoded, the address in any case.
    expect(await authorize(request(basic(email.toUpperCase(), key)))).toEqual(expected);
    // Every value is a string, number or boolean: what API Gateway passes on from a simple response.
    for (const value of Object.values(expected.context))
      expect(['string', 'number', 'boolean']).toContain(typeof value);
  });

  it("refuses no header, a malformed one, a wrong key, a password, and a key with another account's address", async () => {
    const alice = newEmail('platform-alice');
    const bob = newEmail('platform-bob');
    const aliceKey = await activeAccount(alice);
    await activeAccount(bob);
    for (const authorization of [
      undefined,
      '',
      'Bearer',
      'Digest abc',
      'Basic !!!',
      `Bearer ${aliceKey.slice(0, -2)}xx`,
      basic(alice, 'correct horse battery staple'),
      basic(bob, aliceKey),
      basic('not an address', aliceKey),
    ]) {
      expect(await authorize(request(authorization)), String(authorization)).toEqual({ isAuthorized: false });
    }
  });

  it('refuses a key on the very next request after it is revoked, and every key once deletion is asked', async () => {
    const email = newEmail('platform-revoked');
    const key = await activeAccount(email);
    const other = await anotherKey(email);
    expect((await authorize(request(`Bearer ${key}`))).isAuthorized).toBe(true);
    const id = await keyIdOf(key);
    expect((await call('DELETE', `/api/api_keys/${id}`, bearer(other))).status).toBe(200);
    expect(await authorize(request(`Bearer ${key}`))).toEqual({ isAuthorized: false });
    expect((await authorize(request(`Bearer ${other}`))).isAuthorized).toBe(true);
    await markedForDeletion(await userIdOf(email));
    expect(await authorize(request(`Bearer ${other}`))).toEqual({ isAuthorized: false });
  });

  it("takes a legacy key, and a key with the account's previous address while the change can be undone", async () => {
    const email = newEmail('platform-legacy');
    await activeAccount(email);
    const old = await legacyKey(email);
    expect((await authorize(request(`Bearer ${old}`))).isAuthorized).toBe(true);
    const before = newEmail('platform-before');
    const after = newEmail('platform-after');
    const key = await activeAccount(before);
    await completeChange(key, before, after);
    const answer = await authorize(request(basic(before, key)));
    expect(answer).toMatchObject({ isAuthorized: true, context: { email: after } });
  });
});

describe('the lookup', () => {
  it('answers the account of an API key (with or without the address) and of an SSH key', async () => {
    const email = newEmail('lookup');
    const key = await activeAccount(email);
    const line = newSshKey('git@laptop');
    const added = await call('POST', '/api/ssh_keys', withKey(key, { ssh_key: line }));
    expect(added.status).toBe(201);
    const ssh = ((await added.json()) as { data: { id: string; fingerprint: string } }).data;
    const accountId = await userIdOf(email);
    expect(await lookup({ apiKey: key })).toEqual({
      account: expect.objectContaining({
        accountId,
        email,
        credential: 'api_key',
        keyId: await keyIdOf(key),
      }),
    });
    expect(await lookup({ apiKey: key, email })).toMatchObject({ account: { accountId } });
    expect(await lookup({ sshKeyFingerprint: ssh.fingerprint })).toEqual({
      account: expect.objectContaining({ accountId, email, credential: 'ssh_key', keyId: ssh.id }),
    });
    // Removed, the SSH key answers nothing; so does any key of an account being deleted.
    expect((await call('DELETE', '/api/ssh_keys', withKey(key, { id: ssh.id }))).status).toBe(200);
    expect(await lookup({ sshKeyFingerprint: ssh.fingerprint })).toEqual({ account: null });
    await markedForDeletion(accountId);
    expect(await lookup({ apiKey: key })).toEqual({ account: null });
    expect(await keyStatus(key)).toBe(401);
  });

  it("answers nothing for a wrong key, another account's address or an unknown fingerprint", async () => {
    const alice = newEmail('lookup-alice');
    const key = await activeAccount(alice);
    expect(await lookup({ apiKey: `${key.slice(0, -2)}xx` })).toEqual({ account: null });
    expect(await lookup({ apiKey: key, email: newEmail('someone-else') })).toEqual({ account: null });
    expect(await lookup({ apiKey: key, email: 'no address' })).toEqual({ account: null });
    expect(await lookup({ sshKeyFingerprint: `SHA256:${'A'.repeat(43)}` })).toEqual({ account: null });
    expect(await lookup({ sshKeyFingerprint: 'MD5:aa:bb' })).toEqual({ account: null });
  });

  it('fails a request of the wrong shape, saying what to send', async () => {
    for (const bad of [
      null,
      'key',
      {},
      { apiKey: 1 },
      { apiKey: 'k', sshKeyFingerprint: 'f' },
      { apiKey: 'k', extra: 1 },
      { apiKey: 'k', email: 5 },
    ]) {
      await expect(lookup(bad), JSON.stringify(bad)).rejects.toThrowError(/Send \{"apiKey"\}/);
    }
  });
});

describe('GET /example/whoami, the local platform route', () => {
  it('answers the context the authorizer handed it, and 401 with the challenge without a valid key', async () => {
    const email = newEmail('whoami');
    const key = await activeAccount(email);
    const res = await call('GET', '/example/whoami', { headers: { Authorization: basic(email, key) } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      data: ((await authorize(request(`Bearer ${key}`))) as { context?: unknown }).context,
    });
    for (const headers of [{}, { Authorization: `Bearer ${key}x` }]) {
      const refused = await call('GET', '/example/whoami', { headers });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toMatch(/Basic/);
      expect(await refused.json()).toEqual({ errors: { '': ['Invalid credentials'] } });
    }
  });
});

describe('what verifying sends to DynamoDB', () => {
  // DynamoDB Local enforces no IAM: the role's actions (infra/platform.ts) are checked here against
  // every command the authorizer and the lookup send, down each path (the build holds more command
  // classes than it sends: test/infra/access.test.ts).
  it('is only what the platform functions are granted', async () => {
    const email = newEmail('verify-sends');
    const key = await activeAccount(email);
    const legacy = await legacyKey(email);
    const line = newSshKey('sends@laptop');
    const added = await call('POST', '/api/ssh_keys', withKey(key, { ssh_key: line }));
    const { fingerprint } = ((await added.json()) as { data: { fingerprint: string } }).data;
    const before = newEmail('sends-before');
    const moved = await activeAccount(before);
    await completeChange(moved, before, newEmail('sends-after'));
    const sent = vi.spyOn(db, 'send');
    // A key's first use in the hour is recorded (UpdateItem): a day later, each is a first use.
    const later = Math.floor(Date.now() / 1000) + 86_400;
    await authorize(request(`Bearer ${key}`), later);
    await authorize(request(basic(before, moved)), later);
    await authorize(request(`Bearer ${legacy}`), later);
    await lookup({ apiKey: key, email }, later + 86_400);
    await lookup({ sshKeyFingerprint: fingerprint });
    const OPERATION: Record<string, string> = {
      GetItemCommand: 'GetItem',
      BatchGetItemCommand: 'BatchGetItem',
      UpdateItemCommand: 'UpdateItem',
    };
    const names = new Set(sent.mock.calls.map(([command]) => command.constructor.name));
    expect([...names].sort()).toEqual(['BatchGetItemCommand', 'GetItemCommand', 'UpdateItemCommand']);
    for (const name of names) expect(VERIFY_ACTIONS).toContain(`dynamodb:${OPERATION[name]}`);
  });
});
