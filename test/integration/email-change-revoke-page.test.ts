import { describe, expect, it } from 'vitest';
import { getUser } from '#data/profiles.ts';
import { userIdOf } from '../support/deletion.ts';
import { anotherAccountTakes, completeChange, requestChange } from '../support/email-change.ts';
import { activeAccount, call, login } from '../support/flows.ts';
import { newEmail } from '../support/http.ts';
import { bearer, keyStatus } from '../support/keys.ts';
import { mailsTo } from '../support/mail.ts';

const press = (token: string) =>
  call('POST', '/revoke-email-change', {
    body: new URLSearchParams({ token }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });

describe('GET/POST /revoke-email-change', () => {
  it('shows a button that spends nothing, and the button cancels the change', async () => {
    const old = newEmail('page-keep');
    const key = await activeAccount(old);
    const { revoke } = await requestChange(key, old, newEmail('page-never'));
    const shown = await call('GET', `/revoke-email-change?token=${revoke}`);
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain('Undo the change');
    const done = await call('POST', '/revoke-email-change', {
      body: new URLSearchParams({ token: revoke }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('The change is cancelled');
    expect(await (await call('GET', '/api/users', bearer(key))).json()).toMatchObject({
      data: { pending_email: null },
    });
    const again = await call('POST', '/revoke-email-change', {
      body: new URLSearchParams({ token: revoke }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(again.status).toBe(400);
  });

  it('says nothing was changed when another account took the old address meanwhile', async () => {
    const old = newEmail('page-gone');
    const next = newEmail('page-kept');
    const key = await activeAccount(old);
    const userId = await userIdOf(old);
    const undo = await completeChange(key, old, next);
    const newcomer = await anotherAccountTakes(old, 'page-rival');
    const profile = await getUser(userId);
    const res = await press(undo);
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toContain('<h1>Nothing was changed</h1>');
    expect(html).toContain(
      'Your old address belongs to another account now, so the change cannot be undone. Contact support.',
    );
    expect(await getUser(userId)).toEqual(profile);
    expect(await keyStatus(key)).toBe(200);
    expect(await (await call('GET', '/api/users', bearer(newcomer))).json()).toMatchObject({
      data: { email: old },
    });
    expect((await login(next)).status).toBe(200);
    const subjects = (await mailsTo(old)).map((m) => m.subject);
    expect(subjects).not.toContain('Reset your Gatehouse password');
    expect(subjects).not.toContain('Your Gatehouse address change was undone');
  });
});
