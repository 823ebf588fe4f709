import { describe, expect, it } from 'vitest';
import { CHANGE_REQUESTED } from '../../functions/email-change.ts';
import { requestChange } from '../support/email-change.ts';
import { activeAccount, call, login } from '../support/flows.ts';
import { json, newEmail, PASSWORD } from '../support/http.ts';
import { bearer } from '../support/keys.ts';
import { mailsTo } from '../support/mail.ts';

const ask = (key: string, body: Record<string, unknown>) =>
  call('POST', '/api/users/email', {
    ...json(body),
    headers: { ...json(body).headers, ...bearer(key).headers },
  });

describe('POST /api/users/email', () => {
  it('mails a link to the new address and an undo link to the old; nothing changes yet', async () => {
    const old = newEmail('mover');
    const next = newEmail('moved');
    const key = await activeAccount(old);
    const res = await ask(key, { next_email: next.toUpperCase(), current_password: PASSWORD });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { message: CHANGE_REQUESTED } });
    const account = await (await call('GET', '/api/users', bearer(key))).json();
    expect(account).toMatchObject({ data: { email: old, pending_email: next } });
    expect((await mailsTo(next)).map((m) => m.subject)).toEqual(['Confirm your new Gatehouse address']);
    const notice = (await mailsTo(old)).at(-1);
    expect(notice?.subject).toBe('Your Gatehouse address is about to change');
    expect(notice?.body.text).toContain('/revoke-email-change?token=');
    expect((await login(old)).status).toBe(200);
  });

  it('refuses a wrong password, the same address, a bad or disposable one, and changes nothing', async () => {
    const email = newEmail('stays');
    const key = await activeAccount(email);
    const wrong = await ask(key, { next_email: newEmail(), current_password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ errors: { current_password: ['is incorrect'] } });
    for (const [next_email, message] of [
      [email, 'is already the address of this account'],
      ['not an address', 'is not a valid email address'],
      ['x@mailinator.com', 'is a disposable address; use one you will keep'],
    ]) {
      const res = await ask(key, { next_email, current_password: PASSWORD });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ errors: { next_email: [message] } });
    }
    expect(await (await call('GET', '/api/users', bearer(key))).json()).toMatchObject({
      data: { pending_email: null },
    });
  });

  it('lets a newer request replace an older one', async () => {
    const old = newEmail('fickle');
    const key = await activeAccount(old);
    const first = await requestChange(key, old, newEmail('first'));
    const second = await requestChange(key, old, newEmail('second'));
    expect((await call('POST', '/api/users/email/confirm', json({ token: first.confirm }))).status).toBe(400);
    expect((await call('POST', '/api/users/email/confirm', json({ token: second.confirm }))).status).toBe(
      200,
    );
  });
});
