// POST /console/login/google: the console's "Sign in with Google". The browser is sent to Google
// with the session's id in a Lax cookie, which the callback will want back; nothing starts from
// another site's post.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { keys } from '#data/keys.ts';
import { digest } from '#domain/tokens.ts';
import { cookiesOf, get, googleCookie } from '../support/console.ts';
import { newBrowser, startConsoleGoogle, useFakeGoogle } from '../support/google.ts';
import { fillWindow } from '../support/ips.ts';
import { direct } from '../support/table.ts';

const google = useFakeGoogle();

describe('POST /console/login/google', () => {
  it('the sign-in page offers it, its form allowed to end at Google', async () => {
    const page = await get('/console/login');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<form method="post" action="/console/login/google"');
    expect(html).toContain('Sign in with Google');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`form-action 'self' ${google().url}`);
  });

  it('sends the browser to Google, with the session id in an HttpOnly, Lax cookie of ten minutes', async () => {
    const browser = newBrowser();
    const res = await startConsoleGoogle(browser);
    expect(res.status).toBe(303);
    const to = new URL(res.headers.get('location') as string);
    expect(`${to.origin}${to.pathname}`).toBe(`${google().url}/authorize`);
    expect(to.searchParams.get('client_id')).toBe(google().clientId);
    expect(to.searchParams.get('redirect_uri')).toBe(`${process.env.PUBLIC_BASE_URL}/oauth/google/callback`);
    expect(to.searchParams.get('code_challenge_method')).toBe('S256');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${googleCookie()}=`)) ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Max-Age=600/);
    expect(cookie).toMatch(/Path=\//);
    const session = cookiesOf(res)[googleCookie()] ?? '';
    // The state names the session by its digest only; the id itself stays in the cookie.
    const state = to.searchParams.get('state') ?? '';
    expect(state.startsWith(`${digest(session)}.`)).toBe(true);
    expect(to.toString()).not.toContain(session);
    const { Item } = await direct.send(
      new GetCommand({ TableName: process.env.TABLE_NAME, Key: keys.oauth(digest(session)) }),
    );
    expect(Item).toMatchObject({ purpose: 'console', status: 'pending' });
    // No terminal, so no terminal code.
    expect(Item?.userCodeHash).toBeUndefined();
  });

  it('refuses a post from another site (403): no session, no cookie', async () => {
    const posts: Record<string, string>[] = [
      { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of posts) {
      const res = await startConsoleGoogle(newBrowser(), headers);
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(res.headers.getSetCookie()).toEqual([]);
    }
  });

  it('answers 429 with a page over the IP’s ceiling', async () => {
    const browser = newBrowser();
    await fillWindow('login', browser.ip);
    const res = await startConsoleGoogle(browser);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await res.text()).toContain('Back to sign in');
    expect(res.headers.getSetCookie()).toEqual([]);
  });
});
