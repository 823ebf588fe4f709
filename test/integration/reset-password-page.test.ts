import { describe, expect, it } from 'vitest';
import { activeAccount, call, login } from '../support/flows.ts';
import { newEmail, PASSWORD } from '../support/http.ts';
import { resetToken } from '../support/reset.ts';

const post = (token: string, password: string) =>
  call('POST', '/reset-password', {
    body: new URLSearchParams({ token, password }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });

describe('GET/POST /reset-password (the page the mail links to)', () => {
  it('shows a labelled password form; opening it spends nothing', async () => {
    const email = newEmail('page');
    await activeAccount(email);
    const token = await resetToken(email);
    for (let i = 0; i < 2; i++) {
      const res = await call('GET', `/reset-password?token=${token}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      const html = await res.text();
      expect(html).toContain('<label for="password">');
      expect(html).toContain('type="password" autocomplete="new-password"');
      expect(html).toContain(`name="token" value="${token}"`);
      expect(html).not.toContain('<script');
    }
    expect((await login(email, PASSWORD)).status).toBe(200);
  });

  it('sets the password from the form, says so, and the link is then spent', async () => {
    const email = newEmail('page-set');
    await activeAccount(email);
    const token = await resetToken(email);
    const weak = await post(token, 'short');
    expect(weak.status).toBe(400);
    expect(await weak.text()).toContain('role="alert"');
    const done = await post(token, 'a page chosen passphrase');
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Password set');
    expect((await login(email, 'a page chosen passphrase')).status).toBe(200);
    const again = await post(token, 'another passphrase!!');
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('This link no longer works');
  });
});
