// Asking for a link by mail, as the API (PUT /api/users/reconfirm_email, PUT
// /api/users/reset_password) and the console's pages ask: the per-IP ceiling, one mail a minute per
// address (counted for unknown addresses too, so a 429 tells nobody who has an account), a new
// token that kills the older ones, the mail. Callers answer the same whatever happened, held to
// the enumeration floor.
import { replaceConfirmToken, replaceResetToken } from '#data/links.ts';
import { claimMailSlot } from '#data/mail-rate.ts';
import { emailOwner, getUserByEmail, ownerAccount } from '#data/profiles.ts';
import { isUnconfirmed, mayReceiveLinks } from '#domain/account.ts';
import { RateLimitedError } from '#domain/errors.ts';
import type { Origin } from '#domain/request.ts';
import { LINK_TTL_SECONDS, newToken } from '#domain/tokens.ts';
import { deliver } from '#email/deliver.ts';
import { publicLink } from '#email/links.ts';
import { checkIpCeiling } from './ip-ceilings.ts';

export const RECONFIRM_MESSAGE =
  'If this address has an account waiting for confirmation, a new link is on its way. Earlier links no longer work.';

export const RESET_REQUESTED =
  'If this address has an account, a link to choose a new password is on its way. It works once, for 1 hour.';

/** A new confirmation link for an account still waiting for one; the old link dies. */
export async function requestConfirmationLink(email: string, now: number, origin: Origin): Promise<void> {
  await checkIpCeiling(origin.ip, 'resend', now);
  const slot = await claimMailSlot('reconfirm', email, now);
  if (!slot.ok)
    throw new RateLimitedError(
      slot.retryAfter,
      'A confirmation mail was sent less than a minute ago. Please wait.',
    );
  const user = await getUserByEmail(email);
  if (!user || !isUnconfirmed(user)) return;
  const confirm = newToken();
  const replaced = await replaceConfirmToken(user, {
    hash: confirm.hash,
    expiresAt: now + LINK_TTL_SECONDS.confirmEmail,
  });
  if (replaced)
    await deliver('reconfirm', email, ['confirmEmailMessage', publicLink('confirm-email', confirm.token)]);
}

/** A link to /reset-password (1 hour, single use) for an account that may receive links. */
export async function requestResetLink(email: string, now: number, origin: Origin): Promise<void> {
  // Reads go beside the limits (two round trips, not four); nothing is claimed past the ceiling.
  const owner = emailOwner(email);
  owner.catch(() => undefined);
  await checkIpCeiling(origin.ip, 'reset', now);
  const [slot, user] = await Promise.all([claimMailSlot('reset', email, now), owner.then(ownerAccount)]);
  if (!slot.ok)
    throw new RateLimitedError(slot.retryAfter, 'A reset link was sent less than a minute ago. Please wait.');
  // An account being deleted gets no new link: the purge must not race a token being added.
  if (!user || !mayReceiveLinks(user)) return;
  const reset = newToken();
  const replaced = await replaceResetToken(user, {
    hash: reset.hash,
    expiresAt: now + LINK_TTL_SECONDS.resetPassword,
  });
  if (replaced)
    await deliver('reset', email, ['resetLinkMessage', publicLink('reset-password', reset.token)]);
}
