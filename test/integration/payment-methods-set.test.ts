import { describe, expect, it } from 'vitest';
import { forgetCustomer } from '#data/billing.ts';
import { userIdOf } from '../support/deletion.ts';
import { activeAccount, call } from '../support/flows.ts';
import { newEmail } from '../support/http.ts';
import { bearer, withKey } from '../support/keys.ts';
import { meanwhile } from '../support/race.ts';
import { useFakeStripe } from '../support/stripe.ts';
import { itemsAbout } from '../support/table.ts';

const stripe = useFakeStripe();
const setCard = (key: string, body: Record<string, unknown>) =>
  call('PUT', '/api/payment_methods', withKey(key, body));
const getCard = (key: string) => call('GET', '/api/payment_methods', bearer(key));
const year = new Date().getUTCFullYear();

describe('PUT /api/payment_methods', () => {
  it('makes a token’s card the default, with one Stripe customer per account, and shows it', async () => {
    const email = newEmail('card');
    const key = await activeAccount(email);
    const res = await setCard(key, { stripe_token: 'tok_visa' });
    expect(res.status).toBe(200);
    const visa = { brand: 'visa', last4: '4242', exp_month: 12, exp_year: year + 4 };
    expect(await res.json()).toEqual({ data: visa });
    expect(await (await getCard(key)).json()).toEqual({ data: visa });

    const profile = (await itemsAbout(email)).find((i) => i.type === 'user');
    const customer = stripe().customers.get(String(profile?.stripeCustomerId));
    expect(customer?.metadata.gatehouseUserId).toBe(profile?.userId);
    expect(customer?.invoice_settings.default_payment_method).toBe(
      (profile?.paymentMethod as { id: string } | undefined)?.id,
    );

    // A PaymentMethod instead of a token: the same customer, a new default.
    const next = await setCard(key, { stripe_token: 'pm_card_mastercard' });
    expect(((await next.json()) as { data: { last4: string } }).data.last4).toBe('4444');
    const again = (await itemsAbout(email)).find((i) => i.type === 'user');
    expect(again?.stripeCustomerId).toBe(profile?.stripeCustomerId);
    expect(
      [...stripe().customers.values()].filter((c) => c.metadata.gatehouseUserId === profile?.userId),
    ).toHaveLength(1);
  });

  it('answers a declined, expired or unknown card with Stripe’s message, and changes nothing', async () => {
    const key = await activeAccount(newEmail('declined'));
    expect((await setCard(key, { stripe_token: 'tok_visa' })).status).toBe(200);
    for (const [token, message] of [
      ['tok_chargeDeclined', 'Your card was declined.'],
      ['tok_chargeDeclinedExpiredCard', 'Your card has expired.'],
      ['tok_nosuchcard', "No such token: 'nosuchcard'"],
    ]) {
      const res = await setCard(key, { stripe_token: token });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ errors: { stripe_token: [message] } });
    }
    expect(((await (await getCard(key)).json()) as { data: { last4: string } }).data.last4).toBe('4242');
  });

  it('refuses what is not a token before asking Stripe, and never takes a card number', async () => {
    const key = await activeAccount(newEmail('shape'));
    const before = stripe().requests.length;
    for (const token of ['4242424242424242', 'card_123', 'tok_', 'pm_x y']) {
      const res = await setCard(key, { stripe_token: token });
      expect(res.status).toBe(400);
      expect(Object.keys(((await res.json()) as { errors: object }).errors)).toEqual(['stripe_token']);
    }
    expect(stripe().requests.length).toBe(before);
    expect((await setCard(key, { stripe_token: 'tok_visa', number: '4242424242424242' })).status).toBe(400);
  });

  it('answers 503 when Stripe is down, and writes nothing', async () => {
    const email = newEmail('outage');
    const key = await activeAccount(email);
    stripe().failNext(503, 10);
    const res = await setCard(key, { stripe_token: 'tok_visa' });
    stripe().failNext(503, 0);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('60');
    expect(JSON.stringify(await res.json())).toContain('Nothing was changed');
    expect((await getCard(key)).status).toBe(404);
    const profile = (await itemsAbout(email)).find((i) => i.type === 'user');
    expect(profile?.stripeCustomerId).toBeUndefined();
  });

  it('answers 409 when the Stripe customer was forgotten meanwhile, and records no card', async () => {
    const email = newEmail('forgotten');
    const key = await activeAccount(email);
    expect((await setCard(key, { stripe_token: 'tok_visa' })).status).toBe(200);
    const userId = await userIdOf(email);
    const customer = String((await itemsAbout(email)).find((i) => i.type === 'user')?.stripeCustomerId);
    // As a customer.deleted webhook does, between Stripe's answer and the card's record.
    const ran = meanwhile(
      'TransactWriteItemsCommand',
      () => forgetCustomer(userId, customer),
      (input) => JSON.stringify(input.TransactItems).includes('paymentMethod = :pm'),
    );
    const res = await setCard(key, { stripe_token: 'tok_mastercard' });
    expect(ran()).toBe(true);
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ errors: { '': ['The account changed meanwhile. Try again.'] } });
    const profile = (await itemsAbout(email)).find((i) => i.type === 'user');
    expect(profile?.stripeCustomerId).toBeUndefined();
    expect(profile?.paymentMethod).toBeUndefined();
    expect((await getCard(key)).status).toBe(404);
  });

  it('needs a key', async () => {
    expect((await call('PUT', '/api/payment_methods')).status).toBe(401);
  });
});
