import { describe, expect, it } from 'vitest';
import { activeAccount, call, login } from '../support/flows.ts';
import { newEmail, PASSWORD } from '../support/http.ts';
import { resetToken } from '../support/reset.ts';

// The form (POST /reset-password) setting the password once and refusing a weak one: one table
// with the API's POST /api/users/reset_password, in reset-password.test.ts.

describe('GET /reset-password (the page the mail links to)', () => {
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
});
