// What an account with MFA on changes of it, as the API (POST /api/mfa/recovery_codes, DELETE
// /api/mfa) and the console's MFA page do it: new recovery codes and MFA off, each with a fresh
// second factor, each mailing the owner. Apart from turning it on (mfa-setup.ts): the console's
// page loads these on their first use, rare next to its page and setup.
import { disableMfa, replaceRecoveryCodes } from '#data/mfa.ts';
import type { Account } from '#domain/account.ts';
import { ConflictError } from '#domain/errors.ts';
import { newRecoveryCodes, recoveryCodeDigest } from '#domain/mfa.ts';
import type { Origin } from '#domain/request.ts';
import { deliver } from '#email/deliver.ts';
import { auditItem } from './audit.ts';
import { confirmSecondFactor, MFA_NOT_ON, type Reauthentication } from './second-factor.ts';

/** MFA off, with the password and a fresh second factor (second-factor.ts); the owner mailed. */
export async function turnMfaOff(
  user: Account,
  keyId: string,
  reauth: Reauthentication,
  now: number,
  origin: Origin,
): Promise<void> {
  await confirmSecondFactor(user, keyId, { ...reauth, passwordRequired: true }, now, origin);
  if (
    !(await disableMfa(user.userId, now, [
      auditItem({ name: 'mfa.disabled', userId: user.userId, ...origin }, now),
    ]))
  )
    throw new ConflictError(MFA_NOT_ON);
  await deliver('notice', user.email, ['mfaDisabledNotice', new Date(now * 1000)]);
}

/** Ten new recovery codes, every earlier one dead, with a fresh second factor; the owner mailed. */
export async function renewRecoveryCodes(
  user: Account,
  keyId: string,
  reauth: Reauthentication,
  now: number,
  origin: Origin,
): Promise<readonly string[]> {
  await confirmSecondFactor(user, keyId, reauth, now, origin);
  const codes = newRecoveryCodes();
  const replaced = await replaceRecoveryCodes(
    user.userId,
    codes.map((c) => recoveryCodeDigest(user.userId, c)),
    [auditItem({ name: 'mfa.recovery_codes_regenerated', userId: user.userId, ...origin }, now)],
  );
  if (!replaced) throw new ConflictError(MFA_NOT_ON);
  await deliver('notice', user.email, ['recoveryCodesRegeneratedNotice', new Date(now * 1000)]);
  return codes;
}
