// GET /api/payment_methods: the account's default card as Stripe shows it on a receipt, or 404.
import { handle } from 'hono/aws-lambda';
import { createApp } from '#lib/http/app.ts';
import { requireApiKey } from '#lib/http/auth.ts';
import { general, HttpError } from '#lib/http/errors.ts';
import { cardView } from '#lib/payment-methods.ts';

export const app = createApp().get('/api/payment_methods', requireApiKey, (c) => {
  const pm = c.var.user.paymentMethod;
  if (!pm) throw new HttpError(404, general('No payment method on file.'));
  return c.json({ data: cardView(pm) });
});

export const handler = handle(app);
