// PUT /api/payment_methods {stripe_token}: a card token (`tok_…`) or PaymentMethod (`pm_…`) made
// by the client with the publishable key becomes the account's default payment method. A declined,
// expired or invalid card is a 400 under `stripe_token` with Stripe's message; an outage a 503.
import { handle } from 'hono/aws-lambda';
import { audit, requestOrigin } from '#lib/audit.ts';
import { stripeConfig } from '#lib/billing.ts';
import { nowSeconds } from '#lib/domain/tokens.ts';
import { createApp } from '#lib/http/app.ts';
import { requireApiKey } from '#lib/http/auth.ts';
import { jsonBody, string } from '#lib/http/body.ts';
import { cardView, checkStripeToken, setPaymentMethod } from '#lib/payment-methods.ts';

export const app = createApp().put(
  '/api/payment_methods',
  requireApiKey,
  jsonBody({ stripe_token: string(255) }),
  async (c) => {
    const { user } = c.var;
    checkStripeToken(c.var.body.stripe_token);
    stripeConfig();
    const pm = await setPaymentMethod(user, c.var.body.stripe_token);
    await audit(
      {
        name: 'billing.payment_method_set',
        userId: user.userId,
        ...requestOrigin(c),
        detail: { brand: pm.brand },
      },
      nowSeconds(),
    );
    return c.json({ data: cardView(pm) });
  },
);

export const handler = handle(app);
