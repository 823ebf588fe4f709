// Signing in to the console with Google, end to end against the local Google stand-in: started in
// one browser, back through the callback, collected by the finish page into a console session. A
// callback URL opened in another browser signs nobody in (login CSRF), and the same rules hold as
// at the terminal's Google login: MFA, no account, suspension, a race.
import { describe, expect, it } from 'vitest';
import { ACCOUNT_SUSPENDED, CONSOLE_SIGN_IN_GONE, SECOND_FACTOR_WRONG } from '#domain/messages.ts';
import { OTHER_CONSOLE_BROWSER } from '#services/google-flow.ts';
import { escapeHtml } from '#shared/html.ts';
import { cookiesOf, get, googleCookie, sessionCookie } from '../support/console.ts';
import { userIdOf } from '../support/deletion.ts';
import { activeAccount, signUp } from '../support/flows.ts';
import {
  callback,
  consoleGoogleFinish,
  consoleGoogleUpToFinish,
  newBrowser,
  poll,
  signInAtGoogle,
  startConsoleGoogle,
  useFakeGoogle,
} from '../support/google.ts';
import { newEmail } from '../support/http.ts';
import { fillWindow } from '../support/ips.ts';
import { codeAt, mfaAccount, wrongCode } from '../support/mfa.ts';
import { meanwhile, touchProfile } from '../support/race.ts';
import { suspended } from '../support/suspension.ts';
import { allItems, itemsAbout } from '../support/table.ts';

const google = useFakeGoogle();

const consoleKeysOf = async (email: string) =>
  (await itemsAbout(email)).filter((i) => i.type === 'userApiKey' && i.kind === 'browser');

/** The console session a finished sign-in set: its page is the account's. */
async function signedInAs(res: Response, email: string) {
  expect(res.status, await res.clone().text()).toBe(303);
  expect(res.headers.get('location')).toBe('/console');
  const jar = cookiesOf(res);
  expect(jar[googleCookie()]).toBe('');
  const home = await get('/console', { [sessionCookie()]: jar[sessionCookie()] ?? '' });
  expect(home.status).toBe(200);
  expect(await home.text()).toContain(escapeHtml(email));
}

