// The contract's view of a card, apart from the Stripe client (lib/billing.ts) so that the
// endpoint that only shows the card does not load the Stripe SDK.
import type { StoredPaymentMethod } from '../billing.ts';
import type { User } from '../data/users.ts';

export const cardView = (pm: StoredPaymentMethod | NonNullable<User['paymentMethod']>) => ({
  brand: pm.brand,
  last4: pm.last4,
  exp_month: pm.expMonth,
  exp_year: pm.expYear,
});
