import { describe, expect, it } from 'vitest';
import { confirmChange, requestChange } from '../support/email-change.ts';
import { activeAccount, call, login } from '../support/flows.ts';
import { newEmail } from '../support/http.ts';
import { bearer } from '../support/keys.ts';
import { mailsTo } from '../support/mail.ts';
import { itemsAbout } from '../support/table.ts';

const press = (token: string) =>
  call('POST', '/confirm-email-change', {
    body: new URLSearchParams({ token }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });

describe('GET/POST /confirm-email-change', () => {
  it('shows a button that spends nothing, and the button moves the account', async () => {
    const old = newEmail('page-from');
    const next = newEmail('page-to');
    const key = await activeAccount(old);
    const { confirm } = await requestChange(key, old, next);
    const shown = await call('GET', `/confirm-email-change?token=${confirm}`);
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain('<form method="post" action="confirm-email-change">');
    expect(await (await call('GET', '/api/users', bearer(key))).json()).toMatchObject({
      data: { email: old },
    });
    const done = await call('POST', '/confirm-email-change', {
      body: new URLSearchParams({ token: confirm }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Address changed');
    expect(await (await call('GET', '/api/users', bearer(key))).json()).toMatchObject({
      data: { email: next },
    });
  });

  it('says nothing was changed when the new address was taken before the button was pressed', async () => {
    const old = newEmail('page-loser');
    const next = newEmail('page-contested');
    const key = await activeAccount(old);
    const { confirm } = await requestChange(key, old, next);
    const rival = await activeAccount(next);
    const res = await press(confirm);
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toContain('<h1>Nothing was changed</h1>');
    expect(html).toContain('That address belongs to another account now. Nothing was changed.');
    expect(await (await call('GET', '/api/users', bearer(key))).json()).toMatchObject({
      data: { email: old, pending_email: next },
    });
    expect(await (await call('GET', '/api/users', bearer(rival))).json()).toMatchObject({
      data: { email: next },
    });
    const claims = (await itemsAbout(next)).filter((i) => i.pk === `EMAIL#${next}`);
    expect(claims).toHaveLength(1);
    expect((await itemsAbout(old)).filter((i) => i.pk === `EMAIL#${old}`)).toHaveLength(1);
    expect((await login(old)).status).toBe(200);
    expect((await mailsTo(old)).map((m) => m.subject)).not.toContain('Your Gatehouse address was changed');
    // The link was not spent: it answers the same as long as the address stays taken.
    expect((await confirmChange(confirm)).status).toBe(409);
  });
});
