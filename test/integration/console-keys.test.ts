// GET and POST /console/keys: the keys and sessions of the account, each revocable from the page.
import { describe, expect, it } from 'vitest';
import { consoleSession, formTokenIn, get, post, sessionCookie } from '../support/console.ts';
import { activeAccount, call } from '../support/flows.ts';
import { newEmail } from '../support/http.ts';
import { bearer, createdKey, keyStatus } from '../support/keys.ts';
import { suspended } from '../support/suspension.ts';
import { itemsAbout } from '../support/table.ts';

const idOf = async (key: string) => {
  const { data } = (await (await call('GET', '/api/api_keys', bearer(key))).json()) as {
    data: { id: string; current: boolean }[];
  };
  return data.find((k) => k.current)?.id ?? '';
};

describe('/console/keys', () => {
  it('lists every key, marks this browser, and revokes one', async () => {
    const email = newEmail('ckeys');
    const cli = await activeAccount(email);
    const ci = await createdKey(cli, { name: 'deploy-bot', scope: 'read' });
    const cookies = await consoleSession(email);
    const page = await get('/console/keys', cookies);
    expect(page.status).toBe(200);
    const html = await page.clone().text();
    for (const text of [
      'Login (CLI or API)',
      'deploy-bot',
      'read',
      'Web console <strong>(this browser)</strong>',
    ])
      expect(html).toContain(text);
    const token = await formTokenIn(page);
    const res = await post('/console/keys', { form_token: token, id: ci.id }, cookies);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/keys?revoked=1');
    expect(await keyStatus(ci.key)).toBe(401);
    expect(await keyStatus(cli)).toBe(200);
    expect(await (await get('/console/keys?revoked=1', cookies)).text()).toContain('1 key(s) revoked.');
    const trail = (await itemsAbout(email)).filter((i) => i.event === 'api_key.revoked');
    expect(trail.map((e) => e.detail)).toEqual([{ keyId: ci.id, via: 'console' }]);
  });

  it('signs out everywhere else, and this browser’s own key signs it out', async () => {
    const email = newEmail('ckeys-others');
    const cli = await activeAccount(email);
    const cookies = await consoleSession(email);
    const token = await formTokenIn(await get('/console/keys', cookies));
    const res = await post('/console/keys', { form_token: token, others: '1' }, cookies);
    expect(res.headers.get('location')).toBe('/console/keys?revoked=1');
    expect(await keyStatus(cli)).toBe(401);
    const own = cookies[sessionCookie()] ?? '';
    const out = await post('/console/keys', { form_token: token, id: await idOf(own) }, cookies);
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/console/login');
    expect(await keyStatus(own)).toBe(401);
  });

  it('refuses a malformed form, an unknown key, another site, and a suspended account', async () => {
    const email = newEmail('ckeys-refused');
    const cli = await activeAccount(email);
    const cookies = await consoleSession(email);
    const token = await formTokenIn(await get('/console/keys', cookies));
    expect((await post('/console/keys', { form_token: token }, cookies)).status).toBe(400);
    expect(
      (await post('/console/keys', { form_token: token, id: await idOf(cli), others: '1' }, cookies)).status,
    ).toBe(400);
    expect((await post('/console/keys', { id: await idOf(cli) }, cookies)).status).toBe(400);
    const unknown = await post(
      '/console/keys',
      { form_token: token, id: '00000000-0000-4000-8000-000000000000' },
      cookies,
    );
    expect(unknown.status).toBe(404);
    expect((await post('/console/keys', { form_token: token, id: 'not-a-uuid' }, cookies)).status).toBe(404);
    const cross = await post('/console/keys', { form_token: token, others: '1' }, cookies, {
      'sec-fetch-site': 'cross-site',
    });
    expect(cross.status).toBe(403);
    expect(await keyStatus(cli)).toBe(200);
    expect((await get('/console/keys')).status).toBe(303);
    await suspended(email);
    expect((await get('/console/keys', cookies)).status).toBe(403);
  });
});
