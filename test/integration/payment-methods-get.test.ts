import { describe, expect, it } from 'vitest';
import { activeAccount, call } from '../support/flows.ts';
import { newEmail } from '../support/http.ts';
import { bearer, withKey } from '../support/keys.ts';
import { useFakeStripe } from '../support/stripe.ts';

useFakeStripe();

describe('GET /api/payment_methods', () => {
  it('answers 404 until a card is set, then the card as a receipt shows it', async () => {
    const key = await activeAccount(newEmail('get'));
    const none = await call('GET', '/api/payment_methods', bearer(key));
    expect(none.status).toBe(404);
    expect(await none.json()).toEqual({ errors: { '': ['No payment method on file.'] } });
    expect(
      (await call('PUT', '/api/payment_methods', withKey(key, { stripe_token: 'tok_amex' }))).status,
    ).toBe(200);
    const res = await call('GET', '/api/payment_methods', bearer(key));
    expect(await res.json()).toEqual({
      data: { brand: 'amex', last4: '8431', exp_month: 3, exp_year: new Date().getUTCFullYear() + 2 },
    });
    expect((await call('GET', '/api/payment_methods')).status).toBe(401);
  });
});
