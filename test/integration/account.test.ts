import { describe, expect, it } from 'vitest';
import { newApiKey } from '../../functions/lib/domain/api-keys.ts';
import { activeAccount, call } from '../support/flows.ts';
import { basic, newEmail, newFreeAccountView } from '../support/http.ts';

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

  it('refuses no key, an unknown key, a password, and a key in the query string', async () => {
    const email = newEmail();
    const key = await activeAccount(email);
    expect((await account()).status).toBe(401);
    expect((await account(`Bearer ${newApiKey().key}`)).status).toBe(401);
    expect((await account(basic(email, 'correct horse battery staple'))).status).toBe(401);
    expect((await account(undefined, `/api/users?api_key=${key}`)).status).toBe(401);
    expect((await account(undefined, `/api/users?key=${key}&email=${email}`)).status).toBe(401);
  });

  it('answers a malformed Authorization header with 400', async () => {
    const res = await account('Basic not*base64');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ errors: { '': ['Malformed Authorization header'] } });
  });
});
