// The billing adapter: the one module that talks to Stripe (through the official SDK). Card numbers
// never reach Gatehouse: clients turn them into a token (`tok_…`) or a PaymentMethod (`pm_…`) with
// the publishable key, and only that id comes here. Stripe's answers become domain errors:
// a declined or invalid card is the user's 400, an outage a 503 that says to retry.
// The SDK is loaded on the first call, not at cold start (a third of a billing bundle's bytes, for
// the routes that often answer without calling Stripe): only types are imported here, and
// deployed, `stripe` is a module of its own beside the bundle (infra/lambda.ts).
import type Stripe from 'stripe';
import type { StoredPaymentMethod } from '#domain/cards.ts';
import { NotConfiguredError, UnavailableError, ValidationError } from '#domain/errors.ts';
import { ConfigError, type StripeConfig, stripeSettings } from '#shared/config.ts';
import { log } from '#shared/log.ts';
import { secretValue } from './secrets-manager.ts';
import { verifyStripeSignature } from './stripe-signature.ts';

export const BILLING_NOT_CONFIGURED = 'Billing is not configured on this server.';
export const STRIPE_UNAVAILABLE =
  'The payment provider did not answer. Nothing was changed: try again in a minute.';

/** Stripe's configuration, or 501 where this deployment has none. */
export function stripeConfig(): StripeConfig {
  const stripe = stripeSettings();
  if (!stripe) throw new NotConfiguredError(BILLING_NOT_CONFIGURED);
  return stripe;
}

/** A token or PaymentMethod id as Stripe makes them; anything else is refused before any call. */
export const looksLikeStripeToken = (value: string): boolean => /^(tok|pm)_[A-Za-z0-9_]{1,200}$/.test(value);

let client: Promise<Stripe> | undefined;

function stripe(): Promise<Stripe> {
  const settings = stripeConfig();
  const secretKey = settings.secretKey;
  if (!secretKey) throw new ConfigError('This function has no Stripe secret key: set STRIPE_SECRETS_ARN');
  // The SDK loads while the secret is fetched.
  client ??= Promise.all([import('stripe'), secretValue(secretKey)])
    .then(
      ([{ default: Stripe }, key]) =>
        new Stripe(key, {
          // A request makes up to four calls in a row; with one retry each at 3 s they stay within
          // the billing functions' 25 s (routes.ts), so a slow Stripe ends in our 503, not a timeout.
          maxNetworkRetries: 1,
          timeout: 3000,
          ...(settings.api ?? {}),
        }),
    )
    .catch((err: unknown) => {
      client = undefined;
      throw err;
    });
  return client;
}

/**
 * Runs a Stripe call, turning its errors into answers a client can act on; a refusal is a 400
 * under `field`, the input that named what Stripe refused.
 */
async function call<T>(what: string, run: (s: Stripe) => Promise<T>, field = 'stripe_token'): Promise<T> {
  const s = await stripe();
  try {
    return await run(s);
  } catch (err) {
    // A refusal of our own, made inside `run`, stays what it is.
    if (err instanceof ValidationError) throw err;
    const type = (err as { type?: string }).type;
    const message = (err as { message?: string }).message ?? 'The card was refused.';
    if (type === 'StripeCardError') throw new ValidationError(field, message);
    if (type === 'StripeInvalidRequestError') {
      log.warn('stripe refused a request', { what, code: (err as { code?: string }).code });
      throw new ValidationError(field, message);
    }
    log.error('stripe unavailable', { what, type, error: err });
    throw new UnavailableError(STRIPE_UNAVAILABLE, 60);
  }
}

const cardOf = (pm: Stripe.PaymentMethod): StoredPaymentMethod => ({
  id: pm.id,
  brand: pm.card?.brand ?? 'unknown',
  last4: pm.card?.last4 ?? '????',
  expMonth: pm.card?.exp_month ?? 0,
  expYear: pm.card?.exp_year ?? 0,
});

/**
 * The Stripe customer of an account. The idempotency key is derived from the account id, so a
 * retry after a failure half way (created at Stripe, not yet recorded here) gets the same customer.
 */
