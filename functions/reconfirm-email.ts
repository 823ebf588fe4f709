// PUT /api/users/reconfirm_email: a new confirmation link; the old one dies. One mail a minute
// per address, counted for unknown addresses too, so the 429 does not tell who has an account.

import { handle } from 'hono/aws-lambda';
import { replaceConfirmToken } from '#data/links.ts';
import { claimMailSlot } from '#data/mail-rate.ts';
import { getUserByEmail } from '#data/profiles.ts';
import { isUnconfirmed } from '#domain/account.ts';
import { MAX_EMAIL_LENGTH, normalizeEmail } from '#domain/email.ts';
import { RateLimitedError } from '#domain/errors.ts';
import { LINK_TTL_SECONDS, newToken } from '#domain/tokens.ts';
import { deliver } from '#email/deliver.ts';
import { publicLink } from '#email/links.ts';
import { confirmEmailMessage } from '#email/templates.ts';
import { createApp } from '#http/app.ts';
import { jsonBody, string } from '#http/body.ts';
import { type EndpointDoc, MESSAGE_DATA } from '#http/docs.ts';
import { requestNow } from '#http/request.ts';
import { limitPerIp } from '#http/throttle.ts';
import { responseFloor } from '#http/timing.ts';

export const RECONFIRM_MESSAGE =
  'If this address has an account waiting for confirmation, a new link is on its way. Earlier links no longer work.';

export const doc: EndpointDoc = {
  put: {
    summary: 'Mail a new confirmation link',
    description:
      'An account still waiting for confirmation is mailed a new link to /confirm-email (valid 24 hours); earlier links stop working. Unknown, confirmed and unconfirmed addresses get the same answer, in at least 300 ms, and the same limit of one request a minute per address.',
    responses: {
      200: 'The request was taken: `message` says a new link is on its way if the address has an account waiting for confirmation',
      400: 'The address is not a valid email address',
      429: 'Too many requests from this IP (30 a minute), or one for this address less than a minute ago (Retry-After says when to try again)',
    },
    data: MESSAGE_DATA,
  },
};

export const app = createApp().put(
  '/api/users/reconfirm_email',
  jsonBody({ email: string(MAX_EMAIL_LENGTH) }),
  responseFloor(),
  async (c) => {
    const email = normalizeEmail(c.var.body.email);
    await limitPerIp(c, 'resend');
    const now = requestNow(c);
    const slot = await claimMailSlot('reconfirm', email, now);
    if (!slot.ok) {
      throw new RateLimitedError(
        slot.retryAfter,
        'A confirmation mail was sent less than a minute ago. Please wait.',
      );
    }
    const user = await getUserByEmail(email);
    if (user && isUnconfirmed(user)) {
      const confirm = newToken();
      const replaced = await replaceConfirmToken(user, {
        hash: confirm.hash,
        expiresAt: now + LINK_TTL_SECONDS.confirmEmail,
      });
      if (replaced) {
        await deliver('reconfirm', email, confirmEmailMessage(publicLink('confirm-email', confirm.token)));
      }
    }
    return c.json({ data: { message: RECONFIRM_MESSAGE } });
  },
);

export const handler = handle(app);
