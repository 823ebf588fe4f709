// POST /api/users/email/confirm {token}: the API form of the new address's confirmation.
import { handle } from 'hono/aws-lambda';
import { confirmEmailChange } from '#lib/email-change.ts';
import { createApp } from '#lib/http/app.ts';
import { jsonBody, string } from '#lib/http/body.ts';

export const app = createApp().post('/api/users/email/confirm', jsonBody({ token: string(128) }), async (c) =>
  c.json({ data: { message: await confirmEmailChange(c, c.var.body.token) } }),
);

export const handler = handle(app);
