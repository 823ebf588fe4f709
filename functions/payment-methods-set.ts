// PUT /api/payment_methods {stripe_token}: a card token (`tok_…`) or PaymentMethod (`pm_…`) made
// by the client with the publishable key becomes the account's default payment method. A declined,
// expired or invalid card is a 400 under `stripe_token` with Stripe's message; an outage a 503.
import { stripeConfig } from '#adapters/stripe.ts';
import { createApp } from '#http/app.ts';
import { requireApiKey } from '#http/auth.ts';
import { jsonBody, string } from '#http/body.ts';
import { cardView } from '#http/card-view.ts';
import { CARD_DATA, type EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { requestNow, requestOrigin } from '#http/request.ts';
import { audit } from '#services/audit.ts';
import { checkStripeToken, setPaymentMethod } from '#services/payment-methods.ts';

export const doc: EndpointDoc = {
  put: {
    summary: 'Set the account’s default card',
    description:
      '`stripe_token` is a card token (tok_…) or PaymentMethod (pm_…) the client made with the publishable key (GET /api/public/config), never a card number. The first card makes the account’s Stripe customer; the card becomes the default for its invoices. A card Stripe refuses changes nothing.',
    responses: {
      200: 'The card now on file',
      400: 'The stripe_token is not a tok_… or pm_… id, or Stripe refused it (declined, expired, unknown: Stripe’s message under stripe_token)',
      409: 'The account changed meanwhile (its Stripe customer was forgotten or replaced, or its deletion began): try again',
      501: 'Billing is not configured on this server',
      503: 'Stripe did not answer (Retry-After: 60)',
    },
    data: CARD_DATA,
  },
};

export const app = createApp().put(
  '/api/payment_methods',
  requireApiKey,
  jsonBody({ stripe_token: string(255) }),
  async (c) => {
    const { user } = c.var;
    checkStripeToken(c.var.body.stripe_token);
    stripeConfig();
    const pm = await setPaymentMethod(user, c.var.body.stripe_token, requestNow(c));
    await audit(
      {
        name: 'billing.payment_method_set',
        userId: user.userId,
        ...requestOrigin(c),
        detail: { brand: pm.brand },
      },
      requestNow(c),
    );
    return c.json({ data: cardView(pm) });
  },
);

export const handler = handle(app);
