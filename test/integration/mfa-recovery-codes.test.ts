import { describe, expect, it } from 'vitest';
import { activeAccount, call } from '../support/flows.ts';
import { newEmail, PASSWORD } from '../support/http.ts';
import { bearer, withKey } from '../support/keys.ts';
import { mailsTo } from '../support/mail.ts';
import {
  codeAt,
  FRESH_FACTOR_NEEDED,
  loginWithCode,
  mfaAccount,
  mfaKey,
  outsideRecentWindow,
} from '../support/mfa.ts';

const regenerate = (key: string, body: unknown) =>
  call('POST', '/api/mfa/recovery_codes', withKey(key, body));

describe('POST /api/mfa/recovery_codes', () => {
  it('answers a new set of ten: every old code dies, the new ones work, the owner is told', async () => {
    const account = await mfaAccount(newEmail('regen'));
    const key = await mfaKey(account, 0);
    const res = await regenerate(key, { mfa_token: codeAt(account.secret, 1) });
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: { recovery_codes: string[] } };
    expect(data.recovery_codes).toHaveLength(10);
    expect(data.recovery_codes.some((code) => account.recoveryCodes.includes(code))).toBe(false);
    expect((await loginWithCode(account.email, account.recoveryCodes[5] as string)).status).toBe(303);
    expect((await loginWithCode(account.email, data.recovery_codes[5] as string)).status).toBe(200);
    const view = await call('GET', '/api/users', bearer(key));
    expect(
      ((await view.json()) as { data: { mfa_recovery_codes_left: number } }).data.mfa_recovery_codes_left,
    ).toBe(9);
    const notice = (await mailsTo(account.email)).find((m) => m.subject === 'New Gatehouse recovery codes');
    expect(notice).toBeDefined();
  });

  it('takes a key fresh from an MFA login as the code, as the Gigalixir client sends {}', async () => {
    const account = await mfaAccount(newEmail('recent-codes'));
    const key = await mfaKey(account, 0);
    const res = await regenerate(key, {});
    expect(res.status).toBe(200);
    const { recovery_codes: codes } = ((await res.json()) as { data: { recovery_codes: string[] } }).data;
    expect(codes).toHaveLength(10);
    expect((await loginWithCode(account.email, account.recoveryCodes[1] as string)).status).toBe(303);
  });

  it('needs a current code once the key’s login is not recent, nor for a key from a key reset', async () => {
    const account = await mfaAccount(newEmail('key-alone'));
    const key = await mfaKey(account, 0);
    await outsideRecentWindow(key);
    const bare = await regenerate(key, {});
    expect(bare.status).toBe(400);
    expect(await bare.json()).toEqual({ errors: { mfa_token: [FRESH_FACTOR_NEEDED] } });
    // A key reset proves the password only: its key is no fresh second factor.
    const reset = await call(
      'POST',
      `/api/api_keys/regenerate?current_password=${encodeURIComponent(PASSWORD)}`,
      bearer(key),
    );
    expect(reset.status).toBe(201);
    const { key: resetKey } = ((await reset.json()) as { data: { key: string } }).data;
    expect((await regenerate(resetKey, {})).status).toBe(400);
    expect((await regenerate(key, { mfa_token: account.recoveryCodes[0] })).status).toBe(401);
    // The codes shown at activation still work: nothing was replaced.
    expect((await loginWithCode(account.email, account.recoveryCodes[1] as string)).status).toBe(200);
  });

  it('answers 409 when MFA is not on', async () => {
    const key = await activeAccount(newEmail('off'));
    expect((await regenerate(key, { mfa_token: '123456' })).status).toBe(409);
  });
});
