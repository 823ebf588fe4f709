// Asking to change the address, as POST /api/users/email and the console's address page do: the
// password re-checked, a link to the new address and a notice with an undo link to the current
// one; nothing changes until the new address confirms (email-change.ts uses the links).
import { startEmailChange, undoableChangeUntil } from '#data/email-change.ts';
import { claimMailSlot, releaseMailSlot } from '#data/mail-rate.ts';
import type { Account } from '#domain/account.ts';
import { checkNotDisposable } from '#domain/disposable.ts';
import { normalizeEmail } from '#domain/email.ts';
import { ConflictError, RateLimitedError, ValidationError } from '#domain/errors.ts';
import type { Origin } from '#domain/request.ts';
import { LINK_TTL_SECONDS, newToken } from '#domain/tokens.ts';
import { deliver } from '#email/deliver.ts';
import { publicLink } from '#email/links.ts';
import { audit } from './audit.ts';
import { checkIpCeiling } from './ip-ceilings.ts';
import { confirmCurrentPassword } from './reauthenticate.ts';

const LINK_SENT_RECENTLY =
  'That address gets at most one confirmation link a minute, whichever account asks. Wait a minute and try again.';

export const CHANGE_REQUESTED =
  'Check the new address for a link to confirm the change. Until then, nothing changes.';

/**
 * `nextEmail` as typed (ValidationError under `next_email`); `password` counted toward `keyId`'s
 * throttle (WrongCredentialError); ConflictError while the last change can still be undone.
 */
export async function requestEmailChange(
  user: Account,
  keyId: string,
  nextEmail: string,
  password: string,
  now: number,
  origin: Origin,
): Promise<void> {
  const next = normalizeEmail(nextEmail, 'next_email');
  checkNotDisposable(next, 'next_email');
  if (next === user.email) throw new ValidationError('next_email', 'is already the address of this account');
  await checkIpCeiling(origin.ip, 'email-change', now);
  await confirmCurrentPassword(user, keyId, password, now, origin.ip);
  const undoable = await undoableChangeUntil(user, now);
  if (undoable !== undefined) {
    throw new ConflictError(
      `The last change of address can still be undone from the old address until ${new Date(undoable * 1000).toISOString()}. Change it again after that.`,
    );
  }
  const slot = await claimMailSlot('email-change', next, now);
  if (!slot.ok) throw new RateLimitedError(slot.retryAfter, LINK_SENT_RECENTLY);
  const confirm = newToken();
  const revoke = newToken();
  try {
    await startEmailChange(user, next, {
      confirm: { hash: confirm.hash, expiresAt: now + LINK_TTL_SECONDS.emailChange },
      revoke: { hash: revoke.hash, expiresAt: now + LINK_TTL_SECONDS.emailRevoke },
    });
  } catch (err) {
    await releaseMailSlot('email-change', next, slot.until);
    throw err;
  }
  await audit({ name: 'email.change_requested', userId: user.userId, ...origin }, now);
  await deliver('email-change', next, [
    'emailChangeConfirmMessage',
    publicLink('confirm-email-change', confirm.token),
  ]);
  await deliver('notice', user.email, [
    'emailChangeRequestedNotice',
    new Date(now * 1000),
    next,
    publicLink('revoke-email-change', revoke.token),
  ]);
}
