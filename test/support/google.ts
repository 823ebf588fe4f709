// Google sign-in as a user goes through it, against the local stand-in for Google
// (local/fake-google.ts): the client starts, the "user" signs in at the provider's page, the
// browser follows the redirect to our callback, the client polls.
import { expect } from 'vitest';
import { type FakeGoogle, startFakeGoogle } from '../../local/fake-google.ts';
import { call } from './flows.ts';
import { json } from './http.ts';
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

export const callback = (pathAndQuery: string) => call('GET', pathAndQuery);

/** The form on the callback page: the code from the terminal. */
export const enterCode = (state: string, code: string) =>
  call('POST', '/oauth/google/callback', {
    body: new URLSearchParams({ state, code }),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });

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
  const page = await callback(back);
  if (page.status !== 200) return page;
  return enterCode(stateOf(back), start.code);
}

export const poll = (session: string, mfaToken?: string) =>
  call(
    'GET',
    `/api/oauth/google/${session}${mfaToken === undefined ? '' : `?mfa_token=${encodeURIComponent(mfaToken)}`}`,
  );

export async function startLogin(): Promise<Started> {
  const start = await call('POST', '/api/oauth/google');
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

/** A Google signup up to the tier step: returns the signup's uuid once the poll gave the address. */
export async function googleSignupSession(email: string): Promise<{ uuid: string; poll: Response }> {
  const start = await call('POST', '/api/signup', json({ oauth: 'google' }));
  expect(start.status).toBe(200);
  const { data } = (await start.json()) as { data: Started & { uuid: string } };
  expect((await finishSignIn(data, email)).status).toBe(200);
  return { uuid: data.uuid, poll: await poll(data.session) };
}
