// POST /api/mfa/verify {mfa_token}: a code from the pending secret turns MFA on. Answers ten
// recovery codes, shown this once (only their digests are kept); every API key is revoked, so each
// session from now on has passed the second factor; the owner is mailed.
import { handle } from 'hono/aws-lambda';
import { revokeOtherApiKeys } from '#data/api-keys.ts';
import { activateMfa } from '#data/mfa.ts';
import { ConflictError, ValidationError } from '#domain/errors.ts';
import { newRecoveryCodes, parseSecondFactor, recoveryCodeDigest } from '#domain/mfa.ts';
import { deliver } from '#email/deliver.ts';
import { mfaEnabledNotice } from '#email/templates.ts';
import { createApp } from '#http/app.ts';
import { requireApiKey } from '#http/auth.ts';
import { jsonBody, string } from '#http/body.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { requestNow, requestOrigin } from '#http/request.ts';
import { audit, auditItem } from '#services/audit.ts';
import { openMfaSecret } from '#services/mfa-secrets.ts';
import { log } from '#shared/log.ts';

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
    const { user } = c.var;
    if (user.mfaEnabled) throw new ConflictError('MFA is already on.');
    if (!user.mfaPendingSecret) throw new ConflictError('Start MFA setup first (POST /api/mfa/start).');
    const input = parseSecondFactor(c.var.body.mfa_token);
    const secret = await openMfaSecret(user.userId, user.mfaPendingSecret);
    const now = requestNow(c);
    const step =
      input.kind === 'totp'
        ? (await import('#domain/totp.ts')).matchTotp(secret, input.code, now * 1000)
        : undefined;
    if (step === undefined) {
      throw new ValidationError('mfa_token', 'is not the current code of your authenticator app');
    }
    const origin = requestOrigin(c);
    const codes = newRecoveryCodes();
    await activateMfa(
      user,
      step,
      codes.map((code) => recoveryCodeDigest(user.userId, code)),
      new Date(now * 1000).toISOString(),
      [auditItem({ name: 'mfa.enabled', userId: user.userId, ...origin }, now)],
    );
    // MFA is on: from here the codes must reach the user whatever else fails, since only their
    // digests are kept. A key that survives a failed revocation is said so, not hidden.
    let message = MFA_ENABLED;
    try {
      const revoked = await revokeOtherApiKeys(user.userId);
      await audit(
        { name: 'api_key.revoked', userId: user.userId, ...origin, detail: { count: revoked, via: 'mfa' } },
        now,
      );
    } catch (error) {
      log.error('keys not revoked after MFA went on', { userId: user.userId, error });
      message = MFA_ENABLED_KEYS_LEFT;
    }
    await deliver('notice', user.email, mfaEnabledNotice(new Date(now * 1000)));
    return c.json({ data: { message, recovery_codes: codes } });
  },
);

export const handler = handle(app);
