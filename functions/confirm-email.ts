// POST /api/users/confirm_email: consumes a confirmation link token (API form of the page).
import { handle } from 'hono/aws-lambda';
import { confirmWithToken } from '#lib/email-confirmation.ts';
import { createApp } from '#lib/http/app.ts';
import { jsonBody, string } from '#lib/http/body.ts';
import { type EndpointDoc, MESSAGE_DATA } from '#lib/http/docs.ts';
import { EMAIL_CONFIRMED } from '#lib/messages.ts';

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
    await confirmWithToken(c, c.var.body.token);
    return c.json({ data: { message: EMAIL_CONFIRMED } });
  },
);

export const handler = handle(app);
