import { describe, expect, it } from 'vitest';
import { hashPassword } from '#domain/passwords.ts';
import { userIdOf } from '../support/deletion.ts';
import { activeAccount, call, login } from '../support/flows.ts';
import { json, newEmail, PASSWORD } from '../support/http.ts';
import { anotherKey, bearer, keyStatus } from '../support/keys.ts';
import { mailsTo } from '../support/mail.ts';
import { meanwhile, touchProfile } from '../support/race.ts';
import { itemsAbout } from '../support/table.ts';

const NEW = 'a completely new passphrase';
const change = (key: string, body: Record<string, unknown>) =>
  call('PATCH', '/api/users/change_password', {
    ...json(body),
    headers: { ...json(body).headers, ...bearer(key).headers },
  });

describe('PATCH /api/users/change_password', () => {
  it('answers 409 when another request changed the password meanwhile, and keeps that one', async () => {
    const email = newEmail('raced');
    const key = await activeAccount(email);
    const ran = meanwhile(
      'UpdateItemCommand',
      async () =>
        touchProfile(await userIdOf(email), { passwordHash: await hashPassword('set by another request') }),
      (input) => String(input.UpdateExpression).includes('passwordHash'),
    );
    const res = await change(key, { current_password: PASSWORD, new_password: NEW });
    expect(ran()).toBe(true);
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({
      errors: { '': ['The password was changed meanwhile. Log in again.'] },
    });
    expect((await login(email, NEW)).status).toBe(401);
    expect((await login(email, 'set by another request')).status).toBe(200);
    expect((await mailsTo(email)).map((m) => m.subject)).not.toContain('Your Gatehouse password was changed');
  });

  it('changes the password, keeps the key used, revokes the others, and mails a notice', async () => {
    const email = newEmail('changer');
    const used = await activeAccount(email);
    const other = await anotherKey(email);
    const res = await change(used, { current_password: PASSWORD, new_password: NEW });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { message: 'Password successfully changed' } });
    expect(await keyStatus(used)).toBe(200);
    expect(await keyStatus(other)).toBe(401);
    expect((await login(email, PASSWORD)).status).toBe(401);
    expect((await login(email, NEW)).status).toBe(200);
    const notice = (await mailsTo(email)).at(-1);
    expect(notice?.subject).toBe('Your Gatehouse password was changed');
    expect(notice?.body.text).toContain('If this was not you');
    expect(JSON.stringify(await itemsAbout(email))).not.toContain(NEW);
  });

  it('refuses a wrong current password and changes nothing', async () => {
    const email = newEmail();
    const key = await activeAccount(email);
    const res = await change(key, { current_password: 'not the password', new_password: NEW });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ errors: { current_password: ['is incorrect'] } });
    expect((await login(email, PASSWORD)).status).toBe(200);
  });

  it('applies the password policy to the new password, under new_password', async () => {
    const email = newEmail('policy');
    const key = await activeAccount(email);
    for (const [password, message] of [
      ['short', 'should be at least 12 character(s)'],
      ['1qaz2wsx3edc4rfv', 'is one of the most common passwords; choose another'],
    ]) {
      const res = await change(key, { current_password: PASSWORD, new_password: password });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ errors: { new_password: [message] } });
    }
    expect((await login(email, PASSWORD)).status).toBe(200);
  });

  it('needs a key, and both fields', async () => {
    expect(
      (
        await call(
          'PATCH',
          '/api/users/change_password',
          json({ current_password: PASSWORD, new_password: NEW }),
        )
      ).status,
    ).toBe(401);
    const key = await activeAccount(newEmail());
    const res = await change(key, { new_password: NEW });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ errors: { current_password: ["can't be blank"] } });
  });
});
