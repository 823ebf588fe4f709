// PATCH /api/users/change_password: a new password for the logged-in account. Needs the current
// one (wrong ones count toward the key's throttle); revokes every other key; mails a notice.
import { createApp } from '#http/app.ts';
import { requireApiKey } from '#http/auth.ts';
import { jsonBody, string } from '#http/body.ts';
import { type EndpointDoc, MESSAGE_DATA } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { requestNow, requestOrigin } from '#http/request.ts';
import { changePassword } from '#services/password-change.ts';

export const PASSWORD_CHANGED = 'Password successfully changed';

export const doc: EndpointDoc = {
  patch: {
    summary: 'Change the password',
    description:
      'Needs the current password (a wrong one counts toward the throttle of the key sent). Every other API key of the account is revoked, the one sent stays valid, and a notice is mailed.',
    responses: {
      200: 'The password is changed: `message` says so',
      400: 'new_password is shorter than 12 or longer than 256 characters, contains the address or the product name, is a common password, or appeared in a data breach',
      401: 'current_password is wrong',
      409: 'The password was changed by another request meanwhile: log in again',
      429: 'Too many wrong passwords or codes sent with this key lately (Retry-After says when to try again; log in again for a new key)',
    },
    data: MESSAGE_DATA,
  },
};

export const app = createApp().patch(
  '/api/users/change_password',
  requireApiKey,
  jsonBody({ current_password: string(1024), new_password: string(1024) }),
  async (c) => {
    const { current_password: current, new_password: next } = c.var.body;
    await changePassword(c.var.user, c.var.keyId, current, next, requestNow(c), requestOrigin(c));
    return c.json({ data: { message: PASSWORD_CHANGED } });
  },
);

export const handler = handle(app);
