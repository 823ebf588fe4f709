// GET /api/invoices: asked of Stripe (its local stand-in) each time, newest first.
import { describe, expect, it } from 'vitest';
import { activeAccount, call } from '../support/flows.ts';
import { newEmail } from '../support/http.ts';
import { bearer, withKey } from '../support/keys.ts';
import { useFakeStripe } from '../support/stripe.ts';
import { itemsAbout } from '../support/table.ts';

const fake = useFakeStripe();

const invoices = async (key: string) => {
  const res = await call('GET', '/api/invoices', bearer(key));
  return { status: res.status, headers: res.headers, body: (await res.json()) as { data: unknown[] } };
};

describe('GET /api/invoices', () => {
  it('lists none for an account that never had a card, and asks Stripe nothing', async () => {
    const key = await activeAccount(newEmail('no-invoices'));
    const before = fake().requests.length;
    expect(await invoices(key)).toMatchObject({ status: 200, body: { data: [] } });
    expect(fake().requests.length).toBe(before);
  });

  it('lists the customer’s invoices as Stripe has them, newest first, and only theirs', async () => {
    const email = newEmail('invoiced');
    const key = await activeAccount(email);
    expect(
      (await call('PUT', '/api/payment_methods', withKey(key, { stripe_token: 'tok_visa' }))).status,
    ).toBe(200);
    const customer = String((await itemsAbout(email)).find((i) => i.type === 'user')?.stripeCustomerId);
    const older = fake().addInvoice(customer, 'paid');
    const newer = fake().addInvoice(customer, 'open');
    const other = await activeAccount(newEmail('other'));
    expect(
      (await call('PUT', '/api/payment_methods', withKey(other, { stripe_token: 'tok_visa' }))).status,
    ).toBe(200);
    const { status, body } = await invoices(key);
    expect(status).toBe(200);
    expect(body.data.map((i) => (i as { id: string }).id)).toEqual([newer, older]);
    expect(body.data[0]).toEqual({
      id: newer,
      number: expect.stringMatching(/^GH-\d{4}$/),
      date: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      amount: 1000,
      currency: 'usd',
      status: 'open',
      pdf: expect.stringMatching(/^https:\/\/.+\/pdf$/),
    });
    expect((await invoices(other)).body.data).toEqual([]);
  });

  it('answers 503 with Retry-After when Stripe does not answer', async () => {
    const email = newEmail('invoices-down');
    const key = await activeAccount(email);
    expect(
      (await call('PUT', '/api/payment_methods', withKey(key, { stripe_token: 'tok_visa' }))).status,
    ).toBe(200);
    fake().failNext(503, 10);
    const down = await invoices(key);
    fake().failNext(503, 0);
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('60');
  });
});
