// Google sign-in as a user goes through it, against the local stand-in for Google
// (local/fake-google.ts): the client starts, the "user" signs in at the provider's page, the
// browser follows the redirect to our callback, the client polls.

import { expect } from 'vitest';
import { type FakeGoogle, startFakeGoogle } from '../../local/fake-google.ts';
import { call } from './flows.ts';
import { json } from './http.ts';
import { uniqueIp } from './ips.ts';
import { useStandIn } from './stand-in.ts';

/** The stand-in for Google for this test file. */
export const useFakeGoogle = (): (() => FakeGoogle) => useStandIn(() => startFakeGoogle());

/**
 * The user at Google's page: signs in as `email` and is sent back with a code. Returns the
 * callback URL (path and query) the browser would open; `claims` override the token's claims.
 */
export async function signInAtGoogle(
  authorizationUrl: string,
  email: string,
  claims?: object,
): Promise<string> {
  const url = new URL(authorizationUrl);
  const form = new URLSearchParams({
    ...Object.fromEntries(url.searchParams),
    email,
    ...(claims ? { claims: JSON.stringify(claims) } : {}),
  });
  const res = await fetch(`${url.origin}/authorize`, { method: 'POST', body: form, redirect: 'manual' });
  expect(res.status).toBe(302);
  const back = new URL(res.headers.get('location') as string);
  return `${back.pathname}${back.search}`;
}

/**
 * One browser: the cookies it was given, which it sends back with its own form posts, and the
 * source address it connects from: by default another network than the terminal's (the tests'
 * own `sourceIp`), so that the page asks for the terminal's code.
 */
export interface Browser {
  readonly cookies: Map<string, string>;
  readonly ip: string;
}

export const newBrowser = (ip = uniqueIp()): Browser => ({
  cookies: new Map(),
  ip,
});

const keep = (browser: Browser, res: Response) => {
  for (const line of res.headers.getSetCookie()) {
    const [pair = ''] = line.split(';');
    const eq = pair.indexOf('=');
    const [name, value] = [pair.slice(0, eq), pair.slice(eq + 1)];
    if (/max-age=0/i.test(line) || value === '') browser.cookies.delete(name);
    else browser.cookies.set(name, value);
  }
  return res;
};

