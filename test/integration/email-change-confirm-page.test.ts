import { describe, expect, it } from 'vitest';
import { requestChange } from '../support/email-change.ts';
import { activeAccount, call } from '../support/flows.ts';
import { form, newEmail } from '../support/http.ts';
import { bearer } from '../support/keys.ts';

// What the button does, moving the account or finding the address taken meanwhile: one table with
// the API's POST /api/users/email/confirm, in email-change-confirm.test.ts.

const press = (token: string) => call('POST', '/confirm-email-change', form({ token }));

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
    // Still unspent: the button moves the account.
    const done = await press(confirm);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Address changed');
    expect(await (await call('GET', '/api/users', bearer(key))).json()).toMatchObject({
      data: { email: next },
    });
  });
});
