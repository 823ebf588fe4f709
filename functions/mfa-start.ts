// POST /api/mfa/start: a new TOTP secret for the logged-in account, as an otpauth:// URI for an
// authenticator app. It stays pending (sealed on the profile) until a code from it is verified;
// starting again replaces it.
import { handle } from 'hono/aws-lambda';
import { audit, requestOrigin } from '#lib/audit.ts';
import { setPendingMfaSecret } from '#lib/data/mfa.ts';
import { ConflictError } from '#lib/domain/errors.ts';
import { newTotpSecret, otpauthUrl } from '#lib/domain/mfa.ts';
import { nowSeconds } from '#lib/domain/tokens.ts';
import { createApp } from '#lib/http/app.ts';
import { requireApiKey } from '#lib/http/auth.ts';
import { optionalJsonBody } from '#lib/http/body.ts';
import type { EndpointDoc } from '#lib/http/docs.ts';
import { sealMfaSecret } from '#lib/mfa-secrets.ts';

export const MFA_STARTED =
  'Add this account to your authenticator app (scan the QR code or open the URL), then verify a code from it to turn MFA on.';

export const doc: EndpointDoc = {
  post: {
    summary: 'Start MFA setup: a new TOTP secret',
    description:
      'Answers an otpauth:// URI for an authenticator app. The secret stays pending until POST /api/mfa/verify gets a code from it; starting again replaces it. The body, if any, is an empty JSON object.',
    responses: {
      200: 'The otpauth:// URI of the new secret (to show as a QR code) and what to do next',
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
  const { user } = c.var;
  if (user.mfaEnabled)
    throw new ConflictError('MFA is already on. Turn it off first to set up another authenticator.');
  const secret = newTotpSecret();
  await setPendingMfaSecret(user.userId, await sealMfaSecret(user.userId, secret));
  await audit({ name: 'mfa.setup_started', userId: user.userId, ...requestOrigin(c) }, nowSeconds());
  return c.json({ data: { message: MFA_STARTED, url: otpauthUrl(secret, user.email) } });
});

export const handler = handle(app);
