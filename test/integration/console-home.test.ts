// GET /console: the signed-in front page, and every way a session ends.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { consoleSession, get, sessionCookie } from '../support/console.ts';
import { activeAccount, call } from '../support/flows.ts';
import { newEmail } from '../support/http.ts';
import { bearer, storedKey, storedKeyOf } from '../support/keys.ts';
import { suspended } from '../support/suspension.ts';
import { direct } from '../support/table.ts';

const keyIn = (cookies: Record<string, string>) => cookies[sessionCookie()] ?? '';
const setOnKey = (key: string, values: Record<string, number>) =>
  direct.send(
    new UpdateCommand({
      TableName: process.env.TABLE_NAME,
      Key: storedKeyOf(key),
      UpdateExpression: `SET ${Object.keys(values)
        .map((k) => `${k} = :${k}`)
        .join(', ')}`,
      ExpressionAttributeValues: Object.fromEntries(Object.entries(values).map(([k, v]) => [`:${k}`, v])),
    }),
  );

describe('GET /console', () => {
  it('shows the account to its session: address, tier and limits, credit, MFA', async () => {
    const email = newEmail('home');
    await activeAccount(email);
    const page = await get('/console', await consoleSession(email));
    expect(page.status).toBe(200);
    const html = await page.text();
    for (const text of [
      email,
      'FREE',
      '1 instance of 0.2 GB, 1 database of 10,000 rows',
      '$0.00',
      'Off',
      'Sign out',
    ])
      expect(html).toContain(text);
    expect(html).not.toContain('<script');
  });

  it('sends a browser without a live session to the login page, and drops its cookie', async () => {
    const email = newEmail('home-gone');
    await activeAccount(email);
    const none = await get('/console');
    expect(none.status).toBe(303);
    expect(none.headers.get('location')).toBe('/console/login');
    expect((await get('/console', { [sessionCookie()]: 'not a key' })).status).toBe(303);

    // Revoked with the other keys (DELETE /api/api_keys/{id} from the CLI).
    const cookies = await consoleSession(email);
    const key = keyIn(cookies);
    const listed = (await (await call('GET', '/api/api_keys', bearer(key))).json()) as {
      data: { id: string; current: boolean }[];
    };
    const id = listed.data.find((k) => k.current)?.id ?? '';
    expect((await call('DELETE', `/api/api_keys/${id}`, bearer(key))).status).toBe(200);
    const revoked = await get('/console', cookies);
    expect(revoked.status).toBe(303);
    expect(revoked.headers.getSetCookie().join()).toMatch(new RegExp(`${sessionCookie()}=;`));
  });

  it('ends a session idle past 12 hours (its key revoked) and one past its 7 days', async () => {
    const email = newEmail('home-idle');
    await activeAccount(email);
    const now = Math.floor(Date.now() / 1000);
    const idle = await consoleSession(email);
    await setOnKey(keyIn(idle), { lastUsedAt: now - 13 * 3600 });
    expect((await get('/console', idle)).status).toBe(303);
    expect(await storedKey(keyIn(idle))).toBeUndefined();

    const old = await consoleSession(email);
    expect((await get('/console', old)).status).toBe(200);
    await setOnKey(keyIn(old), { keyExpiresAt: now - 1 });
    expect((await get('/console', old)).status).toBe(303);
  });

  it('tells a suspended account so', async () => {
    const email = newEmail('home-suspended');
    await activeAccount(email);
    const cookies = await consoleSession(email);
    await suspended(email);
    const page = await get('/console', cookies);
    expect(page.status).toBe(403);
    expect(await page.text()).toContain('This account is suspended');
  });
});
