// The web console driven as a browser drives it, without one: form posts, the session cookie
// carried by hand. (test/e2e/console.test.ts drives the same pages in Chromium.)
import { expect } from 'vitest';
import { activeAccount, call } from './flows.ts';
import { form, newEmail, PASSWORD } from './http.ts';

/** The cookies' names: `__Host-` when the pages are served over HTTPS (PUBLIC_BASE_URL). */
const prefix = () =>
  new URL(process.env.PUBLIC_BASE_URL ?? 'http://localhost').protocol === 'https:' ? '__Host-' : '';
export const sessionCookie = () => `${prefix()}gatehouse-console`;
export const challengeCookie = () => `${prefix()}gatehouse-console-mfa`;
export const googleCookie = () => `${prefix()}gatehouse-console-google`;

/** `name=value` of each cookie a response sets (to send back as a Cookie header). */
export function cookiesOf(res: Response): Record<string, string> {
  const jar: Record<string, string> = {};
  for (const line of res.headers.getSetCookie()) {
    const [pair = ''] = line.split(';');
    const at = pair.indexOf('=');
    jar[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return jar;
}

export const cookieHeader = (jar: Record<string, string>): string =>
  Object.entries(jar)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');

/** A form post of the console, with cookies and any extra headers (Origin, Sec-Fetch-Site). */
export const post = (
  path: string,
  fields: Record<string, string>,
  cookies: Record<string, string> = {},
  headers: Record<string, string> = {},
  ip?: string,
) => {
  const init = form(fields);
  return call(
    'POST',
    path,
    {
      ...init,
      headers: { ...(init.headers as Record<string, string>), cookie: cookieHeader(cookies), ...headers },
    },
    ip,
  );
};

export const get = (path: string, cookies: Record<string, string> = {}) =>
  call('GET', path, { headers: { cookie: cookieHeader(cookies) } });

/** Signs in (no MFA) and answers the session's cookies. */
export async function consoleSession(email: string, password = PASSWORD): Promise<Record<string, string>> {
  const res = await post('/console/login', { email, password });
  expect(res.status, await res.clone().text()).toBe(303);
  expect(res.headers.get('location')).toBe('/console');
  return cookiesOf(res);
}

/** The form token in a console page. */
export async function formTokenIn(res: Response): Promise<string> {
  const token = /name="form_token" value="([0-9a-f]{64})"/.exec(await res.text())?.[1];
  expect(token).toBeDefined();
  return token ?? '';
}

/** Signs in with MFA on: the password, then `code` on the second form; answers the session's cookies. */
export async function consoleSessionWithCode(
  email: string,
  code: string,
  password = PASSWORD,
): Promise<Record<string, string>> {
  const first = await post('/console/login', { email, password });
  expect(first.status).toBe(200);
  const done = await post('/console/login', { code }, cookiesOf(first));
  expect(done.status, await done.clone().text()).toBe(303);
  return cookiesOf(done);
}

/** A new confirmed account signed in to the console, on `page`: its API key, cookies and form token. */
export async function signedInOn(page: string, tag: string) {
  const email = newEmail(tag);
  const key = await activeAccount(email);
  const cookies = await consoleSession(email);
  const res = await get(page, cookies);
  expect(res.status).toBe(200);
  return { email, key, cookies, token: await formTokenIn(res) };
}
