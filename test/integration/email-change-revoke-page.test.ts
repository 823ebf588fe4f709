import { describe, expect, it } from 'vitest';
import { requestChange } from '../support/email-change.ts';
import { activeAccount, call } from '../support/flows.ts';
import { form, newEmail } from '../support/http.ts';
import { bearer } from '../support/keys.ts';

// What the button does, cancelling a change once or finding the old address taken meanwhile: one
// table with the API's POST /api/users/email/revoke, in email-change-revoke.test.ts.

const press = (token: string) => call('POST', '/revoke-email-change', form({ token }));

describe('GET/POST /revoke-email-change', () => {
  it('shows a button that spends nothing, and the button cancels the change', async () => {
    const old = newEmail('page-keep');
    const key = await activeAccount(old);
    const { revoke } = await requestChange(key, old, newEmail('page-never'));
    const shown = await call('GET', `/revoke-email-change?token=${revoke}`);
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain('Undo the change');
    // Still unspent: the button cancels the change.
    const done = await press(revoke);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('The change is cancelled');
    expect(await (await call('GET', '/api/users', bearer(key))).json()).toMatchObject({
      data: { pending_email: null },
    });
  });
});
