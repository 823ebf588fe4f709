import { describe, expect, it } from 'vitest';
import { markOf } from '#data/counters.ts';
import { keys } from '#data/keys.ts';
import { getUser, getUserByEmail } from '#data/profiles.ts';
import { loginSource } from '#domain/throttle.ts';
import { nowSeconds } from '#domain/tokens.ts';
import { userIdOf } from '../support/deletion.ts';
import {
  anotherAccountTakes,
  completeChange,
  confirmChange,
  requestChange,
  revokeChangeLink,
} from '../support/email-change.ts';
import { activeAccount, call, login } from '../support/flows.ts';
import { basic, form, json, newEmail, PASSWORD } from '../support/http.ts';
import { uniqueIp } from '../support/ips.ts';
import { anotherKey, bearer, keyStatus } from '../support/keys.ts';
import { linkToken, mailsTo } from '../support/mail.ts';

interface EntryPoint {
  readonly name: string;
  readonly spend: (token: string) => Promise<Response>;
  /** What the answer says when the change is cancelled, and when nothing could be changed. */
  readonly cancelled: (res: Response) => Promise<void>;
  readonly unchanged: (res: Response) => Promise<void>;
}

const OLD_ADDRESS_TAKEN =
  'Your old address belongs to another account now, so the change cannot be undone. Contact support.';

/** The two ways to spend an undo link: the API, and the button of the page the mail links to. */
const ENTRY_POINTS: EntryPoint[] = [
  {
    name: 'POST /api/users/email/revoke',
    spend: revokeChangeLink,
    cancelled: async (res) =>
      expect(await res.json()).toEqual({
        data: { message: 'The change is cancelled. Nothing else changed.' },
      }),
    unchanged: async (res) => expect(await res.json()).toEqual({ errors: { '': [OLD_ADDRESS_TAKEN] } }),
  },
  {
    name: 'POST /revoke-email-change (the button of the page)',
    spend: (token) => call('POST', '/revoke-email-change', form({ token })),
    cancelled: async (res) => expect(await res.text()).toContain('The change is cancelled'),
    unchanged: async (res) => {
      const html = await res.text();
      expect(html).toContain('<h1>Nothing was changed</h1>');
      expect(html).toContain(OLD_ADDRESS_TAKEN);
    },
  },
];

describe.each(ENTRY_POINTS)('$name', ({ spend, cancelled, unchanged }) => {
  it('cancels a change that was not confirmed yet, once', async () => {
    const old = newEmail('cancel');
    const key = await activeAccount(old);
    const { confirm, revoke } = await requestChange(key, old, newEmail('never'));
    const res = await spend(revoke);
    expect(res.status).toBe(200);
    await cancelled(res);
    expect(await (await call('GET', '/api/users', bearer(key))).json()).toMatchObject({
      data: { email: old, pending_email: null },
    });
    expect((await confirmChange(confirm)).status).toBe(400);
    expect(await keyStatus(key)).toBe(200);
    expect((await spend(revoke)).status).toBe(400);
  });

  it('cannot give back an old address another account took meanwhile: 409, nothing changed', async () => {
    const old = newEmail('gone');
    const next = newEmail('kept');
    const key = await activeAccount(old);
    const userId = await userIdOf(old);
    const undo = await completeChange(key, old, next);
    const newcomer = await anotherAccountTakes(old, 'rival');
    const profile = await getUser(userId);
    const res = await spend(undo);
    expect(res.status).toBe(409);
    await unchanged(res);
    expect(await getUser(userId)).toEqual(profile);
    expect(await keyStatus(key)).toBe(200);
    expect(await keyStatus(newcomer)).toBe(200);
    expect(await (await call('GET', '/api/users', bearer(newcomer))).json()).toMatchObject({
      data: { email: old },
    });
    expect((await login(next)).status).toBe(200);
    const subjects = (await mailsTo(old)).map((m) => m.subject);
    expect(subjects).not.toContain('Reset your Gatehouse password');
    expect(subjects).not.toContain('Your Gatehouse address change was undone');
  });
});

