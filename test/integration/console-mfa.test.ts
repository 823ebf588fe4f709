// GET and POST /console/mfa: MFA turned on from the console with a code computed from the secret
// it shows, the recovery codes shown once, new ones made, and MFA turned off, by the API's rules.
import { Secret } from 'otpauth';
import { describe, expect, it } from 'vitest';
import {
  consoleSessionWithCode,
  cookiesOf,
  formTokenIn,
  get,
  post,
  sessionCookie,
  signedInOn,
} from '../support/console.ts';
import { login } from '../support/flows.ts';
import { newEmail, PASSWORD } from '../support/http.ts';
import { keyStatus } from '../support/keys.ts';
import { mailsTo } from '../support/mail.ts';
import { codeAt, mfaAccount, wrongCode } from '../support/mfa.ts';
import { suspended } from '../support/suspension.ts';

const PAGE = '/console/mfa';

/** The secret the setup page shows as text, read as a person types it into an app. */
const shownSecret = (page: string): Uint8Array => {
  const typed = /<code id="secret">([A-Z2-7 ]+)<\/code>/.exec(page)?.[1];
  expect(typed).toBeDefined();
  return new Uint8Array(Secret.fromBase32((typed ?? '').replaceAll(' ', '')).buffer);
};

const codesIn = (page: string) =>
  [...page.matchAll(/<li><code>([^<]+)<\/code><\/li>/g)].map((m) => m[1] ?? '');

const signedIn = (tag: string) => signedInOn(PAGE, tag);

