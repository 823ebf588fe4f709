// API-key helpers for the key-management tests.
import { expect } from 'vitest';
import { call, login } from './flows.ts';
import { basic, json } from './http.ts';

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
