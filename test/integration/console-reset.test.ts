// GET and POST /console/password/reset: a reset link, as PUT /api/users/reset_password; the link's
// page then sets the password and points back to the console.
import { describe, expect, it } from 'vitest';
import { RESET_REQUESTED } from '#services/link-requests.ts';
import { escapeHtml } from '#shared/html.ts';
import { get, post } from '../support/console.ts';
import { activeAccount, call, login } from '../support/flows.ts';
import { form, newEmail } from '../support/http.ts';
import { fillWindow, uniqueIp } from '../support/ips.ts';
import { keyStatus } from '../support/keys.ts';
import { linkToken, mailsTo } from '../support/mail.ts';

const SENT = `<p role="status">${escapeHtml(RESET_REQUESTED)}</p>`;
const NEW = 'a passphrase chosen in the console';

describe('/console/password/reset', () => {
  it('shows the form, linked from the sign-in page', async () => {
    const res = await get('/console/password/reset');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<form method="post" action="/console/password/reset">');
    expect(await (await get('/console/login')).text()).toContain('href="/console/password/reset"');
  });

  it('mails a link whose page sets the password, signs out every key, and points to the console', async () => {
    const email = newEmail('creset');
    const key = await activeAccount(email);
    const res = await post('/console/password/reset', { email });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(SENT);
    const mail = (await mailsTo(email)).find((m) => m.subject === 'Reset your Gatehouse password');
    const token = linkToken(mail as NonNullable<typeof mail>, 'reset-password');
    const set = await call('POST', '/reset-password', form({ token, password: NEW }));
    expect(set.status).toBe(200);
    expect(await set.text()).toContain('<a href="/console/login">Sign in to the console</a>');
    expect(await keyStatus(key)).toBe(401);
    expect((await login(email, NEW)).status).toBe(200);
    const spent = await call('POST', '/reset-password', form({ token, password: NEW }));
    expect(spent.status).toBe(400);
    expect(await spent.text()).toContain('<a href="/console/password/reset">Mail me a new reset link</a>');
  });

  it('answers an unknown address with the same page and no mail; limits each address to one a minute', async () => {
    const email = newEmail('creset-nobody');
    const res = await post('/console/password/reset', { email });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(SENT);
    expect(await mailsTo(email)).toEqual([]);
    const again = await post('/console/password/reset', { email });
    expect(again.status).toBe(429);
    expect(await again.text()).toContain('A reset link was sent less than a minute ago.');
  });

  it('refuses a bad address (400), another site (403) and past the IP ceiling (429)', async () => {
    const email = newEmail('creset-refused');
    await activeAccount(email);
    const before = (await mailsTo(email)).length;
    expect((await post('/console/password/reset', { email: `${email}@` })).status).toBe(400);
    const cross = await post('/console/password/reset', { email }, {}, { origin: 'https://evil.example' });
    expect(cross.status).toBe(403);
    const ip = uniqueIp();
    await fillWindow('reset', ip);
    const limited = await post('/console/password/reset', { email }, {}, {}, ip);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await mailsTo(email)).toHaveLength(before);
  });
});
