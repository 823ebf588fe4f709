// Turning TOTP on, as the API (POST /api/mfa/verify) and the console's MFA page do it; it mails the
// owner. (The pending secret a setup starts with: mfa-pending.ts; what an account with MFA on
// changes, new recovery codes and MFA off: mfa-changes.ts.)
import { revokeOtherApiKeys } from '#data/api-keys.ts';
import { activateMfa } from '#data/mfa.ts';
import type { Account } from '#domain/account.ts';
import { ConflictError, ValidationError } from '#domain/errors.ts';
import { newRecoveryCodes, parseSecondFactor, recoveryCodeDigest } from '#domain/mfa.ts';
import type { Origin } from '#domain/request.ts';
import { deliver } from '#email/deliver.ts';
import { log } from '#shared/log.ts';
import { audit, auditItem } from './audit.ts';
import { openMfaSecret } from './mfa-secrets.ts';

// otpauth is loaded on the first call that needs it, not at every cold start of these routes.
const totp = () => import('#domain/totp.ts');

export interface MfaTurnedOn {
  readonly recoveryCodes: readonly string[];
  /** Whether every key of the account (the one used included) was revoked. */
  readonly keysRevoked: boolean;
}

/**
 * MFA on, with a current code of the pending secret: ten recovery codes, shown once; every key of
 * the account revoked, so the next login passes the second factor; the owner mailed.
 */
export async function verifyMfa(
  user: Account,
  code: string,
  now: number,
  origin: Origin,
): Promise<MfaTurnedOn> {
  if (user.mfaEnabled) throw new ConflictError('MFA is already on.');
  if (!user.mfaPendingSecret) throw new ConflictError('Start MFA setup first (POST /api/mfa/start).');
  const input = parseSecondFactor(code);
  const secret = await openMfaSecret(user.userId, user.mfaPendingSecret);
  const step = input.kind === 'totp' ? (await totp()).matchTotp(secret, input.code, now * 1000) : undefined;
  if (step === undefined)
    throw new ValidationError('mfa_token', 'is not the current code of your authenticator app');
  const codes = newRecoveryCodes();
  await activateMfa(
    user,
    step,
    codes.map((c) => recoveryCodeDigest(user.userId, c)),
    new Date(now * 1000).toISOString(),
    [auditItem({ name: 'mfa.enabled', userId: user.userId, ...origin }, now)],
  );
  let keysRevoked = true;
  try {
    const revoked = await revokeOtherApiKeys(user.userId);
    await audit(
      { name: 'api_key.revoked', userId: user.userId, ...origin, detail: { count: revoked, via: 'mfa' } },
      now,
    );
  } catch (error) {
    log.error('keys not revoked after MFA went on', { userId: user.userId, error });
    keysRevoked = false;
  }
  await deliver('notice', user.email, ['mfaEnabledNotice', new Date(now * 1000)]);
  return { recoveryCodes: codes, keysRevoked };
}
