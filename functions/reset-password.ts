// POST /api/users/reset_password {token, password}: sets the password with a reset link (API form
// of the page's form). No automatic login: the user logs in with the new password.
import { handle } from 'hono/aws-lambda';
import { createApp } from '#lib/http/app.ts';
import { jsonBody, string } from '#lib/http/body.ts';
import { PASSWORD_RESET } from '#lib/messages.ts';
import { resetWithToken } from '#lib/password-reset.ts';

export const app = createApp().post(
  '/api/users/reset_password',
  jsonBody({ token: string(128), password: string(1024) }),
  async (c) => {
    await resetWithToken(c, c.var.body.token, c.var.body.password);
    return c.json({ data: { message: PASSWORD_RESET } });
  },
);

export const handler = handle(app);
