// POST /api/signup, the staged CLI signup, against DynamoDB Local and the local SES.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { tableName } from '#data/client.ts';
import { keys } from '#data/keys.ts';
import { createPromo, getPromo } from '#data/promos.ts';
import { call, confirm, signUp } from '../support/flows.ts';
import { basic, newEmail, PASSWORD } from '../support/http.ts';
import { mailsTo } from '../support/mail.ts';
import { begin, readyForTier, step } from '../support/signup.ts';
import { direct, itemsAbout } from '../support/table.ts';

// A fresh source IP per request: these tests are about the steps, not the per-IP ceiling.
const newPromo = async (uses: number, creditCents = 500) => {
  const code = `P${Math.random().toString(36).slice(2, 10).toUpperCase()}`;
  await createPromo({ code, creditCents, remainingUses: uses, createdAt: new Date().toISOString() });
  return code;
};

describe('POST /api/signup', () => {
  it('walks email → code → password → FREE and hands out a working key', async () => {
    const email = newEmail('staged');
    const { uuid, code } = await begin(email);
    expect(uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect((await mailsTo(email))[0]?.subject).toBe(`Your Gatehouse confirmation code: ${code}`);
    expect(await (await step({ uuid, confirmation_code: code })).json()).toEqual({ data: { uuid } });
    expect(await (await step({ uuid, password: PASSWORD })).json()).toEqual({ data: { uuid } });
    const done = await step({ uuid, tier: 'FREE' });
    expect(done.status).toBe(200);
    const { data } = (await done.json()) as { data: { email: string; key: string } };
    expect(data.email).toBe(email);
    const account = await call('GET', '/api/users', { headers: { authorization: basic(email, data.key) } });
    expect(await account.json()).toMatchObject({
      data: { email, tier: 'FREE', email_confirmed: true, credit_cents: 0 },
    });
    // The session is gone, and the password works for login too.
    expect((await step({ uuid, tier: 'FREE' })).status).toBe(400);
    expect(
      (await call('GET', '/api/login', { headers: { authorization: basic(email, PASSWORD) } })).status,
    ).toBe(200);
    const items = await itemsAbout(email);
    expect(items.some((i) => i.type === 'signup')).toBe(false);
    expect(JSON.stringify(items)).not.toContain(code);
  });

  it('answers a taken address alike, mails no code, and tells the owner', async () => {
    const email = newEmail('owner');
    await confirm(await signUp(email));
    const before = (await mailsTo(email)).length;
    const res = await step({ email });
    expect(res.status).toBe(200);
    const { uuid } = ((await res.json()) as { data: { uuid: string } }).data;
    const mails = (await mailsTo(email)).slice(before);
    expect(mails.map((m) => m.subject)).toEqual(['Someone tried to sign up with your address']);
    expect(mails[0]?.body.text).not.toMatch(/\d{6}/);
    expect((await step({ uuid, confirmation_code: '123456' })).status).toBe(400);
  });

  it('ends the session after 5 wrong codes', async () => {
    const { uuid, code } = await begin(newEmail());
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 4; i++) {
      expect(await (await step({ uuid, confirmation_code: wrong })).json()).toEqual({
        errors: { confirmation_code: ['is incorrect'] },
      });
    }
    expect(await (await step({ uuid, confirmation_code: wrong })).json()).toEqual({
      errors: {
        confirmation_code: ['Too many wrong codes: this signup has ended. Start again with your email.'],
      },
    });
    const after = await step({ uuid, confirmation_code: code });
    expect(after.status).toBe(400);
    expect(await after.json()).toEqual({
      errors: { uuid: ['This signup has ended or expired. Start again with your email.'] },
    });
  });

  it('refuses an expired code', async () => {
    const { uuid, code } = await begin(newEmail());
    await direct.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.signup(uuid),
        UpdateExpression: 'SET codeExpiresAt = :past',
        ExpressionAttributeValues: { ':past': 1 },
      }),
    );
    expect(await (await step({ uuid, confirmation_code: code })).json()).toEqual({
      errors: { confirmation_code: ['This code has expired. Start again with your email.'] },
    });
  });

  it('says which step is next when one comes out of order', async () => {
    const { uuid, code } = await begin(newEmail());
    expect(await (await step({ uuid, password: PASSWORD })).json()).toEqual({
      errors: { '': ['This signup expects confirmation_code next'] },
    });
    expect((await step({ uuid, confirmation_code: code })).status).toBe(200);
    expect(await (await step({ uuid, tier: 'FREE' })).json()).toEqual({
      errors: { '': ['This signup expects password next'] },
    });
    expect(await (await step({ uuid, confirmation_code: code })).json()).toEqual({
      errors: { '': ['This signup expects password next'] },
    });
  });

  it('takes one step at a time, and refuses what cannot be done yet', async () => {
    const uuid = await readyForTier(newEmail());
    expect(await (await step({ uuid, password: PASSWORD, tier: 'FREE' })).json()).toEqual({
      errors: { '': ['Send uuid with one of confirmation_code, password, promo_code, stripe_token, tier'] },
    });
    expect((await step({ uuid, tier: 'GOLD' })).status).toBe(400);
    expect(await (await step({ uuid, tier: 'STANDARD' })).json()).toEqual({
      errors: { tier: ['STANDARD needs a payment method: send stripe_token first, or choose FREE.'] },
    });
    // Stripe is not configured for this file (signup-standard.test.ts has it).
    expect((await step({ uuid, stripe_token: 'tok_visa' })).status).toBe(501);
    // Google is not configured for this file: that signup says so (oauth-google-poll.test.ts has it).
    expect((await step({ oauth: 'google' })).status).toBe(501);
    expect((await step({ email: newEmail(), uuid })).status).toBe(400);
    expect((await step({ uuid: 'not-a-uuid', tier: 'FREE' })).status).toBe(400);
  });

  it('refuses a weak password under errors.password and stays at the password step', async () => {
    const { uuid, code } = await begin(newEmail());
    await step({ uuid, confirmation_code: code });
    expect(await (await step({ uuid, password: 'short' })).json()).toEqual({
      errors: { password: ['should be at least 12 character(s)'] },
    });
    expect((await step({ uuid, password: PASSWORD })).status).toBe(200);
  });

  it('mails at most one code a minute per address', async () => {
    const email = newEmail();
    await begin(email);
    const again = await step({ email });
    expect(again.status).toBe(429);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('fails clearly and writes nothing when the address was taken meanwhile', async () => {
    const email = newEmail('race');
    const uuid = await readyForTier(email);
    await confirm(await signUp(email));
    const before = await itemsAbout(email);
    const res = await step({ uuid, tier: 'FREE' });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({
      errors: { '': ['This address already has an account. Log in instead.'] },
    });
    expect(await itemsAbout(email)).toEqual(before);
  });
});

