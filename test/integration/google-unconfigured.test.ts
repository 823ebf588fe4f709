// A deployment without Google settings: every Google route says so plainly.
import { describe, expect, it } from 'vitest';
import { call } from '../support/flows.ts';
import { json } from '../support/http.ts';

describe('Google sign-in without configuration', () => {
  it('answers 501 with a clear message', async () => {
    expect(process.env.GOOGLE_CLIENT_ID).toBeUndefined();
    for (const res of [
      await call('POST', '/api/oauth/google'),
      await call('POST', '/api/signup', json({ oauth: 'google' })),
      await call('POST', '/api/oauth/google/id_token', json({ id_token: 'x.y.z' })),
    ]) {
      expect(res.status).toBe(501);
      expect(await res.json()).toEqual({
        errors: { '': ['Google sign-in is not configured on this server.'] },
      });
    }
  });

  it('the console shows no Google button, and its post says Google is not configured (501 page)', async () => {
    const page = await call('GET', '/console/login');
    expect(await page.text()).not.toContain('Sign in with Google');
    expect(page.headers.get('content-security-policy')).toContain("form-action 'self';");
    const res = await call('POST', '/console/login/google', {
      body: '',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(501);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toContain('Google sign-in is not configured on this server.');
    expect(res.headers.getSetCookie()).toEqual([]);
  });
});
