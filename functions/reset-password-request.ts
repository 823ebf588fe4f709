// PUT /api/users/reset_password {email}: mails a link to /reset-password (1 hour, single use, a
// newer one kills older ones). The same answer, the same time and the same one-a-minute limit
// for addresses with and without an account.

import { MAX_EMAIL_LENGTH, normalizeEmail } from '#domain/email.ts';
import { createApp } from '#http/app.ts';
import { jsonBody, string } from '#http/body.ts';
import { type EndpointDoc, MESSAGE_DATA } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { requestNow, requestOrigin } from '#http/request.ts';
import { responseFloor } from '#http/timing.ts';
import { RESET_REQUESTED, requestResetLink } from '#services/link-requests.ts';

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
    await requestResetLink(normalizeEmail(c.var.body.email), requestNow(c), requestOrigin(c));
    return c.json({ data: { message: RESET_REQUESTED } });
  },
);

export const handler = handle(app);