describe('promo codes in the staged signup', () => {
  it('validates at the promo step and applies at finalize: STANDARD with the credit, one use spent', async () => {
    const code = await newPromo(3, 500);
    const email = newEmail('promo');
    const uuid = await readyForTier(email);
    expect(await (await step({ uuid, promo_code: code.toLowerCase() })).json()).toEqual({
      data: { promo: { code, credit_cents: 500 } },
    });
    const { data } = (await (await step({ uuid, tier: 'FREE' })).json()) as { data: { key: string } };
    const account = await call('GET', '/api/users', { headers: { authorization: `Bearer ${data.key}` } });
    expect(await account.json()).toMatchObject({ data: { tier: 'STANDARD', credit_cents: 500 } });
    expect((await getPromo(code))?.remainingUses).toBe(2);
  });

  it('refuses an unknown or used-up code', async () => {
    const uuid = await readyForTier(newEmail());
    const invalid = { errors: { promo_code: ['Invalid promo code'] } };
    expect(await (await step({ uuid, promo_code: 'NOSUCHCODE' })).json()).toEqual(invalid);
    expect(await (await step({ uuid, promo_code: 'x' })).json()).toEqual(invalid);
    expect(await (await step({ uuid, promo_code: await newPromo(0) })).json()).toEqual(invalid);
  });

  it('spends the last use once, however many finalize at the same time', async () => {
    const code = await newPromo(1, 700);
    const emails = Array.from({ length: 4 }, () => newEmail('last-use'));
    const sessions = await Promise.all(emails.map((e) => readyForTier(e)));
    for (const uuid of sessions) expect((await step({ uuid, promo_code: code })).status).toBe(200);
    const results = await Promise.all(sessions.map((uuid) => step({ uuid, tier: 'FREE' })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 400)).toHaveLength(3);
    expect((await getPromo(code))?.remainingUses).toBe(0);
    // The others finish without it.
    for (const [i, uuid] of sessions.entries()) {
      if (statuses[i] === 200) continue;
      const retry = await step({ uuid, tier: 'FREE' });
      expect(retry.status).toBe(200);
      const key = ((await retry.json()) as { data: { key: string } }).data.key;
      const account = await call('GET', '/api/users', { headers: { authorization: `Bearer ${key}` } });
      expect(await account.json()).toMatchObject({ data: { tier: 'FREE', credit_cents: 0 } });
    }
  });
});
