// A deployment without Stripe settings: billing says so plainly, the rest of the account works.

import { describe, expect, it } from 'vitest';
import { consoleSession, formTokenIn, get, post } from '../support/console.ts';
import { activeAccount, call } from '../support/flows.ts';
import { newEmail } from '../support/http.ts';
import { bearer, withKey } from '../support/keys.ts';
import { allItems } from '../support/table.ts';

describe('billing without configuration', () => {
  it('answers 501 where Stripe is needed, and null for the publishable key', async () => {
    expect(process.env.STRIPE_SECRET_KEY).toBeUndefined();
    const key = await activeAccount(newEmail('nobilling'));
    for (const res of [
      await call('PUT', '/api/payment_methods', withKey(key, { stripe_token: 'tok_visa' })),
      await call('POST', '/api/upgrade', withKey(key, { stripe_token: 'tok_visa' })),
      await call('GET', '/api/invoices', bearer(key)),
      // Before the signature is even looked at: there is no secret to check it with.
      await call('POST', '/api/stripe/webhook', {
        body: JSON.stringify({ id: 'evt_unconfigured', type: 'customer.updated' }),
        headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' },
      }),
    ]) {
      expect(res.status).toBe(501);
      expect(await res.json()).toEqual({ errors: { '': ['Billing is not configured on this server.'] } });
    }
    // No event claimed, no customer recorded.
    expect((await allItems()).filter((i) => i.type === 'stripeEvent' || i.type === 'stripeCustomer')).toEqual(
      [],
    );
    // The console's card page says so too, both ways.
    const email = newEmail('nobilling-console');
    await activeAccount(email);
    const cookies = await consoleSession(email);
    const page = await get('/console/account/payment-method', cookies);
    expect(page.status).toBe(501);
    expect(await page.text()).toContain('Billing is not configured on this server.');
    const token = await formTokenIn(await get('/console/keys', cookies));
    expect((await post('/console/account/payment-method', { form_token: token }, cookies)).status).toBe(501);
    const config = await call('GET', '/api/public/config');
    expect(
      ((await config.json()) as { data: { stripe_publishable_key: null } }).data.stripe_publishable_key,
    ).toBeNull();
  });
});
