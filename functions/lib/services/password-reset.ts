// Setting a password with a reset link, shared by the API (POST /api/users/reset_password) and
// the page's form (POST /reset-password): the per-IP ceiling, the policy, the atomic reset (which
// also confirms an unconfirmed address), every key revoked, the source trusted for login, a notice.
import { checkNotBreached } from '#adapters/pwned-passwords.ts';
import { revokeOtherApiKeys } from '#data/api-keys.ts';
import { unlinkIdentities } from '#data/identities.ts';
import { resetPasswordWithToken, userOfResetToken } from '#data/links.ts';
import { InvalidTokenError } from '#domain/errors.ts';
import { INVALID_LINK } from '#domain/messages.ts';
import { checkPasswordPolicy } from '#domain/password-policy.ts';
import { hashPassword } from '#domain/passwords.ts';
import type { Origin } from '#domain/request.ts';
import { digest, looksLikeToken } from '#domain/tokens.ts';
import { deliver } from '#email/deliver.ts';
import { config } from '#shared/config.ts';
import { auditItem, auditLog } from './audit.ts';
import { checkIpCeiling } from './ip-ceilings.ts';
import { forgetTrust, trustSource } from './login-throttle.ts';

const isAddress = (a: string | undefined): a is string => Boolean(a);

export async function resetWithToken(
  token: string,
  password: string,
  now: number,
  origin: Origin,
): Promise<void> {
  if (!looksLikeToken(token)) throw new InvalidTokenError('token', INVALID_LINK);
  await checkIpCeiling(origin.ip, 'reset', now);
  const tokenHash = digest(token);
  const user = await userOfResetToken(tokenHash, now);
  await checkPasswordPolicy(password, user.email);
  await checkNotBreached(password, config().breachedPasswordCheck);
  const event = { name: 'password.reset', userId: user.userId, ...origin } as const;
  await resetPasswordWithToken(user, tokenHash, await hashPassword(password), now, [auditItem(event, now)]);
  auditLog(event);
  // Whoever held a key or was guessing the password is out; the owner can log in at once.
  await revokeOtherApiKeys(user.userId);
  // A Google sign-in someone else linked goes too; the owner's links again by address.
  await unlinkIdentities(user.userId);
  // Whoever knew the old password may have logged in from anywhere: only the source that set the
  // new one (the link proves the mailbox) keeps its own login budget while strangers guess.
  await forgetTrust(user.userId, [user.email, user.previousEmail].filter(isAddress), now);
  await trustSource(user, origin.ip, now);
  await deliver('notice', user.email, ['passwordResetNotice', new Date(now * 1000)]);
}
