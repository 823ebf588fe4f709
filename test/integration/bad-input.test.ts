// Every kind of bad input: a 4xx with the contract's error body, and nothing written or mailed.
import { describe, expect, it } from 'vitest';
import { call } from '../support/flows.ts';
import { newEmail, PASSWORD } from '../support/http.ts';
import { mailsTo } from '../support/mail.ts';
import { allItems } from '../support/table.ts';

const signup = (body: string, contentType = 'application/json') =>
  call('POST', '/api/free_users', { body, headers: { 'content-type': contentType } });

async function expectRefused(
  res: Response,
  status: number,
  errors: Record<string, string[]>,
  email?: string,
) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(await res.json()).toEqual({ errors });
  expect(await allItems()).toEqual([]);
  if (email) expect(await mailsTo(email)).toEqual([]);
}

describe('bad input to POST /api/free_users', () => {
  it('malformed JSON → 400', async () => {
    const email = newEmail();
    await expectRefused(
      await signup(`{"email":"${email}",`),
      400,
      { '': ['The request body is not valid JSON'] },
      email,
    );
  });

  it('a JSON body that is not an object → 400', async () => {
    await expectRefused(await signup('["a"]'), 400, { '': ['The request body must be a JSON object'] });
  });

  it('wrong content type → 415', async () => {
    const email = newEmail();
    const body = JSON.stringify({ email, password: PASSWORD });
    await expectRefused(
      await signup(body, 'text/plain'),
      415,
      { '': ['Content-Type must be application/json'] },
      email,
    );
    await expectRefused(
      await call('POST', '/api/free_users', { body }),
      415,
      { '': ['Content-Type must be application/json'] },
      email,
    );
  });

  it('a body over 16 KiB → 413', async () => {
    const email = newEmail();
    const body = JSON.stringify({ email, password: PASSWORD, padding: 'x'.repeat(17 * 1024) });
    await expectRefused(await signup(body), 413, { '': ['The request body must be at most 16 KiB'] }, email);
  });

  it('unknown fields → 400 naming each', async () => {
    const email = newEmail();
    const body = JSON.stringify({ email, password: PASSWORD, tier: 'STANDARD', admin: true });
    await expectRefused(
      await signup(body),
      400,
      { tier: ['is not allowed'], admin: ['is not allowed'] },
      email,
    );
  });

  it('a field named __proto__ is an unknown field like any other', async () => {
    const email = newEmail();
    const res = await signup(`{"email":"${email}","password":"${PASSWORD}","__proto__":{"admin":true}}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toBe('{"errors":{"__proto__":["is not allowed"]}}');
    expect(await allItems()).toEqual([]);
    expect(await mailsTo(email)).toEqual([]);
  });

  it('missing fields → 400 naming each', async () => {
    await expectRefused(await signup('{}'), 400, { email: ["can't be blank"], password: ["can't be blank"] });
    await expectRefused(await signup('{"email":"","password":null}'), 400, {
      email: ["can't be blank"],
      password: ["can't be blank"],
    });
  });

  it('non-string values → 400', async () => {
    await expectRefused(await signup(JSON.stringify({ email: ['a@b.co'], password: 123456789012 })), 400, {
      email: ['must be a string'],
      password: ['must be a string'],
    });
  });

  it('overlong values → 400', async () => {
    const email = newEmail();
    await expectRefused(await signup(JSON.stringify({ email, password: 'p'.repeat(1025) })), 400, {
      password: ['should be at most 1024 character(s)'],
    });
    await expectRefused(
      await signup(JSON.stringify({ email: `${'a'.repeat(250)}@x.co`, password: PASSWORD })),
      400,
      {
        email: ['should be at most 254 character(s)'],
      },
    );
  });

  it('an invalid email → 400', async () => {
    await expectRefused(await signup(JSON.stringify({ email: 'alice@@example', password: PASSWORD })), 400, {
      email: ['is not a valid email address'],
    });
  });

  it('invalid UTF-8 → 400', async () => {
    const res = await call('POST', '/api/free_users', {
      body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      headers: { 'content-type': 'application/json' },
    });
    await expectRefused(res, 400, { '': ['The request body is not valid UTF-8'] });
  });
});

describe('bad input elsewhere', () => {
  it('a malformed Authorization header → 400', async () => {
    await expectRefused(await call('GET', '/api/users', { headers: { authorization: 'Basic %%%' } }), 400, {
      '': ['Malformed Authorization header'],
    });
  });

  it('reconfirm with an unknown field → 400, nothing written (not even a rate marker)', async () => {
    const email = newEmail();
    const res = await call('PUT', '/api/users/reconfirm_email', {
      body: JSON.stringify({ email, resend: true }),
      headers: { 'content-type': 'application/json' },
    });
    await expectRefused(res, 400, { resend: ['is not allowed'] }, email);
  });

  it('confirm with a token of the wrong shape → 400, nothing counted or written', async () => {
    const res = await call('POST', '/api/users/confirm_email', {
      body: JSON.stringify({ token: 'not-a-token' }),
      headers: { 'content-type': 'application/json' },
    });
    await expectRefused(res, 400, {
      token: ['This link is invalid or has already been used. Request a new one.'],
    });
  });

  it('a form with a field given twice → 400', async () => {
    const res = await call('POST', '/confirm-email', {
      body: `token=${'a'.repeat(43)}&token=${'b'.repeat(43)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    await expectRefused(res, 400, { token: ['is given more than once'] });
  });

  it('confirm with an overlong token → 400', async () => {
    const res = await call('POST', '/api/users/confirm_email', {
      body: JSON.stringify({ token: 't'.repeat(129) }),
      headers: { 'content-type': 'application/json' },
    });
    await expectRefused(res, 400, { token: ['should be at most 128 character(s)'] });
  });

  it('an unknown path → 404 with the error body', async () => {
    await expectRefused(await call('GET', '/api/nothing-here'), 404, { '': ['Not found'] });
  });
});
