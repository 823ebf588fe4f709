// The callback: every way the answer from Google can be wrong ends in a refusal page, and the
// session is not completed (its poll stays 204). Then the terminal's code: without it, a link sent
// to someone else signs nobody in.
import { describe, expect, it } from 'vitest';
import { activeAccount } from '../support/flows.ts';
import {
  callback,
  enterCode,
  finishSignIn,
  poll,
  signInAtGoogle,
  startLogin,
  stateOf,
  useFakeGoogle,
} from '../support/google.ts';
import { newEmail } from '../support/http.ts';

const google = useFakeGoogle();

async function refused(res: Response, status = 401) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/text\/html/);
  return res.text();
}

describe('GET/POST /oauth/google/callback', () => {
  it('asks for the terminal’s code, then completes the session and sends the user back', async () => {
    const started = await startLogin();
    expect(started.code).toMatch(/^[B-DF-HJ-NP-TV-XZ]{4}-[B-DF-HJ-NP-TV-XZ]{4}$/);
    const back = await signInAtGoogle(started.url, newEmail('cb'));
    const form = await callback(back);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('type the code your terminal shows');
    expect((await poll(started.session)).status).toBe(204);
    const done = await enterCode(stateOf(back), started.code.toLowerCase().replace('-', ' '));
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Return to your terminal');
    expect((await poll(started.session)).status).not.toBe(204);
  });

  it('signs nobody in from a link sent to someone else: the victim does not have the code', async () => {
    const victim = newEmail('victim');
    await activeAccount(victim);
    const attacker = await startLogin();
    const back = await signInAtGoogle(attacker.url, victim);
    expect((await callback(back)).status).toBe(200);
    for (let i = 1; i < 5; i++) expect((await enterCode(stateOf(back), 'BBBB-BBBB')).status).toBe(400);
    expect((await poll(attacker.session)).status).toBe(204);
    // The fifth wrong code ends the session: the attacker's poll gets nothing, ever.
    expect(await refused(await enterCode(stateOf(back), 'BBBB-BBBB'))).toContain('Too many wrong codes');
    expect((await poll(attacker.session)).status).toBe(404);
    expect(await refused(await enterCode(stateOf(back), attacker.code))).toContain('Start again');
  });

  it('refuses a reused session: the same callback twice', async () => {
    const started = await startLogin();
    const back = await signInAtGoogle(started.url, newEmail('twice'));
    expect((await callback(back)).status).toBe(200);
    expect(await refused(await callback(back))).toContain('expired or was finished already');
  });

  it('refuses a code used before, brought back with another session', async () => {
    const first = await startLogin();
    const back = new URL(await signInAtGoogle(first.url, newEmail('code')), 'https://x');
    expect((await callback(`${back.pathname}${back.search}`)).status).toBe(200);
    const second = await startLogin();
    const state = new URL(second.url).searchParams.get('state') as string;
    const reuse = `/oauth/google/callback?code=${back.searchParams.get('code')}&state=${encodeURIComponent(state)}`;
    expect(await refused(await callback(reuse))).toContain('Google sign-in failed');
    expect((await poll(second.session)).status).toBe(204);
  });

  it('refuses a state that is not the session’s, at either step', async () => {
    const started = await startLogin();
    const back = new URL(await signInAtGoogle(started.url, newEmail('state')), 'https://x');
    const good = String(back.searchParams.get('state'));
    const [hash] = good.split('.');
    back.searchParams.set('state', `${hash}.${'A'.repeat(43)}`);
    await refused(await callback(`${back.pathname}${back.search}`));
    back.searchParams.set('state', 'garbage');
    await refused(await callback(`${back.pathname}${back.search}`));
    back.searchParams.set('state', good);
    expect((await callback(`${back.pathname}${back.search}`)).status).toBe(200);
    await refused(await enterCode(`${hash}.${'A'.repeat(43)}`, started.code));
    expect((await poll(started.session)).status).toBe(204);
  });

  it('refuses an ID token for another nonce, or with an unverified address', async () => {
    for (const claims of [{ nonce: 'someone-elses' }, { email_verified: false }]) {
      const started = await startLogin();
      await refused(await finishSignIn(started, newEmail('claims'), claims));
      expect((await poll(started.session)).status).toBe(204);
    }
  });

  it('answers 502 when Google’s token endpoint cannot be reached, leaving the session pending', async () => {
    const started = await startLogin();
    const back = await signInAtGoogle(started.url, newEmail('down'));
    google().failNext();
    const res = await callback(back);
    const html = await refused(res, 502);
    expect(html).toContain('<h1>Google could not be reached</h1>');
    expect(html).toContain('Wait a minute, then reload this page.');
    expect((await poll(started.session)).status).toBe(204);
    // Nothing was spent: the same link goes through once Google answers.
    expect((await callback(back)).status).toBe(200);
  });

  it('says so when the user cancels at Google, and when the link is incomplete', async () => {
    expect(
      await refused(await callback('/oauth/google/callback?error=access_denied&state=x'), 400),
    ).toContain('cancelled');
    await refused(await callback('/oauth/google/callback?code=abc'), 400);
  });
});
