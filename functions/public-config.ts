// GET /api/public/config: what clients need before they can talk to the API for billing and
// sign-in: the Stripe publishable key (cards are turned into tokens with it, never sent here) and
// whether Google sign-in is on. Nothing secret.
import { handle } from 'hono/aws-lambda';
import { config } from '#lib/config.ts';
import { createApp } from '#lib/http/app.ts';

export const app = createApp().get('/api/public/config', (c) =>
  c.json({
    data: {
      stripe_publishable_key: config().stripe?.publishableKey ?? null,
      google_sign_in: config().google !== undefined,
    },
  }),
);

export const handler = handle(app);
