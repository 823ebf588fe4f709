// POST /api/users/email/revoke {token}: the API form of the old address's undo link.
import { handle } from 'hono/aws-lambda';
import { revokeChange } from '#lib/email-change.ts';
import { createApp } from '#lib/http/app.ts';
import { jsonBody, string } from '#lib/http/body.ts';

export const app = createApp().post('/api/users/email/revoke', jsonBody({ token: string(128) }), async (c) =>
  c.json({ data: { message: await revokeChange(c, c.var.body.token) } }),
);

export const handler = handle(app);
