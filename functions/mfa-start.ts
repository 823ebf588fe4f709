// POST /api/mfa/start: a new TOTP secret for the logged-in account, as an otpauth:// URI for an
// authenticator app. It stays pending (sealed on the profile) until a code from it is verified.
// Starting again with the same key within the hour shows the same secret (the QR code already
// scanned stays right); any other key, or later, gets a new one that replaces it.
import { createApp } from '#http/app.ts';
import { requireApiKey } from '#http/auth.ts';
import { optionalJsonBody } from '#http/body.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { requestNow, requestOrigin } from '#http/request.ts';
import { startMfa } from '#services/mfa-pending.ts';

export const MFA_STARTED =
  'Add this account to your authenticator app (scan the QR code or open the URL), then verify a code from it to turn MFA on.';

export const doc: EndpointDoc = {
  post: {
    summary: 'Start MFA setup: a new TOTP secret',
    description:
      'Answers an otpauth:// URI for an authenticator app. The secret stays pending until POST /api/mfa/verify gets a code from it. Starting again with the same key within the hour answers the same secret (the QR code already scanned stays right); with another key, or later, a new one replaces it. The body, if any, is an empty JSON object.',
    responses: {
      200: 'The otpauth:// URI of the pending secret (new, or the same one for the same key within the hour; to show as a QR code) and what to do next',
      409: 'MFA is already on (turn it off first to set up another authenticator)',
    },
    data: {
      type: 'object',
      required: ['message', 'url'],
      properties: { message: { type: 'string' }, url: { type: 'string', pattern: '^otpauth://totp/' } },
    },
  },
};

export const app = createApp().post('/api/mfa/start', requireApiKey, optionalJsonBody({}), async (c) => {
  const { url } = await startMfa(c.var.user, c.var.keyId, requestNow(c), requestOrigin(c));
  return c.json({ data: { message: MFA_STARTED, url } });
});

export const handler = handle(app);
