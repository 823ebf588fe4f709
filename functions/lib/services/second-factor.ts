// Checking a second factor wherever one is asked for: login (and every later way in), turning MFA
// off, new recovery codes, deletion: whether one is needed, and which way (a code, or a key's recent
// one). The code's check (second-factor-check.ts) loads on the first code a function is given.

import type { KeySecondFactor } from '#data/api-keys.ts';
import type { Account } from '#domain/account.ts';
import {
  ConflictError,
  SecondFactorRequiredError,
  ValidationError,
  WrongCredentialError,
} from '#domain/errors.ts';
import { SECOND_FACTOR_NEEDED, SECOND_FACTOR_WRONG } from '#domain/messages.ts';
import { verifyPassword } from '#domain/passwords.ts';
import type { Origin } from '#domain/request.ts';
import { config } from '#shared/config.ts';
import { lazily } from '#shared/lazy.ts';
import { type LoginAttempt, reauthThrottle } from './login-throttle.ts';
import type { SecondFactor } from './second-factor-check.ts';

export type { SecondFactor } from './second-factor-check.ts';

const check = lazily(() => import('./second-factor-check.ts'));

// Longer than any code with spaces and dashes: anything beyond is not worth parsing.
const MAX_CODE_LENGTH = 64;

/**
 * Every way in of an account with MFA on passes here after the first factor (the password, or a
 * Google identity), within the login `attempt` counted for it: without a code it answers 303 and
 * takes the attempt back (clients ask first to learn that a code is needed); with a wrong one, 303
 * and the attempt stays counted. Returns the factor used.
 */
export async function requireSecondFactor(
  user: Account,
  code: string | undefined,
  now: number,
  origin: Origin,
  attempt: Pick<LoginAttempt, 'forgive'>,
  firstFactor: 'password' | 'google' = 'password',
): Promise<SecondFactor> {
  if (code === undefined || code.trim() === '') {
    await attempt.forgive();
    throw new SecondFactorRequiredError(SECOND_FACTOR_NEEDED);
  }
  const factor =
    code.length <= MAX_CODE_LENGTH
      ? await (await check()).checkSecondFactor(user, code, now, origin, firstFactor)
      : undefined;
  if (!factor) throw new SecondFactorRequiredError(SECOND_FACTOR_WRONG);
  return factor;
}

export const MFA_NOT_ON = 'MFA is not on for this account.';

/** What a key-authenticated change of the factors (or a deletion) brings to re-authenticate. */
export interface Reauthentication {
  /** `mfa_token` as sent, if sent. */
  readonly code?: string;
  /** `current_password` as sent, if sent. */
  readonly currentPassword?: string;
  /** The route wants the password too, unless the key's second factor is recent. */
  readonly passwordRequired?: boolean;
  /** When the login that minted the key passed the second factor, after what (requireApiKey's). */
  readonly keySecondFactor?: KeySecondFactor;
}

/**
 * True while a key minted by a login that passed the second factor counts as a fresh one: that
 * login proved the password and the factor moments ago (GitHub's sudo mode). The Gigalixir CLI
 * sends no code for factor changes and deletion, and works within the window.
 */
export function recentSecondFactor(secondFactorAt: number | undefined, now: number): boolean {
  const window = config().recentSecondFactorSeconds;
  return secondFactorAt !== undefined && window > 0 && now - secondFactorAt <= window;
}

const freshFactorNeeded = () =>
  `is required: MFA is on. Send a current code from your authenticator app (or a recovery code), or log in again with a code and retry within ${Math.round(config().recentSecondFactorSeconds / 60)} minutes.`;

/**
 * Changes to the factors of an account with MFA on (turning it off, new recovery codes) and its
 * deletion want a fresh second factor as well as the key: a current code, or a key minted by a
 * login that passed one within the recent window. A stolen key alone never removes or mints a
 * factor. Wrong passwords and codes count toward the key's re-authentication throttle.
 */
export async function confirmSecondFactor(
  user: Account,
  keyId: string,
  r: Reauthentication,
  now: number,
  origin: Origin,
): Promise<SecondFactor | 'recent'> {
  if (!user.mfaEnabled) throw new ConflictError(MFA_NOT_ON);
  const factorAfter = r.keySecondFactor?.after;
  const recent =
    r.code === undefined &&
    recentSecondFactor(r.keySecondFactor?.at, now) &&
    // A code typed on the callback page counts only beside the password.
    (factorAfter !== 'google-page' || r.currentPassword !== undefined);
  if (!recent && r.code === undefined) throw new ValidationError('mfa_token', freshFactorNeeded());
  // A Google login's key proved Google and the code, never the password: it stands for the code only.
  const passwordProven = recent && factorAfter === 'password';
  if (r.passwordRequired && !passwordProven && r.currentPassword === undefined)
    throw new ValidationError('current_password', "can't be blank");
  if (recent && r.currentPassword === undefined) return 'recent';
  // One attempt for the whole re-authentication: a right password must not forgive wrong codes.
  const attempt = await reauthThrottle.attempt(user.userId, keyId, now, origin.ip);
  if (r.currentPassword !== undefined && !(await verifyPassword(r.currentPassword, user.passwordHash))) {
    throw new WrongCredentialError('current_password', 'is incorrect');
  }
  let factor: SecondFactor | 'recent' | undefined = 'recent';
  if (r.code !== undefined) {
    factor =
      r.code.length <= MAX_CODE_LENGTH
        ? await (await check()).checkSecondFactor(user, r.code, now, origin, 'key')
        : undefined;
  }
  if (!factor) throw new WrongCredentialError('mfa_token', 'is incorrect or was used already');
  await attempt.succeed();
  return factor;
}
