// The console's cookies, read and written here rather than with hono/cookie: each is one of our
// own secrets (URL-safe characters) with the same few attributes, and Hono's module (signed
// cookies, every attribute and its checks) was 2 KB at every console function's cold start.
// test/unit/http/cookies.test.ts holds both to the same headers.
import type { Context } from 'hono';

export interface CookieOptions {
  readonly path: string;
  readonly secure: boolean;
  readonly sameSite: 'Strict' | 'Lax';
}

// RFC 6265's cookie-octet: what a browser sends unquoted; anything else is not one of ours.
const COOKIE_VALUE = /^[!#-+\--:<-[\]-~]*$/;

/**
 * The first cookie of that name in the request (a browser sends the most specific path first), or
 * undefined when it is absent or empty.
 */
export function readCookie(c: Context, name: string): string | undefined {
  const header = c.req.header('cookie');
  if (!header?.includes(name)) return undefined;
  for (const pair of header.split(';')) {
    const at = pair.indexOf('=');
    if (at === -1 || pair.slice(0, at).trim() !== name) continue;
    let value = pair.slice(at + 1).trim();
    if (value.length > 1 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (!COOKIE_VALUE.test(value)) continue;
    try {
      return decodeURIComponent(value) || undefined;
    } catch {
      return value || undefined;
    }
  }
  return undefined;
}

/** Sets the cookie, HttpOnly, for `maxAge` seconds (0 clears it). */
export function writeCookie(
  c: Context,
  name: string,
  value: string,
  options: CookieOptions,
  maxAge: number,
): void {
  // The prefix is the browser's guarantee only when the cookie meets it: a wrong one is our bug.
  if (name.startsWith('__Host-') && (!options.secure || options.path !== '/'))
    throw new Error(`${name} must be Secure with Path=/`);
  c.header(
    'Set-Cookie',
    `${name}=${encodeURIComponent(value)}; Max-Age=${Math.floor(maxAge)}; Path=${options.path}; HttpOnly${options.secure ? '; Secure' : ''}; SameSite=${options.sameSite}`,
    { append: true },
  );
}

export const clearCookie = (c: Context, name: string, options: CookieOptions): void =>
  writeCookie(c, name, '', options, 0);
