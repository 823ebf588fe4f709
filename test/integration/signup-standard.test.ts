// The staged signup with tier STANDARD: the stripe_token step makes the customer and card at
// Stripe first, so a refused card leaves no account; finalize makes the account with them.
import { describe, expect, it } from 'vitest';
import { call } from '../support/flows.ts';
import { newEmail } from '../support/http.ts';
import { bearer } from '../support/keys.ts';
import { readyForTier, step } from '../support/signup.ts';
import { useFakeStripe } from '../support/stripe.ts';
import { itemsAbout } from '../support/table.ts';

const stripe = useFakeStripe();

describe('POST /api/signup for STANDARD', () => {
  it('takes a card, then makes a STANDARD account with its Stripe customer and card', async () => {
    const email = newEmail('standard');
    const uuid = await readyForTier(email);
    expect((await step({ uuid, stripe_token: 'tok_visa' })).status).toBe(200);
    const done = await step({ uuid, tier: 'STANDARD' });
    expect(done.status).toBe(200);
    const { key } = ((await done.json()) as { data: { key: string } }).data;
    const account = (await (await call('GET', '/api/users', bearer(key))).json()) as {
      data: { tier: string };
    };
    expect(account.data.tier).toBe('STANDARD');
    const card = await call('GET', '/api/payment_methods', bearer(key));
    expect(((await card.json()) as { data: { last4: string } }).data.last4).toBe('4242');
    const profile = (await itemsAbout(email)).find((i) => i.type === 'user');
    const customer = stripe().customers.get(String(profile?.stripeCustomerId));
    expect(customer?.metadata.gatehouseUserId).toBe(profile?.userId);
    expect(customer?.invoice_settings.default_payment_method).toBe(
      (profile?.paymentMethod as { id: string } | undefined)?.id,
    );
  });

  it('refuses a declined card at its step, leaving no account, and lets the user try another', async () => {
    const email = newEmail('declined');
    const uuid = await readyForTier(email);
    const declined = await step({ uuid, stripe_token: 'tok_chargeDeclined' });
    expect(declined.status).toBe(400);
    expect(await declined.json()).toEqual({ errors: { stripe_token: ['Your card was declined.'] } });
    expect((await step({ uuid, tier: 'STANDARD' })).status).toBe(400);
    expect((await itemsAbout(email)).filter((i) => i.type === 'user')).toHaveLength(0);
    expect((await step({ uuid, stripe_token: 'tok_mastercard' })).status).toBe(200);
    expect((await step({ uuid, tier: 'STANDARD' })).status).toBe(200);
    // The declined try and the good one share one customer (the account id was reserved first).
    expect([...stripe().customers.values()].filter((c) => c.email === email)).toHaveLength(1);
  });

  it('makes one Stripe customer however often the card step is sent', async () => {
    const email = newEmail('twice');
    const uuid = await readyForTier(email);
    expect((await step({ uuid, stripe_token: 'tok_visa' })).status).toBe(200);
    expect((await step({ uuid, stripe_token: 'tok_amex' })).status).toBe(200);
    expect((await step({ uuid, tier: 'STANDARD' })).status).toBe(200);
    expect([...stripe().customers.values()].filter((c) => c.email === email)).toHaveLength(1);
  });

  it('answers 503 when Stripe is down at the card step, and nothing is made', async () => {
    const email = newEmail('down');
    const uuid = await readyForTier(email);
    stripe().failNext(503, 10);
    const res = await step({ uuid, stripe_token: 'tok_visa' });
    stripe().failNext(503, 0);
    expect(res.status).toBe(503);
    expect((await step({ uuid, tier: 'STANDARD' })).status).toBe(400);
  });
});
