// PUT /api/users/reconfirm_email: a new confirmation link; the old one dies. One mail a minute
// per address, counted for unknown addresses too, so the 429 does not tell who has an account.

import { MAX_EMAIL_LENGTH, normalizeEmail } from '#domain/email.ts';
import { createApp } from '#http/app.ts';
import { jsonBody, string } from '#http/body.ts';
import { type EndpointDoc, MESSAGE_DATA } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { requestNow, requestOrigin } from '#http/request.ts';
import { responseFloor } from '#http/timing.ts';
import { RECONFIRM_MESSAGE, requestConfirmationLink } from '#services/link-requests.ts';

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
    await requestConfirmationLink(normalizeEmail(c.var.body.email), requestNow(c), requestOrigin(c));
    return c.json({ data: { message: RECONFIRM_MESSAGE } });
  },
);

export const handler = handle(app);