export const createCustomer = (userId: string, email: string): Promise<string> =>
  call('customers.create', async (s) => {
    const customer = await s.customers.create(
      { email, metadata: { gatehouseUserId: userId } },
      { idempotencyKey: `gatehouse-customer-${userId}` },
    );
    return customer.id;
  });

/** Attaches a token's or PaymentMethod's card to the customer and makes it the invoice default. */
export const setDefaultPaymentMethod = (customerId: string, token: string): Promise<StoredPaymentMethod> =>
  call('payment method', async (s) => {
    const pmId = token.startsWith('tok_')
      ? (await s.paymentMethods.create({ type: 'card', card: { token } })).id
      : token;
    const pm = await s.paymentMethods.attach(pmId, { customer: customerId });
    await s.customers.update(customerId, { invoice_settings: { default_payment_method: pm.id } });
    return cardOf(pm);
  });

/** Where Stripe Checkout's pages are: Stripe's own, or the local stand-in's beside its API. */
export const checkoutOrigin = (): string => {
  const api = stripeConfig().api;
  return api ? `${api.protocol}://${api.host}:${api.port}` : 'https://checkout.stripe.com';
};

/**
 * A Stripe Checkout session in setup mode: Stripe's page takes the card (its number never comes
 * here) and saves it to the customer, then sends the browser to `successUrl` with the session's id
 * in place of `{CHECKOUT_SESSION_ID}`. Sessions left unfinished expire at Stripe.
 */
export const createCardCheckout = (
  customerId: string,
  successUrl: string,
  cancelUrl: string,
): Promise<{ readonly id: string; readonly url: string }> =>
  call('checkout.sessions.create', async (s) => {
    const session = await s.checkout.sessions.create({
      mode: 'setup',
      customer: customerId,
      allowed_payment_method_types: ['card'],
      success_url: successUrl,
      cancel_url: cancelUrl,
    });
    if (!session.url) throw new Error('Stripe made a Checkout session without a URL');
    return { id: session.id, url: session.url };
  });

/** What a setup-mode Checkout session ended with: its customer and, once complete, the card saved. */
export const cardCheckoutResult = (
  sessionId: string,
): Promise<{ readonly customerId: string; readonly paymentMethodId?: string }> =>
  call(
    'checkout.sessions.retrieve',
    async (s) => {
      const session = await s.checkout.sessions.retrieve(sessionId, { expand: ['setup_intent'] });
      const customerId =
        typeof session.customer === 'string' ? session.customer : (session.customer?.id ?? '');
      const intent = session.setup_intent;
      const pm =
        typeof intent === 'object' && intent?.status === 'succeeded' ? intent.payment_method : undefined;
      return {
        customerId,
        paymentMethodId: (typeof pm === 'string' ? pm : pm?.id) ?? undefined,
      };
    },
    'session_id',
  );

/** Makes a card already saved to the customer (by Checkout) the invoice default. */
export const makeDefaultPaymentMethod = (customerId: string, pmId: string): Promise<StoredPaymentMethod> =>
  call(
    'payment method',
    async (s) => {
      const pm = await s.paymentMethods.retrieve(pmId);
      const owner = typeof pm.customer === 'string' ? pm.customer : pm.customer?.id;
      if (owner !== customerId)
        throw new ValidationError('session_id', 'This card belongs to another customer.');
      await s.customers.update(customerId, { invoice_settings: { default_payment_method: pm.id } });
      return cardOf(pm);
    },
    'session_id',
  );

/**
 * Deletes the customer at Stripe, which ends its subscriptions and removes its cards; a customer
 * already deleted (an earlier attempt, or by hand) counts as done.
 */
export const deleteCustomer = (customerId: string): Promise<'deleted' | 'gone'> =>
  call('customers.del', async (s) => {
    try {
      await s.customers.del(customerId);
      return 'deleted';
    } catch (err) {
      if ((err as { code?: string }).code === 'resource_missing') return 'gone';
      throw err;
    }
  });

export type StripeEvent = Stripe.Event;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

// Event ids become a claim item's key: a bound keeps a signed oddity from making a huge one.
const MAX_EVENT_ID_LENGTH = 255;

