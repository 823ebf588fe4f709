// Asking for the account's deletion, as DELETE /api/users/destroy and the console's delete page
// do: the address typed again, the password, and with MFA on a fresh second factor (one attempt
// toward the asking key's throttle); then the account is marked DELETING, which stops every key
// at once, and the workflow is started. Parallel requests start the same deletion.
import { deletionExecutionName, startDeletion } from '#adapters/step-functions.ts';
import { markDeleting, withdrawDeletion } from '#data/deletion.ts';
import type { Account } from '#domain/account.ts';
import { normalizeEmail } from '#domain/email.ts';
import { ConflictError, UnavailableError, ValidationError } from '#domain/errors.ts';
import type { Origin } from '#domain/request.ts';
import { auditItem, auditLog } from './audit.ts';
import { confirmCurrentPassword } from './reauthenticate.ts';
import { confirmSecondFactor, type Reauthentication } from './second-factor.ts';

export const DELETION_STARTED =
  'Your account is being deleted. Its keys no longer work; a goodbye notice follows when it is gone.';
export const DELETION_NOT_STARTED =
  'The deletion could not be started. Nothing was deleted and your keys still work: try again in a minute.';
export const DELETION_UNCONFIRMED =
  'Another request for this deletion arrived at the same time, and its start could not be confirmed yet.';

/** Throws ValidationError (`email`), WrongCredentialError, RateLimitedError, ConflictError, UnavailableError. */
export async function requestDeletion(
  user: Account,
  keyId: string,
  typedEmail: string,
  reauth: Reauthentication & { readonly currentPassword: string },
  now: number,
  origin: Origin,
): Promise<void> {
  if (normalizeEmail(typedEmail) !== user.email)
    throw new ValidationError('email', 'is not the address of this account');
  if (user.mfaEnabled) {
    await confirmSecondFactor(user, keyId, { ...reauth, passwordRequired: true }, now, origin);
  } else {
    await confirmCurrentPassword(user, keyId, reauth.currentPassword, now, origin.ip);
  }
  const event = { name: 'account.deletion_requested', userId: user.userId, ...origin } as const;
  const fresh = deletionExecutionName(user.userId);
  const mark = await markDeleting(user, fresh, new Date(now * 1000).toISOString(), [auditItem(event, now)]);
  const execution = mark.marked ? fresh : mark.execution;
  if (!execution) throw new ConflictError('The account changed meanwhile. Try again.');
  if (mark.marked) auditLog(event);
  if (await startDeletion(user.userId, execution)) return;
  if (!mark.marked) throw new UnavailableError(DELETION_UNCONFIRMED, 60);
  // Not started: the mark goes, and the keys work again.
  if (await withdrawDeletion(user.userId, execution)) throw new UnavailableError(DELETION_NOT_STARTED, 60);
}
