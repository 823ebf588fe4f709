// GET /console/security: the account's security, each part with the page that changes it.
import { describe, expect, it } from 'vitest';
import { get, signedInOn } from '../support/console.ts';
import { suspended } from '../support/suspension.ts';

describe('/console/security', () => {
  it('shows the address and MFA, and leads to each page; no session goes to the login, a suspension is a 403', async () => {
    const { email, cookies } = await signedInOn('/console/security', 'csec');
    const page = await (await get('/console/security', cookies)).text();
    expect(page).toContain(email);
    for (const href of [
      '/console/password',
      '/console/address',
      '/console/mfa',
      '/console/keys',
      '/console/ssh-keys',
    ])
      expect(page).toContain(`href="${href}"`);
    expect(page).toContain('>Turn MFA on</a>');
    expect((await get('/console/security')).status).toBe(303);
    await suspended(email);
    expect((await get('/console/security', cookies)).status).toBe(403);
  });
});
