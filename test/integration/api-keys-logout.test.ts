import { describe, expect, it } from 'vitest';
import { activeAccount, call } from '../support/flows.ts';
import { newEmail } from '../support/http.ts';
import { anotherKey, bearer, keyStatus } from '../support/keys.ts';

describe('DELETE /api/api_keys/current', () => {
  it('logs out the key used, on the very next request, and no other', async () => {
    const email = newEmail('logout');
    const stay = await activeAccount(email);
    const leave = await anotherKey(email);
    const res = await call('DELETE', '/api/api_keys/current', bearer(leave));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { message: 'Logged out: this key no longer works.' } });
    expect(await keyStatus(leave)).toBe(401);
    expect((await call('DELETE', '/api/api_keys/current', bearer(leave))).status).toBe(401);
    expect(await keyStatus(stay)).toBe(200);
  });
});
