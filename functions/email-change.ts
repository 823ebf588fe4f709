// POST /api/users/email {next_email, current_password}: starts moving the account to another
// address. A link goes to the new address (24 h); a notice with an undo link to the current one
// (7 days). Nothing changes until the new address confirms; GET /api/users shows pending_email.
import { handle } from 'hono/aws-lambda';
import { startEmailChange, undoableChangeUntil } from '#data/email-change.ts';
import { claimMailSlot, releaseMailSlot } from '#data/mail-rate.ts';
import { checkNotDisposable } from '#domain/disposable.ts';
import { MAX_EMAIL_LENGTH, normalizeEmail } from '#domain/email.ts';
import { ConflictError, RateLimitedError, ValidationError } from '#domain/errors.ts';
import { LINK_TTL_SECONDS, newToken } from '#domain/tokens.ts';
import { deliver } from '#email/deliver.ts';
import { publicLink } from '#email/links.ts';
import { emailChangeConfirmMessage, emailChangeRequestedNotice } from '#email/templates.ts';
import { createApp } from '#http/app.ts';
import { requireApiKey } from '#http/auth.ts';
import { jsonBody, string } from '#http/body.ts';
import { type EndpointDoc, MESSAGE_DATA } from '#http/docs.ts';
import { requestNow, requestOrigin } from '#http/request.ts';
import { limitPerIp } from '#http/throttle.ts';
import { audit } from '#services/audit.ts';
import { confirmCurrentPassword } from '#services/reauthenticate.ts';

const LINK_SENT_RECENTLY =
  'That address gets at most one confirmation link a minute, whichever account asks. Wait a minute and try again.';

export const CHANGE_REQUESTED =
  'Check the new address for a link to confirm the change. Until then, nothing changes.';

export const doc: EndpointDoc = {
  post: {
    summary: 'Change the address: a confirmation link to the new one',
    description:
      'Needs the current password (wrong ones count toward the throttle of the key sent). A link valid 24 h is mailed to the new address and a notice with an undo link valid 7 days to the current one; nothing changes until the new address confirms (GET /api/users shows pending_email), and a newer request kills the links of an older one. Whether the new address is free is only settled at confirmation.',
    responses: {
      200: 'The change is pending; `message` says to follow the link mailed to the new address',
      400: 'next_email is not a valid address, is on a disposable domain, or is already the address of this account',
      401: 'The current password is incorrect',
      409: 'The last confirmed change can still be undone from the old address (7 days; the message says until when), or the account changed meanwhile; nothing was changed',
      429: 'Over 30 email-change requests a minute from this IP (links included), too many wrong passwords sent with this key, or a link mailed to the new address less than a minute ago by any account (Retry-After says when to try again; nothing was changed)',
    },
    data: MESSAGE_DATA,
  },
};

export const app = createApp().post(
  '/api/users/email',
  requireApiKey,
  jsonBody({ next_email: string(MAX_EMAIL_LENGTH), current_password: string(1024) }),
  async (c) => {
    const { user } = c.var;
    const next = normalizeEmail(c.var.body.next_email, 'next_email');
    checkNotDisposable(next, 'next_email');
    if (next === user.email)
      throw new ValidationError('next_email', 'is already the address of this account');
    await limitPerIp(c, 'email-change');
    const now = requestNow(c);
    const origin = requestOrigin(c);
    await confirmCurrentPassword(user, c.var.keyId, c.var.body.current_password, now, origin.ip);
    const undoable = await undoableChangeUntil(user, now);
    if (undoable !== undefined) {
      throw new ConflictError(
        `The last change of address can still be undone from the old address until ${new Date(undoable * 1000).toISOString()}. Change it again after that.`,
      );
    }
    // The new address is nobody's here yet: one mail a minute to it, whichever account asks. The
    // slot is claimed before anything changes, so a refused ask leaves the last link working.
    const slot = await claimMailSlot('email-change', next, now);
    if (!slot.ok) throw new RateLimitedError(slot.retryAfter, LINK_SENT_RECENTLY);
    // Whether the new address is free is only settled at confirmation, so this answer and this
    // mail say nothing about other accounts.
    const confirm = newToken();
    const revoke = newToken();
    try {
      await startEmailChange(user, next, {
        confirm: { hash: confirm.hash, expiresAt: now + LINK_TTL_SECONDS.emailChange },
        revoke: { hash: revoke.hash, expiresAt: now + LINK_TTL_SECONDS.emailRevoke },
      });
    } catch (err) {
      // No mail goes: the minute is the next ask's, which may come at once.
      await releaseMailSlot('email-change', next, slot.until);
      throw err;
    }
    await audit({ name: 'email.change_requested', userId: user.userId, ...origin }, now);
    await deliver(
      'email-change',
      next,
      emailChangeConfirmMessage(publicLink('confirm-email-change', confirm.token)),
    );
    await deliver(
      'notice',
      user.email,
      emailChangeRequestedNotice(new Date(now * 1000), next, publicLink('revoke-email-change', revoke.token)),
    );
    return c.json({ data: { message: CHANGE_REQUESTED } });
  },
);

export const handler = handle(app);
