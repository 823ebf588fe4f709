// The contract's view of a card (GET and PUT /api/payment_methods), and the console's.
import type { Card } from '#domain/cards.ts';

export const cardView = (pm: Card) => ({
  brand: pm.brand,
  last4: pm.last4,
  exp_month: pm.expMonth,
  exp_year: pm.expYear,
});

const brandName = (brand: string) =>
  brand === 'amex' ? 'American Express' : brand.charAt(0).toUpperCase() + brand.slice(1);

/** "Visa ending in 4242, expires 12/2030". */
export const cardSentence = (card: Card): string =>
  `${brandName(card.brand)} ending in ${card.last4}, expires ${String(card.expMonth).padStart(2, '0')}/${card.expYear}`;
