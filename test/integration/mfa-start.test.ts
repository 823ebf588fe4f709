import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { keys } from '#data/keys.ts';
import { nowSeconds } from '#domain/tokens.ts';
import { activeAccount, call } from '../support/flows.ts';
import { newEmail } from '../support/http.ts';
import { anotherKey, bearer } from '../support/keys.ts';
import { codeAt, mfaAccount, mfaKey, secretOf, startMfa, verifyMfa, wrongCode } from '../support/mfa.ts';
import { direct, itemsAbout } from '../support/table.ts';

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

  it('shows the same pending secret when the same key starts again, so a scanned code stays right', async () => {
    const email = newEmail('rerun');
    const key = await activeAccount(email);
    const first = await startMfa(key);
    const again = await startMfa(key);
    expect(again.url).toBe(first.url);
    // A typo first, then the right code: the same secret still verifies.
    expect((await verifyMfa(key, wrongCode(first.secret))).status).toBe(400);
    expect((await verifyMfa(key, codeAt(first.secret))).status).toBe(200);
  });

  it('gives another key a new secret, which replaces the pending one: only the newest verifies', async () => {
    const email = newEmail('restart');
    const key = await activeAccount(email);
    const other = await anotherKey(email);
    const first = await startMfa(key);
    const second = await startMfa(other);
    expect(second.url).not.toBe(first.url);
    // The first key now gets a new one too: it may not read what another key started.
    const third = await startMfa(key);
    expect(third.url).not.toBe(second.url);
    expect((await verifyMfa(key, codeAt(first.secret))).status).toBe(400);
    expect((await verifyMfa(key, codeAt(second.secret))).status).toBe(400);
    expect((await verifyMfa(key, codeAt(third.secret))).status).toBe(200);
  });

  it('gives the same key a new secret once the pending one is an hour old', async () => {
    const email = newEmail('stale');
    const key = await activeAccount(email);
    const first = await startMfa(key);
    const userId = String((await itemsAbout(email)).find((i) => i.type === 'user')?.userId);
    await direct.send(
      new UpdateCommand({
        TableName: process.env.TABLE_NAME,
        Key: keys.user(userId),
        UpdateExpression: 'SET mfaPendingAt = :old',
        ExpressionAttributeValues: { ':old': nowSeconds() - 3600 },
      }),
    );
    expect((await startMfa(key)).url).not.toBe(first.url);
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