describe('/console/mfa', () => {
  it('turns MFA on with a code from the secret it shows, shows the codes once, and signs everything out', async () => {
    const { email, key, cookies, token } = await signedIn('cmfa');
    expect(await (await get(PAGE, cookies)).text()).toContain('MFA is <strong>off</strong>');
    const setup = await post(PAGE, { form_token: token, action: 'start' }, cookies);
    expect(setup.status).toBe(200);
    const page = await setup.text();
    expect(page).toMatch(/<svg role="img" aria-label="QR code of the secret for your authenticator app"/);
    const secret = shownSecret(page);
    // Back on the page (a reload, a typo): the same secret, so the code already scanned stays right.
    expect(shownSecret(await (await get(PAGE, cookies)).text())).toEqual(secret);
    const wrong = await post(PAGE, { form_token: token, action: 'verify', code: wrongCode(secret) }, cookies);
    expect(wrong.status).toBe(400);
    const again = await wrong.text();
    expect(again).toContain(
      'id="code-problem" role="alert">The code is not the current code of your authenticator app.',
    );
    expect(shownSecret(again)).toEqual(secret);

    const on = await post(PAGE, { form_token: token, action: 'verify', code: codeAt(secret) }, cookies);
    expect(on.status).toBe(200);
    const shown = await on.text();
    const codes = codesIn(shown);
    expect(codes).toHaveLength(10);
    expect(shown).toContain('download="gatehouse-recovery-codes.txt"');
    expect(
      decodeURIComponent(/href="data:text\/plain;charset=utf-8,([^"]+)"/.exec(shown)?.[1] ?? ''),
    ).toContain(codes.join('\n'));
    // This browser's session went with every other key.
    expect(cookiesOf(on)[sessionCookie()]).toBe('');
    expect((await get('/console', cookies)).status).toBe(303);
    expect(await keyStatus(key)).toBe(401);
    expect((await mailsTo(email)).at(-1)?.subject).toBe(
      'Multi-factor authentication is on for your Gatehouse account',
    );
    // The password alone no longer signs in (the API's login asks for the code).
    expect((await login(email)).status).not.toBe(200);
    // Signing in now takes a code; a recovery code shown here works once.
    const next = await consoleSessionWithCode(email, codes[0] ?? '');
    expect(await (await get(PAGE, next)).text()).toContain('9 recovery code(s) left.');
  });

  it('makes new recovery codes with a code, and turns MFA off with the password and a code', async () => {
    const email = newEmail('cmfa-on');
    const account = await mfaAccount(email);
    const cookies = await consoleSessionWithCode(email, codeAt(account.secret, 1));
    const token = await formTokenIn(await get(PAGE, cookies));

    expect((await post(PAGE, { form_token: token, action: 'codes' }, cookies)).status).toBe(400);
    const wrong = await post(
      PAGE,
      { form_token: token, action: 'codes', code: wrongCode(account.secret) },
      cookies,
    );
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain(
      'id="code-problem" role="alert">The code is incorrect or was used already.',
    );
    const renewed = await post(
      PAGE,
      { form_token: token, action: 'codes', code: account.recoveryCodes[0] ?? '' },
      cookies,
    );
    expect(renewed.status).toBe(200);
    const fresh = codesIn(await renewed.text());
    expect(fresh).toHaveLength(10);
    expect(fresh).not.toContain(account.recoveryCodes[1]);

    const noPassword = await post(PAGE, { form_token: token, action: 'off', code: fresh[0] ?? '' }, cookies);
    expect(noPassword.status).toBe(400);
    expect(await noPassword.text()).toContain(
      'id="current_password-problem" role="alert">Enter your password.',
    );
    const badPassword = await post(
      PAGE,
      { form_token: token, action: 'off', code: fresh[0] ?? '', current_password: 'not the password' },
      cookies,
    );
    expect(badPassword.status).toBe(401);
    expect(await badPassword.text()).toContain(
      'id="current_password-problem" role="alert">The password is incorrect.',
    );
    // An old recovery code died with the renewal.
    expect(
      (
        await post(
          PAGE,
          {
            form_token: token,
            action: 'off',
            code: account.recoveryCodes[1] ?? '',
            current_password: PASSWORD,
          },
          cookies,
        )
      ).status,
    ).toBe(401);
    const off = await post(
      PAGE,
      { form_token: token, action: 'off', code: fresh[1] ?? '', current_password: PASSWORD },
      cookies,
    );
    expect(off.status).toBe(303);
    expect(await (await get(off.headers.get('location') ?? '', cookies)).text()).toContain(
      '<p role="status">MFA is off.</p>',
    );
    expect((await login(email)).status).toBe(200);
    // Off now: new codes are refused, and the page shows MFA as it is.
    const gone = await post(PAGE, { form_token: token, action: 'codes', code: '123456' }, cookies);
    expect(gone.status).toBe(409);
    const text = await gone.text();
    expect(text).toContain('MFA is not on for this account.');
    expect(text).toContain('MFA is <strong>off</strong>');
  });

  it('answers 409 when MFA is on already, and 429 after five wrong codes with this session', async () => {
    const email = newEmail('cmfa-limits');
    const account = await mfaAccount(email);
    const cookies = await consoleSessionWithCode(email, codeAt(account.secret, 1));
    const token = await formTokenIn(await get(PAGE, cookies));
    const start = await post(PAGE, { form_token: token, action: 'start' }, cookies);
    expect(start.status).toBe(409);
    expect(await start.text()).toContain('MFA is already on.');
    for (let i = 0; i < 5; i++)
      expect(
        (await post(PAGE, { form_token: token, action: 'codes', code: wrongCode(account.secret) }, cookies))
          .status,
      ).toBe(401);
    const limited = await post(
      PAGE,
      { form_token: token, action: 'codes', code: codeAt(account.secret) },
      cookies,
    );
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('refuses another site, a malformed form, no session and a suspended account', async () => {
    const { email, cookies, token } = await signedIn('cmfa-refused');
    expect(
      (await post(PAGE, { form_token: token, action: 'start' }, cookies, { 'sec-fetch-site': 'cross-site' }))
        .status,
    ).toBe(403);
    expect((await post(PAGE, { form_token: token, action: 'enable' }, cookies)).status).toBe(400);
    expect((await get(PAGE)).status).toBe(303);
    expect((await post(PAGE, { form_token: token, action: 'start' })).status).toBe(303);
    await suspended(email);
    expect((await get(PAGE, cookies)).status).toBe(403);
  });
});
