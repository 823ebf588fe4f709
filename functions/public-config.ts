// GET /api/public/config: what clients need before they can talk to the API for billing and
// sign-in: the Stripe publishable key (cards are turned into tokens with it, never sent here) and
// whether Google sign-in is on, and the platform's git host, if any. Nothing secret.
import { createApp } from '#http/app.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { config, googleSettings, stripeSettings } from '#shared/config.ts';

export const doc: EndpointDoc = {
  get: {
    summary: 'Public client configuration',
    description:
      "What a client needs before billing or Google sign-in: the Stripe publishable key, with which it turns cards into tokens (card numbers never reach this API), whether Google sign-in is on, and the platform's git host, for which the CLI keeps the same key in netrc. Nothing secret; no key needed.",
    responses: {
      200: "The Stripe publishable key (null where billing is not configured), whether Google sign-in is on, and the platform's git host (null where none is named)",
    },
    data: {
      type: 'object',
      required: ['stripe_publishable_key', 'google_sign_in', 'git_host'],
      additionalProperties: false,
      properties: {
        stripe_publishable_key: { type: ['string', 'null'] },
        google_sign_in: { type: 'boolean' },
        git_host: {
          type: ['string', 'null'],
          description: 'The host `git push` reaches, which takes the same key (netrc `machine <git_host>`)',
        },
      },
    },
  },
};

export const app = createApp().get('/api/public/config', (c) =>
  c.json({
    data: {
      stripe_publishable_key: stripeSettings()?.publishableKey ?? null,
      google_sign_in: googleSettings() !== undefined,
      git_host: config().gitHost ?? null,
    },
  }),
);

export const handler = handle(app);