const cookieHeader = (browser: Browser) =>
  [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ');

/** What a browser says of a form posted from a page of the API's own origin. */
export const SAME_ORIGIN = (): { origin: string; 'sec-fetch-site': string } => ({
  origin: new URL(String(process.env.PUBLIC_BASE_URL)).origin,
  'sec-fetch-site': 'same-origin',
});

/** The browser, back from Google, opens the callback URL (with the cookies it holds). */
export const callback = async (pathAndQuery: string, browser: Browser = newBrowser()) =>
  keep(
    browser,
    await call(
      'GET',
      pathAndQuery,
      browser.cookies.size ? { headers: { cookie: cookieHeader(browser) } } : {},
      browser.ip,
    ),
  );

/**
 * The console sign-in page's "Sign in with Google", pressed in `browser` (by default with the
 * headers of the page's own form): its answer, the browser keeping the cookie it was given.
 */
export const startConsoleGoogle = async (browser: Browser, headers: Record<string, string> = SAME_ORIGIN()) =>
  keep(
    browser,
    await call(
      'POST',
      '/console/login/google',
      {
        body: new URLSearchParams(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      },
      browser.ip,
    ),
  );

/** The console's finish page: opened (GET), or its code form posted. */
export const consoleGoogleFinish = async (
  browser: Browser,
  code?: string,
  headers: Record<string, string> = SAME_ORIGIN(),
) =>
  keep(
    browser,
    await call(
      code === undefined ? 'GET' : 'POST',
      '/console/login/google/finish',
      {
        ...(code === undefined ? {} : { body: new URLSearchParams({ code }) }),
        headers: {
          ...(code === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded', ...headers }),
          ...(browser.cookies.size ? { cookie: cookieHeader(browser) } : {}),
        },
      },
      browser.ip,
    ),
  );

/**
 * A console's Google sign-in up to the finish page: started in `browser`, signed in at Google as
 * `email`, back through the callback (303 to the finish page). Answers the callback's URL.
 */
export async function consoleGoogleUpToFinish(browser: Browser, email: string): Promise<string> {
  const start = await startConsoleGoogle(browser);
  expect(start.status).toBe(303);
  const back = await signInAtGoogle(start.headers.get('location') as string, email);
  const res = await callback(back, browser);
  expect(res.status, await res.clone().text()).toBe(303);
  expect(res.headers.get('location')).toBe('/console/login/google/finish');
  return back;
}

/**
 * The form on the callback page: the code from the terminal, posted by `browser` with its cookies
 * and `headers` (by default those of the page's own form).
 */
export const enterCode = (
  state: string,
  code: string | undefined,
  browser: Browser,
  headers: Record<string, string> = SAME_ORIGIN(),
) => enterCodeWith(state, code === undefined ? {} : { code }, browser, headers);

/** A form of the callback page (the terminal's code, the button, the second factor) posted. */
export const enterCodeWith = async (
  state: string,
  fields: Record<string, string>,
  browser: Browser,
  headers: Record<string, string> = SAME_ORIGIN(),
) =>
  keep(
    browser,
    await call(
      'POST',
      '/oauth/google/callback',
      {
        body: new URLSearchParams({ state, ...fields }),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(browser.cookies.size ? { cookie: cookieHeader(browser) } : {}),
          ...headers,
        },
      },
      browser.ip,
    ),
  );

/** The one button of the page a browser on the terminal's network gets: no code. */
export const pressSignIn = (state: string, browser: Browser) => enterCode(state, undefined, browser);

export const stateOf = (pathAndQuery: string): string =>
  new URL(pathAndQuery, 'https://x').searchParams.get('state') as string;

export interface Started {
  readonly url: string;
  readonly session: string;
  /** What the terminal shows. */
  readonly code: string;
}

/** Google, then the callback page, then the terminal's code: the page the user ends on. */
export async function finishSignIn(start: Started, email: string, claims?: object): Promise<Response> {
  const back = await signInAtGoogle(start.url, email, claims);
  const browser = newBrowser();
  const page = await callback(back, browser);
  if (page.status !== 200) return page;
  return enterCode(stateOf(back), start.code, browser);
}

export const poll = (session: string, mfaToken?: string) =>
  call(
    'GET',
    `/api/oauth/google/${session}${mfaToken === undefined ? '' : `?mfa_token=${encodeURIComponent(mfaToken)}`}`,
  );

/** A Google login started by a terminal at `ip` (by default a network of its own). */
export async function startLogin(ip = uniqueIp()): Promise<Started> {
  const start = await call('POST', '/api/oauth/google', {}, ip);
  expect(start.status).toBe(201);
  return ((await start.json()) as { data: Started }).data;
}

/** A Google login up to the poll: started, signed in at Google, code given back. */
export async function googleLoginSession(
  email: string,
  claims?: object,
): Promise<{ session: string; page: Response }> {
  const started = await startLogin();
  return { session: started.session, page: await finishSignIn(started, email, claims) };
}

/** A Google signup started from `ip`: its session, URL, terminal code and uuid. */
export async function startSignup(ip?: string): Promise<Started & { uuid: string }> {
  const start = await call('POST', '/api/signup', json({ oauth: 'google' }), ip);
  expect(start.status).toBe(200);
  return ((await start.json()) as { data: Started & { uuid: string } }).data;
}

/** A Google signup up to the tier step: returns the signup's uuid once the poll gave the address. */
export async function googleSignupSession(email: string): Promise<{ uuid: string; poll: Response }> {
  const start = await call('POST', '/api/signup', json({ oauth: 'google' }));
  expect(start.status).toBe(200);
  const { data } = (await start.json()) as { data: Started & { uuid: string } };
  expect((await finishSignIn(data, email)).status).toBe(200);
  return { uuid: data.uuid, poll: await poll(data.session) };
}