/**
 * A webhook delivery checked: the signature on the raw body (within 300 s of now, either way),
 * then the body's shape (an id, a type and an object). Neither failure logs the body.
 */
export async function verifyWebhook(
  rawBody: string,
  signature: string,
  now: number,
): Promise<{ ok: true; event: StripeEvent } | { ok: false; problem: 'signature' | 'event' }> {
  const settings = stripeConfig();
  if (!settings.webhookSecret) throw new ConfigError('Set STRIPE_WEBHOOK_SECRET or STRIPE_SECRETS_ARN');
  const secret = await secretValue(settings.webhookSecret);
  if (!verifyStripeSignature(rawBody, signature, secret, now)) return { ok: false, problem: 'signature' };
  let value: unknown;
  try {
    value = JSON.parse(rawBody);
  } catch {
    return { ok: false, problem: 'event' };
  }
  const shaped =
    isObject(value) &&
    typeof value.id === 'string' &&
    value.id.length > 0 &&
    value.id.length <= MAX_EVENT_ID_LENGTH &&
    typeof value.type === 'string' &&
    isObject(value.data) &&
    isObject(value.data.object);
  return shaped ? { ok: true, event: value as unknown as StripeEvent } : { ok: false, problem: 'event' };
}

/** Lookups for a webhook event: what Stripe refuses to find is the event's object. */
const EVENT_OBJECT = 'data.object';

/** A customer as Stripe has it now: its default card, or that it is gone. */
export type CustomerState =
  | { readonly deleted: true }
  | { readonly deleted: false; readonly defaultPaymentMethod?: StoredPaymentMethod };

export const customerState = (customerId: string): Promise<CustomerState> =>
  call(
    'customers.retrieve',
    async (s) => {
      const customer = await s.customers.retrieve(customerId);
      if (customer.deleted) return { deleted: true };
      const pm = customer.invoice_settings?.default_payment_method;
      if (!pm) return { deleted: false };
      const method = typeof pm === 'string' ? await s.paymentMethods.retrieve(pm) : pm;
      return { deleted: false, defaultPaymentMethod: cardOf(method) };
    },
    EVENT_OBJECT,
  );

/** An invoice as its owner sees it: what Stripe shows, and the PDF Stripe hosts. */
export interface InvoiceView {
  readonly id: string;
  readonly number: string | null;
  /** When Stripe made it (ISO 8601). */
  readonly date: string;
  /** In the currency's smallest unit (cents), as Stripe counts. */
  readonly amount: number;
  readonly currency: string;
  readonly status: string | null;
  readonly pdf: string | null;
}

/** The most invoices an answer lists: two years of monthly ones. */
export const MAX_INVOICES = 24;

/** A customer's invoices, newest first; none when Stripe no longer has the customer. */
export const listInvoices = (customerId: string): Promise<InvoiceView[]> =>
  call('invoices.list', async (s) => {
    try {
      const { data } = await s.invoices.list({ customer: customerId, limit: MAX_INVOICES });
      return data.map((i) => ({
        id: i.id ?? '',
        number: i.number ?? null,
        date: new Date(i.created * 1000).toISOString(),
        amount: i.amount_due,
        currency: i.currency,
        status: i.status ?? null,
        pdf: i.invoice_pdf ?? null,
      }));
    } catch (err) {
      if ((err as { code?: string }).code === 'resource_missing') return [];
      throw err;
    }
  });

/** Whether an invoice is unpaid after a payment attempt, as Stripe has it now. */
export const invoiceState = (invoiceId: string): Promise<{ customerId: string; failed: boolean }> =>
  call(
    'invoices.retrieve',
    async (s) => {
      const invoice = await s.invoices.retrieve(invoiceId);
      const customerId =
        typeof invoice.customer === 'string' ? invoice.customer : (invoice.customer?.id ?? '');
      // Unpaid after an attempt, or given up on: either way the account owes it.
      const failed =
        (invoice.status === 'open' && (invoice.attempt_count ?? 0) > 0) || invoice.status === 'uncollectible';
      return { customerId, failed };
    },
    EVENT_OBJECT,
  );
