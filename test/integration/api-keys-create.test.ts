// POST /api/api_keys: named, scoped, expiring keys for machines; what they may do afterwards, and
// how the listing and the platform see them.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { MAX_KEYS_PER_ACCOUNT, newKeyRecord, storeApiKey } from '#data/api-keys.ts';
import { newApiKey } from '#domain/api-keys.ts';
import { nowSeconds } from '#domain/tokens.ts';
import { authorize } from '../../functions/platform/authorizer.ts';
import { lookup } from '../../functions/platform/lookup.ts';
import { userIdOf } from '../support/deletion.ts';
import { activeAccount, call, sourceIp } from '../support/flows.ts';
import { newEmail, PASSWORD } from '../support/http.ts';
import { bearer, createdKey, keyStatus, storedKeyOf, withKey } from '../support/keys.ts';
import { mailsTo } from '../support/mail.ts';
import { codeAt, FRESH_FACTOR_NEEDED, mfaAccount, mfaKey, outsideRecentWindow } from '../support/mfa.ts';
import { meanwhile, touchProfile } from '../support/race.ts';
import { allItems, direct } from '../support/table.ts';

const create = (key: string, body: Record<string, unknown>) =>
  call('POST', '/api/api_keys', withKey(key, body));
const good = { current_password: PASSWORD, name: 'ci', scope: 'read', expires_in_days: 90 };

interface Listed {
  id: string;
  name: string | null;
  scope: string;
  expires_at: string | null;
  expired: boolean;
  ip: string | null;
  user_agent: string | null;
  last_ip: string | null;
  last_user_agent: string | null;
  last_used_at: string | null;
  current: boolean;
}
const listing = async (key: string) =>
  ((await (await call('GET', '/api/api_keys', bearer(key))).json()) as { data: Listed[] }).data;

/** The account's key items and audit events, as stored. */
const trailOf = async (userId: string) => {
  const items = (await allItems()).filter((i) => i.userId === userId);
  return {
    keys: items.filter((i) => i.type === 'userApiKey').map((i) => i.keyId),
    events: items.filter((i) => i.type === 'event').map((i) => i.event),
  };
};

/** Moves a key's expiry to `at` (epoch seconds), as time passing would. */
const expireAt = (key: string, at: number) =>
  direct.send(
    new UpdateCommand({
      TableName: process.env.TABLE_NAME,
      Key: storedKeyOf(key),
      UpdateExpression: 'SET keyExpiresAt = :at',
      ExpressionAttributeValues: { ':at': at },
    }),
  );

