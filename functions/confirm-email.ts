// POST /api/users/confirm_email: consumes a confirmation link token (API form of the page).
import { handle } from 'hono/aws-lambda';
import { confirmWithToken } from '#lib/email-confirmation.ts';
import { createApp } from '#lib/http/app.ts';
import { jsonBody, string } from '#lib/http/body.ts';
import { EMAIL_CONFIRMED } from '#lib/messages.ts';

export const app = createApp().post(
  '/api/users/confirm_email',
  jsonBody({ token: string(128) }),
  async (c) => {
    await confirmWithToken(c, c.var.body.token);
    return c.json({ data: { message: EMAIL_CONFIRMED } });
  },
);

export const handler = handle(app);
