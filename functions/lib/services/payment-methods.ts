// An account's card at Stripe: the customer made once (its id recorded on the account under a
// condition; the idempotency key makes a retry after a crash find the same customer), then the
// card attached, made the invoice default and shown on the account.
import {
  cardCheckoutResult,
  createCardCheckout,
  createCustomer,
  looksLikeStripeToken,
  makeDefaultPaymentMethod,
  setDefaultPaymentMethod,
} from '#adapters/stripe.ts';
import { recordCustomer, recordPaymentMethod } from '#data/billing.ts';
import { getUser } from '#data/profiles.ts';
import type { Account } from '#domain/account.ts';
import type { StoredPaymentMethod } from '#domain/cards.ts';
import { ConflictError, ValidationError } from '#domain/errors.ts';

export function checkStripeToken(token: string): void {
  if (!looksLikeStripeToken(token)) {
    throw new ValidationError(
      'stripe_token',
      'must be a card token (tok_…) or PaymentMethod (pm_…) made with the publishable key',
    );
  }
}

/** The account's Stripe customer, made and recorded on first need. */
export async function ensureCustomer(user: Account): Promise<string> {
  if (user.stripeCustomerId) return user.stripeCustomerId;
  const customerId = await createCustomer(user.userId, user.email);
  if (await recordCustomer(user.userId, customerId)) return customerId;
  // Recorded meanwhile by a parallel request (the same customer, by the idempotency key).
  const stored = (await getUser(user.userId))?.stripeCustomerId;
  if (!stored) throw new ConflictError('The account changed meanwhile. Try again.');
  return stored;
}

/** Makes `token`'s card the account's default payment method. */
export async function setPaymentMethod(
  user: Account,
  token: string,
  now: number,
): Promise<StoredPaymentMethod> {
  checkStripeToken(token);
  const customerId = await ensureCustomer(user);
  const pm = await setDefaultPaymentMethod(customerId, token);
  if (!(await recordPaymentMethod(user.userId, customerId, pm, now))) {
    throw new ConflictError('The account changed meanwhile. Try again.');
  }
  return pm;
}

/**
 * Where to send the browser for Stripe's card page (Checkout, setup mode): the card is typed there,
 * at Stripe, and Stripe sends the browser back to `returnUrl` with `session_id` (or to `cancelUrl`).
 */
export async function startCardCheckout(
  user: Account,
  returnUrl: string,
  cancelUrl: string,
): Promise<string> {
  const customerId = await ensureCustomer(user);
  const separator = returnUrl.includes('?') ? '&' : '?';
  // Stripe fills the placeholder in; it must stay unencoded.
  const { url } = await createCardCheckout(
    customerId,
    `${returnUrl}${separator}session_id={CHECKOUT_SESSION_ID}`,
    cancelUrl,
  );
  return url;
}

const looksLikeCheckoutSession = (id: string) => /^cs_[A-Za-z0-9_]{1,200}$/.test(id);

/**
 * The card a finished Checkout session saved becomes the account's default payment method. Only a
 * session of this account's own customer counts; coming back twice sets the same card twice.
 */
export async function finishCardCheckout(
  user: Account,
  sessionId: string,
  now: number,
): Promise<StoredPaymentMethod> {
  const customerId = user.stripeCustomerId;
  if (!looksLikeCheckoutSession(sessionId) || !customerId)
    throw new ValidationError('session_id', 'This is not a card setup of this account.');
  const result = await cardCheckoutResult(sessionId);
  if (result.customerId !== customerId)
    throw new ValidationError('session_id', 'This is not a card setup of this account.');
  if (!result.paymentMethodId) throw new ValidationError('session_id', 'No card was saved. Try again.');
  const pm = await makeDefaultPaymentMethod(customerId, result.paymentMethodId);
  if (!(await recordPaymentMethod(user.userId, customerId, pm, now)))
    throw new ConflictError('The account changed meanwhile. Try again.');
  return pm;
}
