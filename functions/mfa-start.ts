// POST /api/mfa/start: a new TOTP secret for the logged-in account, as an otpauth:// URI for an
// authenticator app. It stays pending (sealed on the profile) until a code from it is verified.
// Starting again with the same key within the hour shows the same secret (the QR code already
// scanned stays right); any other key, or later, gets a new one that replaces it.
import { handle } from 'hono/aws-lambda';
import { setPendingMfaSecret } from '#data/mfa.ts';
import { ConflictError } from '#domain/errors.ts';
import { newTotpSecret } from '#domain/mfa.ts';
import { otpauthUrl } from '#domain/totp.ts';
import { createApp } from '#http/app.ts';
import { requireApiKey } from '#http/auth.ts';
import { optionalJsonBody } from '#http/body.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { requestNow, requestOrigin } from '#http/request.ts';
import { audit } from '#services/audit.ts';
import { openMfaSecret, sealMfaSecret } from '#services/mfa-secrets.ts';

/** How long a rerun of the setup with the same key shows the same pending secret. */
const PENDING_RESUMABLE_SECONDS = 3600;

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
  const { user } = c.var;
  if (user.mfaEnabled)
    throw new ConflictError('MFA is already on. Turn it off first to set up another authenticator.');
  const now = requestNow(c);
  // Only to the key that started it: another key holder must never read a pending secret, which
  // the owner may be about to turn on.
  const resumable =
    user.mfaPendingSecret !== undefined &&
    user.mfaPendingKeyId === c.var.keyId &&
    now - (user.mfaPendingAt ?? 0) < PENDING_RESUMABLE_SECONDS;
  if (resumable && user.mfaPendingSecret) {
    const secret = await openMfaSecret(user.userId, user.mfaPendingSecret);
    return c.json({ data: { message: MFA_STARTED, url: otpauthUrl(secret, user.email) } });
  }
  const secret = newTotpSecret();
  await setPendingMfaSecret(user.userId, await sealMfaSecret(user.userId, secret), {
    keyId: c.var.keyId,
    at: now,
  });
  await audit({ name: 'mfa.setup_started', userId: user.userId, ...requestOrigin(c) }, now);
  return c.json({ data: { message: MFA_STARTED, url: otpauthUrl(secret, user.email) } });
});

export const handler = handle(app);
