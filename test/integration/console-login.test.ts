// GET and POST /console/login: the console's sign-in, the same login as GET /api/login.
import { describe, expect, it } from 'vitest';
import { ACCOUNT_SUSPENDED, CONFIRM_FIRST } from '#domain/messages.ts';
import { escapeHtml } from '#shared/html.ts';
import { challengeCookie, cookiesOf, get, post, sessionCookie } from '../support/console.ts';
import { userIdOf } from '../support/deletion.ts';
import { activeAccount, call, signUp } from '../support/flows.ts';
import { newEmail, PASSWORD } from '../support/http.ts';
import { bearer } from '../support/keys.ts';
import { codeAt, mfaAccount, wrongCode } from '../support/mfa.ts';
import { meanwhile, touchProfile } from '../support/race.ts';
import { suspended } from '../support/suspension.ts';
import { itemsAbout } from '../support/table.ts';

const keysOf = async (email: string) =>
  (await itemsAbout(email)).filter((i) => i.type === 'userApiKey') as Record<string, unknown>[];

describe('/console/login', () => {
  it('shows the form, and sends a browser signed in already to the console', async () => {
    const page = await get('/console/login');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<label for="email">');
    expect(html).not.toContain('<script');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('cache-control')).toBe('no-store');
    const again = await get('/console/login', { [sessionCookie()]: 'anything' });
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe('/console');
  });

  it('signs in with the password: a browser key named "Web console", in an HttpOnly Lax cookie', async () => {
    const email = newEmail('console');
    await activeAccount(email);
    const res = await post('/console/login', { email: email.toUpperCase(), password: PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${sessionCookie()}=`)) ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Max-Age=604800/);
    const key = cookiesOf(res)[sessionCookie()] ?? '';
    const stored = (await keysOf(email)).find((k) => k.kind === 'browser');
    expect(stored).toMatchObject({ name: 'Web console', kind: 'browser', keyExpiresAt: expect.any(Number) });
    // The session is a key like the others: listed, and it works.
    const listed = await call('GET', '/api/api_keys', bearer(key));
    expect(listed.status).toBe(200);
    expect(JSON.stringify(await listed.json())).toContain('Web console');
  });

  it('answers a wrong password, an unknown address and a non-address alike (401, the address kept)', async () => {
    const email = newEmail('console-wrong');
    await activeAccount(email);
    for (const [address, password] of [
      [email, 'not the password'],
      [newEmail('nobody'), PASSWORD],
      ['not an address', PASSWORD],
    ] as const) {
      const res = await post('/console/login', { email: address, password });
      expect(res.status).toBe(401);
      const html = await res.text();
      expect(html).toContain('The address or the password is wrong.');
      expect(html).toContain(`value="${address}"`);
      expect(res.headers.getSetCookie()).toEqual([]);
    }
    // An unconfirmed address is told so, with the right password only.
    const unconfirmed = newEmail('console-unconfirmed');
    await signUp(unconfirmed);
    const told = await post('/console/login', { email: unconfirmed, password: PASSWORD });
    expect(told.status).toBe(401);
    expect(await told.text()).toContain(escapeHtml(CONFIRM_FIRST));
  });

  it('asks for the second factor with MFA on, and signs in with a code', async () => {
    const account = await mfaAccount(newEmail('console-mfa'));
    const first = await post('/console/login', { email: account.email, password: PASSWORD });
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('<label for="code">');
    const challenge = cookiesOf(first);
    expect(Object.keys(challenge)).toEqual([challengeCookie()]);
    // No password on the second form: the challenge cookie stands for it.
    const wrong = await post('/console/login', { code: wrongCode(account.secret) }, challenge);
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('<label for="code">');
    const done = await post('/console/login', { code: codeAt(account.secret, 1) }, challenge);
    expect(done.status).toBe(303);
    expect(cookiesOf(done)[sessionCookie()]).toMatch(/^gh_/);
    // Spent: the same challenge signs in no second browser.
    const replay = await post('/console/login', { code: codeAt(account.secret, 2) }, challenge);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('This sign-in expired');
    // Without any challenge the code form leads back to the password.
    expect((await post('/console/login', { code: '123456' })).status).toBe(400);
  });

  it('refuses a post from another site, and a suspended account after its password', async () => {
    const email = newEmail('console-403');
    await activeAccount(email);
    const cross = await post(
      '/console/login',
      { email, password: PASSWORD },
      {},
      { 'sec-fetch-site': 'cross-site' },
    );
    expect(cross.status).toBe(403);
    expect(cross.headers.getSetCookie()).toEqual([]);
    await suspended(email);
    const res = await post('/console/login', { email, password: PASSWORD });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain(escapeHtml(ACCOUNT_SUSPENDED));
  });

  it('answers 409 when the account changed during the sign-in, and leaves no session', async () => {
    const email = newEmail('console-race');
    await activeAccount(email);
    const userId = await userIdOf(email);
    const before = (await keysOf(email)).length;
    const ran = meanwhile(
      'BatchWriteItemCommand',
      () => touchProfile(userId, { mfaEnabled: true }),
      (input) => JSON.stringify(input).includes('APIKEY#'),
    );
    const res = await post('/console/login', { email, password: PASSWORD });
    expect(ran()).toBe(true);
    expect(res.status).toBe(409);
    expect(res.headers.getSetCookie()).toEqual([]);
    expect((await keysOf(email)).length).toBe(before);
  });

  it('answers 429 after five wrong passwords from one source', async () => {
    const email = newEmail('console-429');
    await activeAccount(email);
    for (let i = 0; i < 5; i++)
      expect((await post('/console/login', { email, password: `wrong ${i} password` })).status).toBe(401);
    const res = await post('/console/login', { email, password: PASSWORD });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
