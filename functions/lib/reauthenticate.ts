// Changes that need more than a key (a new password, a new address, a key reset): the current
// password, counted toward the same per-address throttle as login, so a stolen key cannot be used
// to guess it. Turning MFA off wants a second factor as well: second-factor.ts.
import type { User } from './data/users.ts';
import { verifyPassword } from './domain/passwords.ts';
import { HttpError } from './http/errors.ts';
import { loginThrottle } from './http/throttle.ts';

export async function confirmCurrentPassword(
  user: User,
  password: string,
  now: number,
  ip: string,
): Promise<void> {
  await loginThrottle.attempt(user.email, now, ip);
  if (!(await verifyPassword(password, user.passwordHash))) {
    throw new HttpError(401, { current_password: ['is incorrect'] });
  }
  await loginThrottle.succeed(user.email);
}
