// PUT /api/users/reset_password {email}: mails a link to /reset-password (1 hour, single use, a
// newer one kills older ones). The same answer, the same time and the same one-a-minute limit
// for addresses with and without an account.

import { handle } from 'hono/aws-lambda';
import { replaceResetToken } from '#data/links.ts';
import { claimMailSlot } from '#data/mail-rate.ts';
import { emailOwner, ownerAccount } from '#data/profiles.ts';
import { mayReceiveLinks } from '#domain/account.ts';
import { MAX_EMAIL_LENGTH, normalizeEmail } from '#domain/email.ts';
import { RateLimitedError } from '#domain/errors.ts';
import { LINK_TTL_SECONDS, newToken } from '#domain/tokens.ts';
import { deliver } from '#email/deliver.ts';
import { publicLink } from '#email/links.ts';
import { resetLinkMessage } from '#email/templates.ts';
import { createApp } from '#http/app.ts';
import { jsonBody, string } from '#http/body.ts';
import { type EndpointDoc, MESSAGE_DATA } from '#http/docs.ts';
import { requestNow } from '#http/request.ts';
import { limitPerIp } from '#http/throttle.ts';
import { responseFloor } from '#http/timing.ts';

export const RESET_REQUESTED =
  'If this address has an account, a link to choose a new password is on its way. It works once, for 1 hour.';

export const doc: EndpointDoc = {
  put: {
    summary: 'Mail a password reset link',
    description:
      'An account (confirmed or not, not being deleted) is mailed a link to /reset-password that works once, for 1 hour; a newer link kills older ones. Every address gets the same answer, in at least 300 ms, and the same limit of one request a minute per address.',
    responses: {
      200: 'The request was taken: `message` says a link is on its way if the address has an account',
      400: 'The address is not a valid email address',
      429: 'Too many requests from this IP (30 a minute), or one for this address less than a minute ago (Retry-After says when to try again)',
    },
    data: MESSAGE_DATA,
  },
};

export const app = createApp().put(
  '/api/users/reset_password',
  jsonBody({ email: string(MAX_EMAIL_LENGTH) }),
  responseFloor(),
  async (c) => {
    const email = normalizeEmail(c.var.body.email);
    const now = requestNow(c);
    // Reads go beside the limits (two round trips, not four); nothing is claimed past the ceiling.
    const owner = emailOwner(email);
    owner.catch(() => undefined);
    await limitPerIp(c, 'reset');
    const [slot, user] = await Promise.all([claimMailSlot('reset', email, now), owner.then(ownerAccount)]);
    if (!slot.ok)
      throw new RateLimitedError(
        slot.retryAfter,
        'A reset link was sent less than a minute ago. Please wait.',
      );
    // An account being deleted gets no new link: the purge must not race a token being added.
    if (user && mayReceiveLinks(user)) {
      const reset = newToken();
      const replaced = await replaceResetToken(user, {
        hash: reset.hash,
        expiresAt: now + LINK_TTL_SECONDS.resetPassword,
      });
      if (replaced)
        await deliver('reset', email, resetLinkMessage(publicLink('reset-password', reset.token)));
    }
    return c.json({ data: { message: RESET_REQUESTED } });
  },
);

export const handler = handle(app);
