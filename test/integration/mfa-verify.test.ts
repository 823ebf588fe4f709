import { describe, expect, it } from 'vitest';
import { activeAccount, call } from '../support/flows.ts';
import { newEmail } from '../support/http.ts';
import { anotherKey, bearer, keyStatus, withKey } from '../support/keys.ts';
import { mailsTo } from '../support/mail.ts';
import { codeAt, startMfa, verifyMfa, wrongCode } from '../support/mfa.ts';
import { itemsAbout } from '../support/table.ts';

describe('POST /api/mfa/verify', () => {
  it('turns MFA on with a current code: ten recovery codes once, every key revoked, a notice', async () => {
    const email = newEmail('verify');
    const key = await activeAccount(email);
    const other = await anotherKey(email);
    const { secret } = await startMfa(key);
    const res = await verifyMfa(key, codeAt(secret));
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: { message: string; recovery_codes: string[] } };
    expect(data.message).toMatch(/recovery codes/);
    expect(data.recovery_codes).toHaveLength(10);
    expect(new Set(data.recovery_codes).size).toBe(10);
    expect(await keyStatus(key)).toBe(401);
    expect(await keyStatus(other)).toBe(401);

    const profile = (await itemsAbout(email)).find((item) => item.type === 'user');
    expect(profile).toMatchObject({ mfaEnabled: true, mfaSecret: expect.stringMatching(/^v1\./) });
    expect(profile?.mfaPendingSecret).toBeUndefined();
    // Only digests are kept: no code appears anywhere in the table.
    const digests = [...((profile?.mfaRecoveryCodes as Set<string> | undefined) ?? [])];
    expect(digests).toHaveLength(10);
    for (const d of digests) expect(d).toMatch(/^[0-9a-f]{64}$/);
    const stored = JSON.stringify(await itemsAbout(email), (_k, v) => (v instanceof Set ? [...v] : v));
    for (const code of data.recovery_codes) {
      expect(stored).not.toContain(code);
      expect(stored).not.toContain(code.replaceAll('-', ''));
    }
    const notice = (await mailsTo(email)).at(-1);
    expect(notice?.subject).toBe('Multi-factor authentication is on for your Gatehouse account');
    for (const code of data.recovery_codes) expect(notice?.body.text).not.toContain(code);
  });

  it('refuses a wrong code, a code of two steps ago, and a recovery-code shape, changing nothing', async () => {
    const email = newEmail('wrong');
    const key = await activeAccount(email);
    const { secret } = await startMfa(key);
    for (const code of [wrongCode(secret), codeAt(secret, -2), 'abcd-efgh-jkmn-pqrs']) {
      const res = await verifyMfa(key, code);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        errors: { mfa_token: ['is not the current code of your authenticator app'] },
      });
    }
    expect(await keyStatus(key)).toBe(200);
    const profile = (await itemsAbout(email)).find((item) => item.type === 'user');
    expect(profile).toMatchObject({ mfaEnabled: false, mfaPendingSecret: expect.any(String) });
  });

  it('wants a setup started first, and a code in the body', async () => {
    const key = await activeAccount(newEmail('nostart'));
    const res = await verifyMfa(key, '123456');
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ errors: { '': ['Start MFA setup first (POST /api/mfa/start).'] } });
    const empty = await call('POST', '/api/mfa/verify', withKey(key, {}));
    expect(empty.status).toBe(400);
    expect(await empty.json()).toEqual({ errors: { mfa_token: ["can't be blank"] } });
    expect((await call('POST', '/api/mfa/verify', bearer(key))).status).toBe(415);
  });
});
