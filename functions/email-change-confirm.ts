// POST /api/users/email/confirm {token}: the API form of the new address's confirmation.
import { createApp } from '#http/app.ts';
import { jsonBody, string } from '#http/body.ts';
import { type EndpointDoc, MESSAGE_DATA } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { requestNow, requestOrigin } from '#http/request.ts';
import { confirmEmailChange } from '#services/email-change.ts';

export const doc: EndpointDoc = {
  post: {
    summary: "Confirm a change of address (the API form of the new address's link)",
    description:
      'Spends the link mailed to the new address: the account moves there, and the previous address is mailed a notice with a new undo link (valid 7 days). Log in with the new address from then on.',
    responses: {
      200: 'The account moved to the new address; `message` says so',
      400: 'The token is malformed, unknown, expired, already used, or replaced by a newer change request',
      409: 'The new address belongs to another account now; nothing was changed',
      429: 'Over 30 email-change requests a minute from this IP (Retry-After says when to try again)',
    },
    data: MESSAGE_DATA,
  },
};

export const app = createApp().post('/api/users/email/confirm', jsonBody({ token: string(128) }), async (c) =>
  c.json({ data: { message: await confirmEmailChange(c.var.body.token, requestNow(c), requestOrigin(c)) } }),
);

export const handler = handle(app);
