// Changing the password of a signed-in account, wherever it is asked (PATCH
// /api/users/change_password, the console's password page): the new one checked against the
// policy and breaches, the current one within the key's throttle; every other key revoked (the one
// used stays); the owner mailed.
import { checkNotBreached } from '#adapters/pwned-passwords.ts';
import { listApiKeys, revokeOtherApiKeys } from '#data/api-keys.ts';
import { replacePasswordHash } from '#data/profiles.ts';
import type { Account } from '#domain/account.ts';
import { ConflictError } from '#domain/errors.ts';
import { checkPasswordPolicy } from '#domain/password-policy.ts';
import { hashPassword } from '#domain/passwords.ts';
import type { Origin } from '#domain/request.ts';
import { deliver } from '#email/deliver.ts';
import { config } from '#shared/config.ts';
import { auditItem, auditLog } from './audit.ts';
import { checkCurrentPassword } from './reauthenticate.ts';

export const PASSWORD_CHANGED_MEANWHILE = 'The password was changed meanwhile. Log in again.';

/** How many other keys were revoked. Errors name the fields `current_password` and `new_password`. */
export async function changePassword(
  user: Account,
  keyId: string,
  current: string,
  next: string,
  now: number,
  origin: Origin,
): Promise<number> {
  await checkPasswordPolicy(next, user.email, 'new_password');
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
  if (!replaced) throw new ConflictError(PASSWORD_CHANGED_MEANWHILE);
  const changed = (keysRevoked: number) =>
    ({ name: 'password.changed', userId: user.userId, ...origin, detail: { keysRevoked } }) as const;
  const revoked = await revokeOtherApiKeys(user.userId, keyId, listed, (count) =>
    auditItem(changed(count), now),
  );
  auditLog(changed(revoked));
  await deliver('notice', user.email, ['passwordChangedNotice', new Date(now * 1000)]);
  return revoked;
}
