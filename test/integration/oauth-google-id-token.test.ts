// POST /api/oauth/google/id_token: an ID token is believed only when everything about it checks.
// Each forged or wrong token gets the same 401 and changes nothing.
import { exportSPKI, generateKeyPair, importJWK, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { ACCOUNT_SUSPENDED } from '#domain/messages.ts';
import { userIdOf } from '../support/deletion.ts';
import { activeAccount, call } from '../support/flows.ts';
import { useFakeGoogle } from '../support/google.ts';
import { json, newEmail } from '../support/http.ts';
import { keyStatus } from '../support/keys.ts';
import { mailsTo } from '../support/mail.ts';
import { codeAt, mfaAccount } from '../support/mfa.ts';
import { meanwhile, touchProfile } from '../support/race.ts';
import { suspended } from '../support/suspension.ts';
import { allItems } from '../support/table.ts';

const google = useFakeGoogle();
const post = (body: object) => call('POST', '/api/oauth/google/id_token', json(body));
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const claimsFor = (email: string) => ({ sub: google().subjectOf(email), email, email_verified: true });
/** The table but the per-IP counters, each request's one write whatever its outcome. */
const itemsButCounters = async () => (await allItems()).filter((i) => !String(i.pk).startsWith('RATE#'));

describe('POST /api/oauth/google/id_token', () => {
  it('logs a verified identity in with a key', async () => {
    const email = newEmail('idt');
    await activeAccount(email);
    const res = await post({ id_token: await google().signIdToken(claimsFor(email)) });
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: { email: string; key: string } };
    expect(data.email).toBe(email);
    expect(await keyStatus(data.key)).toBe(200);
  });

  it('refuses a suspended account with 403, before any code: nothing written, no mail', async () => {
    const account = await mfaAccount(newEmail('idt-suspended'));
    await suspended(account.email);
    const before = await itemsButCounters();
    const mails = (await mailsTo(account.email)).length;
    const id_token = await google().signIdToken(claimsFor(account.email));
    for (const mfa_token of [undefined, codeAt(account.secret, 1)]) {
      const res = await post({ id_token, ...(mfa_token ? { mfa_token } : {}) });
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ errors: { '': [ACCOUNT_SUSPENDED] } });
    }
    expect(await itemsButCounters()).toEqual(before);
    expect((await mailsTo(account.email)).length).toBe(mails);
  });

  it('answers 303 when MFA is on, then 200 with the code in the body', async () => {
    const account = await mfaAccount(newEmail('idt-mfa'));
    const id_token = await google().signIdToken(claimsFor(account.email));
    expect((await post({ id_token })).status).toBe(303);
    expect((await post({ id_token, mfa_token: codeAt(account.secret, 1) })).status).toBe(200);
  });

  it('answers 409 when MFA was turned on meanwhile: no key, no link, no mail', async () => {
    const email = newEmail('idt-race');
    await activeAccount(email);
    const userId = await userIdOf(email);
    const before = await itemsButCounters();
    const mails = (await mailsTo(email)).length;
    const ran = meanwhile(
      'TransactWriteItemsCommand',
      () => touchProfile(userId, { mfaEnabled: true }),
      (input) => JSON.stringify(input.TransactItems).includes('ConditionCheck'),
    );
    const res = await post({ id_token: await google().signIdToken(claimsFor(email)) });
    expect(ran()).toBe(true);
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ errors: { '': ['The account changed during sign-in. Try again.'] } });
    // Only the profile moved, as the other writer left it.
    const isProfile = (i: Record<string, unknown>) => i.type === 'user' && i.userId === userId;
    const after = await itemsButCounters();
    expect(after.filter((i) => !isProfile(i))).toEqual(before.filter((i) => !isProfile(i)));
    const profile = before.find(isProfile) as { version: number };
    expect(after.find(isProfile)).toEqual({ ...profile, version: profile.version + 1, mfaEnabled: true });
    expect((await mailsTo(email)).length).toBe(mails);
  });

  describe('refuses, changing nothing,', () => {
    const forged: Record<string, (email: string) => Promise<string>> = {
      'a bad signature': async (email) => {
        const [h, p, s] = (await google().signIdToken(claimsFor(email))).split('.') as [
          string,
          string,
          string,
        ];
        const sig = Buffer.from(s, 'base64url');
        sig[10] = (sig[10] as number) ^ 0xff;
        return `${h}.${p}.${sig.toString('base64url')}`;
      },
      'alg none': async (email) =>
        `${b64({ alg: 'none', typ: 'JWT' })}.${b64({
          iss: google().issuer,
          aud: google().clientId,
          ...claimsFor(email),
          iat: Math.floor(Date.now() / 1000),
          exp: Math.floor(Date.now() / 1000) + 600,
        })}.`,
      'HS256 signed with the public key': async (email) => {
        const pem = await exportSPKI(
          (await importJWK(google().publicJwk, 'RS256')) as Parameters<typeof exportSPKI>[0],
        );
        return new SignJWT({ ...claimsFor(email), iss: google().issuer, aud: google().clientId })
          .setProtectedHeader({ alg: 'HS256', kid: google().publicJwk.kid })
          .setIssuedAt()
          .setExpirationTime('10m')
          .sign(new TextEncoder().encode(pem));
      },
      'a key the provider does not publish': async (email) => {
        const { privateKey } = await generateKeyPair('RS256');
        return new SignJWT({ ...claimsFor(email), iss: google().issuer, aud: google().clientId })
          .setProtectedHeader({ alg: 'RS256', kid: google().publicJwk.kid })
          .setIssuedAt()
          .setExpirationTime('10m')
          .sign(privateKey);
      },
      'another audience': (email) => google().signIdToken({ ...claimsFor(email), aud: 'someone-else.apps' }),
      'another issuer': (email) =>
        google().signIdToken({ ...claimsFor(email), iss: 'https://accounts.google.com' }),
      'an expired token': (email) =>
        google().signIdToken({ ...claimsFor(email), exp: Math.floor(Date.now() / 1000) - 120 }),
      'an unverified address': (email) =>
        google().signIdToken({ ...claimsFor(email), email_verified: false }),
    };
    it.each(Object.keys(forged))('%s', async (name) => {
      const email = newEmail('forged');
      await activeAccount(email);
      const before = await allItems();
      const res = await post({ id_token: await (forged[name] as (e: string) => Promise<string>)(email) });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ errors: { '': [expect.stringMatching(/Google/)] } });
      // Nothing linked, no key minted (the per-IP counter is the one write).
      const after = (await allItems()).filter((i) => !String(i.pk).startsWith('RATE#'));
      expect(after).toEqual(before.filter((i) => !String(i.pk).startsWith('RATE#')));
    });
  });

  it('refuses what is not a token at all, and unknown fields', async () => {
    expect((await post({ id_token: 'not-a-jwt' })).status).toBe(401);
    expect((await post({ id_token: 'a.b.c', extra: 1 })).status).toBe(400);
    expect((await post({})).status).toBe(400);
  });
});
