// GET /api/users/events: the account's own activity, from its audit items.
import { describe, expect, it } from 'vitest';
import { putEvent } from '#data/events.ts';
import { nowSeconds } from '#domain/tokens.ts';
import { userIdOf } from '../support/deletion.ts';
import { activeAccount, call, login, sourceIp } from '../support/flows.ts';
import { newEmail, PASSWORD } from '../support/http.ts';
import { bearer, createdKey, withKey } from '../support/keys.ts';
import { newSshKey } from '../support/ssh.ts';
import { allItems } from '../support/table.ts';

interface Row {
  event: string;
  at: string;
  ip: string | null;
  user_agent: string | null;
  details: Record<string, unknown>;
  count?: number;
  first_at?: string;
}
interface Page {
  events: Row[];
  next_cursor: string | null;
}

const activity = async (key: string, cursor?: string) => {
  const query = cursor === undefined ? '' : `?cursor=${encodeURIComponent(cursor)}`;
  const res = await call('GET', `/api/users/events${query}`, bearer(key));
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { data: Page }).data;
};

describe('GET /api/users/events', () => {
  it('shows what the owner did, newest first, a day’s failed logins as one counted row, and no secret', async () => {
    const email = newEmail('activity');
    const first = await activeAccount(email);
    for (const guess of ['wrong guess one', 'wrong guess two', 'wrong guess three'])
      expect((await login(email, guess, { 'user-agent': 'guesser/1.0' })).status).toBe(401);
    const laptop = await login(email, PASSWORD, { 'user-agent': 'laptop/2.0' });
    const key = ((await laptop.json()) as { data: { key: string } }).data.key;
    const made = await createdKey(key, { scope: 'read', expires_in_days: 30, name: 'ci' });
    expect((await call('DELETE', `/api/api_keys/${made.id}`, bearer(key))).status).toBe(200);
    const ssh = await call('POST', '/api/ssh_keys', withKey(key, { ssh_key: newSshKey('me@laptop') }));
    expect(ssh.status).toBe(201);
    const newPassword = 'a brand new passphrase here';
    const changed = await call(
      'PATCH',
      '/api/users/change_password',
      withKey(key, { current_password: PASSWORD, new_password: newPassword }),
    );
    expect(changed.status, await changed.clone().text()).toBe(200);

    const page = await activity(key);
    expect(page.next_cursor).toBeNull();
    const events = page.events.map((e) => e.event);
    // The day's failures sort first among its events; the rest newest first.
    expect(events).toEqual([
      'login.failed',
      'password.changed',
      'ssh_key.added',
      'api_key.revoked',
      'api_key.created',
      'api_key.minted',
      'login.succeeded',
      'api_key.minted',
      'login.succeeded',
      'email.confirmed',
      'signup',
    ]);
    const rows = page.events;
    expect(rows[0]).toMatchObject({
      event: 'login.failed',
      count: 3,
      ip: sourceIp,
      user_agent: 'guesser/1.0',
      details: {},
    });
    expect(Date.parse(rows[0]?.first_at ?? '')).toBeLessThanOrEqual(Date.parse(rows[0]?.at ?? ''));
    expect(rows[6]).toMatchObject({
      event: 'login.succeeded',
      ip: sourceIp,
      user_agent: 'laptop/2.0',
      details: { second_factor: 'none' },
    });
    expect(rows[4]?.details).toEqual({
      key_id: made.id,
      name: 'ci',
      scope: 'read',
      expires_at: made.expires_at?.replace(/\.\d{3}Z$/, '.000Z'),
    });
    expect(rows[3]?.details).toEqual({ key_id: made.id });
    expect(rows[1]?.details).toEqual({ keys_revoked: 1 });
    const times = rows.slice(1).map((r) => r.at);
    expect(times).toEqual([...times].sort().reverse());
    const text = JSON.stringify(page);
    for (const secret of [PASSWORD, newPassword, key, first, made.key, email, 'wrong guess'])
      expect(text).not.toContain(secret);
  });

  it('pages 50 at a time with a cursor, shows only the events a person asks about, only the account’s own', async () => {
    const email = newEmail('activity-pages');
    const key = await activeAccount(email);
    const userId = await userIdOf(email);
    const now = nowSeconds();
    // 120 shown events and 30 of bookkeeping, spread over the last hours.
    for (let i = 0; i < 150; i++) {
      const at = new Date((now - 7200 + i * 10) * 1000).toISOString();
      const name = i % 5 === 0 ? 'mfa.setup_started' : 'ssh_key.removed';
      await putEvent({ name, userId, ip: '192.0.2.7', detail: { keyId: `k${i}` } }, now, {
        at,
        unique: `seed${String(i).padStart(3, '0')}`,
      });
    }
    const stranger = await activeAccount(newEmail('activity-stranger'));
    const seen: Row[] = [];
    const pages: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await activity(key, cursor);
      pages.push(page.events.length);
      seen.push(...page.events);
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    // 120 seeded + signup, confirmation, login and its key (4) = 124: 50, 50, 24.
    expect(pages).toEqual([50, 50, 24]);
    expect(seen.filter((e) => e.event === 'mfa.setup_started')).toEqual([]);
    expect(new Set(seen.map((e) => `${e.at}${e.details.key_id}`)).size).toBe(seen.length);
    const sorted = [...seen].sort((a, b) => b.at.localeCompare(a.at));
    expect(seen.map((e) => e.at)).toEqual(sorted.map((e) => e.at));

    // Another account's cursor reads that account's own events only.
    const strangers = await activity(stranger, (await activity(key)).next_cursor ?? undefined);
    expect(strangers.events.map((e) => e.details.key_id).filter(Boolean)).toEqual([]);
  });

  it('never splits the events of one request (a login and its key, one item) across two pages', async () => {
    const email = newEmail('activity-boundary');
    const key = await activeAccount(email);
    const userId = await userIdOf(email);
    const now = nowSeconds();
    // 49 events newer than the login: the login's two would make 51 on the first page.
    for (let i = 0; i < 49; i++) {
      const at = new Date((now + 60 + i) * 1000).toISOString();
      await putEvent({ name: 'ssh_key.removed', userId, ip: '192.0.2.7', detail: { keyId: `k${i}` } }, now, {
        at,
        unique: `edge${String(i).padStart(3, '0')}`,
      });
    }
    const first = await activity(key);
    expect(first.events.length).toBe(49);
    const second = await activity(key, first.next_cursor ?? undefined);
    expect(second.events.map((e) => e.event)).toEqual([
      'api_key.minted',
      'login.succeeded',
      'email.confirmed',
      'signup',
    ]);
    expect(second.next_cursor).toBeNull();
  });

  it('refuses a cursor it did not give, and changes nothing', async () => {
    const key = await activeAccount(newEmail('activity-bad'));
    // The key's first use is recorded (once an hour): done here, so nothing below writes.
    await activity(key);
    const before = await allItems();
    for (const cursor of [
      '',
      'not a cursor',
      Buffer.from('USER#someone|PROFILE').toString('base64url'),
      Buffer.from('APIKEY#x').toString('base64url'),
      'x'.repeat(300),
    ]) {
      const res = await call('GET', `/api/users/events?cursor=${encodeURIComponent(cursor)}`, bearer(key));
      expect(res.status, cursor).toBe(400);
      expect(await res.json()).toEqual({ errors: { cursor: ['is not a cursor this endpoint gave'] } });
    }
    expect(await allItems()).toEqual(before);
  });
});
