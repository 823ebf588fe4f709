import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { tableName } from '#data/client.ts';
import { keys } from '#data/keys.ts';
import { digest } from '#domain/tokens.ts';
import { markedForDeletion, userIdOf } from '../support/deletion.ts';
import { activeAccount, call, confirm, login, signUp } from '../support/flows.ts';
import { form, json, newEmail, PASSWORD } from '../support/http.ts';
import { anotherKey, keyStatus } from '../support/keys.ts';
import { mailsTo } from '../support/mail.ts';
import { resetToken } from '../support/reset.ts';
import { aMinutePasses, direct, itemsAbout } from '../support/table.ts';

const NEW = 'my brand new passphrase';
const reset = (token: string, password = NEW) =>
  call('POST', '/api/users/reset_password', json({ token, password }));

interface EntryPoint {
  readonly name: string;
  readonly spend: (token: string, password: string) => Promise<Response>;
  /** What the answer says when the password is set, when the link is spent, and to a weak password. */
  readonly set: (res: Response) => Promise<void>;
  readonly spent: (res: Response) => Promise<void>;
  readonly weak: (res: Response) => Promise<void>;
}

/** The two ways to spend a reset link: the API, and the form of the page the mail links to. */
const ENTRY_POINTS: EntryPoint[] = [
  {
    name: 'POST /api/users/reset_password',
    spend: reset,
    set: async (res) =>
      expect(await res.json()).toEqual({
        data: { message: 'Your new password is set and every device was signed out. Log in with it.' },
      }),
    spent: async (res) =>
      expect(await res.json()).toEqual({
        errors: { token: ['This link is invalid or has already been used. Request a new one.'] },
      }),
    weak: async (res) =>
      expect(await res.json()).toEqual({ errors: { password: ['should be at least 12 character(s)'] } }),
  },
  {
    name: 'POST /reset-password (the form of the page)',
    spend: (token, password) => call('POST', '/reset-password', form({ token, password })),
    set: async (res) => expect(await res.text()).toContain('Password set'),
    spent: async (res) => expect(await res.text()).toContain('This link no longer works'),
    weak: async (res) => expect(await res.text()).toContain('role="alert"'),
  },
];

describe.each(ENTRY_POINTS)('$name', ({ spend, set, spent, weak }) => {
  it('sets the password, revokes every key, mails a notice, and works once', async () => {
    const email = newEmail('reset');
    const key = await activeAccount(email);
    const other = await anotherKey(email);
    const token = await resetToken(email);
    const res = await spend(token, NEW);
    expect(res.status).toBe(200);
    await set(res);
    expect(await keyStatus(key)).toBe(401);
    expect(await keyStatus(other)).toBe(401);
    expect((await login(email, PASSWORD)).status).toBe(401);
    expect((await login(email, NEW)).status).toBe(200);
    expect((await mailsTo(email)).at(-1)?.subject).toBe('Your Gatehouse password was reset');
    const again = await spend(token, 'yet another passphrase');
    expect(again.status).toBe(400);
    await spent(again);
  });

  it('refuses a weak password without spending the link', async () => {
    const email = newEmail('weak');
    await activeAccount(email);
    const token = await resetToken(email);
    const refused = await spend(token, 'short');
    expect(refused.status).toBe(400);
    await weak(refused);
    expect((await spend(token, NEW)).status).toBe(200);
  });
});

describe('POST /api/users/reset_password', () => {
  it('refuses a link mailed before a deletion was requested: the account going keeps its password', async () => {
    const email = newEmail('leaving');
    await activeAccount(email);
    const token = await resetToken(email);
    await markedForDeletion(await userIdOf(email));
    const res = await reset(token);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      errors: { token: ['This link is invalid or has already been used. Request a new one.'] },
    });
    expect((await mailsTo(email)).map((m) => m.subject)).not.toContain('Your Gatehouse password was reset');
    expect(JSON.stringify(await itemsAbout(email))).toContain(digest(token));
  });

  it('honours only the newest link', async () => {
    const email = newEmail('two-links');
    await activeAccount(email);
    const older = await resetToken(email);
    await aMinutePasses('reset', email);
    const newer = await resetToken(email);
    expect((await reset(older)).status).toBe(400);
    expect((await reset(newer)).status).toBe(200);
  });

  it('refuses an expired link', async () => {
    const email = newEmail('late');
    await activeAccount(email);
    const token = await resetToken(email);
    await direct.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.token(digest(token)),
        UpdateExpression: 'SET expiresAt = :past',
        ExpressionAttributeValues: { ':past': 1 },
      }),
    );
    expect(await (await reset(token)).json()).toEqual({
      errors: { token: ['This link has expired. Request a new one.'] },
    });
  });

  it('forgives failed logins: the owner gets in at once', async () => {
    const email = newEmail('locked');
    await activeAccount(email);
    for (let i = 0; i < 6; i++) await login(email, 'wrong password!!');
    expect((await login(email, PASSWORD)).status).toBe(429);
    expect((await reset(await resetToken(email))).status).toBe(200);
    expect((await login(email, NEW)).status).toBe(200);
  });

  it("takes back an address someone else signed up with: confirmed, with the owner's password", async () => {
    const email = newEmail('hijacked');
    const attackersLink = await signUp(email, 'attacker chosen passphrase');
    const res = await reset(await resetToken(email));
    expect(res.status).toBe(200);
    expect((await itemsAbout(email)).find((i) => i.type === 'user')).toMatchObject({ status: 'ACTIVE' });
    expect((await login(email, 'attacker chosen passphrase')).status).toBe(401);
    expect((await login(email, NEW)).status).toBe(200);
    expect((await confirm(attackersLink)).status).toBe(400);
  });
});
