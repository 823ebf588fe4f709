// PATCH /api/users/change_password: a new password for the logged-in account. Needs the current
// one (wrong ones count toward the key's throttle); revokes every other key; mails a notice.
import { handle } from 'hono/aws-lambda';
import { checkNotBreached } from '#adapters/pwned-passwords.ts';
import { listApiKeys, revokeOtherApiKeys } from '#data/api-keys.ts';
import { replacePasswordHash } from '#data/profiles.ts';
import { checkPasswordPolicy } from '#domain/password-policy.ts';
import { hashPassword } from '#domain/passwords.ts';
import { deliver } from '#email/deliver.ts';
import { passwordChangedNotice } from '#email/templates.ts';
import { createApp } from '#http/app.ts';
import { requireApiKey } from '#http/auth.ts';
import { jsonBody, string } from '#http/body.ts';
import { type EndpointDoc, MESSAGE_DATA } from '#http/docs.ts';
import { HttpError } from '#http/errors.ts';
import { requestNow, requestOrigin } from '#http/request.ts';
import { auditItem, auditLog } from '#services/audit.ts';
import { checkCurrentPassword } from '#services/reauthenticate.ts';
import { config } from '#shared/config.ts';

export const PASSWORD_CHANGED = 'Password successfully changed';

export const doc: EndpointDoc = {
  patch: {
    summary: 'Change the password',
    description:
      'Needs the current password (a wrong one counts toward the throttle of the key sent). Every other API key of the account is revoked, the one sent stays valid, and a notice is mailed.',
    responses: {
      200: 'The password is changed: `message` says so',
      400: 'new_password is shorter than 12 or longer than 256 characters, contains the address or the product name, is a common password, or appeared in a data breach',
      401: 'current_password is wrong',
      409: 'The password was changed by another request meanwhile: log in again',
      429: 'Too many wrong passwords or codes sent with this key lately (Retry-After says when to try again; log in again for a new key)',
    },
    data: MESSAGE_DATA,
  },
};

export const app = createApp().patch(
  '/api/users/change_password',
  requireApiKey,
  jsonBody({ current_password: string(1024), new_password: string(1024) }),
  async (c) => {
    const { user, keyId } = c.var;
    const { current_password: current, new_password: next } = c.var.body;
    await checkPasswordPolicy(next, user.email, 'new_password');
    const now = requestNow(c);
    const origin = requestOrigin(c);
    const passed = await checkCurrentPassword(user, keyId, current, now, origin.ip);
    await checkNotBreached(next, config().breachedPasswordCheck, 'new_password');
    const hash = await hashPassword(next);
    // Conditioned on the hash just verified: a parallel change cannot be silently overwritten. The
    // account's keys are read meanwhile, for the revocation that follows only a change.
    const [replaced, listed] = await Promise.all([
      replacePasswordHash(user.userId, user.passwordHash, hash),
      listApiKeys(user.userId),
      passed.succeed(),
    ]);
    if (!replaced) {
      throw new HttpError(409, { '': ['The password was changed meanwhile. Log in again.'] });
    }
    const changed = (keysRevoked: number) =>
      ({ name: 'password.changed', userId: user.userId, ...origin, detail: { keysRevoked } }) as const;
    const revoked = await revokeOtherApiKeys(user.userId, keyId, listed, (count) =>
      auditItem(changed(count), now),
    );
    auditLog(changed(revoked));
    await deliver('notice', user.email, passwordChangedNotice(new Date(now * 1000)));
    return c.json({ data: { message: PASSWORD_CHANGED } });
  },
);

export const handler = handle(app);
