import { describe, expect, it } from 'vitest';
import { confirmEmail } from '#data/links.ts';
import { InvalidTokenError } from '#domain/errors.ts';
import { digest, nowSeconds } from '#domain/tokens.ts';
import { call, confirm, signUp } from '../support/flows.ts';
import { json, newEmail } from '../support/http.ts';
import { itemsAbout } from '../support/table.ts';

describe('POST /api/users/confirm_email', () => {
  it('confirms the account once; the same token then fails with a clear message', async () => {
    const email = newEmail();
    const token = await signUp(email);
    const first = await confirm(token);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({
      data: { message: 'Your email address is confirmed. You can now log in.' },
    });
    const profile = (await itemsAbout(email)).find((i) => i.type === 'user');
    expect(profile).toMatchObject({ status: 'ACTIVE' });
    expect(profile).not.toHaveProperty('gsi1pk');
    expect(profile).not.toHaveProperty('confirmTokenHash');

    const again = await confirm(token);
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({
      errors: { token: ['This link is invalid or has already been used. Request a new one.'] },
    });
  });

  it('refuses an unknown token', async () => {
    const res = await call('POST', '/api/users/confirm_email', json({ token: 'A'.repeat(43) }));
    expect(res.status).toBe(400);
    expect(await res.json()).toHaveProperty(['errors', 'token']);
  });

  it('refuses an expired link and leaves the account unconfirmed', async () => {
    const email = newEmail();
    const token = await signUp(email);
    const dayAndAHalf = nowSeconds() + 36 * 3600;
    await expect(confirmEmail(digest(token), dayAndAHalf, new Date().toISOString())).rejects.toThrowError(
      new InvalidTokenError('token', 'This link has expired. Request a new one.'),
    );
    expect((await itemsAbout(email)).find((i) => i.type === 'user')).toMatchObject({ status: 'UNCONFIRMED' });
  });

  it('lets exactly one of two simultaneous uses succeed', async () => {
    const token = await signUp(newEmail());
    const statuses = (await Promise.all([confirm(token), confirm(token), confirm(token)])).map(
      (r) => r.status,
    );
    expect(statuses.sort()).toEqual([200, 400, 400]);
  });
});
