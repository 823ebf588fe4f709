// POST /api/stripe/webhook: Stripe's events. The signature is checked on the raw body (300 s
// either way); each event is applied once (a claim item per event id; a crash gives the claim back
// or lets it go stale, so Stripe's retry applies it); and events are applied by asking Stripe for
// the object as it is now, never from the event's copy, so their order does not matter.

import {
  customerState,
  invoiceState,
  type StripeEvent,
  stripeConfig,
  verifyWebhook,
} from '#adapters/stripe.ts';
import {
  claimStripeEvent,
  finishStripeEvent,
  forgetCustomer,
  markInvoice,
  releaseStripeEvent,
  syncPaymentMethod,
  userIdOfCustomer,
} from '#data/billing.ts';
import { createApp } from '#http/app.ts';
import { readBody } from '#http/body.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { general, HttpError } from '#http/errors.ts';
import { handle } from '#http/lambda.ts';
import { requestNow } from '#http/request.ts';
import { auditLog } from '#services/audit.ts';

/** Stripe events can be large: this route alone takes up to 256 KiB. */
const MAX_EVENT_BYTES = 256 * 1024;

const customerOf = (
  object: { customer?: unknown },
  previous?: { customer?: unknown },
): string | undefined => {
  const id = (object.customer ?? previous?.customer) as string | { id: string } | null | undefined;
  return typeof id === 'string' ? id : (id?.id ?? undefined);
};

/** Brings the account of a customer in line with the customer as Stripe has it now. */
async function syncCustomer(customerId: string, now: number): Promise<string> {
  const userId = await userIdOfCustomer(customerId);
  if (!userId) return 'unknown customer';
  const state = await customerState(customerId);
  if (state.deleted) {
    await forgetCustomer(userId, customerId);
    return 'customer forgotten';
  }
  await syncPaymentMethod(userId, customerId, state.defaultPaymentMethod, now);
  return state.defaultPaymentMethod ? 'card synced' : 'card removed';
}

async function apply(event: StripeEvent, now: number): Promise<string> {
  const object = event.data.object as { id?: string; customer?: unknown };
  const previous = event.data.previous_attributes as { customer?: unknown } | undefined;
  switch (event.type) {
    case 'payment_method.detached':
    case 'payment_method.updated':
    case 'payment_method.attached':
    case 'customer.updated':
    case 'customer.deleted': {
      const customerId = event.type.startsWith('customer.') ? object.id : customerOf(object, previous);
      return customerId ? syncCustomer(customerId, now) : 'no customer';
    }
    case 'invoice.payment_failed':
    case 'invoice.paid':
    case 'invoice.marked_uncollectible':
    case 'invoice.voided': {
      if (typeof object.id !== 'string') return 'no invoice';
      const invoiceId = object.id;
      const invoice = await invoiceState(invoiceId);
      const userId = await userIdOfCustomer(invoice.customerId);
      if (!userId) return 'unknown customer';
      await markInvoice(userId, invoice.customerId, invoiceId, invoice.failed);
      return invoice.failed ? 'invoice failed' : 'invoice settled';
    }
    default:
      return 'ignored';
  }
}

export const doc: EndpointDoc = {
  post: {
    summary: 'Stripe’s webhook events',
    headers: {
      'Stripe-Signature': { description: 'Stripe’s signature of the raw body (`t=…,v1=…`)', required: true },
    },
    description:
      'For Stripe only. The Stripe-Signature header is checked on the raw body (at most 256 KiB; a signature timestamped more than 300 s before or after now is refused). Each event is applied once, from the customer or invoice as Stripe has it now: cards attached, updated or detached, customers updated or deleted, invoices failed or settled; other types are acknowledged and ignored. An event whose application fails is given back, so that Stripe’s retry applies it.',
    responses: {
      200: 'The event was applied or ignored; `duplicate` when it had been applied already',
      400: 'No Stripe-Signature header; a malformed one, or a signature that does not match the body or is timestamped more than 300 s from now; a signed body that is not UTF-8 or not an event (JSON with an id, a type and data.object); or Stripe refused to look up the invoice or customer the event names (`errors["data.object"]`)',
      409: 'Another delivery of this event is being applied right now (Stripe retries later)',
      413: 'The body is over 256 KiB',
      501: 'Billing is not configured on this server',
      503: 'Stripe did not answer while the event was applied; it was given back for Stripe’s retry (Retry-After: 60)',
    },
    data: {
      type: 'object',
      required: ['received'],
      additionalProperties: false,
      properties: { received: { const: true }, duplicate: { const: true } },
    },
  },
};

export const app = createApp().post('/api/stripe/webhook', async (c) => {
  stripeConfig();
  const signature = c.req.header('stripe-signature');
  if (!signature) throw new HttpError(400, general('Missing Stripe-Signature header'));
  const now = requestNow(c);
  const delivery = await verifyWebhook(await readBody(c, MAX_EVENT_BYTES), signature, now);
  if (!delivery.ok) {
    throw new HttpError(
      400,
      general(
        delivery.problem === 'signature' ? 'Invalid Stripe signature' : 'The body is not a Stripe event',
      ),
    );
  }
  const { event } = delivery;
  const claim = await claimStripeEvent(event.id, now);
  if (claim === 'done') return c.json({ data: { received: true, duplicate: true } });
  // Being applied right now by another delivery: Stripe retries later, and that retry sees it done.
  if (claim === 'in-progress') throw new HttpError(409, general('This event is being applied; retry later'));
  let outcome: string;
  try {
    outcome = await apply(event, now);
  } catch (err) {
    await releaseStripeEvent(event.id);
    throw err;
  }
  await finishStripeEvent(event.id);
  auditLog({ name: 'billing.webhook', detail: { type: event.type, id: event.id, outcome } });
  return c.json({ data: { received: true } });
});

export const handler = handle(app);
