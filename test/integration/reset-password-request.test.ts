import { describe, expect, it } from 'vitest';
import { RESET_REQUESTED } from '#services/link-requests.ts';
import { userIdOf } from '../support/deletion.ts';
import { activeAccount, call } from '../support/flows.ts';
import { json, newEmail } from '../support/http.ts';
import { mailsTo } from '../support/mail.ts';
import { meanwhile, touchProfile } from '../support/race.ts';
import { resetToken } from '../support/reset.ts';

const ask = (email: string) =>
  call(
    'PUT',
    '/api/users/reset_password',
    json({ email }),
    `198.18.2.${Math.random().toString(36).slice(2)}`,
  );

describe('PUT /api/users/reset_password', () => {
  it('mails a link to the reset page for an account', async () => {
    const email = newEmail('forgot');
    await activeAccount(email);
    const token = await resetToken(email);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const mail = (await mailsTo(email)).at(-1);
    expect(mail?.body.text).toContain(`https://accounts.gatehouse.test/reset-password?token=${token}`);
  });

  it('answers an unknown address alike, mails nothing, and limits it alike', async () => {
    const email = newEmail('nobody');
    const res = await ask(email);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { message: RESET_REQUESTED } });
    expect(await mailsTo(email)).toEqual([]);
    expect((await ask(email)).status).toBe(429);
    const known = newEmail('known');
    await activeAccount(known);
    expect((await ask(known)).status).toBe(200);
    const again = await ask(known);
    expect(again.status).toBe(429);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('gives no link to an account whose deletion was requested meanwhile, and answers alike', async () => {
    const email = newEmail('going');
    await activeAccount(email);
    const userId = await userIdOf(email);
    const ran = meanwhile('TransactWriteItemsCommand', () => touchProfile(userId, { status: 'DELETING' }));
    const res = await ask(email);
    expect(ran()).toBe(true);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { message: RESET_REQUESTED } });
    expect((await mailsTo(email)).map((m) => m.subject)).not.toContain('Reset your Gatehouse password');
  });
});
