// DELETE /api/api_keys/others: log out everywhere else.
import { describe, expect, it } from 'vitest';
import { activeAccount, call } from '../support/flows.ts';
import { newEmail, PASSWORD } from '../support/http.ts';
import { anotherKey, basicWith, bearer, keyStatus } from '../support/keys.ts';

describe('DELETE /api/api_keys/others', () => {
  it('revokes every key of the account but the one used, and no other account’s', async () => {
    const email = newEmail('everywhere-else');
    const keep = await activeAccount(email);
    const laptop = await anotherKey(email);
    const phone = await anotherKey(email);
    const stranger = await activeAccount(newEmail('stranger'));
    const res = await call('DELETE', '/api/api_keys/others', bearer(keep));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      data: { message: 'Logged out everywhere else: 2 other keys revoked.', revoked: 2 },
    });
    expect(await keyStatus(laptop)).toBe(401);
    expect(await keyStatus(phone)).toBe(401);
    expect(await keyStatus(keep)).toBe(200);
    expect(await keyStatus(stranger)).toBe(200);
    const again = await call('DELETE', '/api/api_keys/others', bearer(keep));
    expect(await again.json()).toEqual({
      data: { message: 'No other key was in use: only this one works.', revoked: 0 },
    });
  });

  it('wants a key of the account, and is not taken for a key id', async () => {
    expect((await call('DELETE', '/api/api_keys/others', bearer('gh_key_nope'))).status).toBe(401);
    const email = newEmail('others-basic');
    const key = await activeAccount(email);
    expect((await call('DELETE', '/api/api_keys/others', basicWith(email, PASSWORD))).status).toBe(401);
    expect(await keyStatus(key)).toBe(200);
  });
});
