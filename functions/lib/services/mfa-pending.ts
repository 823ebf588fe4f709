// The pending TOTP secret an MFA setup starts with, as POST /api/mfa/start and the console's MFA
// page show it. A module of its own: starting mails nobody, so its route holds no mail code.
import { setPendingMfaSecret } from '#data/mfa.ts';
import type { Account } from '#domain/account.ts';
import { ConflictError } from '#domain/errors.ts';
import { newTotpSecret } from '#domain/mfa.ts';
import type { Origin } from '#domain/request.ts';
import { audit } from './audit.ts';
import { openMfaSecret, sealMfaSecret } from './mfa-secrets.ts';

/** How long a rerun of the setup with the same key shows the same pending secret. */
const PENDING_RESUMABLE_SECONDS = 3600;

export const MFA_ALREADY_ON = 'MFA is already on. Turn it off first to set up another authenticator.';

/** The pending secret, for an authenticator app: its otpauth:// URI, and base32 to type by hand. */
export interface PendingMfa {
  readonly url: string;
  readonly typed: string;
}

// otpauth is loaded on the first call that needs it, not at every cold start of these routes.
const totp = () => import('#domain/totp.ts');

async function pending(secret: Uint8Array, email: string): Promise<PendingMfa> {
  const { otpauthUrl, typedSecret } = await totp();
  return { url: otpauthUrl(secret, email), typed: typedSecret(secret) };
}

/**
 * A new pending TOTP secret, or the one this key started within the hour (the QR code already
 * scanned stays right). Only to the key that started it: another key holder must never read a
 * pending secret, which the owner may be about to turn on.
 */
export async function startMfa(
  user: Account,
  keyId: string,
  now: number,
  origin: Origin,
): Promise<PendingMfa> {
  if (user.mfaEnabled) throw new ConflictError(MFA_ALREADY_ON);
  const resumed = await pendingMfaOf(user, keyId, now);
  if (resumed) return resumed;
  const secret = newTotpSecret();
  await setPendingMfaSecret(user.userId, await sealMfaSecret(user.userId, secret), { keyId, at: now });
  await audit({ name: 'mfa.setup_started', userId: user.userId, ...origin }, now);
  return pending(secret, user.email);
}

/** The pending secret a key started, if it may see it again (the console's code form). */
export async function pendingMfaOf(
  user: Account,
  keyId: string,
  now: number,
): Promise<PendingMfa | undefined> {
  if (user.mfaEnabled || !user.mfaPendingSecret || user.mfaPendingKeyId !== keyId) return undefined;
  if (now - (user.mfaPendingAt ?? 0) >= PENDING_RESUMABLE_SECONDS) return undefined;
  const secret = await openMfaSecret(user.userId, user.mfaPendingSecret);
  return pending(secret, user.email);
}
