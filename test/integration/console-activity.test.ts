// GET /console/activity: the account's own activity in the console, as GET /api/users/events shows it.
import { describe, expect, it } from 'vitest';
import { putEvent } from '#data/events.ts';
import { nowSeconds } from '#domain/tokens.ts';
import { get, post, signedInOn } from '../support/console.ts';
import { userIdOf } from '../support/deletion.ts';
import { suspended } from '../support/suspension.ts';

const PAGE = '/console/activity';

describe('/console/activity', () => {
  it('shows what happened, newest first, a day of failed sign-ins as one row, and pages on', async () => {
    const { email, cookies } = await signedInOn(PAGE, 'cact');
    for (let i = 0; i < 3; i++)
      expect((await post('/console/login', { email, password: `wrong ${i}` })).status).toBe(401);
    const page = await (await get(PAGE, cookies)).text();
    const rows = [...page.matchAll(/<tr><td>[^<]+<\/td><td>([^<]+)/g)].map((m) => m[1]);
    expect(rows[0]).toMatch(/^Failed sign-in \(3 times, from \d{4}-\d\d-\d\d \d\d:\d\d UTC\)$/);
    expect(rows).toEqual(expect.arrayContaining(['Signed in', 'Confirmed the address', 'Signed up']));
    expect(page.indexOf('Signed up')).toBeGreaterThan(page.indexOf('Confirmed the address'));

    const userId = await userIdOf(email);
    const now = nowSeconds();
    for (let i = 0; i < 60; i++)
      await putEvent({ name: 'ssh_key.removed', userId, ip: '192.0.2.7', detail: { keyId: `k${i}` } }, now, {
        at: new Date((now - 7200 + i * 10) * 1000).toISOString(),
        unique: `cact${String(i).padStart(3, '0')}`,
      });
    const first = await (await get(PAGE, cookies)).text();
    expect([...first.matchAll(/<tr><td>/g)]).toHaveLength(50);
    const older = /href="(\/console\/activity\?cursor=[A-Za-z0-9_-]+)">Older<\/a>/.exec(first)?.[1];
    expect(older).toBeDefined();
    const second = await (await get(older ?? '', cookies)).text();
    // The seeded events are hours old: the first page had the newest, this one the rest.
    expect(first).toContain('Signed up');
    expect(second).toContain('Removed an SSH key<br><span class="muted">key id: k0</span>');
    expect(second).not.toContain('>Older</a>');
  });

  it('refuses a cursor it did not give (400), no session and a suspended account', async () => {
    const { email, cookies } = await signedInOn(PAGE, 'cact-refused');
    const bad = await get(`${PAGE}?cursor=not-a-cursor`, cookies);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('This link is not one the activity gave.');
    expect((await get(PAGE)).status).toBe(303);
    await suspended(email);
    expect((await get(PAGE, cookies)).status).toBe(403);
  });
});
