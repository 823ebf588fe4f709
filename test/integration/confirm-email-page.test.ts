import { describe, expect, it } from 'vitest';
import { call, signUp } from '../support/flows.ts';
import { newEmail } from '../support/http.ts';
import { itemsAbout } from '../support/table.ts';

// The button (POST /confirm-email) confirming once and refusing a second press: one table with the
// API's POST /api/users/confirm_email, in confirm-email.test.ts.

describe('GET /confirm-email (the page the mail links to)', () => {
  it('GET shows a form that posts the token; opening it (as mail scanners do) consumes nothing', async () => {
    const email = newEmail();
    const token = await signUp(email);
    for (let i = 0; i < 3; i++) {
      const page = await call('GET', `/confirm-email?token=${token}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
      const html = await page.text();
      expect(html).toContain('<form method="post" action="confirm-email">');
      expect(html).toContain(`name="token" value="${token}"`);
    }
    expect((await itemsAbout(email)).find((i) => i.type === 'user')).toMatchObject({ status: 'UNCONFIRMED' });
  });

  it('escapes what it echoes and refuses a token of the wrong shape', async () => {
    const res = await call(
      'GET',
      `/confirm-email?token=${encodeURIComponent('"><script>alert(1)</script>')}`,
    );
    expect(res.status).toBe(400);
    expect(await res.text()).not.toContain('<script>');
  });
});
