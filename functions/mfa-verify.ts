// POST /api/mfa/verify {mfa_token}: a code from the pending secret turns MFA on. Answers ten
// recovery codes, shown this once (only their digests are kept); every API key is revoked, so each
// session from now on has passed the second factor; the owner is mailed.
import { createApp } from '#http/app.ts';
import { requireApiKey } from '#http/auth.ts';
import { jsonBody, string } from '#http/body.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { requestNow, requestOrigin } from '#http/request.ts';
import { verifyMfa } from '#services/mfa-setup.ts';

export const MFA_ENABLED =
  'MFA is on. Save these recovery codes somewhere safe: each works once in place of a code, and they are not shown again. Every API key was revoked: log in again.';

export const MFA_ENABLED_KEYS_LEFT =
  'MFA is on. Save these recovery codes somewhere safe: each works once in place of a code, and they are not shown again. Some API keys could not be revoked: reset your API key (gatehouse account:api_key:reset) to end them.';

export const doc: EndpointDoc = {
  post: {
    summary: 'Turn MFA on with a code from the pending secret',
    description:
      'Answers ten single-use recovery codes, shown this once. Every API key of the account is revoked, the one used included, so the next login passes the second factor; the owner is mailed.',
    responses: {
      200: 'MFA is on: the recovery codes, and a message saying whether every key was revoked',
      400: 'mfa_token is not a current code of the pending secret (six digits, one 30-second step of clock skew allowed)',
      409: 'MFA is already on, no setup was started (POST /api/mfa/start), or the setup changed meanwhile (turned on, or started again)',
    },
    data: {
      type: 'object',
      required: ['message', 'recovery_codes'],
      properties: {
        message: { type: 'string' },
        recovery_codes: {
          type: 'array',
          minItems: 10,
          maxItems: 10,
          items: { type: 'string', pattern: '^[0-9a-hjkmnp-tv-z]{4}(-[0-9a-hjkmnp-tv-z]{4}){3}$' },
        },
      },
    },
  },
};

export const app = createApp().post(
  '/api/mfa/verify',
  requireApiKey,
  jsonBody({ mfa_token: string(64) }),
  async (c) => {
    const on = await verifyMfa(c.var.user, c.var.body.mfa_token, requestNow(c), requestOrigin(c));
    const message = on.keysRevoked ? MFA_ENABLED : MFA_ENABLED_KEYS_LEFT;
    return c.json({ data: { message, recovery_codes: on.recoveryCodes } });
  },
);

export const handler = handle(app);
