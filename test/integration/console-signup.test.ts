// GET and POST /console/signup: the direct signup as a form, by the same rules as POST /api/free_users.
import { describe, expect, it } from 'vitest';
import { SIGNUP_MESSAGE } from '#services/direct-signup.ts';
import { escapeHtml } from '#shared/html.ts';
import { get, post } from '../support/console.ts';
import { call, login, signUp } from '../support/flows.ts';
import { form, newEmail, PASSWORD } from '../support/http.ts';
import { fillWindow, uniqueIp } from '../support/ips.ts';
import { linkToken, mailsTo } from '../support/mail.ts';
import { itemsAbout } from '../support/table.ts';

describe('/console/signup', () => {
  it('shows the form, with a way to sign in instead', async () => {
    const res = await get('/console/signup');
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('<form method="post" action="/console/signup">');
    expect(page).toContain('autocomplete="new-password"');
    expect(page).toContain('href="/console/login"');
  });

  it('makes an unconfirmed account and mails the link; the link confirms it and the login works', async () => {
    const email = newEmail('csignup');
    const res = await post('/console/signup', { email: email.toUpperCase(), password: PASSWORD });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`<p role="status">${escapeHtml(SIGNUP_MESSAGE)}</p>`);
    const [mail] = await mailsTo(email);
    expect(mail?.subject).toBe('Confirm your Gatehouse account');
    expect((await login(email)).status).toBe(401);
    const page = await call(
      'POST',
      '/confirm-email',
      form({ token: linkToken(mail as NonNullable<typeof mail>, 'confirm-email') }),
    );
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<a href="/console/login">Sign in to the console</a>');
    expect((await login(email)).status).toBe(200);
  });

  it('gives a taken address the same page, changes nothing, and tells its owner', async () => {
    const email = newEmail('csignup-taken');
    await signUp(email);
    const before = await itemsAbout(email);
    const res = await post('/console/signup', { email, password: `${PASSWORD}!` });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(escapeHtml(SIGNUP_MESSAGE));
    expect((await itemsAbout(email)).find((i) => i.type === 'user')).toEqual(
      before.find((i) => i.type === 'user'),
    );
    expect((await mailsTo(email)).map((m) => m.subject)).toEqual([
      'Confirm your Gatehouse account',
      'Someone tried to sign up with your address',
    ]);
  });

  it('says what is wrong next to its field (400), keeps the address typed, and writes nothing', async () => {
    const email = newEmail('csignup-weak');
    const weak = await post('/console/signup', { email, password: 'short' });
    expect(weak.status).toBe(400);
    const page = await weak.text();
    expect(page).toContain(
      '<span class="problem" id="password-problem" role="alert">The password should be at least 12 character(s).</span>',
    );
    expect(page).toContain('aria-describedby="password-problem"');
    expect(page).toContain(`value="${email}"`);
    const disposable = await post('/console/signup', { email: 'someone@mailinator.com', password: PASSWORD });
    expect(disposable.status).toBe(400);
    expect(await disposable.text()).toContain(
      'id="email-problem" role="alert">This address is a disposable address; use one you will keep.',
    );
    const invalid = await post('/console/signup', { email: 'not an address', password: PASSWORD });
    expect(invalid.status).toBe(400);
    expect(await invalid.text()).toContain(
      'id="email-problem" role="alert">This address is not a valid email address.',
    );
    expect((await post('/console/signup', { email, password: '' })).status).toBe(400);
    expect(await itemsAbout(email)).toEqual([]);
    expect(await mailsTo(email)).toEqual([]);
  });

  it('refuses a post from another site (403) and past the IP ceiling (429), making nothing', async () => {
    const email = newEmail('csignup-refused');
    const cross = await post(
      '/console/signup',
      { email, password: PASSWORD },
      {},
      { origin: 'https://evil.example' },
    );
    expect(cross.status).toBe(403);
    // It says where the console is (a console opened under another name of the host gets this too).
    const base = process.env.PUBLIC_BASE_URL ?? '';
    expect(await cross.text()).toContain(`The console is at <a href="${base}/console">${base}/console</a>.`);
    const ip = uniqueIp();
    await fillWindow('signup', ip);
    const limited = await post('/console/signup', { email, password: PASSWORD }, {}, {}, ip);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.text()).toContain('Try again in');
    expect(await itemsAbout(email)).toEqual([]);
    expect(await mailsTo(email)).toEqual([]);
  });
});
