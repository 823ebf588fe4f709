// Stripe's webhooks: signature on the raw body, each event applied once, and applied from the
// object as Stripe has it now (so late or repeated events cannot undo newer state).
import Stripe from 'stripe';
import { describe, expect, it, vi } from 'vitest';
import { claimStripeEvent, finishStripeEvent } from '#data/billing.ts';
import { log } from '#shared/log.ts';
import { userIdOf } from '../support/deletion.ts';
import { useLifecycleEvents } from '../support/events.ts';
import { activeAccount, call } from '../support/flows.ts';
import { newEmail } from '../support/http.ts';
import { bearer, withKey } from '../support/keys.ts';
import { useFakeStripe } from '../support/stripe.ts';
import { allItems, itemsAbout } from '../support/table.ts';

const fake = useFakeStripe();
const events = useLifecycleEvents();
/** The SDK as an operator's Stripe dashboard would act, against the stand-in. */
const stripe = () =>
  new Stripe(fake().secretKey, {
    host: '127.0.0.1',
    port: Number(new URL(fake().url).port),
    protocol: 'http',
  });

let n = 0;
const event = (type: string, object: Record<string, unknown>, previous?: Record<string, unknown>) =>
  JSON.stringify({
    id: `evt_test_${Date.now()}_${n++}`,
    object: 'event',
    type,
    created: Math.floor(Date.now() / 1000),
    data: { object, ...(previous ? { previous_attributes: previous } : {}) },
  });

function deliver(
  payload: string,
  signature = stripe().webhooks.generateTestHeaderString({
    payload,
    secret: String(process.env.STRIPE_WEBHOOK_SECRET),
  }),
) {
  return call('POST', '/api/stripe/webhook', {
    body: payload,
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
  });
}

/** An account with a card: its key and its Stripe customer id. */
async function payingAccount(): Promise<{ key: string; customer: string; email: string }> {
  const email = newEmail('hook');
  const key = await activeAccount(email);
  expect((await call('PUT', '/api/payment_methods', withKey(key, { stripe_token: 'tok_visa' }))).status).toBe(
    200,
  );
  const profile = (await itemsAbout(email)).find((i) => i.type === 'user');
  return { key, email, customer: String(profile?.stripeCustomerId) };
}

const paymentFailed = async (key: string) =>
  ((await (await call('GET', '/api/users', bearer(key))).json()) as { data: { payment_failed: boolean } })
    .data.payment_failed;

