// POST /api/users/email {next_email, current_password}: starts moving the account to another
// address. A link goes to the new address (24 h); a notice with an undo link to the current one
// (7 days). Nothing changes until the new address confirms; GET /api/users shows pending_email.
import { MAX_EMAIL_LENGTH } from '#domain/email.ts';
import { createApp } from '#http/app.ts';
import { requireApiKey } from '#http/auth.ts';
import { jsonBody, string } from '#http/body.ts';
import { type EndpointDoc, MESSAGE_DATA } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { requestNow, requestOrigin } from '#http/request.ts';
import { CHANGE_REQUESTED, requestEmailChange } from '#services/email-change-request.ts';

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
    const { next_email: next, current_password: password } = c.var.body;
    await requestEmailChange(c.var.user, c.var.keyId, next, password, requestNow(c), requestOrigin(c));
    return c.json({ data: { message: CHANGE_REQUESTED } });
  },
);

export const handler = handle(app);
