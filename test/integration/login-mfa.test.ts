// GET /api/login for an account with MFA on: the second factor on top of the password.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ACCOUNT_SUSPENDED } from '#domain/messages.ts';
import { LOGIN_FREE_FAILURES } from '#domain/throttle.ts';
import { loginThrottle } from '#services/login-throttle.ts';
import { call, login } from '../support/flows.ts';
import { json, newEmail } from '../support/http.ts';
import { bearer, keyStatus } from '../support/keys.ts';
import { mailsTo } from '../support/mail.ts';
import { codeAt, loginWithCode, mfaAccount, mfaKey, wrongCode } from '../support/mfa.ts';
import { resetToken } from '../support/reset.ts';
import { suspended } from '../support/suspension.ts';

const body = async (res: Response) => (await res.json()) as Record<string, unknown>;
const keyOf = async (res: Response) => ((await res.json()) as { data: { key: string } }).data.key;

describe('login with MFA on', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('refuses a suspended account with 403 after the password, before any code: no code spent, no mail', async () => {
    const account = await mfaAccount(newEmail('mfa-suspended'));
    await suspended(account.email);
    const mails = (await mailsTo(account.email)).length;
    for (const code of [undefined, wrongCode(account.secret), codeAt(account.secret, 1)]) {
      const res = await login(account.email, undefined, {}, code);
      expect(res.status).toBe(403);
      expect(await body(res)).toEqual({ errors: { '': [ACCOUNT_SUSPENDED] } });
    }
    expect((await login(account.email, 'not the password')).status).toBe(401);
    expect(await loginThrottle.failures(account.email)).toBe(1);
    expect((await mailsTo(account.email)).length).toBe(mails);
  });

  it('answers 303 without a code and without a Location, then 200 with a code', async () => {
    const account = await mfaAccount(newEmail('mfa'));
    const bare = await login(account.email);
    expect(bare.status).toBe(303);
    expect(bare.headers.get('location')).toBeNull();
    expect(await body(bare)).toEqual({ errors: { mfa_token: [expect.stringMatching(/authenticator app/)] } });
    // Asking without a code is how clients learn that one is needed: it is no failure.
    expect(await loginThrottle.failures(account.email)).toBe(0);

    // The activation spent the current step; the app's next code works.
    const res = await loginWithCode(account.email, codeAt(account.secret, 1));
    expect(res.status).toBe(200);
    expect(await keyStatus(await keyOf(res))).toBe(200);
  });

  it('refuses a wrong password first, with the code right or not: no tell that MFA is on', async () => {
    const account = await mfaAccount(newEmail('pw'));
    const wrong = await login(account.email, 'not the password!!', {}, codeAt(account.secret, 1));
    expect(wrong.status).toBe(401);
    const unknown = await login(newEmail('nobody'), 'not the password!!', {}, codeAt(account.secret, 1));
    expect(await body(wrong)).toEqual(await body(unknown));
  });

  it('takes each code once: replayed, it is refused', async () => {
    const account = await mfaAccount(newEmail('replay'));
    const code = codeAt(account.secret, 1);
    expect((await loginWithCode(account.email, code)).status).toBe(200);
    const replay = await loginWithCode(account.email, code);
    expect(replay.status).toBe(303);
    expect(await body(replay)).toEqual({ errors: { mfa_token: [expect.stringMatching(/used already/)] } });
  });

  it('lets exactly one of parallel logins with the same code in', async () => {
    const account = await mfaAccount(newEmail('race'));
    const code = codeAt(account.secret, 1);
    const answers = await Promise.all(Array.from({ length: 4 }, () => loginWithCode(account.email, code)));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 303, 303, 303]);
  });

  it('accepts one step of clock skew either way, refuses two, and never goes back in time', async () => {
    const account = await mfaAccount(newEmail('skew'));
    // Ten minutes on: the server's clock, controlled.
    const at = Date.now() + 600_000;
    vi.useFakeTimers({ toFake: ['Date'], now: at });
    expect((await loginWithCode(account.email, codeAt(account.secret, 2, at))).status).toBe(303);
    expect((await loginWithCode(account.email, codeAt(account.secret, -2, at))).status).toBe(303);
    expect((await loginWithCode(account.email, codeAt(account.secret, -1, at))).status).toBe(200);
    expect((await loginWithCode(account.email, codeAt(account.secret, 1, at))).status).toBe(200);
    // A later step was used: the current one (earlier) no longer works.
    expect((await loginWithCode(account.email, codeAt(account.secret, 0, at))).status).toBe(303);
  });

  it('takes a recovery code once, however it is typed, and the account shows how many are left', async () => {
    const account = await mfaAccount(newEmail('recovery'));
    const code = account.recoveryCodes[3] as string;
    const res = await loginWithCode(account.email, ` ${code.toUpperCase().replaceAll('-', ' ')} `);
    expect(res.status).toBe(200);
    const key = await keyOf(res);
    expect((await loginWithCode(account.email, code)).status).toBe(303);
    const view = await call('GET', '/api/users', bearer(key));
    expect((await body(view)).data).toMatchObject({ mfa_enabled: true, mfa_recovery_codes_left: 9 });
    const notice = (await mailsTo(account.email)).at(-1);
    expect(notice?.subject).toBe('A Gatehouse recovery code was used');
    expect(notice?.body.text).toContain('9 codes are left');
  });

  it('throttles wrong codes like wrong passwords, and tells the owner their password is known', async () => {
    const account = await mfaAccount(newEmail('guess'));
    for (let i = 0; i < LOGIN_FREE_FAILURES; i++) {
      expect((await loginWithCode(account.email, wrongCode(account.secret))).status).toBe(303);
    }
    expect(await loginThrottle.failures(account.email)).toBe(LOGIN_FREE_FAILURES);
    const throttled = await loginWithCode(account.email, codeAt(account.secret, 1));
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    const warnings = (await mailsTo(account.email)).filter(
      (m) => m.subject === 'Someone knows your Gatehouse password',
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.body.text).toContain(
      'your password was entered correctly but the second factor failed',
    );
  });

  it('stays required after a password reset, which logs nobody in', async () => {
    const account = await mfaAccount(newEmail('reset'));
    const token = await resetToken(account.email);
    const password = 'a brand new passphrase here';
    const reset = await call('POST', '/api/users/reset_password', json({ token, password }));
    expect(reset.status).toBe(200);
    expect(JSON.stringify(await body(reset))).not.toMatch(/gh_key_/);
    expect((await login(account.email, password)).status).toBe(303);
    expect((await login(account.email, password, {}, codeAt(account.secret, 1))).status).toBe(200);
  });

  it('refuses an overlong or malformed code as a wrong one', async () => {
    const account = await mfaAccount(newEmail('junk'));
    for (const junk of ['x'.repeat(500), '12345', 'drop table']) {
      expect((await loginWithCode(account.email, junk)).status).toBe(303);
    }
    expect((await mfaKey(account, 0)).startsWith('gh_key_')).toBe(true);
  });
});
