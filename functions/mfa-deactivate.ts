// DELETE /api/mfa {mfa_token, current_password}: turns MFA off. The current password and a current
// code (TOTP or recovery) are required, so a stolen key (and perhaps one stolen recovery code)
// removes no factor; a key fresh from a login that passed MFA stands for both, so the Gigalixir
// client's `{}` works within that window (services/second-factor.ts). The owner is mailed.
import { createApp } from '#http/app.ts';
import { requireApiKey } from '#http/auth.ts';
import { jsonBody, optionalString } from '#http/body.ts';
import { type EndpointDoc, MESSAGE_DATA } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { requestNow, requestOrigin } from '#http/request.ts';
import { turnMfaOff } from '#services/mfa-changes.ts';

export const MFA_DISABLED = 'MFA is off. Logins now need only your password.';

export const doc: EndpointDoc = {
  delete: {
    summary: 'Turn MFA off',
    description:
      'Needs the current password and a current code (TOTP, or an unused recovery code), so a stolen key cannot remove the factor. A key minted by a login that passed MFA in the last 10 minutes (configurable: `gatehouse:recentMfaMinutes`) stands for a fresh second factor and password, so `{}` is enough with it (as the Gigalixir CLI sends); a password or code that is sent is checked all the same. Wrong passwords and codes count toward the throttle of the key sent, and the fifth wrong code in a row is mailed to the owner; the owner is mailed when MFA goes off.',
    responses: {
      200: 'MFA is off; `message` says logins need only the password now',
      400: 'mfa_token or current_password is missing and the key is not fresh from a login that passed MFA (the message says to send a code or log in again)',
      401: 'The current password is incorrect, or mfa_token is not a current code or an unused recovery code',
      409: 'MFA is not on for this account (or was turned off meanwhile)',
      429: 'Too many wrong passwords or codes sent with this key lately (Retry-After says when to try again; log in again for a new key)',
    },
    data: MESSAGE_DATA,
  },
};

export const app = createApp().delete(
  '/api/mfa',
  requireApiKey,
  jsonBody({ mfa_token: optionalString(1024), current_password: optionalString(1024) }),
  async (c) => {
    const { mfa_token: code, current_password: currentPassword } = c.var.body;
    await turnMfaOff(
      c.var.user,
      c.var.keyId,
      { code, currentPassword, keySecondFactor: c.var.keySecondFactor },
      requestNow(c),
      requestOrigin(c),
    );
    return c.json({ data: { message: MFA_DISABLED } });
  },
);

export const handler = handle(app);