describe('POST /api/api_keys', () => {
  it('makes a named, read-only key that expires, mails the owner, and lists it', async () => {
    const email = newEmail('ci-key');
    const login = await activeAccount(email);
    const before = nowSeconds();
    const res = await call(
      'POST',
      '/api/api_keys',
      withKey(login, { ...good, name: '  deploy from GitHub  ' }),
    );
    expect(res.status).toBe(201);
    const { data } = (await res.json()) as { data: Record<string, string> };
    expect(data).toEqual({
      key: expect.stringMatching(/^gh_key_[A-Za-z0-9_-]{86}$/),
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'deploy from GitHub',
      scope: 'read',
      expires_at: expect.any(String),
    });
    const expires = Date.parse(data.expires_at as string) / 1000;
    expect(expires - before).toBeGreaterThanOrEqual(90 * 86_400);
    expect(expires - before).toBeLessThanOrEqual(90 * 86_400 + 5);

    // It reads; the login's key is untouched.
    expect(await keyStatus(data.key as string)).toBe(200);
    expect(await keyStatus(login)).toBe(200);

    const notice = (await mailsTo(email)).at(-1);
    expect(notice?.subject).toBe('An API key was created for your Gatehouse account');
    expect(notice?.body.text).toContain('"deploy from GitHub"');
    expect(notice?.body.text).toContain('GET requests only');
    expect(notice?.body.text).toContain(`gatehouse account:api_keys:revoke ${data.id}`);
    expect(notice?.body.text).not.toContain(data.key);

    const events = (await allItems()).filter((i) => i.type === 'event' && i.event === 'api_key.created');
    const mine = events.find((e) => (e.detail as Record<string, unknown>)?.keyId === data.id);
    expect(mine?.detail).toEqual({
      keyId: data.id,
      name: 'deploy from GitHub',
      scope: 'read',
      expiresAt: expires,
    });
    expect(JSON.stringify(mine)).not.toContain(data.key);

    const listed = await listing(login);
    expect(listed).toHaveLength(2);
    expect(listed.find((k) => k.id === data.id)).toMatchObject({
      name: 'deploy from GitHub',
      scope: 'read',
      expires_at: data.expires_at,
      expired: false,
      ip: sourceIp,
      current: false,
    });
    expect(listed.find((k) => k.current)).toMatchObject({
      name: null,
      scope: 'full',
      expires_at: null,
      expired: false,
      ip: sourceIp,
      last_ip: sourceIp,
    });
  });

  it('records where a key was last used from, as the listing shows', async () => {
    const login = await activeAccount(newEmail('ci-last'));
    const made = await createdKey(login, { scope: 'read' });
    const used = await call('GET', '/api/users', {
      headers: { authorization: `Bearer ${made.key}`, 'user-agent': 'github-actions/2.0' },
    });
    expect(used.status).toBe(200);
    const row = (await listing(made.key)).find((k) => k.id === made.id);
    expect(row).toMatchObject({
      current: true,
      last_ip: sourceIp,
      last_user_agent: 'github-actions/2.0',
      last_used_at: expect.any(String),
    });
  });

  it('a full key without expiry does what a login key does, and never stands for a second factor', async () => {
    const account = await mfaAccount(newEmail('ci-full'));
    const login = await mfaKey(account, 0);
    const made = await createdKey(login, { scope: 'full', mfa_token: account.recoveryCodes[1] as string });
    expect(made).toMatchObject({ scope: 'full', expires_at: null });
    // A change it may make, as a login's key may: log out everywhere else (the login's key goes).
    expect((await call('DELETE', '/api/api_keys/others', bearer(made.key))).status).toBe(200);
    expect(await keyStatus(login)).toBe(401);
    // A factor change with it alone: no login passed MFA for it.
    const off = await call('DELETE', '/api/mfa', withKey(made.key, {}));
    expect(off.status).toBe(400);
    expect(await off.json()).toEqual({ errors: { mfa_token: [FRESH_FACTOR_NEEDED] } });
  });

  it('with MFA on wants a fresh second factor besides the password: a code, or a login moments ago', async () => {
    const account = await mfaAccount(newEmail('ci-mfa'));
    const fresh = await mfaKey(account, 0);
    // Within the recent window of the login that passed MFA: the password is enough.
    expect((await create(fresh, good)).status).toBe(201);
    await outsideRecentWindow(fresh);
    const bare = await create(fresh, good);
    expect(bare.status).toBe(400);
    expect(await bare.json()).toEqual({ errors: { mfa_token: [FRESH_FACTOR_NEEDED] } });
    const wrongCode = await create(fresh, { ...good, mfa_token: '000000' });
    expect(wrongCode.status).toBe(401);
    expect(await wrongCode.json()).toEqual({ errors: { mfa_token: ['is incorrect or was used already'] } });
    const withCode = await create(fresh, { ...good, mfa_token: codeAt(account.secret, 1) });
    expect(withCode.status, await withCode.clone().text()).toBe(201);
  });

  it('refuses bad input, a wrong password, and a guessing key; nothing is made', async () => {
    const email = newEmail('ci-bad');
    const login = await activeAccount(email);
    const userId = await userIdOf(email);
    const before = await trailOf(userId);
    const refused: [Record<string, unknown>, Record<string, string[]>][] = [
      [{ name: 'ci', scope: 'read' }, { current_password: ["can't be blank"] }],
      [{ current_password: PASSWORD, scope: 'read' }, { name: ["can't be blank"] }],
      [{ current_password: PASSWORD, name: 'ci' }, { scope: ["can't be blank"] }],
      [{ ...good, scope: 'admin' }, { scope: ['must be one of: full, read'] }],
      [{ ...good, expires_in_days: 0 }, { expires_in_days: ['must be from 1 to 365'] }],
      [{ ...good, expires_in_days: 366 }, { expires_in_days: ['must be from 1 to 365'] }],
      [{ ...good, expires_in_days: 1.5 }, { expires_in_days: ['must be a whole number'] }],
      [{ ...good, expires_in_days: '90' }, { expires_in_days: ['must be a whole number'] }],
      [
        { ...good, name: 'ci\nsecond line' },
        { name: ['must be one line of at most 64 printable characters'] },
      ],
      [{ ...good, name: '   ' }, { name: ['must be one line of at most 64 printable characters'] }],
      [{ ...good, name: 'x'.repeat(65) }, { name: ['should be at most 64 character(s)'] }],
    ];
    for (const [body, errors] of refused) {
      const res = await create(login, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await res.json()).toEqual({ errors });
    }
    const wrong = await create(login, { ...good, current_password: 'not my password' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ errors: { current_password: ['is incorrect'] } });
    for (let i = 1; i < 5; i++)
      expect((await create(login, { ...good, current_password: `guess ${i}!!!!!!` })).status).toBe(401);
    const throttled = await create(login, good);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toMatch(/^\d+$/);
    const after = await trailOf(userId);
    expect(after.keys).toEqual(before.keys);
    expect(after.events.filter((e) => e === 'api_key.created')).toEqual([]);
    expect((await mailsTo(email)).map((m) => m.subject)).not.toContain(
      'An API key was created for your Gatehouse account',
    );
  });

  it(`holds at most ${MAX_KEYS_PER_ACCOUNT} working keys: refused at the limit, expired keys do not count`, async () => {
    const email = newEmail('ci-full-house');
    const login = await activeAccount(email);
    const userId = await userIdOf(email);
    const filler = [];
    for (let i = 1; i < MAX_KEYS_PER_ACCOUNT; i++) {
      const key = newApiKey(userId);
      filler.push(key);
      await storeApiKey(
        newKeyRecord(userId, key, new Date(Date.now() - 1000 * (100 - i)).toISOString(), {
          origin: { ip: '192.0.2.1' },
        }),
      );
    }
    const full = await create(login, good);
    expect(full.status).toBe(409);
    expect(((await full.json()) as { errors: Record<string, string[]> }).errors['']?.[0]).toMatch(
      /^The account has 50 API keys that still work, the most it may hold\. Revoke one first/,
    );
    // One of them expired: it no longer counts, and goes to make room.
    const oldest = filler[0] as { key: string; id: string };
    await expireAt(oldest.key, nowSeconds() - 1);
    const made = await create(login, good);
    expect(made.status).toBe(201);
    const keysNow = (await trailOf(userId)).keys;
    expect(keysNow).toHaveLength(MAX_KEYS_PER_ACCOUNT);
    expect(keysNow).not.toContain(oldest.id);
  });

  it('answers 409 when MFA went on meanwhile, and makes no key', async () => {
    const email = newEmail('ci-race');
    const login = await activeAccount(email);
    const userId = await userIdOf(email);
    const before = await trailOf(userId);
    const ran = meanwhile(
      'TransactWriteItemsCommand',
      () => touchProfile(userId, { mfaEnabled: true }),
      (input) => JSON.stringify(input).includes('APIKEY#'),
    );
    const res = await create(login, good);
    expect(ran()).toBe(true);
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ errors: { '': ['The account changed meanwhile. Try again.'] } });
    expect(await trailOf(userId)).toEqual(before);
  });
});

