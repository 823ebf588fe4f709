// POST /api/upgrade {stripe_token?, promo_code?}: FREE → STANDARD. Needs a payment method on file
// or in the request (set first, so a card Stripe refuses changes nothing); a promo's credit is
// added and its use spent in the tier's transaction. Already STANDARD: 200, nothing changes.
import { createApp } from '#http/app.ts';
import { requireApiKey } from '#http/auth.ts';
import { optionalJsonBody, optionalString } from '#http/body.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { requestNow, requestOrigin } from '#http/request.ts';
import { upgradeAccount } from '#services/upgrade.ts';

export const doc: EndpointDoc = {
  post: {
    summary: 'Upgrade the account from FREE to STANDARD',
    description:
      'Needs a payment method: `stripe_token` (set first, as PUT /api/payment_methods does, so a card Stripe refuses changes nothing) or one on file. A `promo_code` adds its credit and spends one of its uses in the same write. An account already STANDARD gets 200 and nothing changes; its fields are not looked at. No body at all stands for `{}`.',
    responses: {
      200: 'The account is STANDARD (upgraded now, or already)',
      400: 'The stripe_token is not a tok_… or pm_… id, or Stripe refused the card (Stripe’s message); no payment method in the request or on file; or the promo_code is unknown or has no use left',
      409: 'The account changed meanwhile: try again',
      501: 'A stripe_token was sent and billing is not configured on this server',
      503: 'Stripe did not answer while the card was set; the tier is unchanged (Retry-After: 60)',
    },
    data: {
      type: 'object',
      required: ['tier'],
      additionalProperties: false,
      properties: { tier: { const: 'STANDARD' } },
    },
  },
};

export const app = createApp().post(
  '/api/upgrade',
  requireApiKey,
  optionalJsonBody({ stripe_token: optionalString(255), promo_code: optionalString(64) }),
  async (c) => {
    const { stripe_token: stripeToken, promo_code: promoCode } = c.var.body;
    await upgradeAccount(c.var.user, { stripeToken, promoCode }, requestNow(c), requestOrigin(c));
    return c.json({ data: { tier: 'STANDARD' } });
  },
);

export const handler = handle(app);
