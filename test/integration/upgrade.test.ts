import { describe, expect, it } from 'vitest';
import { createPromo, getPromo } from '#data/promos.ts';
import { userIdOf } from '../support/deletion.ts';
import { activeAccount, call } from '../support/flows.ts';
import { newEmail } from '../support/http.ts';
import { bearer, withKey } from '../support/keys.ts';
import { meanwhile, touchProfile } from '../support/race.ts';
import { useFakeStripe } from '../support/stripe.ts';
import { itemsAbout } from '../support/table.ts';

const stripe = useFakeStripe();
const upgrade = (key: string, body: Record<string, unknown> = {}) =>
  call('POST', '/api/upgrade', withKey(key, body));
const account = async (key: string) =>
  (
    (await (await call('GET', '/api/users', bearer(key))).json()) as {
      data: { tier: string; credit_cents: number };
    }
  ).data;

describe('POST /api/upgrade', () => {
  it('refuses without a payment method, saying so, and changes nothing', async () => {
    const key = await activeAccount(newEmail('nocard'));
    const res = await upgrade(key);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      errors: { stripe_token: [expect.stringMatching(/payment method is needed/)] },
    });
    expect((await account(key)).tier).toBe('FREE');
  });

  it('upgrades with a card in the request, and shows STANDARD', async () => {
    const key = await activeAccount(newEmail('up'));
    const res = await upgrade(key, { stripe_token: 'tok_visa' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { tier: 'STANDARD' } });
    expect((await account(key)).tier).toBe('STANDARD');
    // Already STANDARD: 200, and not a single call to Stripe.
    const before = stripe().requests.length;
    expect((await upgrade(key, { stripe_token: 'tok_mastercard' })).status).toBe(200);
    expect(stripe().requests.length).toBe(before);
  });

  it('upgrades with the card on file, adding a promo’s credit and spending one use', async () => {
    const key = await activeAccount(newEmail('promo'));
    expect(
      (await call('PUT', '/api/payment_methods', withKey(key, { stripe_token: 'tok_visa' }))).status,
    ).toBe(200);
    const code = `UP${Date.now().toString(36).toUpperCase()}`;
    await createPromo({ code, creditCents: 700, remainingUses: 2, createdAt: new Date().toISOString() });
    expect((await upgrade(key, { promo_code: code.toLowerCase() })).status).toBe(200);
    expect(await account(key)).toMatchObject({ tier: 'STANDARD', credit_cents: 700 });
    expect((await getPromo(code))?.remainingUses).toBe(1);
  });

  it('answers 503 when Stripe is down while the card is set, and stays FREE with no card', async () => {
    const email = newEmail('outage');
    const key = await activeAccount(email);
    stripe().failNext(503, 10);
    const res = await upgrade(key, { stripe_token: 'tok_visa' });
    stripe().failNext(503, 0);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('60');
    expect(await res.json()).toEqual({
      errors: { '': ['The payment provider did not answer. Nothing was changed: try again in a minute.'] },
    });
    expect((await account(key)).tier).toBe('FREE');
    const profile = (await itemsAbout(email)).find((i) => i.type === 'user');
    expect(profile?.stripeCustomerId).toBeUndefined();
    expect(profile?.paymentMethod).toBeUndefined();
  });

  it('answers 409 when the account’s deletion began while its customer was made, and upgrades nothing', async () => {
    const email = newEmail('raced');
    const key = await activeAccount(email);
    const userId = await userIdOf(email);
    const ran = meanwhile(
      'TransactWriteItemsCommand',
      () => touchProfile(userId, { status: 'DELETING' }),
      (input) => JSON.stringify(input.TransactItems).includes('stripeCustomerId'),
    );
    const res = await upgrade(key, { stripe_token: 'tok_visa' });
    expect(ran()).toBe(true);
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ errors: { '': ['The account changed meanwhile. Try again.'] } });
    const items = await itemsAbout(email);
    expect(items.find((i) => i.type === 'user')).toMatchObject({ tier: 'FREE', status: 'DELETING' });
    expect(items.find((i) => i.type === 'user')?.stripeCustomerId).toBeUndefined();
    expect(items.find((i) => i.type === 'user')?.paymentMethod).toBeUndefined();
    expect(items.filter((i) => i.type === 'stripeCustomer')).toEqual([]);
  });

  it('refuses a declined card or an unknown promo, and stays FREE', async () => {
    const key = await activeAccount(newEmail('refused'));
    const declined = await upgrade(key, { stripe_token: 'tok_chargeDeclined' });
    expect(declined.status).toBe(400);
    expect(await declined.json()).toEqual({ errors: { stripe_token: ['Your card was declined.'] } });
    const promo = await upgrade(key, { stripe_token: 'tok_visa', promo_code: 'NOSUCHPROMO' });
    expect(promo.status).toBe(400);
    expect(await promo.json()).toEqual({ errors: { promo_code: ['Invalid promo code'] } });
    expect((await account(key)).tier).toBe('FREE');
  });
});
