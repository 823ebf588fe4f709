// GET /api/invoices: the account's invoices as Stripe has them, newest first (the last 24): number,
// date, amount, currency, status and the PDF Stripe hosts. Nothing is kept here: Stripe is asked.
import { listInvoices, MAX_INVOICES, stripeConfig } from '#adapters/stripe.ts';
import { createApp } from '#http/app.ts';
import { requireApiKey } from '#http/auth.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';

export const doc: EndpointDoc = {
  get: {
    summary: 'The account’s invoices',
    description: `As Stripe has them, newest first, at most ${MAX_INVOICES}: number, date, amount (in the currency’s smallest unit), currency, status and a link to the PDF Stripe hosts. An account that never had a card has none.`,
    responses: {
      200: 'The invoices (an empty list when there are none)',
      501: 'Billing is not configured on this server',
      503: 'Stripe did not answer: try again in a minute (Retry-After: 60)',
    },
    data: {
      type: 'array',
      maxItems: MAX_INVOICES,
      items: {
        type: 'object',
        required: ['id', 'number', 'date', 'amount', 'currency', 'status', 'pdf'],
        additionalProperties: false,
        properties: {
          id: { type: 'string' },
          number: { type: ['string', 'null'] },
          date: { type: 'string', format: 'date-time' },
          amount: { type: 'integer' },
          currency: { type: 'string' },
          status: { type: ['string', 'null'] },
          pdf: { type: ['string', 'null'] },
        },
      },
    },
  },
};

export const app = createApp().get('/api/invoices', requireApiKey, async (c) => {
  stripeConfig();
  const customer = c.var.user.stripeCustomerId;
  return c.json({ data: customer ? await listInvoices(customer) : [] });
});

export const handler = handle(app);
