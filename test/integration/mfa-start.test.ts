import { describe, expect, it } from 'vitest';
import { activeAccount, call } from '../support/flows.ts';
import { newEmail } from '../support/http.ts';
import { bearer } from '../support/keys.ts';
import { codeAt, mfaAccount, mfaKey, secretOf, startMfa, verifyMfa } from '../support/mfa.ts';
import { itemsAbout } from '../support/table.ts';

describe('POST /api/mfa/start', () => {
  it('answers an otpauth URI for the account and keeps the secret sealed, pending', async () => {
    const email = newEmail('start');
    const key = await activeAccount(email);
    const res = await call('POST', '/api/mfa/start', bearer(key));
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: { message: string; url: string } };
    expect(data.message).toMatch(/authenticator app/);
    expect(data.url).toMatch(
      new RegExp(
        `^otpauth://totp/Gatehouse:${encodeURIComponent(email)}\\?issuer=Gatehouse&secret=[A-Z2-7]{32}&algorithm=SHA1&digits=6&period=30$`,
      ),
    );
    const base32 = new URL(data.url).searchParams.get('secret') as string;
    const profile = (await itemsAbout(email)).find((item) => item.type === 'user');
    expect(profile).toMatchObject({ mfaEnabled: false, mfaPendingSecret: expect.stringMatching(/^v1\./) });
    expect(profile?.mfaSecret).toBeUndefined();
    // Nothing in the table gives the secret away, in any encoding.
    const secret = Buffer.from(secretOf(data.url));
    const stored = JSON.stringify(await itemsAbout(email));
    for (const encoding of [
      base32,
      secret.toString('base64'),
      secret.toString('base64url'),
      secret.toString('hex'),
    ]) {
      expect(stored).not.toContain(encoding);
    }
    // The account view is unchanged until a code is verified.
    const view = await call('GET', '/api/users', bearer(key));
    expect(((await view.json()) as { data: { mfa_enabled: boolean } }).data.mfa_enabled).toBe(false);
  });

  it('replaces the pending secret when started again: only the newest one verifies', async () => {
    const key = await activeAccount(newEmail('restart'));
    const first = await startMfa(key);
    const second = await startMfa(key);
    expect(second.url).not.toBe(first.url);
    expect((await verifyMfa(key, codeAt(first.secret))).status).toBe(400);
    expect((await verifyMfa(key, codeAt(second.secret))).status).toBe(200);
  });

  it('refuses to start while MFA is on, and needs a key', async () => {
    const account = await mfaAccount(newEmail('on'));
    const key = await mfaKey(account, 0);
    const res = await call('POST', '/api/mfa/start', bearer(key));
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ errors: { '': [expect.stringMatching(/already on/)] } });
    expect((await call('POST', '/api/mfa/start')).status).toBe(401);
  });
});
