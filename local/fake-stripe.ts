// A local stand-in for the few Stripe endpoints Gatehouse uses, for `npm start` and the tests: the
// official `stripe` SDK is pointed at it (STRIPE_API_HOST/PORT/PROTOCOL). It keeps customers and
// PaymentMethods in memory, honours idempotency keys, knows Stripe's test tokens
// (tok_visa, tok_mastercard, tok_chargeDeclined, tok_chargeDeclinedExpiredCard; pm_card_visa, ...),
// serves Checkout's setup mode with a hosted card page of its own, and answers errors in Stripe's
// shape. `failNext(status)` makes the next call fail, for tests of outages. Never used by a
// deployed stack.
import { randomBytes } from 'node:crypto';
import { serve } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { escapeHtml } from '#shared/html.ts';

export interface FakeCard {
  readonly brand: string;
  readonly last4: string;
  readonly exp_month: number;
  readonly exp_year: number;
}

interface PaymentMethod {
  id: string;
  object: 'payment_method';
  type: 'card';
  card: FakeCard;
  customer: string | null;
  created: number;
}

interface Invoice {
  id: string;
  object: 'invoice';
  customer: string;
  status: 'open' | 'paid';
  attempt_count: number;
  number: string;
  created: number;
  amount_due: number;
  currency: string;
  invoice_pdf: string;
}

interface CheckoutSession {
  id: string;
  object: 'checkout.session';
  mode: 'setup';
  customer: string;
  status: 'open' | 'complete';
  url: string;
  success_url: string;
  cancel_url: string;
  setup_intent: string;
}

interface SetupIntent {
  id: string;
  object: 'setup_intent';
  customer: string;
  status: 'requires_payment_method' | 'succeeded';
  payment_method: string | null;
}

interface Customer {
  id: string;
  object: 'customer';
  email: string | null;
  metadata: Record<string, string>;
  invoice_settings: { default_payment_method: string | null };
  deleted?: true;
}

export interface FakeStripe {
  readonly url: string;
  readonly secretKey: string;
  readonly publishableKey: string;
  readonly environment: Record<string, string>;
  readonly customers: ReadonlyMap<string, Customer>;
  readonly paymentMethods: ReadonlyMap<string, PaymentMethod>;
  /** An invoice as Stripe would hold it after a payment attempt (for webhook tests). */
  addInvoice(customer: string, status: 'open' | 'paid'): string;
  /** Changes an invoice, as a later successful retry of its payment would. */
  setInvoiceStatus(id: string, status: 'open' | 'paid'): void;
  /** Requests received, in order (method and path), for assertions. */
  readonly requests: readonly string[];
  /** The next `count` API calls answer `status` (a Stripe outage). */
  failNext(status: number, count?: number): void;
  stop(): Promise<void>;
}

const year = new Date().getUTCFullYear();
const CARDS: Record<string, FakeCard | { error: { code: string; message: string; decline_code?: string } }> =
  {
    visa: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: year + 4 },
    mastercard: { brand: 'mastercard', last4: '4444', exp_month: 6, exp_year: year + 3 },
    amex: { brand: 'amex', last4: '8431', exp_month: 3, exp_year: year + 2 },
    chargeDeclined: {
      error: { code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' },
    },
    chargeDeclinedExpiredCard: { error: { code: 'expired_card', message: 'Your card has expired.' } },
  };

/** Stripe's test card numbers, and the card each stands for (CARDS). */
const TEST_NUMBERS: Record<string, string> = {
  '4242424242424242': 'visa',
  '5555555555554444': 'mastercard',
  '378282246310005': 'amex',
  '4000000000000002': 'chargeDeclined',
  '4000000000000069': 'chargeDeclinedExpiredCard',
};

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;

/** Stripe's form encoding (`a[b][c]=v`) into nested objects. */
function parseForm(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const path = key.replace(/\]/g, '').split('[');
    let node = out;
    path.forEach((part, i) => {
      if (i === path.length - 1) node[part] = value;
      else {
        node[part] ??= {};
        node = node[part] as Record<string, unknown>;
      }
    });
  }
  return out;
}

const stripeError = (c: Context, status: 400 | 402 | 404 | 500 | 503, error: Record<string, unknown>) =>
  c.json({ error }, status);

