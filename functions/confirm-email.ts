// POST /api/users/confirm_email: consumes a confirmation link token (API form of the page).
import { handle } from 'hono/aws-lambda';
import { confirmEmail } from '#lib/data/users.ts';
import { digest, nowSeconds } from '#lib/domain/tokens.ts';
import { createApp } from '#lib/http/app.ts';
import { jsonBody, string } from '#lib/http/body.ts';
import { limitPerIp } from '#lib/http/throttle.ts';
import { EMAIL_CONFIRMED } from '#lib/messages.ts';

export const app = createApp().post(
  '/api/users/confirm_email',
  jsonBody({ token: string(128) }),
  async (c) => {
    await limitPerIp(c, 'confirm');
    await confirmEmail(digest(c.var.body.token), nowSeconds(), new Date().toISOString());
    return c.json({ data: { message: EMAIL_CONFIRMED } });
  },
);

export const handler = handle(app);
