// GET /api/payment_methods: the account's default card as Stripe shows it on a receipt, or 404.
import { createApp } from '#http/app.ts';
import { requireApiKey } from '#http/auth.ts';
import { cardView } from '#http/card-view.ts';
import { CARD_DATA, type EndpointDoc } from '#http/docs.ts';
import { general, HttpError } from '#http/errors.ts';
import { handle } from '#http/lambda.ts';

export const doc: EndpointDoc = {
  get: {
    summary: 'The account’s default card',
    description:
      'As Stripe shows it on a receipt: brand, last four digits and expiry. Follows changes made at Stripe (its webhooks).',
    responses: {
      200: 'The card on file',
      404: 'No payment method on file',
    },
    data: CARD_DATA,
  },
};

export const app = createApp().get('/api/payment_methods', requireApiKey, (c) => {
  const pm = c.var.user.paymentMethod;
  if (!pm) throw new HttpError(404, general('No payment method on file.'));
  return c.json({ data: cardView(pm) });
});

export const handler = handle(app);