export async function startFakeStripe(port = 0): Promise<FakeStripe> {
  const secretKey = `sk_test_${randomBytes(16).toString('hex')}`;
  const publishableKey = `pk_test_${randomBytes(16).toString('hex')}`;
  const customers = new Map<string, Customer>();
  const paymentMethods = new Map<string, PaymentMethod>();
  const invoices = new Map<string, Invoice>();
  const sessions = new Map<string, CheckoutSession>();
  const setupIntents = new Map<string, SetupIntent>();
  const idempotent = new Map<string, { status: number; body: unknown }>();
  const requests: string[] = [];
  let failures: { status: number; count: number } | undefined;

  const cardFrom = (c: Context, name: string) => {
    const card = CARDS[name];
    if (!card) {
      return stripeError(c, 400, {
        type: 'invalid_request_error',
        code: 'resource_missing',
        message: `No such token: '${name}'`,
        param: 'token',
      });
    }
    if ('error' in card) return stripeError(c, 402, { type: 'card_error', ...card.error });
    return card;
  };

  const addInvoice = (customer: string, status: 'open' | 'paid'): string => {
    const invoiceId = id('in');
    const invoice: Invoice = {
      id: invoiceId,
      object: 'invoice',
      customer,
      status,
      attempt_count: 1,
      number: `GH-${String(invoices.size + 1).padStart(4, '0')}`,
      // Later ones later, even within a second.
      created: Math.floor(Date.now() / 1000) + invoices.size,
      amount_due: 1000,
      currency: 'usd',
      invoice_pdf: `https://pay.stripe.example/invoice/${invoiceId}/pdf`,
    };
    invoices.set(invoice.id, invoice);
    return invoice.id;
  };

  const newPaymentMethod = (card: FakeCard): PaymentMethod => {
    const pm: PaymentMethod = {
      id: id('pm'),
      object: 'payment_method',
      type: 'card',
      card,
      customer: null,
      created: Math.floor(Date.now() / 1000),
    };
    paymentMethods.set(pm.id, pm);
    return pm;
  };

  const missing = (c: Context, what: string, value: string) =>
    stripeError(c, 404, {
      type: 'invalid_request_error',
      code: 'resource_missing',
      message: `No such ${what}: '${value}'`,
    });

  const app = new Hono();
  app.use('/v1/*', async (c, next) => {
    requests.push(`${c.req.method} ${c.req.path}`);
    // Clients turn card details into tokens with the publishable key; everything else needs the secret.
    const publicCall = c.req.method === 'POST' && c.req.path === '/v1/tokens';
    const authorization = c.req.header('authorization');
    if (
      authorization !== `Bearer ${secretKey}` &&
      !(publicCall && authorization === `Bearer ${publishableKey}`)
    ) {
      return stripeError(c, 400, { type: 'invalid_request_error', message: 'Invalid API Key provided' });
    }
    if (failures && failures.count > 0) {
      failures.count--;
      return stripeError(c, failures.status as 500 | 503, {
        type: 'api_error',
        message: 'Stripe is having trouble.',
      });
    }
    const key = c.req.header('idempotency-key');
    const remembered = key && idempotent.get(`${c.req.path}:${key}`);
    if (remembered) return c.json(remembered.body, remembered.status as 200);
    await next();
    if (key && c.req.method === 'POST' && c.res.status < 500) {
      idempotent.set(`${c.req.path}:${key}`, { status: c.res.status, body: await c.res.clone().json() });
    }
  });

  app.post('/v1/customers', async (c) => {
    const form = parseForm(await c.req.text());
    const customer: Customer = {
      id: id('cus'),
      object: 'customer',
      email: (form.email as string) ?? null,
      metadata: (form.metadata as Record<string, string>) ?? {},
      invoice_settings: { default_payment_method: null },
    };
    customers.set(customer.id, customer);
    return c.json(customer);
  });
  app.get('/v1/customers/:id', (c) => {
    const customer = customers.get(c.req.param('id'));
    if (!customer) return missing(c, 'customer', c.req.param('id'));
    return c.json(customer.deleted ? { id: customer.id, object: 'customer', deleted: true } : customer);
  });
  app.post('/v1/customers/:id', async (c) => {
    const customer = customers.get(c.req.param('id'));
    if (!customer || customer.deleted) return missing(c, 'customer', c.req.param('id'));
    const form = parseForm(await c.req.text());
    const pm = (form.invoice_settings as { default_payment_method?: string } | undefined)
      ?.default_payment_method;
    if (pm !== undefined) {
      if (paymentMethods.get(pm)?.customer !== customer.id) return missing(c, 'payment_method', pm);
      customer.invoice_settings.default_payment_method = pm;
    }
    return c.json(customer);
  });
  app.delete('/v1/customers/:id', (c) => {
    const customer = customers.get(c.req.param('id'));
    if (!customer || customer.deleted) return missing(c, 'customer', c.req.param('id'));
    customer.deleted = true;
    return c.json({ id: customer.id, object: 'customer', deleted: true });
  });

  // Stripe's test card numbers, as clients send them with the publishable key.
  app.post('/v1/tokens', async (c) => {
    const form = parseForm(await c.req.text());
    const number = String((form.card as { number?: string } | undefined)?.number ?? '');
    const name = TEST_NUMBERS[number];
    if (!name) {
      return stripeError(c, 402, {
        type: 'card_error',
        code: 'incorrect_number',
        message: 'Your card number is incorrect. In test mode, use a test card number.',
        param: 'number',
      });
    }
    return c.json({ id: `tok_${name}`, object: 'token', type: 'card', livemode: false });
  });

  app.post('/v1/payment_methods', async (c) => {
    const form = parseForm(await c.req.text());
    const token = (form.card as { token?: string } | undefined)?.token ?? '';
    if (form.type !== 'card' || !token.startsWith('tok_')) {
      return stripeError(c, 400, {
        type: 'invalid_request_error',
        message: 'Send type=card and card[token]',
        param: 'card',
      });
    }
    const card = cardFrom(c, token.slice('tok_'.length));
    if (card instanceof Response) return card;
    return c.json(newPaymentMethod(card));
  });
  app.get('/v1/payment_methods/:id', (c) => {
    const pm = paymentMethods.get(c.req.param('id'));
    return pm ? c.json(pm) : missing(c, 'payment_method', c.req.param('id'));
  });
  app.post('/v1/payment_methods/:id/attach', async (c) => {
    const pmId = c.req.param('id');
    // Stripe's test PaymentMethods (pm_card_visa, ...) make a fresh card each time they are attached.
    let pm = paymentMethods.get(pmId);
    if (!pm && pmId.startsWith('pm_card_')) {
      const card = cardFrom(c, pmId.slice('pm_card_'.length));
      if (card instanceof Response) return card;
      pm = newPaymentMethod(card);
    }
    if (!pm) return missing(c, 'payment_method', pmId);
    const form = parseForm(await c.req.text());
    const customer = customers.get(String(form.customer));
    if (!customer || customer.deleted) return missing(c, 'customer', String(form.customer));
    if (pm.customer && pm.customer !== customer.id) {
      return stripeError(c, 400, {
        type: 'invalid_request_error',
        message: 'This PaymentMethod is attached to another customer.',
      });
    }
    pm.customer = customer.id;
    return c.json(pm);
  });
  app.post('/v1/payment_methods/:id/detach', (c) => {
    const pm = paymentMethods.get(c.req.param('id'));
    if (!pm?.customer) return missing(c, 'payment_method', c.req.param('id'));
    // As Stripe does: a detached card is no customer's default any more.
    const owner = customers.get(pm.customer);
    if (owner?.invoice_settings.default_payment_method === pm.id)
      owner.invoice_settings.default_payment_method = null;
    pm.customer = null;
    return c.json(pm);
  });
  // Newest first, as Stripe lists them; `customer` and `limit` as Stripe takes them.
  app.get('/v1/invoices', (c) => {
    const customer = c.req.query('customer');
    const limit = Number(c.req.query('limit') ?? 10);
    if (customer && !customers.has(customer)) return missing(c, 'customer', customer);
    const data = [...invoices.values()]
      .filter((i) => !customer || i.customer === customer)
      .sort((a, b) => b.created - a.created);
    return c.json({
      object: 'list',
      url: '/v1/invoices',
      has_more: data.length > limit,
      data: data.slice(0, limit),
    });
  });
  app.get('/v1/invoices/:id', (c) => {
    const invoice = invoices.get(c.req.param('id'));
    return invoice ? c.json(invoice) : missing(c, 'invoice', c.req.param('id'));
  });
  // Stripe Checkout in setup mode: the session, then its hosted page (below) that takes the card.
  app.post('/v1/checkout/sessions', async (c) => {
    const form = parseForm(await c.req.text());
    const customer = customers.get(String(form.customer));
    if (!customer || customer.deleted) return missing(c, 'customer', String(form.customer));
    if (form.mode !== 'setup' || typeof form.success_url !== 'string' || typeof form.cancel_url !== 'string')
      return stripeError(c, 400, {
        type: 'invalid_request_error',
        message: 'This stand-in makes setup-mode sessions only: send mode=setup, success_url and cancel_url',
      });
    const intent: SetupIntent = {
      id: id('seti'),
      object: 'setup_intent',
      customer: customer.id,
      status: 'requires_payment_method',
      payment_method: null,
    };
    setupIntents.set(intent.id, intent);
    const sessionId = id('cs_test');
    const session: CheckoutSession = {
      id: sessionId,
      object: 'checkout.session',
      mode: 'setup',
      customer: customer.id,
      status: 'open',
      url: `${new URL(c.req.url).origin}/checkout/${sessionId}`,
      success_url: form.success_url,
      cancel_url: form.cancel_url,
      setup_intent: intent.id,
    };
    sessions.set(session.id, session);
    return c.json(session);
  });
  app.get('/v1/checkout/sessions/:id', (c) => {
    const session = sessions.get(c.req.param('id'));
    if (!session) return missing(c, 'checkout.session', c.req.param('id'));
    const expanded = new URL(c.req.url).searchParams.getAll('expand[0]').includes('setup_intent');
    return c.json(expanded ? { ...session, setup_intent: setupIntents.get(session.setup_intent) } : session);
  });
  // The hosted page: a card number (Stripe's test numbers), saved to the customer, then back to
  // success_url; Stripe's own page also takes the expiry and CVC, which the stand-in ignores.
  const checkoutPage = (session: CheckoutSession, problem?: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Stripe Checkout (local stand-in)</title></head>
<body><main><h1>Add a card</h1>
${problem ? `<p role="alert">${problem}</p>` : ''}<form method="post" action="/checkout/${session.id}">
<p><label for="number">Card number</label> <input id="number" name="number" inputmode="numeric" autocomplete="cc-number" required></p>
<p><label for="expiry">Expiry (MM / YY)</label> <input id="expiry" name="expiry" autocomplete="cc-exp"></p>
<p><label for="cvc">CVC</label> <input id="cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc"></p>
<button type="submit">Save card</button>
</form>
<p><a href="${escapeHtml(session.cancel_url)}">Cancel</a></p>
<p>Local stand-in: 4242 4242 4242 4242 is saved; 4000 0000 0000 0002 is declined.</p></main></body></html>`;
  const openSession = (sessionId: string) => {
    const session = sessions.get(sessionId);
    return session?.status === 'open' ? session : undefined;
  };
  app.get('/checkout/:id', (c) => {
    const session = openSession(c.req.param('id'));
    if (!session) return c.text('This Checkout session is over.', 404);
    return c.html(checkoutPage(session));
  });
  app.post('/checkout/:id', async (c) => {
    const session = openSession(c.req.param('id'));
    if (!session) return c.text('This Checkout session is over.', 404);
    const number = String(parseForm(await c.req.text()).number ?? '').replace(/\s/g, '');
    const card = CARDS[TEST_NUMBERS[number] ?? ''];
    if (!card) return c.html(checkoutPage(session, 'Your card number is incorrect.'), 400);
    if ('error' in card) return c.html(checkoutPage(session, card.error.message), 402);
    const pm = newPaymentMethod(card);
    pm.customer = session.customer;
    const intent = setupIntents.get(session.setup_intent);
    if (intent) Object.assign(intent, { status: 'succeeded', payment_method: pm.id });
    session.status = 'complete';
    return c.redirect(session.success_url.replace('{CHECKOUT_SESSION_ID}', session.id), 303);
  });
  // For tests driving `npm start` over HTTP: what the dashboard would do, and what was asked.
  app.post('/_test/invoices', async (c) => {
    const { customer, status } = (await c.req.json()) as { customer: string; status: 'open' | 'paid' };
    return c.json({ id: addInvoice(customer, status) });
  });
  app.get('/_test/requests', (c) => c.json({ requests }));
  app.all('/v1/*', (c) =>
    stripeError(c, 404, {
      type: 'invalid_request_error',
      message: `Unrecognized request URL (${c.req.method}: ${c.req.path})`,
    }),
  );

  const server = await new Promise<ReturnType<typeof serve>>((ready, fail) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port }, () => ready(s));
    s.once('error', fail);
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    secretKey,
    publishableKey,
    customers,
    paymentMethods,
    requests,
    environment: {
      STRIPE_SECRET_KEY: secretKey,
      STRIPE_PUBLISHABLE_KEY: publishableKey,
      // A given one is kept, so a test driving `npm start` can sign events.
      STRIPE_WEBHOOK_SECRET: process.env.STRIPE_WEBHOOK_SECRET ?? `whsec_${randomBytes(16).toString('hex')}`,
      STRIPE_API_HOST: '127.0.0.1',
      STRIPE_API_PORT: String(actualPort),
      STRIPE_API_PROTOCOL: 'http',
    },
    addInvoice,
    setInvoiceStatus: (invoiceId, status) => {
      const invoice = invoices.get(invoiceId);
      if (invoice) invoice.status = status;
    },
    failNext: (status, count = 1) => {
      failures = { status, count };
    },
    stop: () =>
      new Promise((done) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
