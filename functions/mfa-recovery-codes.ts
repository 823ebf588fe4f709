// POST /api/mfa/recovery_codes {mfa_token}: a new set of ten recovery codes; every earlier one
// dies. Deviation from the Gigalixir client, which sends `{}`: a current code is required, since a
// recovery code is a factor and a stolen key alone must not mint one. The owner is mailed.
import { createApp } from '#http/app.ts';
import { requireApiKey } from '#http/auth.ts';
import { jsonBody, optionalString } from '#http/body.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { requestNow, requestOrigin } from '#http/request.ts';
import { renewRecoveryCodes } from '#services/mfa-changes.ts';

export const doc: EndpointDoc = {
  post: {
    summary: 'New MFA recovery codes',
    description:
      'Replaces every recovery code of the account with ten new ones, shown only in this answer. Needs a current second factor (an authenticator code or an unused recovery code, which this spends) as well as the key; a key minted by a login that passed MFA in the last 10 minutes (configurable: `gatehouse:recentMfaMinutes`) stands for a fresh second factor, so `{}` is enough with it (as the Gigalixir CLI sends). A wrong code counts toward the throttle of the key sent. The owner is mailed.',
    responses: {
      200: 'The ten new recovery codes; every earlier one is dead',
      400: 'mfa_token is missing and the key is not fresh from a login that passed MFA (the message says to send a code or log in again)',
      401: 'The mfa_token is wrong or was used already',
      409: 'MFA is not on for this account (or was turned off meanwhile)',
      429: 'Too many wrong passwords or codes sent with this key lately (Retry-After says when to try again; log in again for a new key)',
    },
    data: {
      type: 'object',
      required: ['recovery_codes'],
      additionalProperties: false,
      properties: {
        recovery_codes: { type: 'array', minItems: 10, maxItems: 10, items: { type: 'string' } },
      },
    },
  },
};

export const app = createApp().post(
  '/api/mfa/recovery_codes',
  requireApiKey,
  jsonBody({ mfa_token: optionalString(1024) }),
  async (c) => {
    const codes = await renewRecoveryCodes(
      c.var.user,
      c.var.keyId,
      { code: c.var.body.mfa_token, keySecondFactor: c.var.keySecondFactor },
      requestNow(c),
      requestOrigin(c),
    );
    return c.json({ data: { recovery_codes: codes } });
  },
);

export const handler = handle(app);
