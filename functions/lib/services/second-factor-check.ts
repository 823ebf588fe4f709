// The second factor's check itself. A TOTP code is spent by recording its time step, a recovery
// code by deleting its digest: both are one conditional write, so a code works once however many
// requests race with it. Wrong codes count toward the throttle of the login (or the key) they came
// with; the fifth wrong code in a row tells the owner that their password is known. Only accounts
// with MFA on reach it, so second-factor.ts loads it on the first code given: the key material
// (mfa-secrets.ts), the codes and their notices stay off every login's cold start.

import { countAttempt, resetAttempts } from '#data/counters.ts';
import { ATTEMPT_SCOPES, keys } from '#data/keys.ts';
import { spendRecoveryCode, spendTotpStep } from '#data/mfa.ts';
import type { Account } from '#domain/account.ts';
import { parseSecondFactor, recoveryCodeDigest } from '#domain/mfa.ts';
import type { Origin } from '#domain/request.ts';
import { LOGIN_FREE_FAILURES, LOGIN_QUIET_SECONDS } from '#domain/throttle.ts';
import { deliver } from '#email/deliver.ts';
import type { FirstFactor } from '#email/templates.ts';
import { audit, auditLog } from './audit.ts';
import { openMfaSecret } from './mfa-secrets.ts';

export type SecondFactor = 'totp' | 'recovery';

/** Spends `raw` as a second factor of the account; undefined when it is wrong or used already. */
export async function spendSecondFactor(
  user: Account,
  raw: string,
  now: number,
): Promise<{ factor: SecondFactor; recoveryLeft?: number } | undefined> {
  const input = parseSecondFactor(raw);
  if (input.kind === 'totp') {
    if (!user.mfaSecret) return undefined;
    const [{ matchTotp }, secret] = await Promise.all([
      import('#domain/totp.ts'),
      openMfaSecret(user.userId, user.mfaSecret),
    ]);
    const step = matchTotp(secret, input.code, now * 1000);
    if (step === undefined || step <= (user.mfaLastStep ?? -1)) return undefined;
    return (await spendTotpStep(user.userId, user.mfaSecret, step)) ? { factor: 'totp' } : undefined;
  }
  if (input.kind === 'recovery') {
    const digest = recoveryCodeDigest(user.userId, input.code);
    if (!user.mfaRecoveryCodes?.has(digest)) return undefined;
    const left = await spendRecoveryCode(user.userId, digest);
    return left === undefined ? undefined : { factor: 'recovery', recoveryLeft: left };
  }
  return undefined;
}

const failuresKey = (userId: string) => keys.attempts(ATTEMPT_SCOPES.mfaFailures, userId);

/**
 * Checks a second factor given by someone who already proved the password (or holds a key), and
 * keeps the books: a failure is logged and counted (the owner is mailed on the fifth in a row), a
 * success forgets earlier failures, and a recovery code's use is recorded and mailed with the count
 * left. The caller has counted the attempt toward the login throttle and answers the failure.
 */
export async function checkSecondFactor(
  user: Account,
  raw: string,
  now: number,
  origin: Origin,
  firstFactor: FirstFactor,
): Promise<SecondFactor | undefined> {
  const spent = await spendSecondFactor(user, raw, now);
  if (!spent) {
    auditLog({ name: 'mfa.failed', userId: user.userId, ...origin });
    const before = await countAttempt(failuresKey(user.userId), now, LOGIN_QUIET_SECONDS);
    if (before.count + 1 === LOGIN_FREE_FAILURES) {
      await audit(
        { name: 'mfa.failed', userId: user.userId, ...origin, detail: { inARow: LOGIN_FREE_FAILURES } },
        now,
      );
      await deliver('notice', user.email, ['secondFactorFailedNotice', new Date(now * 1000), firstFactor]);
    }
    return undefined;
  }
  await resetAttempts(failuresKey(user.userId));
  if (spent.recoveryLeft !== undefined) {
    const left = spent.recoveryLeft;
    await audit({ name: 'mfa.recovery_code_used', userId: user.userId, ...origin, detail: { left } }, now);
    await deliver('notice', user.email, ['recoveryCodeUsedNotice', new Date(now * 1000), left]);
  }
  return spent.factor;
}