describe('/console/login/google/finish', () => {
  it('signs the browser that started in: a "Web console" key, once', async () => {
    const email = newEmail('console-google');
    await activeAccount(email);
    const browser = newBrowser();
    const back = await consoleGoogleUpToFinish(browser, email);
    const res = await consoleGoogleFinish(browser);
    await signedInAs(res, email);
    const [stored] = await consoleKeysOf(email);
    expect(stored).toMatchObject({ name: 'Web console', kind: 'browser', keyExpiresAt: expect.any(Number) });
    // The Google identity is linked now, as at the terminal.
    expect((await allItems()).some((i) => i.pk === `IDENTITY#google#${google().subjectOf(email)}`)).toBe(
      true,
    );
    // Collected once: the finish page and the callback URL are spent.
    const again = await consoleGoogleFinish(browser);
    expect(again.status).toBe(401);
    const replayed = await callback(back, browser);
    expect(replayed.status).toBe(401);
    expect((await consoleKeysOf(email)).length).toBe(1);
  });

  it('refuses the callback URL in a browser that did not start (login CSRF): 403, Google’s code unspent', async () => {
    const attacker = newBrowser();
    const start = await startConsoleGoogle(attacker);
    const email = newEmail('console-csrf');
    await activeAccount(email);
    const back = await signInAtGoogle(start.headers.get('location') as string, email);
    // The victim's browser: no cookie, and then another sign-in's cookie of its own.
    const victim = newBrowser();
    const bare = await callback(back, victim);
    expect(bare.status).toBe(403);
    expect(await bare.text()).toContain(escapeHtml(OTHER_CONSOLE_BROWSER));
    expect((await startConsoleGoogle(victim)).status).toBe(303);
    expect((await callback(back, victim)).status).toBe(403);
    expect((await consoleGoogleFinish(victim)).status).toBe(401);
    expect((await consoleKeysOf(email)).length).toBe(0);
    // Nothing was spent: the browser that started still finishes with the same URL.
    expect((await callback(back, attacker)).status).toBe(303);
    await signedInAs(await consoleGoogleFinish(attacker), email);
  });

  it('is never handed to a poll: the id in the cookie is not a terminal’s session', async () => {
    const email = newEmail('console-poll');
    await activeAccount(email);
    const browser = newBrowser();
    await consoleGoogleUpToFinish(browser, email);
    const session = browser.cookies.get(googleCookie()) ?? '';
    expect((await poll(session)).status).toBe(404);
    await signedInAs(await consoleGoogleFinish(browser), email);
  });

  it('asks for the code when MFA is on: 400 on a wrong or missing one, then signed in', async () => {
    const account = await mfaAccount(newEmail('console-google-mfa'));
    const browser = newBrowser();
    await consoleGoogleUpToFinish(browser, account.email);
    const form = await consoleGoogleFinish(browser);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('<label for="code">');
    const wrong = await consoleGoogleFinish(browser, wrongCode(account.secret));
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain(escapeHtml(SECOND_FACTOR_WRONG));
    const missing = await consoleGoogleFinish(browser, '');
    expect(missing.status).toBe(400);
    const cross = await consoleGoogleFinish(browser, codeAt(account.secret, 1), {
      origin: 'https://evil.example',
      'sec-fetch-site': 'cross-site',
    });
    expect(cross.status).toBe(403);
    expect((await consoleKeysOf(account.email)).length).toBe(0);
    await signedInAs(await consoleGoogleFinish(browser, codeAt(account.secret, 1)), account.email);
    // Collected: a code posted again finds no sign-in.
    const replay = await consoleGoogleFinish(browser, codeAt(account.secret, 2));
    expect(replay.status).toBe(401);
  });

  it('says there is no account, and links to signup (401), signing nobody in', async () => {
    const browser = newBrowser();
    await consoleGoogleUpToFinish(browser, newEmail('console-google-nobody'));
    const res = await consoleGoogleFinish(browser);
    expect(res.status).toBe(401);
    const html = await res.text();
    expect(html).toContain('No Gatehouse account uses this Google account');
    expect(html).toContain('href="/console/signup"');
    expect(res.headers.getSetCookie().some((c) => c.startsWith(`${sessionCookie()}=`))).toBe(false);
  });

  it('claims an account whose address was never confirmed, as the terminal’s Google login does', async () => {
    const email = newEmail('console-google-claim');
    await signUp(email);
    const browser = newBrowser();
    await consoleGoogleUpToFinish(browser, email);
    await signedInAs(await consoleGoogleFinish(browser), email);
    const profile = (await itemsAbout(email)).find((i) => i.type === 'user');
    expect(profile?.status).toBe('ACTIVE');
  });

  it('refuses a suspended account (403)', async () => {
    const email = newEmail('console-google-suspended');
    await activeAccount(email);
    const browser = newBrowser();
    await consoleGoogleUpToFinish(browser, email);
    await suspended(email);
    const res = await consoleGoogleFinish(browser);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain(escapeHtml(ACCOUNT_SUSPENDED));
    expect((await consoleKeysOf(email)).length).toBe(0);
  });

  it('answers 409 when the account changed during the sign-in, and leaves no session', async () => {
    const email = newEmail('console-google-race');
    await activeAccount(email);
    const userId = await userIdOf(email);
    const browser = newBrowser();
    await consoleGoogleUpToFinish(browser, email);
    const ran = meanwhile('TransactWriteItemsCommand', () => touchProfile(userId, { mfaEnabled: true }));
    const res = await consoleGoogleFinish(browser);
    expect(ran()).toBe(true);
    expect(res.status).toBe(409);
    expect(res.headers.getSetCookie().some((c) => c.startsWith(`${sessionCookie()}=`))).toBe(false);
    expect((await consoleKeysOf(email)).length).toBe(0);
  });

  it('answers 409 when MFA went off as the code was posted, and leaves no session', async () => {
    const account = await mfaAccount(newEmail('console-google-race-mfa'));
    const userId = await userIdOf(account.email);
    const browser = newBrowser();
    await consoleGoogleUpToFinish(browser, account.email);
    expect((await consoleGoogleFinish(browser)).status).toBe(200);
    const ran = meanwhile('TransactWriteItemsCommand', () => touchProfile(userId, { mfaEnabled: false }));
    const res = await consoleGoogleFinish(browser, codeAt(account.secret, 1));
    expect(ran()).toBe(true);
    expect(res.status).toBe(409);
    expect(res.headers.getSetCookie().some((c) => c.startsWith(`${sessionCookie()}=`))).toBe(false);
    expect((await consoleKeysOf(account.email)).length).toBe(0);
  });

  it('answers 401 without a sign-in in this browser, and 429 over the IP’s ceiling', async () => {
    const none = await consoleGoogleFinish(newBrowser());
    expect(none.status).toBe(401);
    expect(await none.text()).toContain(escapeHtml(CONSOLE_SIGN_IN_GONE));
    const browser = newBrowser();
    browser.cookies.set(googleCookie(), 'A'.repeat(43));
    await fillWindow('login', browser.ip);
    const res = await consoleGoogleFinish(browser);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    const posted = await consoleGoogleFinish(browser, '123456');
    expect(posted.status).toBe(429);
  });

  it('a sign-in cancelled at Google goes back to the console’s sign-in page', async () => {
    const browser = newBrowser();
    const start = await startConsoleGoogle(browser);
    const state = new URL(start.headers.get('location') as string).searchParams.get('state') ?? '';
    const res = await callback(`/oauth/google/callback?error=access_denied&state=${state}`, browser);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('href="/console/login"');
    expect(browser.cookies.has(googleCookie())).toBe(false);
    // So does an answer from Google without its code.
    const again = newBrowser();
    const restarted = await startConsoleGoogle(again);
    const its = new URL(restarted.headers.get('location') as string).searchParams.get('state') ?? '';
    const bare = await callback(`/oauth/google/callback?state=${its}`, again);
    expect(bare.status).toBe(400);
    expect(await bare.text()).toContain('href="/console/login"');
  });
});
