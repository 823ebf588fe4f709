// POST /api/users/confirm_email: consumes a confirmation link token (API form of the page).
import { EMAIL_CONFIRMED } from '#domain/messages.ts';
import { createApp } from '#http/app.ts';
import { jsonBody, string } from '#http/body.ts';
import { type EndpointDoc, MESSAGE_DATA } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { requestNow, requestOrigin } from '#http/request.ts';
import { confirmWithToken } from '#services/email-confirmation.ts';

export const doc: EndpointDoc = {
  post: {
    summary: 'Confirm an email address with the link from the signup mail',
    description:
      "The API form of the /confirm-email page: `token` is the link's `token` parameter. The link is spent and the account becomes ACTIVE, so login works.",
    responses: {
      200: 'The address is confirmed: `message` says login works now',
      400: 'The token is malformed, unknown, used already, replaced by a newer link or expired, or its account is no longer waiting for confirmation',
      429: 'Too many confirmations from this IP (60 a minute; Retry-After says when to try again)',
    },
    data: MESSAGE_DATA,
  },
};

export const app = createApp().post(
  '/api/users/confirm_email',
  jsonBody({ token: string(128) }),
  async (c) => {
    await confirmWithToken(c.var.body.token, requestNow(c), requestOrigin(c));
    return c.json({ data: { message: EMAIL_CONFIRMED } });
  },
);

export const handler = handle(app);
