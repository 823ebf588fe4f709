// Google sign-in end to end against `npm start` and its local stand-in for Google: signup, then
// login, then login with MFA on (303 on the poll, 200 with a code). The "user" is fetch, doing what
// a browser does at the provider's page and on the way back.
import { URI } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { throughGoogle } from '../support/google-browser.ts';
import { json, newEmail } from '../support/http.ts';
import { npmStart, type RunningStack } from '../support/npm-start.ts';

let stack: RunningStack;
beforeAll(async () => {
  stack = await npmStart();
});
afterAll(() => stack?.kill());

const api = (path: string, init: RequestInit = {}) => fetch(`${stack.api}${path}`, init);

async function pollUntilDone(session: string, mfaToken?: string): Promise<Response> {
  const query = mfaToken ? `?mfa_token=${mfaToken}` : '';
  for (let tries = 0; tries < 50; tries++) {
    const res = await api(`/api/oauth/google/${session}${query}`);
    if (res.status !== 204) return res;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the sign-in stayed pending');
}

async function googleLogin(email: string): Promise<string> {
  const start = await api('/api/oauth/google', { method: 'POST' });
  expect(start.status).toBe(201);
  const { data } = (await start.json()) as { data: { url: string; session: string; code: string } };
  expect((await api(`/api/oauth/google/${data.session}`)).status).toBe(204);
  await throughGoogle(data, email);
  return data.session;
}

describe('Google sign-in, end to end', () => {
  it('signs up, logs in, and with MFA on asks for a code on the poll', async () => {
    expect(stack.output()).toMatch(/Google sign-in http:\/\/127\.0\.0\.1:\d+/);
    const email = newEmail('google-e2e');

    // Signup: the address proven by Google, then the tier step.
    const signup = await api('/api/signup', { method: 'POST', ...json({ oauth: 'google' }) });
    const started = (
      (await signup.json()) as { data: { uuid: string; session: string; url: string; code: string } }
    ).data;
    await throughGoogle(started, email);
    expect(await (await pollUntilDone(started.session)).json()).toEqual({ data: { email } });
    const tier = await api('/api/signup', { method: 'POST', ...json({ uuid: started.uuid, tier: 'FREE' }) });
    expect(tier.status).toBe(200);

    // Login: a key, once.
    const session = await googleLogin(email);
    const loggedIn = await pollUntilDone(session);
    expect(loggedIn.status).toBe(200);
    const { key } = ((await loggedIn.json()) as { data: { key: string } }).data;
    expect((await api(`/api/oauth/google/${session}`)).status).toBe(404);

    // MFA on, then a Google login wants the code.
    const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const mfa = await api('/api/mfa/start', { method: 'POST', headers: { authorization: `Bearer ${key}` } });
    const app = URI.parse(((await mfa.json()) as { data: { url: string } }).data.url);
    const verify = await api('/api/mfa/verify', {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ mfa_token: app.generate() }),
    });
    expect(verify.status).toBe(200);
    // Finished with the terminal's code, the terminal gives the factor: 303 (no Location), then 200.
    const withMfa = await googleLogin(email);
    const asked = await pollUntilDone(withMfa);
    expect(asked.status).toBe(303);
    expect(asked.headers.get('location')).toBeNull();
    const answered = await pollUntilDone(withMfa, app.generate({ timestamp: Date.now() + 30_000 }));
    expect(answered.status).toBe(200);
    expect(((await answered.json()) as { data: { email: string } }).data.email).toBe(email);
  });
});
