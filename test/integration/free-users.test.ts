import { describe, expect, it } from 'vitest';
import { SIGNUP_MESSAGE } from '#services/direct-signup.ts';
import { call, signUp } from '../support/flows.ts';
import { json, newEmail, PASSWORD } from '../support/http.ts';
import { mailsTo } from '../support/mail.ts';
import { itemsAbout } from '../support/table.ts';

describe('POST /api/free_users', () => {
  it('creates an UNCONFIRMED account and mails a link to PUBLIC_BASE_URL', async () => {
    const email = newEmail();
    const res = await call('POST', '/api/free_users', json({ email, password: PASSWORD }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
    expect(await res.json()).toEqual({ data: { message: SIGNUP_MESSAGE } });

    const [mail, ...more] = await mailsTo(email);
    expect(more).toHaveLength(0);
    expect(mail?.subject).toBe('Confirm your Gatehouse account');
    expect(mail?.body.text).toMatch(
      /^.*https:\/\/accounts\.gatehouse\.test\/confirm-email\?token=[A-Za-z0-9_-]{43}$/m,
    );
    expect(mail?.body.html).toContain('https://accounts.gatehouse.test/confirm-email?token=');

    const items = await itemsAbout(email);
    const profile = items.find((i) => i.type === 'user');
    expect(profile).toMatchObject({ status: 'UNCONFIRMED', tier: 'FREE', email });
    expect(String(profile?.passwordHash)).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(items)).not.toContain(PASSWORD);
  });

  it('stores only the digest of the link token', async () => {
    const email = newEmail();
    const token = await signUp(email);
    const items = await itemsAbout(email);
    expect(JSON.stringify(items)).not.toContain(token);
  });

  it('gives a taken address the same answer, keeps the account as it was, and tells its owner', async () => {
    const email = newEmail();
    await signUp(email);
    const before = await itemsAbout(email);
    const res = await call(
      'POST',
      '/api/free_users',
      json({ email: email.toUpperCase(), password: `${PASSWORD}!` }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { message: SIGNUP_MESSAGE } });
    expect(await itemsAbout(email)).toEqual(expect.arrayContaining(before));
    const profileAfter = (await itemsAbout(email)).find((i) => i.type === 'user');
    expect(profileAfter).toEqual(before.find((i) => i.type === 'user'));
    const mails = await mailsTo(email);
    expect(mails.map((m) => m.subject)).toEqual([
      'Confirm your Gatehouse account',
      'Someone tried to sign up with your address',
    ]);
  });

  it('refuses a weak password with errors.password and writes nothing', async () => {
    const email = newEmail();
    const res = await call('POST', '/api/free_users', json({ email, password: 'short' }));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ errors: { password: ['should be at least 12 character(s)'] } });
    expect(await itemsAbout(email)).toEqual([]);
    expect(await mailsTo(email)).toEqual([]);
  });
});