describe('POST /api/stripe/webhook', () => {
  it('refuses a missing, forged or stale signature, applying nothing', async () => {
    const { key, customer } = await payingAccount();
    const invoice = fake().addInvoice(customer, 'open');
    const payload = event('invoice.payment_failed', { id: invoice, customer });
    const secret = String(process.env.STRIPE_WEBHOOK_SECRET);
    const forged = stripe().webhooks.generateTestHeaderString({ payload, secret: 'whsec_not_ours' });
    const stale = stripe().webhooks.generateTestHeaderString({
      payload,
      secret,
      timestamp: Math.floor(Date.now() / 1000) - 400,
    });
    const tampered = stripe().webhooks.generateTestHeaderString({ payload, secret });
    expect(
      (
        await call('POST', '/api/stripe/webhook', {
          body: payload,
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(400);
    for (const signature of [forged, stale]) expect((await deliver(payload, signature)).status).toBe(400);
    expect((await deliver(payload.replace('invoice.payment_failed', 'invoice.paid'), tampered)).status).toBe(
      400,
    );
    expect(await paymentFailed(key)).toBe(false);
  });

  it('flags a failed invoice payment, and applies one event once however often it comes', async () => {
    const { key, customer } = await payingAccount();
    const invoice = fake().addInvoice(customer, 'open');
    const payload = event('invoice.payment_failed', { id: invoice, customer });
    const fetches = () => fake().requests.filter((r) => r === `GET /v1/invoices/${invoice}`).length;
    const [a, b] = await Promise.all([deliver(payload), deliver(payload)]);
    expect([a.status, b.status].sort()).toEqual(expect.arrayContaining([200]));
    expect([a.status, b.status].every((s) => s === 200 || s === 409)).toBe(true);
    expect(fetches()).toBe(1);
    const again = await deliver(payload);
    expect(await again.json()).toEqual({ data: { received: true, duplicate: true } });
    expect(fetches()).toBe(1);
    expect(await paymentFailed(key)).toBe(true);
  });

  it('goes by the invoice as it is now: a late failure event cannot flag a paid invoice', async () => {
    const { key, customer } = await payingAccount();
    const invoice = fake().addInvoice(customer, 'open');
    const failed = event('invoice.payment_failed', { id: invoice, customer });
    fake().setInvoiceStatus(invoice, 'paid');
    expect((await deliver(event('invoice.paid', { id: invoice, customer }))).status).toBe(200);
    expect((await deliver(failed)).status).toBe(200);
    expect(await paymentFailed(key)).toBe(false);
  });

  it('keeps the flag while any invoice stands failed, whatever order their events come in', async () => {
    const { key, customer } = await payingAccount();
    const [a, b] = [fake().addInvoice(customer, 'open'), fake().addInvoice(customer, 'open')];
    expect((await deliver(event('invoice.payment_failed', { id: a, customer }))).status).toBe(200);
    expect((await deliver(event('invoice.payment_failed', { id: b, customer }))).status).toBe(200);
    fake().setInvoiceStatus(a, 'paid');
    expect((await deliver(event('invoice.paid', { id: a, customer }))).status).toBe(200);
    expect(await paymentFailed(key)).toBe(true);
    fake().setInvoiceStatus(b, 'paid');
    expect((await deliver(event('invoice.paid', { id: b, customer }))).status).toBe(200);
    expect(await paymentFailed(key)).toBe(false);
  });

  it('lets a claim left by a crashed delivery go stale, so Stripe’s retry applies the event', async () => {
    const id = `evt_crash_${Date.now()}`;
    const now = Math.floor(Date.now() / 1000);
    expect(await claimStripeEvent(id, now)).toBe('claimed');
    // The claimer died here: a retry a moment later waits, one after the stale time takes over.
    expect(await claimStripeEvent(id, now + 5)).toBe('in-progress');
    expect(await claimStripeEvent(id, now + 61)).toBe('claimed');
    await finishStripeEvent(id);
    expect(await claimStripeEvent(id, now + 200)).toBe('done');
  });

  it('follows a card detached or a customer deleted at Stripe', async () => {
    const one = await payingAccount();
    const pm = (await stripe().customers.retrieve(one.customer)) as Stripe.Customer;
    const pmId = String(pm.invoice_settings.default_payment_method);
    await stripe().paymentMethods.detach(pmId);
    expect(
      (
        await deliver(
          event('payment_method.detached', { id: pmId, customer: null }, { customer: one.customer }),
        )
      ).status,
    ).toBe(200);
    expect((await call('GET', '/api/payment_methods', bearer(one.key))).status).toBe(404);
    // Stripe tells one change in several events: the platform hears of it once.
    expect((await deliver(event('customer.updated', { id: one.customer }))).status).toBe(200);
    const told = await events.settled(await userIdOf(one.email), 3);
    expect(told.map((e) => [e['detail-type'], e.detail.hasPaymentMethod])).toEqual([
      ['account.created', undefined],
      ['account.payment_method_changed', true],
      ['account.payment_method_changed', false],
    ]);

    const two = await payingAccount();
    await stripe().customers.del(two.customer);
    expect((await deliver(event('customer.deleted', { id: two.customer }))).status).toBe(200);
    expect((await call('GET', '/api/payment_methods', bearer(two.key))).status).toBe(404);
    const profile = (await itemsAbout(two.email)).find((i) => i.type === 'user');
    expect(profile?.stripeCustomerId).toBeUndefined();
  });

  it('takes events up to 256 KiB, and refuses a larger one unread with 413', async () => {
    const { key, customer } = await payingAccount();
    const invoice = fake().addInvoice(customer, 'open');
    const padded = (bytes: number) => {
      const base = event('invoice.payment_failed', { id: invoice, customer, description: '' });
      return base.replace('"description":""', `"description":"${'x'.repeat(bytes - base.length)}"`);
    };
    const over = padded(256 * 1024 + 1);
    expect(Buffer.byteLength(over)).toBe(256 * 1024 + 1);
    const refused = await deliver(over);
    expect(refused.status).toBe(413);
    expect(await refused.json()).toEqual({ errors: { '': ['The request body must be at most 256 KiB'] } });
    expect(await paymentFailed(key)).toBe(false);
    const claim = `STRIPE_EVENT#${(JSON.parse(over) as { id: string }).id}`;
    expect((await allItems()).some((i) => i.pk === claim)).toBe(false);
    // Well past the 16 KiB other routes take, within this route's own limit: applied.
    const within = padded(256 * 1024);
    expect((await deliver(within)).status).toBe(200);
    expect(await paymentFailed(key)).toBe(true);
  });

  it('gives an event back when applying it fails half way, so Stripe’s retry applies it', async () => {
    const { key, customer } = await payingAccount();
    const invoice = fake().addInvoice(customer, 'open');
    const payload = event('invoice.payment_failed', { id: invoice, customer });
    fake().failNext(503, 10);
    const failed = await deliver(payload);
    fake().failNext(503, 0);
    expect(failed.status).toBe(503);
    expect(await paymentFailed(key)).toBe(false);
    expect((await deliver(payload)).status).toBe(200);
    expect(await paymentFailed(key)).toBe(true);
  });
});

describe('POST /api/stripe/webhook against hostile deliveries', () => {
  const secret = () => String(process.env.STRIPE_WEBHOOK_SECRET);
  const signed = (payload: string, timestamp?: number) =>
    stripe().webhooks.generateTestHeaderString({ payload, secret: secret(), timestamp });

  it('answers a malformed Stripe-Signature header with 400, like a wrong one', async () => {
    const payload = event('invoice.payment_failed', { id: 'in_nothing', customer: 'cus_nothing' });
    const valid = signed(payload);
    for (const header of [
      't=1,v1=',
      't=abc,v1=',
      't=,v1=',
      't=1,v1=,v1=',
      'v1=abc',
      't=1',
      '=,=',
      ',,,',
      `${valid},t=2`,
      valid.replace(/v1=[0-9a-f]+/, 'v1=zz'),
    ]) {
      const res = await deliver(payload, header);
      expect({ header, status: res.status }).toEqual({ header, status: 400 });
      expect(await res.json()).toEqual({ errors: { '': ['Invalid Stripe signature'] } });
    }
  });

  it('refuses a signature timestamped beyond the tolerance on either side', async () => {
    const { key, customer } = await payingAccount();
    const invoice = fake().addInvoice(customer, 'open');
    const payload = event('invoice.payment_failed', { id: invoice, customer });
    const now = Math.floor(Date.now() / 1000);
    for (const t of [now + 400, now + 100_000, now - 301]) {
      expect((await deliver(payload, signed(payload, t))).status).toBe(400);
    }
    expect(await paymentFailed(key)).toBe(false);
    // Within 300 s of now either way: taken.
    expect((await deliver(payload, signed(payload, now + 60))).status).toBe(200);
    expect(await paymentFailed(key)).toBe(true);
  });

  it('answers a signed body that is no event with 400, logging none of it', async () => {
    const errors = vi.spyOn(log, 'error');
    const warnings = vi.spyOn(log, 'warn');
    const bodies = [
      'not json SECRET-CONTENT',
      '{"id":"evt_x","type":"invoice.paid" SECRET-CONTENT',
      JSON.stringify({ id: 'evt_no_data', type: 'invoice.paid', note: 'SECRET-CONTENT' }),
      JSON.stringify({ id: 'evt_null', type: 'invoice.paid', data: { object: null } }),
      JSON.stringify({ id: 'evt_str', type: 'invoice.paid', data: { object: 'SECRET-CONTENT' } }),
      JSON.stringify({ type: 'invoice.paid', data: { object: { id: 'in_x' } } }),
      JSON.stringify({ id: 'evt_notype', data: { object: { id: 'in_x' } } }),
      JSON.stringify(['SECRET-CONTENT']),
      'null',
    ];
    for (const body of bodies) {
      const res = await deliver(body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(await res.json()).toEqual({ errors: { '': ['The body is not a Stripe event'] } });
    }
    const logged = JSON.stringify([...errors.mock.calls, ...warnings.mock.calls]);
    expect(logged).not.toContain('SECRET-CONTENT');
    expect(errors).not.toHaveBeenCalled();
    expect((await allItems()).some((i) => String(i.pk).startsWith('STRIPE_EVENT#evt_n'))).toBe(false);
  });

  it('answers an event naming an invoice Stripe does not know with 400 under data.object', async () => {
    const payload = event('invoice.payment_failed', { id: 'in_unknown_to_stripe', customer: 'cus_x' });
    const res = await deliver(payload);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: Record<string, string[]> };
    expect(Object.keys(body.errors)).toEqual(['data.object']);
  });
});
