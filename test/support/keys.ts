// API-key helpers for the key-management tests.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import { newKeyRecord, storeApiKey } from '#data/api-keys.ts';
import { type Key, keys } from '#data/keys.ts';
import { getUserByEmail } from '#data/profiles.ts';
import { keyAddress, newApiKey } from '#domain/api-keys.ts';
import { digest } from '#domain/tokens.ts';
import { call, login } from './flows.ts';
import { basic, json, PASSWORD } from './http.ts';
import { direct } from './table.ts';

export const bearer = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });

/** A JSON request made with an API key. */
export const withKey = (key: string, body: unknown): RequestInit => json(body, bearer(key).headers);

/** Another key for the account, from another login. */
export async function anotherKey(email: string, userAgent = 'second-device/1.0'): Promise<string> {
  const res = await login(email, undefined, { 'user-agent': userAgent });
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: { key: string } }).data.key;
}

/** The status GET /api/users answers with this key: 200 while it works, 401 once revoked. */
export const keyStatus = async (key: string) => (await call('GET', '/api/users', bearer(key))).status;

export const basicWith = (email: string, key: string) => ({ headers: { authorization: basic(email, key) } });

/** The item a request reads for `key`: under its account when the key names it, else by digest. */
export function storedKeyOf(key: string): Key {
  const address = keyAddress(key);
  return address ? keys.userApiKey(address.userId, address.keyId) : keys.apiKey(digest(key));
}

/** That item as stored now (consistent). */
export const storedKey = async (key: string) =>
  (
    await direct.send(
      new GetCommand({ TableName: process.env.TABLE_NAME, Key: storedKeyOf(key), ConsistentRead: true }),
    )
  ).Item;

/**
 * A key of the account at `email` as Gatehouse minted them before keys carried their address
 * (a lookup item by digest, and the item under the account), stored as that code stored it.
 */
export async function legacyKey(email: string): Promise<string> {
  const user = await getUserByEmail(email);
  if (!user) throw new Error(`no account for ${email}`);
  const key = newApiKey('not a uuid: the legacy shape');
  expect(key.addressed).toBe(false);
  expect(
    await storeApiKey(
      newKeyRecord(user.userId, key, new Date().toISOString(), {
        origin: { ip: '192.0.2.1', userAgent: 'old-cli/0.9' },
      }),
    ),
  ).toBe(true);
  return key.key;
}

/** A key made with POST /api/api_keys (name `ci`, the given scope), with the account's password. */
export async function createdKey(
  key: string,
  fields: { scope?: 'full' | 'read'; expires_in_days?: number; name?: string; mfa_token?: string } = {},
  password = PASSWORD,
): Promise<{ key: string; id: string; name: string; scope: string; expires_at: string | null }> {
  const res = await call(
    'POST',
    '/api/api_keys',
    withKey(key, { current_password: password, name: 'ci', scope: 'full', ...fields }),
  );
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { data: Awaited<ReturnType<typeof createdKey>> }).data;
}
