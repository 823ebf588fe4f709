// POST /api/upgrade {stripe_token?, promo_code?}: FREE → STANDARD. Needs a payment method on file
// or in the request (set first, so a card Stripe refuses changes nothing); a promo's credit is
// added and its use spent in the tier's transaction. Already STANDARD: 200, nothing changes.
import { handle } from 'hono/aws-lambda';
import { stripeConfig } from '#adapters/stripe.ts';
import { upgradeToStandard } from '#data/billing.ts';
import { getPromo } from '#data/promos.ts';
import { ConflictError, ValidationError } from '#domain/errors.ts';
import { normalizePromoCode } from '#domain/signup.ts';
import { createApp } from '#http/app.ts';
import { requireApiKey } from '#http/auth.ts';
import { optionalJsonBody, optionalString } from '#http/body.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { requestNow, requestOrigin } from '#http/request.ts';
import { auditItem, auditLog } from '#services/audit.ts';
import { checkStripeToken, setPaymentMethod } from '#services/payment-methods.ts';

export const NEEDS_PAYMENT_METHOD =
  'A payment method is needed to upgrade: send stripe_token, or set one first (PUT /api/payment_methods).';

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
    const { user } = c.var;
    const { stripe_token: token, promo_code: rawPromo } = c.var.body;
    if (user.tier === 'STANDARD') return c.json({ data: { tier: 'STANDARD' } });
    if (token !== undefined) checkStripeToken(token);
    const code = rawPromo === undefined ? undefined : normalizePromoCode(rawPromo);
    const promo = code ? await getPromo(code) : undefined;
    if (rawPromo !== undefined && (!promo || promo.remainingUses <= 0)) {
      throw new ValidationError('promo_code', 'Invalid promo code');
    }
    if (token !== undefined) {
      stripeConfig();
      await setPaymentMethod(user, token, requestNow(c));
    } else if (!user.paymentMethod) {
      throw new ValidationError('stripe_token', NEEDS_PAYMENT_METHOD);
    }
    const now = requestNow(c);
    const event = {
      name: 'billing.upgraded',
      userId: user.userId,
      ...requestOrigin(c),
      detail: { promo: promo?.code ?? 'none' },
    } as const;
    const result = await upgradeToStandard(
      user.userId,
      promo && { code: promo.code, creditCents: promo.creditCents },
      now,
      [auditItem(event, now)],
    );
    if (result === 'no-payment-method') throw new ValidationError('stripe_token', NEEDS_PAYMENT_METHOD);
    if (result === 'promo-used-up')
      throw new ValidationError('promo_code', 'This promo code has just been used up.');
    if (result === 'conflict') throw new ConflictError('The account changed meanwhile. Try again.');
    if (result === 'upgraded') auditLog(event);
    return c.json({ data: { tier: 'STANDARD' } });
  },
);

export const handler = handle(app);
