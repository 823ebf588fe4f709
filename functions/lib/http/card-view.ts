// The contract's view of a card (GET and PUT /api/payment_methods).
import type { Card } from '#domain/cards.ts';

export const cardView = (pm: Card) => ({
  brand: pm.brand,
  last4: pm.last4,
  exp_month: pm.expMonth,
  exp_year: pm.expYear,
});
