import { describe, expect, it } from 'vitest';
import { activeAccount, call, login } from '../support/flows.ts';
import { newEmail, PASSWORD } from '../support/http.ts';
import { bearer, keyStatus, withKey } from '../support/keys.ts';
import { mailsTo } from '../support/mail.ts';
import {
  codeAt,
  FRESH_FACTOR_NEEDED,
  mfaAccount,
  mfaKey,
  outsideRecentWindow,
  wrongCode,
} from '../support/mfa.ts';
import { itemsAbout, reauthFailures } from '../support/table.ts';

const deactivate = (key: string, body: Record<string, unknown>) =>
  call('DELETE', '/api/mfa', withKey(key, { current_password: PASSWORD, ...body }));

describe('DELETE /api/mfa', () => {
  it('turns MFA off with a current code: logins need the password alone, the owner is told', async () => {
    const account = await mfaAccount(newEmail('off'));
    const key = await mfaKey(account, 0);
    const res = await deactivate(key, { mfa_token: codeAt(account.secret, 1) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      data: { message: 'MFA is off. Logins now need only your password.' },
    });
    expect((await login(account.email)).status).toBe(200);
    expect(await keyStatus(key)).toBe(200);
    const profile = (await itemsAbout(account.email)).find((item) => item.type === 'user');
    expect(profile?.mfaEnabled).toBe(false);
    for (const gone of ['mfaSecret', 'mfaRecoveryCodes', 'mfaLastStep', 'mfaEnabledAt']) {
      expect(profile?.[gone]).toBeUndefined();
    }
    const notice = (await mailsTo(account.email)).at(-1);
    expect(notice?.subject).toBe('Multi-factor authentication is off for your Gatehouse account');
  });

  it('takes a key fresh from an MFA login for the password and the code, as the Gigalixir client sends {}', async () => {
    const account = await mfaAccount(newEmail('recent-off'));
    const key = await mfaKey(account, 0);
    const res = await deactivate(key, {});
    expect(res.status).toBe(200);
    expect((await itemsAbout(account.email)).find((i) => i.type === 'user')).toMatchObject({
      mfaEnabled: false,
    });
  });

  it('takes a recovery code too, with the password, never an older key alone', async () => {
    const account = await mfaAccount(newEmail('key-alone'));
    const key = await mfaKey(account, 0);
    await outsideRecentWindow(key);
    const bare = await deactivate(key, {});
    expect(bare.status).toBe(400);
    expect(await bare.json()).toEqual({ errors: { mfa_token: [FRESH_FACTOR_NEEDED] } });
    // A code alone is not enough either: the password too (design.md's re-authentication rule).
    const noPassword = await call(
      'DELETE',
      '/api/mfa',
      withKey(key, { mfa_token: account.recoveryCodes[1] }),
    );
    expect(noPassword.status).toBe(400);
    const wrongPassword = await deactivate(key, {
      mfa_token: account.recoveryCodes[1],
      current_password: 'not it at all',
    });
    expect(wrongPassword.status).toBe(401);
    expect(await wrongPassword.json()).toEqual({ errors: { current_password: ['is incorrect'] } });
    expect((await deactivate(key, { mfa_token: account.recoveryCodes[1] })).status).toBe(200);
  });

  it('refuses a wrong or used code, counts it against the key, and changes nothing', async () => {
    const account = await mfaAccount(newEmail('wrong'));
    const key = await mfaKey(account, 0);
    for (const code of [wrongCode(account.secret), account.recoveryCodes[0] as string]) {
      const res = await deactivate(key, { mfa_token: code });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ errors: { mfa_token: ['is incorrect or was used already'] } });
    }
    expect(await reauthFailures(account.email)).toBe(2);
    expect((await login(account.email)).status).toBe(303);
  });

  it('answers 409 when MFA is not on', async () => {
    const key = await activeAccount(newEmail('never'));
    const res = await deactivate(key, { mfa_token: '123456' });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ errors: { '': ['MFA is not on for this account.'] } });
    expect((await call('DELETE', '/api/mfa', bearer('gh_key_nope'))).status).toBe(401);
  });
});
