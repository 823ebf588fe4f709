// Using the links of an email change, shared by the API and the pages: confirming (the new
// address) and revoking (the old one). Both check the link's shape before anything is counted.

import { revokeOtherApiKeys } from '#data/api-keys.ts';
import { revokeEmailChange, switchEmail, userOfLink } from '#data/email-change.ts';
import { unlinkIdentities } from '#data/identities.ts';
import { replaceResetToken } from '#data/links.ts';
import { getUserByEmail } from '#data/profiles.ts';
import { deleteUnconfirmedUser } from '#data/unconfirmed.ts';
import { isUnconfirmed } from '#domain/account.ts';
import { ConflictError, InvalidTokenError } from '#domain/errors.ts';
import { INVALID_LINK } from '#domain/messages.ts';
import type { Origin } from '#domain/request.ts';
import { digest, LINK_TTL_SECONDS, looksLikeToken, newToken } from '#domain/tokens.ts';
import { deliver } from '#email/deliver.ts';
import { publicLink } from '#email/links.ts';
import { log } from '#shared/log.ts';
import { audit, auditLog } from './audit.ts';
import { checkIpCeiling } from './ip-ceilings.ts';
import { carryTrust, forgetTrust } from './login-throttle.ts';

async function linkUser(
  token: string,
  purpose: 'email-change' | 'email-revoke',
  now: number,
  origin: Origin,
) {
  if (!looksLikeToken(token)) throw new InvalidTokenError('token', INVALID_LINK);
  await checkIpCeiling(origin.ip, 'email-change', now);
  return { tokenHash: digest(token), user: await userOfLink(digest(token), purpose, now) };
}

export const EMAIL_CHANGED = 'Your address is changed. Use it to log in from now on.';

/** The new address confirms: the account moves there, and the old address gets an undo link. */
export async function confirmEmailChange(token: string, now: number, origin: Origin): Promise<string> {
  const { tokenHash, user } = await linkUser(token, 'email-change', now, origin);
  const revoke = newToken();
  const next = user.pendingEmail ?? '';
  const result = await switchEmail(
    user,
    tokenHash,
    { hash: revoke.hash, expiresAt: now + LINK_TTL_SECONDS.emailRevoke },
    now,
  );
  if (result === 'taken')
    throw new ConflictError('That address belongs to another account now. Nothing was changed.');
  await audit({ name: 'email.changed', userId: user.userId, ...origin }, now);
  // The networks the owner logs in from stay theirs (the login throttle, Google's one button). The
  // change is done: failing this costs a login from each network, never the change.
  await carryTrust(user.userId, user.email, next, now).catch((error: unknown) =>
    log.warn('trusted sources not carried to the new address', { userId: user.userId, error }),
  );
  await deliver('notice', user.email, [
    'emailChangedNotice',
    new Date(now * 1000),
    next,
    publicLink('revoke-email-change', revoke.token),
  ]);
  return EMAIL_CHANGED;
}

/** Any time: the condition on the signup's age does not apply to a squatter. */
const ANY_AGE = '9999-12-31T23:59:59.999Z';

/**
 * A signup nobody confirmed that holds `address` is removed (as the cleanup would remove it):
 * whoever took an account could start one to block its undo, and the undo link proves that
 * mailbox, as a confirmation link would. True when one was removed.
 */
async function removeSquatter(address: string | undefined, origin: Origin): Promise<boolean> {
  const holder = address ? await getUserByEmail(address) : undefined;
  if (!holder || !isUnconfirmed(holder)) return false;
  const removed = await deleteUnconfirmedUser(holder, ANY_AGE);
  if (removed) {
    auditLog({
      name: 'signup.removed',
      userId: holder.userId,
      ...origin,
      detail: { by: 'email-undo' },
    });
  }
  return removed;
}

/**
 * The old address revokes: a pending change is cancelled; a completed one is undone, every key
 * revoked and a password reset link mailed there, so its owner gets the account back.
 */
export async function revokeChange(token: string, now: number, origin: Origin): Promise<string> {
  const { tokenHash, user } = await linkUser(token, 'email-revoke', now, origin);
  let result = await revokeEmailChange(user, tokenHash, now);
  if (result === 'old-address-taken' && (await removeSquatter(user.previousEmail, origin))) {
    result = await revokeEmailChange(user, tokenHash, now);
  }
  if (result === 'old-address-taken') {
    throw new ConflictError(
      'Your old address belongs to another account now, so the change cannot be undone. Contact support.',
    );
  }
  const owner = result === 'restored' ? (user.previousEmail ?? user.email) : user.email;
  await audit({ name: 'email.change_revoked', userId: user.userId, ...origin, detail: { result } }, now);
  if (result === 'restored') {
    await revokeOtherApiKeys(user.userId);
    // A Google sign-in linked under the other address must not outlive the undo, nor a network
    // whoever held the account logged in from.
    await unlinkIdentities(user.userId);
    await forgetTrust(user.userId, [user.email, owner], now);
    const reset = newToken();
    const restored = { ...user, email: owner };
    const expiresAt = now + LINK_TTL_SECONDS.resetPassword;
    if (await replaceResetToken(restored, { hash: reset.hash, expiresAt })) {
      await deliver('reset', owner, ['resetLinkMessage', publicLink('reset-password', reset.token)]);
    }
  }
  await deliver('notice', owner, ['emailChangeRevokedNotice', new Date(now * 1000)]);
  return result === 'restored'
    ? 'The change is undone: the account is back at this address and every key was revoked. Check your mail for a link to set a new password.'
    : 'The change is cancelled. Nothing else changed.';
}
