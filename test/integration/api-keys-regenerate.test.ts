import { describe, expect, it } from 'vitest';
import { getUser } from '#data/profiles.ts';
import { userIdOf } from '../support/deletion.ts';
import { activeAccount, call } from '../support/flows.ts';
import { json, newEmail, PASSWORD } from '../support/http.ts';
import { anotherKey, bearer, keyStatus } from '../support/keys.ts';
import { mailsTo } from '../support/mail.ts';
import { meanwhile, touchProfile } from '../support/race.ts';
import { allItems } from '../support/table.ts';

/** The account's key mirrors and audit events, as stored. */
const trailOf = async (userId: string) => {
  const items = (await allItems()).filter((i) => i.userId === userId);
  return {
    keys: items.filter((i) => i.type === 'userApiKey').map((i) => i.keyId),
    events: items.filter((i) => i.type === 'event').map((i) => i.event),
  };
};

const regenerate = (key: string, init: RequestInit = {}, query = '') =>
  call('POST', `/api/api_keys/regenerate${query}`, {
    ...init,
    headers: { ...bearer(key).headers, ...init.headers },
  });

describe('POST /api/api_keys/regenerate', () => {
  it('hands out a new key, revokes every other key, and mails a notice', async () => {
    const email = newEmail('regen');
    const first = await activeAccount(email);
    const second = await anotherKey(email);
    const res = await regenerate(first, json({ current_password: PASSWORD }));
    expect(res.status).toBe(201);
    const { data } = (await res.json()) as { data: { key: string; expires_at: null } };
    expect(data).toEqual({ key: expect.stringMatching(/^gh_key_/), expires_at: null });
    expect(await keyStatus(data.key)).toBe(200);
    expect(await keyStatus(first)).toBe(401);
    expect(await keyStatus(second)).toBe(401);
    const notice = (await mailsTo(email)).at(-1);
    expect(notice?.subject).toBe('Your Gatehouse API key was reset');
    expect(notice?.body.text).toMatch(/on \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(notice?.body.text).toContain('If this was not you');
    expect(notice?.body.text).not.toContain(data.key);
  });

  it('takes the password from the query string, as the Gigalixir client sends it', async () => {
    const key = await activeAccount(newEmail('gigalixir'));
    const res = await regenerate(key, {}, `?current_password=${encodeURIComponent(PASSWORD)}`);
    expect(res.status).toBe(201);
  });

  it('refuses a wrong or missing password and revokes nothing', async () => {
    const key = await activeAccount(newEmail('wrong'));
    const wrong = await regenerate(key, json({ current_password: 'not my password' }));
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ errors: { current_password: ['is incorrect'] } });
    const missing = await regenerate(key);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ errors: { current_password: ["can't be blank"] } });
    expect(await keyStatus(key)).toBe(200);
  });

  it('throttles password guesses made with a stolen key like logins', async () => {
    const key = await activeAccount(newEmail('stolen'));
    for (let i = 0; i < 5; i++)
      expect((await regenerate(key, json({ current_password: `guess ${i}!!!!!!` }))).status).toBe(401);
    expect((await regenerate(key, json({ current_password: PASSWORD }))).status).toBe(429);
    expect(await keyStatus(key)).toBe(200);
  });

  it('answers 409 when MFA went on or a deletion was requested meanwhile, and makes no key', async () => {
    for (const [tag, change] of [
      ['regen-mfa', { mfaEnabled: true }],
      ['regen-deleting', { status: 'DELETING' }],
    ] as const) {
      const email = newEmail(tag);
      const key = await activeAccount(email);
      const userId = await userIdOf(email);
      const before = await trailOf(userId);
      expect(before.keys).toHaveLength(1);
      const ran = meanwhile(
        'TransactWriteItemsCommand',
        () => touchProfile(userId, change),
        (input) => JSON.stringify(input).includes('APIKEY#'),
      );
      const res = await regenerate(key, json({ current_password: PASSWORD }));
      expect(ran()).toBe(true);
      expect(res.status).toBe(409);
      expect(await res.json()).toEqual({ errors: { '': ['The account changed meanwhile. Try again.'] } });
      expect(await trailOf(userId)).toEqual(before);
      expect(await getUser(userId)).toMatchObject(change);
      expect((await mailsTo(email)).map((m) => m.subject)).not.toContain('Your Gatehouse API key was reset');
    }
  });
});
