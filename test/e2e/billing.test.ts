// Billing end to end against `npm start` and its local stand-in for Stripe: a FREE account sets a
// card and upgrades; a declined card changes nothing; a staged STANDARD signup; one webhook
// delivered twice at once is applied once.
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, json, newEmail, PASSWORD, keyed as withKey } from '../support/http.ts';
import { linkToken, mailsTo } from '../support/mail.ts';
import { npmStart, type RunningStack } from '../support/npm-start.ts';

const webhookSecret = `whsec_${randomBytes(16).toString('hex')}`;
let stack: RunningStack;
beforeAll(async () => {
  stack = await npmStart([], {}, { STRIPE_WEBHOOK_SECRET: webhookSecret });
});
afterAll(() => stack?.kill());

const api = (path: string, init: RequestInit = {}) => fetch(`${stack.api}${path}`, init);

async function freeAccount(): Promise<{ email: string; key: string }> {
  const email = newEmail('billing-e2e');
  expect(
    (await api('/api/free_users', { method: 'POST', ...json({ email, password: PASSWORD }) })).status,
  ).toBe(200);
  const [mail] = await mailsTo(email, stack.mail);
  const token = linkToken(mail as NonNullable<typeof mail>, 'confirm-email');
  await api('/confirm-email', { method: 'POST', body: new URLSearchParams({ token }) });
  const login = await api('/api/login', { headers: { authorization: basic(email, PASSWORD) } });
  return { email, key: ((await login.json()) as { data: { key: string } }).data.key };
}

const account = async (key: string) =>
  (
    (await (await api('/api/users', withKey(key, 'GET'))).json()) as {
      data: { tier: string; payment_failed: boolean };
    }
  ).data;

describe('billing, end to end', () => {
  it('sets a card, upgrades, refuses a declined card, and applies a webhook once', async () => {
    const stripeUrl = /Stripe +(http:\/\/127\.0\.0\.1:\d+)/.exec(stack.output())?.[1] as string;
    expect(stripeUrl).toBeDefined();
    const config = await api('/api/public/config');
    expect(
      ((await config.json()) as { data: { stripe_publishable_key: string } }).data.stripe_publishable_key,
    ).toMatch(/^pk_test_/);

    const { key } = await freeAccount();
    const declined = await api(
      '/api/payment_methods',
      withKey(key, 'PUT', { stripe_token: 'tok_chargeDeclined' }),
    );
    expect(declined.status).toBe(400);
    expect((await api('/api/payment_methods', withKey(key, 'GET'))).status).toBe(404);
    expect(
      (await api('/api/payment_methods', withKey(key, 'PUT', { stripe_token: 'tok_visa' }))).status,
    ).toBe(200);
    expect((await api('/api/upgrade', withKey(key, 'POST', {}))).status).toBe(200);
    expect((await account(key)).tier).toBe('STANDARD');

    // A failed invoice, told twice at once: applied (fetched from Stripe) once, flagged once.
    const customer = (
      (await (await fetch(`${stripeUrl}/_test/requests`)).json()) as { requests: string[] }
    ).requests
      .find((r) => r.startsWith('POST /v1/customers/cus_'))
      ?.split('/')[3] as string;
    const invoice = (
      (await (
        await fetch(`${stripeUrl}/_test/invoices`, {
          method: 'POST',
          body: JSON.stringify({ customer, status: 'open' }),
        })
      ).json()) as { id: string }
    ).id;
    const payload = JSON.stringify({
      id: `evt_e2e_${Date.now()}`,
      object: 'event',
      type: 'invoice.payment_failed',
      data: { object: { id: invoice, customer } },
    });
    const signature = new Stripe('sk_test_unused').webhooks.generateTestHeaderString({
      payload,
      secret: webhookSecret,
    });
    const deliver = () =>
      api('/api/stripe/webhook', {
        method: 'POST',
        body: payload,
        headers: { 'content-type': 'application/json', 'stripe-signature': signature },
      });
    const answers = await Promise.all([deliver(), deliver()]);
    expect(answers.map((r) => r.status)).toContain(200);
    const fetched = (
      (await (await fetch(`${stripeUrl}/_test/requests`)).json()) as { requests: string[] }
    ).requests.filter((r) => r === `GET /v1/invoices/${invoice}`);
    expect(fetched).toHaveLength(1);
    expect((await account(key)).payment_failed).toBe(true);
  });

  it('signs up for STANDARD in stages, card included', async () => {
    const email = newEmail('standard-e2e');
    const signup = (body: unknown) => api('/api/signup', { method: 'POST', ...json(body) });
    const { uuid } = ((await (await signup({ email })).json()) as { data: { uuid: string } }).data;
    const code = /code is (\d{6})/.exec((await mailsTo(email, stack.mail)).at(-1)?.body.text ?? '')?.[1];
    expect((await signup({ uuid, confirmation_code: code })).status).toBe(200);
    expect((await signup({ uuid, password: PASSWORD })).status).toBe(200);
    expect((await signup({ uuid, stripe_token: 'tok_mastercard' })).status).toBe(200);
    const done = await signup({ uuid, tier: 'STANDARD' });
    expect(done.status).toBe(200);
    const { key } = ((await done.json()) as { data: { key: string } }).data;
    expect((await account(key)).tier).toBe('STANDARD');
  });
});
