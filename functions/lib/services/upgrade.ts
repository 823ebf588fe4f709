// FREE → STANDARD, as POST /api/upgrade and the console's upgrade page take it: a payment method
// in the request (set first, so a card Stripe refuses changes nothing) or on file, a promo's credit
// added and one of its uses spent in the tier's own transaction, the audit record with it.
import { stripeConfig } from '#adapters/stripe.ts';
import { upgradeToStandard } from '#data/billing.ts';
import { getPromo } from '#data/promos.ts';
import type { Account } from '#domain/account.ts';
import { ConflictError, ValidationError } from '#domain/errors.ts';
import type { Origin } from '#domain/request.ts';
import { normalizePromoCode } from '#domain/signup.ts';
import { auditItem, auditLog } from './audit.ts';
import { checkStripeToken, setPaymentMethod } from './payment-methods.ts';

export const NEEDS_PAYMENT_METHOD =
  'A payment method is needed to upgrade: send stripe_token, or set one first (PUT /api/payment_methods).';

/** Whether the account was upgraded now or was STANDARD already. */
export async function upgradeAccount(
  user: Account,
  input: { readonly stripeToken?: string; readonly promoCode?: string },
  now: number,
  origin: Origin,
): Promise<'upgraded' | 'already'> {
  if (user.tier === 'STANDARD') return 'already';
  const token = input.stripeToken;
  if (token !== undefined) checkStripeToken(token);
  const code = input.promoCode === undefined ? undefined : normalizePromoCode(input.promoCode);
  const promo = code ? await getPromo(code) : undefined;
  if (input.promoCode !== undefined && (!promo || promo.remainingUses <= 0))
    throw new ValidationError('promo_code', 'Invalid promo code');
  if (token !== undefined) {
    stripeConfig();
    await setPaymentMethod(user, token, now);
  } else if (!user.paymentMethod) {
    throw new ValidationError('stripe_token', NEEDS_PAYMENT_METHOD);
  }
  const event = {
    name: 'billing.upgraded',
    userId: user.userId,
    ...origin,
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
  if (result === 'upgraded') {
    auditLog(event);
    return 'upgraded';
  }
  return 'already';
}
