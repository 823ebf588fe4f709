// Changes that need more than a key (a new password, a new address, a key reset): the current
// password, counted per key (login-throttle.ts), so a stolen key can guess it only slowly, and its
// guesses never hold up the owner's logins or other keys. Turning MFA off wants a second factor as
// well: second-factor.ts.
import type { Account } from '#domain/account.ts';
import { WrongCredentialError } from '#domain/errors.ts';
import { verifyPassword } from '#domain/passwords.ts';
import { reauthThrottle } from './login-throttle.ts';

/**
 * Checks the current password within the key's throttle; answers what settles the attempt (its
 * failures forgotten), for the caller to run beside its own writes: one round trip fewer.
 */
export async function checkCurrentPassword(
  user: Account,
  keyId: string,
  password: string,
  now: number,
  ip: string,
): Promise<{ succeed(): Promise<void> }> {
  const attempt = await reauthThrottle.attempt(user.userId, keyId, now, ip);
  if (!(await verifyPassword(password, user.passwordHash))) {
    throw new WrongCredentialError('current_password', 'is incorrect');
  }
  return attempt;
}

export async function confirmCurrentPassword(
  user: Account,
  keyId: string,
  password: string,
  now: number,
  ip: string,
): Promise<void> {
  await (await checkCurrentPassword(user, keyId, password, now, ip)).succeed();
}
