// POST /api/users/email/revoke {token}: the API form of the old address's undo link.
import { createApp } from '#http/app.ts';
import { jsonBody, string } from '#http/body.ts';
import { type EndpointDoc, MESSAGE_DATA } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { requestNow, requestOrigin } from '#http/request.ts';
import { revokeChange } from '#services/email-change.ts';

export const doc: EndpointDoc = {
  post: {
    summary: "Undo a change of address (the API form of the old address's undo link)",
    description:
      'Spends the undo link mailed to the old address. A pending change is cancelled; a completed one is undone: the account moves back to the old address, every API key is revoked, linked Google sign-ins are removed, and a password reset link is mailed there.',
    responses: {
      200: 'The change was cancelled or undone; `message` says which',
      400: 'The token is malformed, unknown, expired, already used, or replaced by a newer link',
      409: 'The old address belongs to another account now, so the completed change cannot be undone',
      429: 'Over 30 email-change requests a minute from this IP (Retry-After says when to try again)',
    },
    data: MESSAGE_DATA,
  },
};

export const app = createApp().post('/api/users/email/revoke', jsonBody({ token: string(128) }), async (c) =>
  c.json({ data: { message: await revokeChange(c.var.body.token, requestNow(c), requestOrigin(c)) } }),
);

export const handler = handle(app);
