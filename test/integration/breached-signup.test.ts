// Signup with the breached-password check switched on, against a local fake of the range API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakePwned, startFakePwned } from '../support/fake-pwned.ts';
import { call } from '../support/flows.ts';
import { json, newEmail } from '../support/http.ts';
import { itemsAbout } from '../support/table.ts';

let fake: FakePwned;
beforeAll(async () => {
  fake = await startFakePwned({ 'monkey business 2024': 1234 });
  // Read by the handlers' configuration on first use, which is after this.
  process.env.BREACHED_PASSWORD_CHECK = 'on';
  process.env.PWNED_PASSWORDS_URL = fake.url;
});
afterAll(() => fake.close());

describe('POST /api/free_users with the breached-password check on', () => {
  it('refuses a breached password and writes nothing', async () => {
    fake.mode = 'ok';
    const email = newEmail();
    const res = await call('POST', '/api/free_users', json({ email, password: 'monkey business 2024' }));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      errors: { password: ['has appeared in a data breach; choose another'] },
    });
    expect(await itemsAbout(email)).toEqual([]);
  });

  it('lets signup through when the service is down', async () => {
    fake.mode = 'error';
    const res = await call(
      'POST',
      '/api/free_users',
      json({ email: newEmail(), password: 'monkey business 2024' }),
    );
    expect(res.status).toBe(200);
  });

  it('refuses a disposable address', async () => {
    const res = await call(
      'POST',
      '/api/free_users',
      json({ email: 'bob@mailinator.com', password: 'a fine passphrase' }),
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      errors: { email: ['is a disposable address; use one you will keep'] },
    });
  });
});
