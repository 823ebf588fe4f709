import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { tableName } from '#data/client.ts';
import { eventsOf } from '#data/events.ts';
import { keys } from '#data/keys.ts';
import { hashPassword } from '#domain/passwords.ts';
import { digest } from '#domain/tokens.ts';
import { userIdOf } from '../support/deletion.ts';
import { activeAccount, call, confirm, login, signUp } from '../support/flows.ts';
import { basic, newEmail, PASSWORD } from '../support/http.ts';
import { storedKeyOf } from '../support/keys.ts';
import { meanwhile, touchProfile } from '../support/race.ts';
import { direct, itemsAbout } from '../support/table.ts';

const INVALID = { errors: { '': ['Invalid credentials'] } };

describe('GET /api/login', () => {
  it('mints a new prefixed API key naming its account, stored only as a digest under the account', async () => {
    const email = newEmail();
    await confirm(await signUp(email));
    const res = await login(email, PASSWORD, { 'user-agent': 'gatehouse-cli/0.1' });
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: { key: string } };
    expect(data.key).toMatch(/^gh_key_[A-Za-z0-9_-]{86}$/);
    const items = await itemsAbout(email);
    expect(JSON.stringify(items)).not.toContain(data.key);
    // One item, where the key says it lives: no lookup by digest for a key that names its account.
    expect(items.filter((i) => i.type === 'apiKey')).toHaveLength(0);
    const stored = items.filter((i) => i.type === 'userApiKey');
    expect(stored).toEqual([
      expect.objectContaining({
        ...storedKeyOf(data.key),
        keyHash: digest(data.key),
        userAgent: 'gatehouse-cli/0.1',
      }),
    ]);
  });

  it('hands out a different working key on every login', async () => {
    const email = newEmail();
    const first = await activeAccount(email);
    const second = ((await (await login(email)).json()) as { data: { key: string } }).data.key;
    expect(second).not.toBe(first);
    for (const key of [first, second]) {
      expect((await call('GET', '/api/users', { headers: { authorization: `Bearer ${key}` } })).status).toBe(
        200,
      );
    }
  });

  it('tells an unconfirmed account to confirm first, only when the password is right', async () => {
    const email = newEmail();
    await signUp(email);
    const right = await login(email);
    expect(right.status).toBe(401);
    expect(await right.json()).toEqual({
      errors: {
        '': ['Please confirm your email address first: follow the link we mailed you, or request a new one.'],
      },
    });
    const wrong = await login(email, `${PASSWORD}x`);
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual(INVALID);
  });

  it('answers a wrong password, an unknown address and a bad address alike', async () => {
    const email = newEmail();
    await activeAccount(email);
    for (const [user, password] of [
      [email, 'wrong password here'],
      [newEmail('unknown'), PASSWORD],
      ['not-an-address', PASSWORD],
      [email, 'x'.repeat(300)],
    ] as const) {
      const res = await login(user, password);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual(INVALID);
    }
  });

  it.each([
    ['MFA was switched on', { mfaEnabled: true }, ['api_key.minted', 'api_key.revoked', 'login.succeeded']],
    // Nothing more is stored under an account being purged: the revocation is logged only.
    ['a deletion was requested', { status: 'DELETING' }, ['api_key.minted', 'login.succeeded']],
  ])(
    'answers 409 when %s between the password check and the key, and leaves no key',
    async (_, change, trail) => {
      const email = newEmail('raced');
      await activeAccount(email);
      const userId = await userIdOf(email);
      const before = await itemsAbout(email);
      const ran = meanwhile(
        'BatchWriteItemCommand',
        () => touchProfile(userId, change),
        (input) => JSON.stringify(input).includes('APIKEY#'),
      );
      const res = await login(email);
      expect(ran()).toBe(true);
      expect(res.status).toBe(409);
      expect(await res.json()).toEqual({
        errors: { '': ['The account changed during login. Log in again.'] },
      });
      const after = await itemsAbout(email);
      const count = (items: Record<string, unknown>[], type: string) =>
        items.filter((i) => i.type === type).length;
      for (const type of ['apiKey', 'userApiKey']) expect(count(after, type), type).toBe(count(before, type));
      // The key was written before the guard was read again: the trail says so, and that it went.
      const newEvents = after
        .filter((i) => i.type === 'event' && !before.some((b) => b.sk === i.sk))
        .flatMap(eventsOf);
      expect(newEvents.map((e) => e.event).sort()).toEqual(trail);
      for (const e of newEvents.filter((e) => e.event === 'api_key.revoked'))
        expect(e.detail).toMatchObject({ via: 'login-changed' });
    },
  );

  it('accepts the address in any letter case', async () => {
    const email = newEmail();
    await activeAccount(email);
    expect((await login(`  ${email.toUpperCase()}`)).status).toBe(200);
  });

  it('wants Basic credentials: none or Bearer is a 401, a malformed header a 400', async () => {
    expect((await call('GET', '/api/login')).status).toBe(401);
    expect((await call('GET', '/api/login', { headers: { authorization: 'Bearer gh_key_x' } })).status).toBe(
      401,
    );
    const bad = await call('GET', '/api/login', { headers: { authorization: 'Basic !!!' } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ errors: { '': ['Malformed Authorization header'] } });
  });

  it('rehashes a password stored with old parameters', async () => {
    const email = newEmail();
    await activeAccount(email);
    const profile = (await itemsAbout(email)).find((i) => i.type === 'user');
    const userId = String(profile?.userId);
    await direct.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.user(userId),
        UpdateExpression: 'SET passwordHash = :h',
        ExpressionAttributeValues: { ':h': await hashPassword(PASSWORD, { m: 1024, t: 1, p: 1 }) },
      }),
    );
    expect((await login(email)).status).toBe(200);
    const after = (await itemsAbout(email)).find((i) => i.type === 'user');
    expect(String(after?.passwordHash)).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect((await login(email)).status).toBe(200);
    expect(
      (await call('GET', '/api/login', { headers: { authorization: basic(email, 'nope nope nope') } }))
        .status,
    ).toBe(401);
  });
});
