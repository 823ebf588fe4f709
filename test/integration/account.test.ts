import { randomUUID } from 'node:crypto';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { keys } from '#data/keys.ts';
import { newApiKey } from '#domain/api-keys.ts';
import { digest, nowSeconds } from '#domain/tokens.ts';
import { completeChange } from '../support/email-change.ts';
import { activeAccount, call } from '../support/flows.ts';
import { basic, newEmail, newFreeAccountView } from '../support/http.ts';
import { bearer, legacyKey } from '../support/keys.ts';
import { aMinutePasses, direct } from '../support/table.ts';

const account = (authorization?: string, path = '/api/users') =>
  call('GET', path, { headers: authorization ? { authorization } : {} });

describe('GET /api/users', () => {
  it('shows the account with Basic email:key', async () => {
    const email = newEmail();
    const key = await activeAccount(email);
    const res = await account(basic(email, key));
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: Record<string, unknown> };
    expect(data).toEqual(newFreeAccountView(email));
    expect(Date.now() - Date.parse(String(data.created_at))).toBeLessThan(120_000);
  });

  it('shows the same with Bearer, and with the address in another case', async () => {
    const email = newEmail();
    const key = await activeAccount(email);
    const viaBasic = await (await account(basic(email.toUpperCase(), key))).json();
    const viaBearer = await (await account(`Bearer ${key}`)).json();
    expect(viaBearer).toEqual(viaBasic);
  });

  it("refuses a key presented with another account's email", async () => {
    const alice = newEmail('alice');
    const bob = newEmail('bob');
    const aliceKey = await activeAccount(alice);
    await activeAccount(bob);
    const res = await account(basic(bob, aliceKey));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ errors: { '': ['Invalid credentials'] } });
  });

  it('takes a key with the previous address while the change can be undone, and only then', async () => {
    const old = newEmail('netrc-old');
    const next = newEmail('netrc-new');
    const key = await activeAccount(old);
    const undo = await completeChange(key, old, next);
    // A client that stored `old:key` (the Gigalixir CLI's netrc) goes on working.
    expect((await account(basic(old, key))).status).toBe(200);
    expect((await account(basic(next, key))).status).toBe(200);
    // Not with an address that was never this account's, nor once the undo link has expired.
    expect((await account(basic(newEmail('never'), key))).status).toBe(401);
    await direct.send(
      new UpdateCommand({
        TableName: process.env.TABLE_NAME,
        Key: keys.token(digest(undo)),
        UpdateExpression: 'SET expiresAt = :past',
        ExpressionAttributeValues: { ':past': nowSeconds() - 1 },
      }),
    );
    expect((await account(basic(old, key))).status).toBe(401);
    expect((await account(basic(next, key))).status).toBe(200);
  });

  it('refuses a key with the previous address once another account has that address', async () => {
    const old = newEmail('given-up');
    const next = newEmail('moved-on');
    const key = await activeAccount(old);
    await completeChange(key, old, next);
    // The address is free after the move: someone else signs up with it and confirms.
    await aMinutePasses('signup-confirm', old);
    await activeAccount(old);
    expect((await account(basic(old, key))).status).toBe(401);
  });

  it('names the schemes it takes on every JSON 401 (pages: oauth-google-callback.test.ts)', async () => {
    for (const res of [
      await account(),
      await account('Bearer gh_key_not-a-key-at-all-not-a-key-at-all-not-a-k'),
      await call('GET', '/api/login', {
        headers: { authorization: basic(newEmail('nobody'), 'wrong one!') },
      }),
    ]) {
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe(
        'Basic realm="Gatehouse", charset="UTF-8", Bearer realm="Gatehouse"',
      );
    }
  });

  it('refuses no key, an unknown key, a password, and a key in the query string', async () => {
    const email = newEmail();
    const key = await activeAccount(email);
    expect((await account()).status).toBe(401);
    expect((await account(`Bearer ${newApiKey(randomUUID()).key}`)).status).toBe(401);
    expect((await account(`Bearer ${newApiKey('legacy').key}`)).status).toBe(401);
    expect((await account(basic(email, 'correct horse battery staple'))).status).toBe(401);
    expect((await account(undefined, `/api/users?api_key=${key}`)).status).toBe(401);
    expect((await account(undefined, `/api/users?key=${key}&email=${email}`)).status).toBe(401);
  });

  it('refuses a key that names the account and a key of it but not that key’s secret', async () => {
    const key = await activeAccount(newEmail('forged'));
    const bytes = Buffer.from(key.slice('gh_key_'.length), 'base64url');
    const forged = Buffer.concat([bytes.subarray(0, 32), Buffer.alloc(32, 7)]).toString('base64url');
    const otherKeyId = Buffer.concat([bytes.subarray(0, 16), Buffer.alloc(48, 1)]).toString('base64url');
    expect((await account(`Bearer gh_key_${forged}`)).status).toBe(401);
    expect((await account(`Bearer gh_key_${otherKeyId}`)).status).toBe(401);
    expect((await account(`Bearer ${key}`)).status).toBe(200);
  });

  it('keeps taking keys minted before keys named their account, until they are revoked', async () => {
    const email = newEmail('legacy');
    await activeAccount(email);
    const old = await legacyKey(email);
    expect((await account(`Bearer ${old}`)).status).toBe(200);
    expect((await account(basic(email, old))).status).toBe(200);
    expect((await call('DELETE', '/api/api_keys/current', bearer(old))).status).toBe(200);
    expect((await account(`Bearer ${old}`)).status).toBe(401);
    expect(
      await direct
        .send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: keys.apiKey(digest(old)) }))
        .then((r) => r.Item),
    ).toBeUndefined();
  });

  it('answers a malformed Authorization header with 400', async () => {
    const res = await account('Basic not*base64');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ errors: { '': ['Malformed Authorization header'] } });
  });
});
