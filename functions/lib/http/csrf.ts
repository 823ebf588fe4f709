// Binding a form post to the browser and the page it came from, for the one page whose post
// completes something for a session that is not the post's own (Google sign-in's code form: see
// docs/security.md for why the other pages' posts need no such binding). Two checks, each enough
// on its own in a current browser: the headers the browser writes itself say the post came from
// one of our own pages, and a cookie set by our page (SameSite=Strict, so never sent along with a
// cross-site post) carries the secret the session was bound to.
import type { Context } from 'hono';
import type { ReferrerPolicy } from '#shared/html.ts';
import { type CookieOptions, clearCookie, readCookie, writeCookie } from './cookies.ts';

/** The cookie's name: `__Host-` (Secure, Path=/, no Domain, enforced by browsers) over HTTPS. */
const cookieName = (secure: boolean, base: string) => (secure ? `__Host-${base}` : base);

export interface BrowserCookie {
  /** Sets the cookie for `seconds` (at most). */
  set(c: Context, value: string, seconds: number): void;
  get(c: Context): string | undefined;
  clear(c: Context): void;
}

/**
 * A short-lived secret for the browser at `publicBaseUrl`: HttpOnly, SameSite=Strict, Secure and
 * `__Host-` over HTTPS; over plain HTTP (the local stack) no prefix, and Path is the page's own.
 * Lax only for a cookie that must come back with the navigation from another site (Google's
 * redirect to the callback), which Strict would hold back.
 */
export function browserCookie(
  base: string,
  publicBaseUrl: string,
  path: string,
  sameSite: 'Strict' | 'Lax' = 'Strict',
): BrowserCookie {
  const secure = new URL(publicBaseUrl).protocol === 'https:';
  const name = cookieName(secure, base);
  const options: CookieOptions = { secure, sameSite, path: secure ? '/' : path };
  return {
    set: (c, value, seconds) => writeCookie(c, name, value, options, Math.max(1, seconds)),
    get: (c) => readCookie(c, name),
    clear: (c) => clearCookie(c, name, options),
  };
}

/**
 * True unless the browser says the post came from elsewhere: `Sec-Fetch-Site` other than
 * same-origin, or an `Origin` other than ours (`null` included: a page of ours sends its origin,
 * its referrer policy being same-origin). Clients that send neither (no browser does on a post)
 * still need the cookie.
 */
export function fromOwnPage(c: Context, publicBaseUrl: string): boolean {
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin') return false;
  const origin = c.req.header('origin');
  return origin === undefined || origin === new URL(publicBaseUrl).origin;
}

/**
 * A page whose own form posts must carry their origin: same-origin referrers only (header and meta
 * tag alike: under no-referrer, browsers send `Origin: null` even to the page's own origin).
 */
export const SAME_ORIGIN_REFERRER = 'same-origin' satisfies ReferrerPolicy;