describe('POST /api/users/email/revoke', () => {
  it('undoes a confirmed change: the old owner gets the account back, keys revoked, a reset link', async () => {
    const old = newEmail('victim');
    const next = newEmail('thief');
    const key = await activeAccount(old);
    const other = await anotherKey(old);
    // The notice of the completed change carries the undo link that counts now.
    const undo = await completeChange(key, old, next);
    const res = await revokeChangeLink(undo);
    expect(res.status).toBe(200);
    expect(await keyStatus(key)).toBe(401);
    expect(await keyStatus(other)).toBe(401);
    expect((await login(old)).status).toBe(200);
    expect((await login(next)).status).toBe(401);
    const subjects = (await mailsTo(old)).map((m) => m.subject);
    expect(subjects).toContain('Reset your Gatehouse password');
    expect(subjects.at(-1)).toBe('Your Gatehouse address change was undone');
    expect((await revokeChangeLink(undo)).status).toBe(400);
  });

  it('undoes a confirmed change and forgets every network the account trusted meanwhile, the taker’s too', async () => {
    const old = newEmail('trust-victim');
    const next = newEmail('trust-thief');
    const key = await activeAccount(old);
    const undo = await completeChange(key, old, next);
    const thiefs = uniqueIp();
    expect(
      (await call('GET', '/api/login', { headers: { authorization: basic(next, PASSWORD) } }, thiefs)).status,
    ).toBe(200);
    const marker = (address: string) =>
      markOf(keys.trustedSource(address, String(loginSource(thiefs))), nowSeconds());
    expect(await marker(next)).toBeDefined();
    expect((await revokeChangeLink(undo)).status).toBe(200);
    expect(await marker(next)).toBeUndefined();
    expect(await marker(old)).toBeUndefined();
  });

  it('undoes a confirmed change with the first mail’s link too, for its 7 days; either use kills the other', async () => {
    for (const which of ['first', 'second'] as const) {
      const old = newEmail(`taken-${which}`);
      const next = newEmail(`taker-${which}`);
      const key = await activeAccount(old);
      // The request's mail to the old address carries a revoke link; so does the change's notice.
      const { confirm, revoke: first } = await requestChange(key, old, next);
      expect((await confirmChange(confirm)).status).toBe(200);
      const notice = (await mailsTo(old))
        .filter((m) => m.subject === 'Your Gatehouse address was changed')
        .at(-1);
      const second = linkToken(notice as NonNullable<typeof notice>, 'revoke-email-change');
      const [used, other] = which === 'first' ? [first, second] : [second, first];
      const res = await revokeChangeLink(used);
      expect(res.status).toBe(200);
      expect((await await res.json()) as object).toMatchObject({
        data: { message: expect.stringContaining('The change is undone') },
      });
      expect((await login(old)).status).toBe(200);
      expect((await revokeChangeLink(other)).status).toBe(400);
      expect((await revokeChangeLink(used)).status).toBe(400);
    }
  });

  it('takes the old address back from a signup nobody confirmed: the account restored, the signup gone', async () => {
    const old = newEmail('blocked');
    const next = newEmail('blocker');
    const key = await activeAccount(old);
    const ownerId = await userIdOf(old);
    const undo = await completeChange(key, old, next);
    // Whoever moved the account signs the old address up, to make the undo fail.
    const squat = await call(
      'POST',
      '/api/free_users',
      json({ email: old, password: 'the squatter passphrase' }),
    );
    expect(squat.status).toBe(200);
    const squatter = await getUserByEmail(old);
    expect(squatter?.status).toBe('UNCONFIRMED');
    const res = await revokeChangeLink(undo);
    expect(res.status).toBe(200);
    expect(await getUser(squatter?.userId ?? '')).toBeUndefined();
    expect((await getUserByEmail(old))?.userId).toBe(ownerId);
    expect((await login(old, 'the squatter passphrase')).status).toBe(401);
    expect((await login(old)).status).toBe(200);
    expect(await keyStatus(key)).toBe(401);
  });
});
