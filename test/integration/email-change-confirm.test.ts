import { describe, expect, it } from 'vitest';
import { confirmChange, requestChange } from '../support/email-change.ts';
import { activeAccount, call, login } from '../support/flows.ts';
import { json, newEmail, PASSWORD } from '../support/http.ts';
import { bearer } from '../support/keys.ts';
import { mailsTo } from '../support/mail.ts';
import { aMinutePasses, itemsAbout } from '../support/table.ts';

describe('POST /api/users/email/confirm', () => {
  it('moves the account atomically; the old address is free; the old owner gets an undo link', async () => {
    const old = newEmail('from');
    const next = newEmail('to');
    const key = await activeAccount(old);
    const { confirm } = await requestChange(key, old, next);
    const res = await confirmChange(confirm);
    expect(res.status).toBe(200);
    expect(await (await call('GET', '/api/users', bearer(key))).json()).toMatchObject({
      data: { email: next, pending_email: null },
    });
    expect((await login(next)).status).toBe(200);
    expect((await login(old)).status).toBe(401);
    expect((await itemsAbout(old)).filter((i) => i.pk === `EMAIL#${old}`)).toEqual([]);
    expect((await mailsTo(old)).at(-1)?.subject).toBe('Your Gatehouse address was changed');
    expect((await confirmChange(confirm)).status).toBe(400);
    expect((await call('POST', '/api/free_users', json({ email: old, password: PASSWORD }))).status).toBe(
      200,
    );
  });

  it('changes nothing when the address was taken meanwhile', async () => {
    const old = newEmail('loser');
    const next = newEmail('contested');
    const key = await activeAccount(old);
    const { confirm } = await requestChange(key, old, next);
    await activeAccount(next);
    const res = await confirmChange(confirm);
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({
      errors: { '': ['That address belongs to another account now. Nothing was changed.'] },
    });
    expect(await (await call('GET', '/api/users', bearer(key))).json()).toMatchObject({
      data: { email: old },
    });
  });

  it('lets exactly one of two accounts confirming the same address at once win', async () => {
    const next = newEmail('prize');
    const [a, b] = [newEmail('a'), newEmail('b')];
    const [ka, kb] = [await activeAccount(a), await activeAccount(b)];
    const ta = await requestChange(ka, a, next);
    await aMinutePasses('email-change', next);
    const tb = await requestChange(kb, b, next);
    const statuses = (await Promise.all([confirmChange(ta.confirm), confirmChange(tb.confirm)])).map(
      (r) => r.status,
    );
    expect(statuses.sort()).toEqual([200, 409]);
    const claims = (await itemsAbout(next)).filter((i) => i.pk === `EMAIL#${next}`);
    expect(claims).toHaveLength(1);
    const owners = await Promise.all(
      [ka, kb].map(
        async (k) =>
          ((await (await call('GET', '/api/users', bearer(k))).json()) as { data: { email: string } }).data
            .email,
      ),
    );
    expect(owners.filter((e) => e === next)).toHaveLength(1);
  });
});