describe('a read-only key', () => {
  it('reads, is refused every change (its own logout included), and the platform hears its scope', async () => {
    const login = await activeAccount(newEmail('ci-read'));
    const made = await createdKey(login, { scope: 'read' });
    for (const path of ['/api/users', '/api/api_keys', '/api/ssh_keys'])
      expect((await call('GET', path, bearer(made.key))).status).toBe(200);
    const logout = await call('DELETE', '/api/api_keys/current', bearer(made.key));
    expect(logout.status).toBe(403);
    expect(await keyStatus(made.key)).toBe(200);
    const context = await authorize({ headers: { authorization: `Bearer ${made.key}` } });
    expect(context).toMatchObject({ isAuthorized: true, context: { scope: 'read', keyId: made.id } });
    expect(await authorize({ headers: { authorization: `Bearer ${login}` } })).toMatchObject({
      context: { scope: 'full' },
    });
    expect(await lookup({ apiKey: made.key })).toMatchObject({ account: { scope: 'read', keyId: made.id } });
    // The owner revokes it with a full key.
    expect((await call('DELETE', `/api/api_keys/${made.id}`, bearer(login))).status).toBe(200);
    expect(await keyStatus(made.key)).toBe(401);
  });
});

describe('an expired key', () => {
  it('answers 401 saying it expired, everywhere, and the platform refuses it', async () => {
    const login = await activeAccount(newEmail('ci-expired'));
    const made = await createdKey(login, { scope: 'full', expires_in_days: 1 });
    expect(await keyStatus(made.key)).toBe(200);
    await expireAt(made.key, nowSeconds() - 60);
    for (const [method, path] of [
      ['GET', '/api/users'],
      ['DELETE', '/api/api_keys/others'],
    ] as const) {
      const res = await call(method, path, bearer(made.key));
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBeTruthy();
      const { errors } = (await res.json()) as { errors: Record<string, string[]> };
      expect(Object.values(errors).flat()[0]).toMatch(
        /^This API key expired on \d{4}-\d\d-\d\d \d\d:\d\d UTC\. Create a new one \(gatehouse account:api_keys:create\) or log in again\.$/,
      );
    }
    expect(await authorize({ headers: { authorization: `Bearer ${made.key}` } })).toEqual({
      isAuthorized: false,
    });
    expect(await lookup({ apiKey: made.key })).toEqual({ account: null });
    // Still listed, marked, until its owner revokes it (or DynamoDB's TTL removes it a month on).
    expect((await listing(login)).find((k) => k.id === made.id)).toMatchObject({ expired: true });
    // A wrong key of the same shape is still the generic answer.
    const res = await call('GET', '/api/users', bearer(`${made.key.slice(0, -4)}AAAA`));
    expect(await res.json()).toEqual({ errors: { '': ['Invalid credentials'] } });
  });
});
