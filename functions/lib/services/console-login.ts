// Signing in to the web console: the same password login as GET /api/login (password-login.ts),
// whose key becomes the browser's session (kind `browser`, named "Web console", ending with the
// configured lifetime). With MFA on, the password step leaves a challenge for the browser, which
// comes back with its secret (a cookie) and a code; the code is checked and counted as at a login.
import { getLoginChallenge, putLoginChallenge, spendLoginChallenge } from '#data/login-challenges.ts';
import { getUser } from '#data/profiles.ts';
import { isSuspended } from '#domain/account.ts';
import { AccountSuspendedError, InvalidTokenError } from '#domain/errors.ts';
import type { Origin, RequestTime } from '#domain/request.ts';
import { digest, newSecret } from '#domain/tokens.ts';
import { config } from '#shared/config.ts';
import { loginThrottle } from './login-throttle.ts';
import { finishLogin, type LoginFinish, passPassword } from './password-login.ts';
import { requireSecondFactor } from './second-factor.ts';

/** How long the code step waits after the password. */
export const CHALLENGE_SECONDS = 300;
export const CONSOLE_KEY_NAME = 'Web console';
export const SIGN_IN_EXPIRED = 'This sign-in expired. Enter your address and password again.';

/** A console session's key: named, of kind browser, ending with the configured lifetime. */
export const consoleSessionTraits = (now: number): LoginFinish['traits'] => ({
  name: CONSOLE_KEY_NAME,
  kind: 'browser',
  expiresAt: now + config().consoleSessionSeconds,
});

export type ConsoleLogin =
  | { readonly key: string }
  /** MFA is on: the browser keeps `challenge` (a cookie) and brings it back with a code. */
  | { readonly challenge: string; readonly expiresAt: number };

export async function consoleLogin(
  email: string,
  password: string,
  time: RequestTime,
  origin: Origin,
  ceiling: Promise<void>,
): Promise<ConsoleLogin> {
  const passed = await passPassword(email, password, time, origin, ceiling);
  if (passed.user.mfaEnabled) {
    // No failure: the code follows, counted as an attempt of its own.
    await passed.attempt.forgive();
    const challenge = newSecret();
    const expiresAt = time.now + CHALLENGE_SECONDS;
    await putLoginChallenge(digest(challenge), {
      userId: passed.user.userId,
      mfaEnabledAt: passed.user.mfaEnabledAt,
      expiresAt,
    });
    return { challenge, expiresAt };
  }
  const key = await finishLogin(
    passed,
    { password, via: 'console', traits: consoleSessionTraits(time.now) },
    time,
    origin,
  );
  return { key: key.key };
}

/**
 * The code step: the challenge must be live and the account's MFA the one the password met; the
 * code is counted toward the login throttle (a wrong one: SecondFactorRequiredError, the challenge
 * stays for another try). The challenge is spent once the code passed.
 */
export async function consoleSecondFactor(
  challenge: string | undefined,
  code: string,
  time: RequestTime,
  origin: Origin,
): Promise<{ readonly key: string }> {
  const expired = new InvalidTokenError('code', SIGN_IN_EXPIRED);
  if (!challenge) throw expired;
  const hash = digest(challenge);
  const pending = await getLoginChallenge(hash, time.now);
  const user = pending && (await getUser(pending.userId));
  if (!pending || !user?.mfaEnabled || user.mfaEnabledAt !== pending.mfaEnabledAt) throw expired;
  if (isSuspended(user)) throw new AccountSuspendedError();
  const attempt = await loginThrottle.attempt(user.email, origin.ip, time.now);
  const secondFactor = await requireSecondFactor(user, code, time.now, origin, attempt);
  if (!(await spendLoginChallenge(hash))) throw expired;
  const key = await finishLogin(
    { user, attempt },
    { secondFactor, via: 'console', traits: consoleSessionTraits(time.now) },
    time,
    origin,
  );
  return { key: key.key };
}
