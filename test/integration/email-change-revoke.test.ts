import { describe, expect, it } from 'vitest';
import { confirmChange, requestChange, revokeChangeLink } from '../support/email-change.ts';
import { activeAccount, call, login } from '../support/flows.ts';
import { newEmail } from '../support/http.ts';
import { anotherKey, bearer, keyStatus } from '../support/keys.ts';
import { linkToken, mailsTo } from '../support/mail.ts';

describe('POST /api/users/email/revoke', () => {
  it('cancels a change that was not confirmed yet', async () => {
    const old = newEmail('cancel');
    const key = await activeAccount(old);
    const { confirm, revoke } = await requestChange(key, old, newEmail('never'));
    const res = await revokeChangeLink(revoke);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { message: 'The change is cancelled. Nothing else changed.' } });
    expect(await (await call('GET', '/api/users', bearer(key))).json()).toMatchObject({
      data: { email: old, pending_email: null },
    });
    expect((await confirmChange(confirm)).status).toBe(400);
    expect(await keyStatus(key)).toBe(200);
  });

  it('undoes a confirmed change: the old owner gets the account back, keys revoked, a reset link', async () => {
    const old = newEmail('victim');
    const next = newEmail('thief');
    const key = await activeAccount(old);
    const other = await anotherKey(old);
    const { confirm } = await requestChange(key, old, next);
    expect((await confirmChange(confirm)).status).toBe(200);
    // The notice of the completed change carries the undo link that counts now.
    const changed = (await mailsTo(old))
      .filter((m) => m.subject === 'Your Gatehouse address was changed')
      .at(-1);
    const undo = linkToken(changed as NonNullable<typeof changed>, 'revoke-email-change');
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
});
