// GET and POST /console/keys/new: a named key for a machine from the console, by the API's rules.
import { describe, expect, it } from 'vitest';
import { consoleSessionWithCode, formTokenIn, get, post, signedInOn } from '../support/console.ts';
import { call } from '../support/flows.ts';
import { newEmail, PASSWORD } from '../support/http.ts';
import { bearer, keyStatus } from '../support/keys.ts';
import { mailsTo } from '../support/mail.ts';
import { codeAt, mfaAccount, wrongCode } from '../support/mfa.ts';
import { suspended } from '../support/suspension.ts';

const PAGE = '/console/keys/new';
const signedIn = (tag: string) => signedInOn(PAGE, tag);
const shownKey = (page: string) =>
  /<input id="key" value="(gh_key_[A-Za-z0-9_-]+)" readonly/.exec(page)?.[1] ?? '';

describe('/console/keys/new', () => {
  it('makes a read-only key that expires, shows it once, lists it, and mails the owner', async () => {
    const { email, cookies, token } = await signedIn('ckey');
    const res = await post(
      PAGE,
      {
        form_token: token,
        name: 'CI deploys',
        scope: 'read',
        expires_in_days: '30',
        current_password: PASSWORD,
      },
      cookies,
    );
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('The key “CI deploys” is made (read only, expires');
    const key = shownKey(page);
    expect(await keyStatus(key)).toBe(200);
    expect((await call('DELETE', '/api/api_keys/current', bearer(key))).status).toBe(403);
    expect(await (await get('/console/keys', cookies)).text()).toContain('CI deploys');
    expect((await mailsTo(email)).at(-1)?.subject).toMatch(/API key/);
    // The key is not on the keys page, nor anywhere else after this one answer.
    expect(await (await get('/console/keys', cookies)).text()).not.toContain(key);
  });

  it('says next to its field what is wrong: no password or name (400), a wrong password (401)', async () => {
    const { cookies, token } = await signedIn('ckey-bad');
    const fields = { form_token: token, name: 'deploys', scope: 'full', expires_in_days: 'never' };
    const none = await post(PAGE, fields, cookies);
    expect(none.status).toBe(400);
    expect(await none.text()).toContain('id="current_password-problem" role="alert">Enter your password.');
    const bad = await post(PAGE, { ...fields, name: 'two\nlines', current_password: PASSWORD }, cookies);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('id="name-problem" role="alert">The name must be one line');
    const wrong = await post(PAGE, { ...fields, current_password: 'not the password' }, cookies);
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain(
      'id="current_password-problem" role="alert">The password is incorrect.',
    );
    expect(
      (await post(PAGE, { ...fields, scope: 'admin', current_password: PASSWORD }, cookies)).status,
    ).toBe(400);
  });

  it('wants a code with MFA on: a wrong one is a 401, five make a 429, a right one makes the key', async () => {
    const email = newEmail('ckey-mfa');
    const account = await mfaAccount(email);
    const cookies = await consoleSessionWithCode(email, codeAt(account.secret, 1));
    const page = await get(PAGE, cookies);
    const text = await page.clone().text();
    expect(text).toContain('<label for="code">');
    const token = await formTokenIn(page);
    const fields = {
      form_token: token,
      name: 'ci',
      scope: 'full',
      expires_in_days: '90',
      current_password: PASSWORD,
    };
    expect((await post(PAGE, fields, cookies)).status).toBe(400);
    const made = await post(PAGE, { ...fields, code: account.recoveryCodes[0] ?? '' }, cookies);
    expect(made.status).toBe(200);
    expect(await keyStatus(shownKey(await made.text()))).toBe(200);
    for (let i = 0; i < 5; i++) {
      const wrong = await post(PAGE, { ...fields, code: wrongCode(account.secret) }, cookies);
      expect(wrong.status).toBe(401);
      expect(await wrong.text()).toContain(
        'id="code-problem" role="alert">The code is incorrect or was used already.',
      );
    }
    const limited = await post(PAGE, { ...fields, code: account.recoveryCodes[1] ?? '' }, cookies);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('answers 409 at 50 keys that still work, refuses another site, no session and a suspended account', async () => {
    const { email, cookies, token } = await signedIn('ckey-refused');
    const fields = {
      form_token: token,
      name: 'n',
      scope: 'full',
      expires_in_days: 'never',
      current_password: PASSWORD,
    };
    // 48 more make 50 with the login's key and this session.
    for (let i = 0; i < 48; i++)
      expect((await post(PAGE, { ...fields, name: `k${i}` }, cookies)).status).toBe(200);
    const full = await post(PAGE, fields, cookies);
    expect(full.status).toBe(409);
    expect(await full.text()).toContain('The account has 50 API keys that still work');
    expect((await post(PAGE, fields, cookies, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await get(PAGE)).status).toBe(303);
    expect((await post(PAGE, fields)).status).toBe(303);
    await suspended(email);
    expect((await get(PAGE, cookies)).status).toBe(403);
  });
});
