// The callback: every way the answer from Google can be wrong ends in a refusal page, and the
// session is not completed (its poll stays 204). Then the terminal's code: without it, a link sent
// to someone else signs nobody in.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { keys } from '#data/keys.ts';
import { SECOND_FACTOR_WRONG } from '#domain/messages.ts';
import { digest } from '#domain/tokens.ts';
import { CODE_NEEDED, FACTOR_AT_TERMINAL } from '#services/google-flow.ts';
import { escapeHtml } from '#shared/html.ts';
import { userIdOf } from '../support/deletion.ts';
import { completeChange } from '../support/email-change.ts';
import { activeAccount, call, sourceIp } from '../support/flows.ts';
import {
  type Browser,
  callback,
  enterCode,
  enterCodeWith,
  finishSignIn,
  newBrowser,
  poll,
  pressSignIn,
  SAME_ORIGIN,
  signInAtGoogle,
  startLogin,
  startSignup,
  stateOf,
  useFakeGoogle,
} from '../support/google.ts';
import { basic, newEmail, PASSWORD } from '../support/http.ts';
import { uniqueIp } from '../support/ips.ts';
import { withKey } from '../support/keys.ts';
import { codeAt, mfaAccount, wrongCode } from '../support/mfa.ts';
import { meanwhile, touchProfile } from '../support/race.ts';
import { direct } from '../support/table.ts';

const google = useFakeGoogle();

/** A network of its own the account logs in from (with its password): it trusts it from then on. */
async function loggedInFrom(email: string): Promise<string> {
  const home = uniqueIp();
  const res = await call('GET', '/api/login', { headers: { authorization: basic(email, PASSWORD) } }, home);
  expect(res.status).toBe(200);
  return home;
}

/** The terminal asked `minutes` ago: its session's start moved back. */
const startedMinutesAgo = (session: string, minutes: number) =>
  direct.send(
    new UpdateCommand({
      TableName: process.env.TABLE_NAME,
      Key: keys.oauth(digest(session)),
      UpdateExpression: 'SET startedAt = startedAt - :ago',
      ExpressionAttributeValues: { ':ago': minutes * 60 },
    }),
  );

async function refused(res: Response, status = 401) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/text\/html/);
  // No Basic challenge on a page: a browser would pop up a password dialog.
  expect(res.headers.get('www-authenticate')).toBeNull();
  return res.text();
}

