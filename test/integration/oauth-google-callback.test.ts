// The callback: every way the answer from Google can be wrong ends in a refusal page, and the
// session is not completed (its poll stays 204).
import { describe, expect, it } from 'vitest';
import { call } from '../support/flows.ts';
import { callback, poll, signInAtGoogle, useFakeGoogle } from '../support/google.ts';
import { newEmail } from '../support/http.ts';

useFakeGoogle();

async function started(): Promise<{ session: string; url: string }> {
  const res = await call('POST', '/api/oauth/google');
  return ((await res.json()) as { data: { session: string; url: string } }).data;
}

async function refused(res: Response, status = 401) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/text\/html/);
  return res.text();
}

describe('GET /oauth/google/callback', () => {
  it('completes the session and sends the user back to the terminal', async () => {
    const { session, url } = await started();
    const page = await callback(await signInAtGoogle(url, newEmail('cb')));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Return to your terminal');
    expect((await poll(session)).status).not.toBe(204);
  });

  it('refuses a reused session: the same callback twice', async () => {
    const { url } = await started();
    const back = await signInAtGoogle(url, newEmail('twice'));
    expect((await callback(back)).status).toBe(200);
    expect(await refused(await callback(back))).toContain('expired or was finished already');
  });

  it('refuses a code used before, brought back with another session', async () => {
    const first = await started();
    const back = new URL(await signInAtGoogle(first.url, newEmail('code')), 'https://x');
    expect((await callback(`${back.pathname}${back.search}`)).status).toBe(200);
    const second = await started();
    const state = new URL(second.url).searchParams.get('state') as string;
    const reuse = `/oauth/google/callback?code=${back.searchParams.get('code')}&state=${encodeURIComponent(state)}`;
    expect(await refused(await callback(reuse))).toContain('Google sign-in failed');
    expect((await poll(second.session)).status).toBe(204);
  });

  it('refuses a state that is not the session’s', async () => {
    const { session, url } = await started();
    const back = new URL(await signInAtGoogle(url, newEmail('state')), 'https://x');
    const [hash] = String(back.searchParams.get('state')).split('.');
    back.searchParams.set('state', `${hash}.${'A'.repeat(43)}`);
    await refused(await callback(`${back.pathname}${back.search}`));
    back.searchParams.set('state', 'garbage');
    await refused(await callback(`${back.pathname}${back.search}`));
    expect((await poll(session)).status).toBe(204);
  });

  it('refuses an ID token for another nonce, or with an unverified address', async () => {
    for (const claims of [{ nonce: 'someone-elses' }, { email_verified: false }]) {
      const { session, url } = await started();
      await refused(await callback(await signInAtGoogle(url, newEmail('claims'), claims)));
      expect((await poll(session)).status).toBe(204);
    }
  });

  it('says so when the user cancels at Google, and when the link is incomplete', async () => {
    expect(
      await refused(await callback('/oauth/google/callback?error=access_denied&state=x'), 400),
    ).toContain('cancelled');
    await refused(await callback('/oauth/google/callback?code=abc'), 400);
  });
});
