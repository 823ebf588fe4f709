// POST /console/logout: the sign-out button revokes the session's key; only its own page may press it.
import { describe, expect, it } from 'vitest';
import { consoleSession, formTokenIn, get, post, sessionCookie } from '../support/console.ts';
import { activeAccount } from '../support/flows.ts';
import { newEmail } from '../support/http.ts';
import { keyStatus } from '../support/keys.ts';
import { suspended } from '../support/suspension.ts';

describe('POST /console/logout', () => {
  it('revokes the session and drops its cookie', async () => {
    const email = newEmail('logout');
    await activeAccount(email);
    const cookies = await consoleSession(email);
    const token = await formTokenIn(await get('/console', cookies));
    const res = await post('/console/logout', { form_token: token }, cookies);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/login');
    expect(await keyStatus(cookies[sessionCookie()] ?? '')).toBe(401);
    expect((await get('/console', cookies)).status).toBe(303);
  });

  it('refuses another site, another session’s token and no token; nothing revoked', async () => {
    const email = newEmail('logout-csrf');
    await activeAccount(email);
    const mine = await consoleSession(email);
    const other = await consoleSession(email);
    const token = await formTokenIn(await get('/console', mine));
    const otherToken = await formTokenIn(await get('/console', other));
    expect(
      (await post('/console/logout', { form_token: token }, mine, { 'sec-fetch-site': 'cross-site' })).status,
    ).toBe(403);
    expect(
      (await post('/console/logout', { form_token: token }, mine, { origin: 'https://evil.example' })).status,
    ).toBe(403);
    expect((await post('/console/logout', { form_token: otherToken }, mine)).status).toBe(403);
    expect((await post('/console/logout', {}, mine)).status).toBe(400);
    expect(await keyStatus(mine[sessionCookie()] ?? '')).toBe(200);
  });

  it('refuses a suspended account’s session with the page that says so', async () => {
    const email = newEmail('logout-suspended');
    await activeAccount(email);
    const cookies = await consoleSession(email);
    const token = await formTokenIn(await get('/console', cookies));
    await suspended(email);
    expect((await post('/console/logout', { form_token: token }, cookies)).status).toBe(403);
  });
});