describe('GET/POST /oauth/google/callback', () => {
  it('asks for the terminal’s code, then completes the session and sends the user back', async () => {
    const email = newEmail('cb');
    await activeAccount(email);
    const started = await startLogin();
    expect(started.code).toMatch(/^[B-DF-HJ-NP-TV-XZ]{4}-[B-DF-HJ-NP-TV-XZ]{4}$/);
    const back = await signInAtGoogle(started.url, email);
    const browser = newBrowser();
    const form = await callback(back, browser);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('type the code your terminal shows');
    expect((await poll(started.session)).status).toBe(204);
    const done = await enterCode(stateOf(back), started.code.toLowerCase().replace('-', ' '), browser);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Return to your terminal');
    expect((await poll(started.session)).status).not.toBe(204);
  });

  it('signs nobody in from a link sent to someone else: the victim does not have the code', async () => {
    const victim = newEmail('victim');
    await activeAccount(victim);
    const attacker = await startLogin();
    const back = await signInAtGoogle(attacker.url, victim);
    const browser = newBrowser();
    expect((await callback(back, browser)).status).toBe(200);
    for (let i = 1; i < 5; i++)
      expect((await enterCode(stateOf(back), 'BBBB-BBBB', browser)).status).toBe(400);
    expect((await poll(attacker.session)).status).toBe(204);
    // The fifth wrong code ends the session: the attacker's poll gets nothing, ever.
    expect(await refused(await enterCode(stateOf(back), 'BBBB-BBBB', browser))).toContain(
      'Too many wrong codes',
    );
    expect((await poll(attacker.session)).status).toBe(404);
    expect(await refused(await enterCode(stateOf(back), attacker.code, browser))).toContain('Start again');
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
    const browser = newBrowser();
    expect((await callback(`${back.pathname}${back.search}`, browser)).status).toBe(200);
    await refused(await enterCode(`${hash}.${'A'.repeat(43)}`, started.code, browser));
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

describe('POST /oauth/google/callback from anywhere but the browser that came back from Google', () => {
  /** The attack: someone starts a sign-in and sends the victim the URL; the victim picks their account. */
  async function victimAtTheForm() {
    const victim = newEmail('forwarded');
    await activeAccount(victim);
    const attacker = await startLogin();
    const back = await signInAtGoogle(attacker.url, victim);
    const victimsBrowser = newBrowser();
    expect((await callback(back, victimsBrowser)).status).toBe(200);
    return { attacker, state: stateOf(back), victimsBrowser };
  }

  async function forbidden(res: Response) {
    expect(await refused(res, 403)).toContain('the browser that came back from Google');
  }

  it('completes nothing for the attacker’s own request, which has the state and code but not the cookie', async () => {
    const { attacker, state } = await victimAtTheForm();
    // curl with nothing but the form, curl pretending to be the page, and another browser of theirs.
    await forbidden(await enterCode(state, attacker.code, newBrowser(), {}));
    await forbidden(await enterCode(state, attacker.code, newBrowser()));
    const theirs = newBrowser();
    const own = await startLogin();
    expect((await callback(await signInAtGoogle(own.url, newEmail('attacker')), theirs)).status).toBe(200);
    await forbidden(await enterCode(state, attacker.code, theirs));
    expect((await poll(attacker.session)).status).toBe(204);
  });

  it('completes nothing for a cross-site form in the victim’s own browser, whatever it carries', async () => {
    const { attacker, state, victimsBrowser } = await victimAtTheForm();
    const from = (origin: string, site: string) => ({ origin, 'sec-fetch-site': site });
    // Even were the cookie sent along (SameSite=Strict keeps browsers from sending it cross-site).
    const attempts: Record<string, string>[] = [
      from('http://evil.example', 'cross-site'),
      from('null', 'cross-site'),
      from('https://evil.gatehouse.test', 'same-site'),
      { origin: 'http://evil.example' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'none' },
      from(SAME_ORIGIN().origin, 'cross-site'),
      from('http://evil.example', 'same-origin'),
    ];
    for (const headers of attempts) {
      await forbidden(await enterCode(state, attacker.code, victimsBrowser, headers));
    }
    expect((await poll(attacker.session)).status).toBe(204);
    // Refusals spend nothing: the victim's own page still works (and they would need the code).
    expect((await enterCode(state, 'BBBB-BBBB', victimsBrowser)).status).toBe(400);
  });

  it('binds the session to a short-lived __Host- cookie: HttpOnly, Secure, SameSite=Strict', async () => {
    const started = await startLogin();
    const res = await call('GET', await signInAtGoogle(started.url, newEmail('cookie')));
    expect(res.status).toBe(200);
    const [cookie = '', ...more] = res.headers.getSetCookie();
    expect(more).toEqual([]);
    const attributes = cookie.split(/;\s*/);
    // Named after its session, so that two sign-ins in one browser keep their own.
    expect(attributes[0]).toMatch(/^__Host-gatehouse-google-[0-9a-f]{16}=[A-Za-z0-9_-]{43}$/);
    // For what is left of the session (10 minutes from its start, a second or so ago).
    const [maxAge] = attributes.filter((a) => a.startsWith('Max-Age='));
    expect(Number(maxAge?.slice('Max-Age='.length))).toBeGreaterThan(590);
    expect(Number(maxAge?.slice('Max-Age='.length))).toBeLessThanOrEqual(600);
    expect(
      attributes
        .filter((a) => a !== maxAge)
        .slice(1)
        .sort(),
    ).toEqual(['HttpOnly', 'Path=/', 'SameSite=Strict', 'Secure'].sort());
    // The page's form is sent with its true Origin: its referrer policy is same-origin (header and
    // meta tag: under no-referrer Chromium sends `Origin: null` even to the page's own origin).
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    expect(await res.text()).toContain('<meta name="referrer" content="same-origin">');
  });

  it('lets one browser finish two sign-ins that overlap (two terminals), each with its own cookie', async () => {
    const email = newEmail('two-terminals');
    await activeAccount(email);
    const first = await startLogin();
    const second = await startLogin();
    const browser = newBrowser();
    const firstBack = await signInAtGoogle(first.url, email);
    expect((await callback(firstBack, browser)).status).toBe(200);
    const secondBack = await signInAtGoogle(second.url, email);
    expect((await callback(secondBack, browser)).status).toBe(200);
    expect((await enterCode(stateOf(firstBack), first.code, browser)).status).toBe(200);
    expect((await enterCode(stateOf(secondBack), second.code, browser)).status).toBe(200);
    expect((await poll(first.session)).status).toBe(200);
    expect((await poll(second.session)).status).toBe(200);
  });

  it('lets the same browser finish, and then forgets the cookie', async () => {
    const email = newEmail('same-browser');
    await activeAccount(email);
    const started = await startLogin();
    const back = await signInAtGoogle(started.url, email);
    const browser: Browser = newBrowser();
    expect((await callback(back, browser)).status).toBe(200);
    expect(browser.cookies.size).toBe(1);
    expect((await enterCode(stateOf(back), started.code, browser)).status).toBe(200);
    expect(browser.cookies.size).toBe(0);
    expect((await poll(started.session)).status).toBe(200);
  });
});

describe('GET/POST /oauth/google/callback on the network the terminal started from', () => {
  it('asks for one press of a button instead of the code, for clients that show none', async () => {
    const email = newEmail('same-network');
    await activeAccount(email);
    const started = await startLogin(sourceIp);
    const back = await signInAtGoogle(started.url, email);
    const browser = newBrowser(sourceIp);
    const form = await callback(back, browser);
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toMatch(/Sign in to the terminal that asked at \d\d:\d\d UTC from this network/);
    expect(html).not.toContain('name="code"');
    const done = await pressSignIn(stateOf(back), browser);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('you are logged in there');
    expect((await poll(started.session)).status).toBe(200);
  });

  it('never offers it for a signup: a link sent to a neighbour would tie the sender’s signup to their Google account', async () => {
    const attacker = await startSignup(sourceIp);
    const back = await signInAtGoogle(attacker.url, newEmail('neighbour'));
    // The neighbour shares the sender's office network (one NAT, one IP).
    const neighbours = newBrowser(sourceIp);
    const html = await (await callback(back, neighbours)).text();
    expect(html).toContain('name="code"');
    expect(html).not.toContain('Sign in to the terminal that asked at');
    expect((await pressSignIn(stateOf(back), neighbours)).status).toBe(400);
    expect((await poll(attacker.session)).status).toBe(204);
  });

  it('offers it only on a network the account has logged in from: a neighbour’s link gets the code form', async () => {
    const victim = newEmail('office-neighbour');
    await activeAccount(victim);
    // Attacker and victim share a network the victim has never logged in from.
    const office = uniqueIp();
    const attacker = await startLogin(office);
    const back = await signInAtGoogle(attacker.url, victim);
    const victims = newBrowser(office);
    expect(await (await callback(back, victims)).text()).toContain('name="code"');
    expect((await pressSignIn(stateOf(back), victims)).status).toBe(400);
    expect((await poll(attacker.session)).status).toBe(204);
  });

  it('still offers it after the account moves to another address: its networks go with it', async () => {
    const old = newEmail('moving-button');
    const key = await activeAccount(old);
    const next = newEmail('moved-button');
    const home = await loggedInFrom(old);
    await completeChange(key, old, next);
    const started = await startLogin(home);
    const back = await signInAtGoogle(started.url, next);
    const browser = newBrowser(home);
    expect(await (await callback(back, browser)).text()).toContain('Sign in to the terminal that asked at');
    expect((await pressSignIn(stateOf(back), browser)).status).toBe(200);
    expect((await poll(started.session)).status).toBe(200);
  });

  it('asks for the code when whether the account trusts the network cannot be read', async () => {
    const email = newEmail('trust-unread');
    await activeAccount(email);
    const home = await loggedInFrom(email);
    const started = await startLogin(home);
    const back = await signInAtGoogle(started.url, email);
    const browser = newBrowser(home);
    const failed = meanwhile(
      'GetItemCommand',
      () => Promise.reject(new Error('DynamoDB is unreachable')),
      (input) => JSON.stringify(input.Key ?? {}).includes('TRUSTED#'),
    );
    const form = await callback(back, browser);
    expect(failed()).toBe(true);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('name="code"');
    expect((await enterCode(stateOf(back), started.code, browser)).status).toBe(200);
    expect((await poll(started.session)).status).toBe(200);
  });

  it('offers it only for a sign-in the terminal started just now (3 minutes)', async () => {
    const email = newEmail('stale-button');
    await activeAccount(email);
    const started = await startLogin(sourceIp);
    await startedMinutesAgo(started.session, 4);
    const back = await signInAtGoogle(started.url, email);
    const browser = newBrowser(sourceIp);
    expect(await (await callback(back, browser)).text()).toContain('name="code"');
    expect((await pressSignIn(stateOf(back), browser)).status).toBe(400);
    expect((await enterCode(stateOf(back), started.code, browser)).status).toBe(200);
  });

  it('wants the code from a browser on another network, or a post that moved there', async () => {
    const email = newEmail('other-network');
    await activeAccount(email);
    const started = await startLogin();
    const back = await signInAtGoogle(started.url, email);
    const elsewhere = newBrowser();
    expect(await (await callback(back, elsewhere)).text()).toContain('type the code your terminal shows');
    const refused = await pressSignIn(stateOf(back), elsewhere);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain(escapeHtml(CODE_NEEDED));
    expect((await poll(started.session)).status).toBe(204);
    // The page shown on the terminal's network, its button pressed from another: the code again.
    const second = await startLogin(sourceIp);
    const again = await signInAtGoogle(second.url, email);
    const moving = newBrowser(sourceIp);
    expect((await callback(again, moving)).status).toBe(200);
    const moved = { ...moving, ip: elsewhere.ip };
    expect((await pressSignIn(stateOf(again), moved)).status).toBe(400);
    expect((await poll(second.session)).status).toBe(204);
  });

  it('keeps the cookie and origin checks: the button pressed by anyone else completes nothing', async () => {
    const email = newEmail('same-network-csrf');
    await activeAccount(email);
    const started = await startLogin(sourceIp);
    const back = await signInAtGoogle(started.url, email);
    const victims = newBrowser(sourceIp);
    expect((await callback(back, victims)).status).toBe(200);
    expect((await pressSignIn(stateOf(back), newBrowser(sourceIp))).status).toBe(403);
    expect(
      (
        await enterCode(stateOf(back), undefined, victims, {
          origin: 'http://evil.example',
          'sec-fetch-site': 'cross-site',
        })
      ).status,
    ).toBe(403);
    expect((await poll(started.session)).status).toBe(204);
  });
});

describe('the page after Google says only what is true', () => {
  it('says there is no account for the address, and the poll agrees', async () => {
    const started = await startLogin();
    const page = await finishSignIn(started, newEmail('nobody'));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<h1>Not signed in</h1>');
    expect(html).toContain('No Gatehouse account uses this Google account');
    expect((await poll(started.session)).status).toBe(401);
  });

  it('says to look at the terminal when what it will meet cannot be read: the sign-in is done all the same', async () => {
    const email = newEmail('outlook-down');
    await activeAccount(email);
    const started = await startLogin();
    const back = await signInAtGoogle(started.url, email);
    const browser = newBrowser();
    expect((await callback(back, browser)).status).toBe(200);
    const failed = meanwhile(
      'GetItemCommand',
      () => Promise.reject(new Error('DynamoDB is unreachable')),
      (input) => JSON.stringify(input.Key ?? {}).includes('IDENTITY#'),
    );
    const page = await enterCode(stateOf(back), started.code, browser);
    expect(failed()).toBe(true);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Return to your terminal: it says whether you are logged in.');
    expect((await poll(started.session)).status).toBe(200);
  });
});

describe('POST /oauth/google/callback with the second factor, when MFA is on', () => {
  /** A login of an MFA account finished with the button: the page then asks for the factor. */
  async function atTheMfaForm() {
    const account = await mfaAccount(newEmail('google-mfa-page'));
    // The owner logs in from home once (password and a recovery code): home is trusted.
    const home = uniqueIp();
    const login = await call(
      'GET',
      `/api/login?mfa_token=${account.recoveryCodes[9]}`,
      { headers: { authorization: basic(account.email, PASSWORD) } },
      home,
    );
    expect(login.status).toBe(200);
    const started = await startLogin(home);
    const back = await signInAtGoogle(started.url, account.email);
    const browser = newBrowser(home);
    expect((await callback(back, browser)).status).toBe(200);
    const form = await pressSignIn(stateOf(back), browser);
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toContain('Multi-factor authentication is on for this account');
    expect(html).toContain('name="mfa_token"');
    return { account, started, state: stateOf(back), browser };
  }
  const giveFactor = (state: string, mfa_token: string, browser: Browser, headers = SAME_ORIGIN()) =>
    enterCodeWith(state, { mfa_token }, browser, headers);

  it('takes the code on the page, so that a bare poll (the Gigalixir client’s) gets the key', async () => {
    const { account, started, state, browser } = await atTheMfaForm();
    // Until the page has the code, the poll waits, as it waits for Google.
    expect((await poll(started.session)).status).toBe(204);
    const wrong = await giveFactor(state, wrongCode(account.secret), browser);
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain(escapeHtml(SECOND_FACTOR_WRONG));
    expect((await poll(started.session)).status).toBe(204);
    const done = await giveFactor(state, codeAt(account.secret, 1), browser);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('you are logged in there');
    expect(browser.cookies.size).toBe(0);
    const res = await poll(started.session);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: { email: string } }).data.email).toBe(account.email);
  });

  it('takes it from that browser and page only: another browser or site is refused and spends nothing', async () => {
    const { account, started, state, browser } = await atTheMfaForm();
    expect((await giveFactor(state, codeAt(account.secret, 1), newBrowser())).status).toBe(403);
    expect(
      (
        await giveFactor(state, codeAt(account.secret, 1), browser, {
          origin: 'http://evil.example',
          'sec-fetch-site': 'cross-site',
        })
      ).status,
    ).toBe(403);
    expect((await poll(started.session)).status).toBe(204);
    expect((await giveFactor(state, codeAt(account.secret, 1), browser)).status).toBe(200);
  });

  it('still lets the terminal give the code with its poll instead', async () => {
    const { account, started } = await atTheMfaForm();
    expect((await poll(started.session, wrongCode(account.secret))).status).toBe(303);
    expect((await poll(started.session, codeAt(account.secret, 1))).status).toBe(200);
  });

  it('leaves the factor to the terminal when the sign-in was finished with its code: a phished code gets no factor typed here', async () => {
    const account = await mfaAccount(newEmail('google-mfa-terminal'));
    const started = await startLogin();
    const back = await signInAtGoogle(started.url, account.email);
    const browser = newBrowser();
    expect((await callback(back, browser)).status).toBe(200);
    const kept = new Map(browser.cookies);
    const page = await enterCode(stateOf(back), started.code, browser);
    const html = await page.text();
    expect(html).toContain('MFA is on for this account, so it asks for a code');
    expect(html).not.toContain('name="mfa_token"');
    expect((await poll(started.session)).status).toBe(303);
    // The page forgot its cookie: a factor posted anyway is refused, and spends nothing.
    const typed = await giveFactor(stateOf(back), codeAt(account.secret, 1), browser);
    expect(typed.status).toBe(403);
    // A browser that kept it anyway is told the terminal takes the factor.
    const keeping = { ...browser, cookies: kept };
    const refused = await giveFactor(stateOf(back), codeAt(account.secret, 1), keeping);
    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain(escapeHtml(FACTOR_AT_TERMINAL));
    expect((await poll(started.session)).status).toBe(303);
    expect((await poll(started.session, codeAt(account.secret, 1))).status).toBe(200);
  });

  it('mints a key whose factor, typed on the page, stands for a fresh code only beside the password', async () => {
    const { account, started, state, browser } = await atTheMfaForm();
    expect((await giveFactor(state, codeAt(account.secret, 1), browser)).status).toBe(200);
    const { key } = ((await (await poll(started.session)).json()) as { data: { key: string } }).data;
    // A key alone (the terminal may be a neighbour's, sent the link) mints no new recovery codes...
    const renewed = await call('POST', '/api/mfa/recovery_codes', withKey(key, {}));
    expect(renewed.status).toBe(400);
    // ...but with the password (as the Gigalixir CLI sends it to delete), the page's code counts.
    const off = await call('DELETE', '/api/mfa', withKey(key, { current_password: PASSWORD }));
    expect(off.status).toBe(200);
  });

  it('wants the factor again when MFA was turned off and on since the page took it', async () => {
    const { account, started, state, browser } = await atTheMfaForm();
    expect((await giveFactor(state, codeAt(account.secret, 1), browser)).status).toBe(200);
    await touchProfile(await userIdOf(account.email), { mfaEnabledAt: new Date().toISOString() });
    expect((await poll(started.session)).status).toBe(204);
  });
});
